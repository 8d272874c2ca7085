// Fixtures for the sandbox org: a zod-checked description of groups, apps, users (with memberships,
// assignments and factors) and catalog entries, applied without System Log rows (it is the org's
// pre-existing state). The demo company of src/sandbox/demo-tenant.ts is one such fixture.
import { z } from 'zod';
import { DEMO_APPS, DEMO_GROUPS, DEMO_PEOPLE } from '../demo-tenant';
import { ID_PREFIX, oktaId } from './ids';
import { DEFAULT_USER_TYPE_ID, type OktaTenant } from './tenant';
import { USER_STATUSES, type FactorRecord, type UserRecord } from './types';

const FACTOR_KINDS = ['push', 'totp', 'sms', 'email', 'question', 'webauthn'] as const;

export const ZSeedFixture = z.object({
  groups: z
    .array(
      z.object({
        name: z.string().min(1),
        description: z.string().nullish(),
        type: z.enum(['OKTA_GROUP', 'APP_GROUP', 'BUILT_IN']).default('OKTA_GROUP'),
      }),
    )
    .default([]),
  apps: z
    .array(
      z.object({
        name: z.string().min(1),
        label: z.string().min(1),
        signOnMode: z.string().default('SAML_2_0'),
        status: z.enum(['ACTIVE', 'INACTIVE']).default('ACTIVE'),
        /** Group names assigned to the app, in priority order; their members hold it with scope GROUP. */
        groups: z.array(z.string()).default([]),
      }),
    )
    .default([]),
  users: z
    .array(
      z.object({
        login: z.string().optional(),
        email: z.email(),
        firstName: z.string().min(1),
        lastName: z.string().min(1),
        status: z.enum(USER_STATUSES).default('ACTIVE'),
        hasPassword: z.boolean().default(true),
        profile: z.record(z.string(), z.unknown()).default({}),
        /** Group names. */
        groups: z.array(z.string()).default([]),
        /** App names. */
        apps: z.array(z.string()).default([]),
        factors: z.array(z.enum(FACTOR_KINDS)).default(['push', 'totp']),
      }),
    )
    .default([]),
  catalogEntries: z
    .array(
      z.object({
        name: z.string().optional(),
        description: z.string().nullish(),
        resource: z.object({ type: z.enum(['GROUP', 'APPLICATION']), name: z.string().min(1) }),
        accessDuration: z.string().nullish(),
        requestable: z.boolean().default(true),
      }),
    )
    .default([]),
});
export type TSeedFixture = z.input<typeof ZSeedFixture>;

export type SeedResult = {
  users: Record<string, string>;
  groups: Record<string, string>;
  apps: Record<string, string>;
  catalogEntries: Record<string, string>;
};

function factor(kind: (typeof FACTOR_KINDS)[number], now: string, u: UserRecord): FactorRecord {
  const base = { id: oktaId(ID_PREFIX.factor), status: 'ACTIVE' as const, created: now, lastUpdated: now };
  switch (kind) {
    case 'push':
      return {
        ...base,
        factorType: 'push',
        provider: 'OKTA',
        vendorName: 'OKTA',
        profile: { name: 'iPhone', platform: 'IOS' },
      };
    case 'totp':
      return {
        ...base,
        factorType: 'token:software:totp',
        provider: 'GOOGLE',
        vendorName: 'GOOGLE',
        profile: { credentialId: u.profile.login },
      };
    case 'sms':
      return {
        ...base,
        factorType: 'sms',
        provider: 'OKTA',
        vendorName: 'OKTA',
        profile: { phoneNumber: '+1-555-0100' },
      };
    case 'email':
      return {
        ...base,
        factorType: 'email',
        provider: 'OKTA',
        vendorName: 'OKTA',
        profile: { email: u.profile.email },
      };
    case 'question':
      return {
        ...base,
        factorType: 'question',
        provider: 'OKTA',
        vendorName: 'OKTA',
        profile: { question: 'favorite_security_question' },
      };
    case 'webauthn':
      return {
        ...base,
        factorType: 'webauthn',
        provider: 'FIDO',
        vendorName: 'FIDO',
        profile: { authenticatorName: 'Security Key' },
      };
  }
}

/** Applies a fixture; objects that already exist (same group name, app name, login) are reused. */
export function applySeed(tenant: OktaTenant, input: TSeedFixture): SeedResult {
  const fx = ZSeedFixture.parse(input);
  const store = tenant.store;
  const now = tenant.now();
  const out: SeedResult = { users: {}, groups: {}, apps: {}, catalogEntries: {} };

  for (const g of fx.groups) {
    const existing = store.groupByExactName(g.name);
    if (existing) {
      out.groups[g.name] = existing.id;
      continue;
    }
    const id = oktaId(ID_PREFIX.group);
    const members = g.type === 'BUILT_IN' ? [...store.users.keys()] : [];
    store.putGroup({
      seq: store.nextSeq(),
      id,
      type: g.type,
      created: now,
      lastUpdated: now,
      lastMembershipUpdated: now,
      profile: { name: g.name, description: g.description ?? null },
      members,
    });
    out.groups[g.name] = id;
  }

  const appByName = new Map([...store.apps.values()].map((a) => [a.name, a]));
  for (const a of fx.apps) {
    const existing = appByName.get(a.name);
    if (existing) {
      out.apps[a.name] = existing.id;
      continue;
    }
    const rec = {
      seq: store.nextSeq(),
      id: oktaId(ID_PREFIX.app),
      name: a.name,
      label: a.label,
      status: a.status,
      signOnMode: a.signOnMode,
      created: now,
      lastUpdated: now,
      users: [],
      groups: [],
    };
    store.putApp(rec);
    appByName.set(a.name, rec);
    out.apps[a.name] = rec.id;
  }

  for (const p of fx.users) {
    const login = p.login ?? p.email;
    let u = store.userByLogin(login);
    if (!u) {
      const activeLike = p.status !== 'STAGED';
      u = {
        seq: store.nextSeq(),
        id: oktaId(ID_PREFIX.user),
        status: p.status,
        created: now,
        activated: activeLike ? now : null,
        statusChanged: activeLike ? now : null,
        lastLogin: p.status === 'ACTIVE' ? now : null,
        lastUpdated: now,
        passwordChanged: p.hasPassword ? now : null,
        typeId: DEFAULT_USER_TYPE_ID,
        profile: { ...p.profile, login, email: p.email, firstName: p.firstName, lastName: p.lastName },
        hasPassword: p.hasPassword,
        hasRecoveryQuestion: false,
      };
      store.putUser(u);
      tenant.addToBuiltIn(u.id);
      const user = u;
      store.factors.set(
        u.id,
        p.factors.map((k) => factor(k, now, user)),
      );
    }
    out.users[login] = u.id;
    for (const name of p.groups) {
      const g = store.groupByExactName(name);
      if (!g) throw new Error(`seed: user ${login} names unknown group ${name}`);
      store.addMember(g.id, u.id);
    }
    for (const name of p.apps) {
      const a = appByName.get(name);
      if (!a) throw new Error(`seed: user ${login} names unknown app ${name}`);
      store.upsertAppUser(a.id, {
        userId: u.id,
        scope: 'USER',
        status: 'PROVISIONED',
        created: now,
        lastUpdated: now,
        statusChanged: now,
        credentials: { userName: login },
        profile: {},
      });
    }
  }

  // Group assignments last, once memberships exist: members get GROUP-scoped AppUsers unless they hold
  // the app already or are DEPROVISIONED (as tenant.ts does, but silently).
  for (const a of fx.apps) {
    const app = appByName.get(a.name)!;
    for (const name of a.groups) {
      const g = store.groupByExactName(name);
      if (!g) throw new Error(`seed: app ${a.name} names unknown group ${name}`);
      if (store.appGroup(app.id, g.id)) continue;
      store.upsertAppGroup(app.id, {
        groupId: g.id,
        priority: app.groups.length,
        profile: {},
        lastUpdated: now,
      });
      for (const uid of store.memberIds(g.id)) {
        const u = store.users.get(uid);
        if (!u || u.status === 'DEPROVISIONED' || store.appUser(app.id, uid)) continue;
        store.upsertAppUser(app.id, {
          userId: uid,
          scope: 'GROUP',
          status: 'PROVISIONED',
          created: now,
          lastUpdated: now,
          statusChanged: now,
          credentials: { userName: u.profile.login },
          profile: {},
        });
      }
    }
  }

  for (const c of fx.catalogEntries) {
    const resource =
      c.resource.type === 'GROUP' ? store.groupByExactName(c.resource.name) : appByName.get(c.resource.name);
    if (!resource) throw new Error(`seed: catalog entry names unknown ${c.resource.type} ${c.resource.name}`);
    const label = 'label' in resource ? resource.label : resource.profile.name;
    const name = c.name ?? label;
    const existing = [...store.catalog.values()].find((e) => e.resourceId === resource.id);
    if (existing) {
      out.catalogEntries[name] = existing.id;
      continue;
    }
    const id = oktaId(ID_PREFIX.catalogEntry);
    store.catalog.set(id, {
      id,
      name,
      label,
      description: c.description ?? ('profile' in resource ? resource.profile.description : null),
      parent: null,
      requestable: c.requestable,
      resourceType: c.resource.type,
      resourceId: resource.id,
      accessDuration: c.accessDuration ?? null,
    });
    out.catalogEntries[name] = id;
  }
  tenant.changed();
  return out;
}

/** The demo company (demo-tenant.ts) as an Okta fixture: managers by login in `managerId`, as OIG advises. */
export function demoFixture(): TSeedFixture {
  const byKey = new Map(DEMO_PEOPLE.map((p) => [p.key, p]));
  return {
    groups: [
      { name: 'Everyone', description: 'All users in your organization', type: 'BUILT_IN' },
      ...DEMO_GROUPS.map((g) => ({ name: g.name, description: g.description })),
    ],
    apps: DEMO_APPS.map((a) => ({ name: a.name, label: a.label })),
    users: DEMO_PEOPLE.map((p, i) => {
      const manager = p.manager ? byKey.get(p.manager) : undefined;
      return {
        email: p.email,
        firstName: p.firstName,
        lastName: p.lastName,
        profile: {
          title: p.title,
          department: p.department,
          employeeNumber: String(1001 + i),
          manager: manager ? `${manager.firstName} ${manager.lastName}` : null,
          managerId: manager?.email ?? null,
          locale: 'en_US',
          timezone: 'America/Los_Angeles',
        },
        groups: DEMO_GROUPS.filter((g) => g.members.includes(p.key)).map((g) => g.name),
        apps: DEMO_APPS.filter((a) => a.assigned.includes(p.key)).map((a) => a.name),
      };
    }),
    catalogEntries: [
      ...DEMO_GROUPS.filter((g) => g.name !== 'Everyone at Acme').map((g) => ({
        resource: { type: 'GROUP' as const, name: g.name },
      })),
      ...DEMO_APPS.map((a) => ({ resource: { type: 'APPLICATION' as const, name: a.name } })),
    ],
  };
}
