// Okta's own Node SDK (v8) against the sandbox org: if the official client works unchanged (users with
// paging, groups, apps and group-to-app assignments, app and group lifecycle, System Log, OAuth, event
// hooks, and its 429 retry at the reset time), the sandbox speaks the wire format closely enough that
// switching to a real org is configuration. scripts/okta-sdk-integration.sh runs the SDK's own suites.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BookmarkApplication, Client } from '@okta/okta-sdk-nodejs';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { admin, API_TOKEN, startSandbox } from './harness';

/** The SDK's Collection yields `T | null`; a null only marks the end. */
async function all<T>(c: AsyncIterable<T | null>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of c) if (x !== null) out.push(x);
  return out;
}

describe('Okta Node SDK v8 against the sandbox', () => {
  let sb: RunningOktaSandbox;
  let sdk: Client;
  before(async () => {
    sb = await startSandbox({ seed: 'demo', rateWindowMs: 1000 });
    // No cache: every assertion must reflect the org, not the SDK's memory.
    sdk = new Client({ orgUrl: sb.url, token: API_TOKEN, cacheMiddleware: null });
  });
  after(async () => {
    await sb.close();
  });

  it('given the SDK, when it creates, reads and pages through users, then it sees what the sandbox stored', async () => {
    for (let i = 0; i < 12; i++) {
      const u = await sdk.userApi.createUser({
        body: {
          profile: {
            login: `sdk${i}@example.test`,
            email: `sdk${i}@example.test`,
            firstName: 'Sdk',
            lastName: `User${i}`,
            department: 'SDK',
          },
          credentials: { password: { value: 'Sandbox!Pass1' } },
        },
        activate: true,
      });
      assert.equal(u.status, 'ACTIVE');
    }
    const got = await sdk.userApi.getUser({ userId: 'sdk3@example.test' });
    assert.equal(got.profile?.lastName, 'User3');
    const listed = await all(
      await sdk.userApi.listUsers({ search: 'profile.department eq "SDK"', limit: 5 }),
    );
    assert.equal(listed.length, 12);
    const everyone = await all(await sdk.userApi.listUsers({ limit: 4 }));
    assert.equal(everyone.length, 12 + 12, 'demo users plus the new ones, across pages');
  });

  it('given the SDK, when it suspends, unsuspends and deactivates, then the statuses follow and illegal moves raise Okta errors', async () => {
    const u = await sdk.userApi.getUser({ userId: 'sdk1@example.test' });
    await sdk.userApi.suspendUser({ userId: u.id! });
    assert.equal((await sdk.userApi.getUser({ userId: u.id! })).status, 'SUSPENDED');
    await assert.rejects(
      sdk.userApi.suspendUser({ userId: u.id! }),
      (err: { status?: number; errorCode?: string }) => {
        assert.equal(err.status, 400);
        assert.equal(err.errorCode, 'E0000001');
        return true;
      },
    );
    await sdk.userApi.unsuspendUser({ userId: u.id! });
    await sdk.userApi.deactivateUser({ userId: u.id!, sendEmail: false });
    assert.equal((await sdk.userApi.getUser({ userId: u.id! })).status, 'DEPROVISIONED');
  });

  it('given the SDK, when it manages groups and app assignments, then membership and assignments are visible', async () => {
    const g = await sdk.groupApi.createGroup({
      group: { profile: { name: 'SDK Group', description: 'made by the SDK' } },
    });
    const u = await sdk.userApi.getUser({ userId: 'sdk2@example.test' });
    await sdk.groupApi.assignUserToGroup({ groupId: g.id!, userId: u.id! });
    const members = await all(await sdk.groupApi.listGroupUsers({ groupId: g.id! }));
    assert.deepEqual(
      members.map((m) => m.id),
      [u.id],
    );
    const groups = await all(await sdk.userApi.listUserGroups({ userId: u.id! }));
    assert.ok(groups.some((x) => x.profile?.name === 'SDK Group'));
    const found = await all(await sdk.groupApi.listGroups({ q: 'SDK' }));
    assert.deepEqual(
      found.map((x) => x.id),
      [g.id],
    );

    const apps = await all(await sdk.applicationApi.listApplications({ q: 'Slack' }));
    assert.equal(apps.length, 1);
    const appUser = await sdk.applicationApi.assignUserToApplication({
      appId: apps[0]!.id!,
      appUser: { id: u.id! },
    });
    assert.equal(appUser.id, u.id);
  });

  it('given the SDK, when it reads the System Log for a bounded window, then the events of its own calls are there', async () => {
    const until = new Date(Date.now() + 1000).toISOString();
    const since = new Date(Date.now() - 60_000).toISOString();
    const events = await all(
      await sdk.systemLogApi.listLogEvents({
        since,
        until,
        filter: 'eventType eq "group.user_membership.add"',
        limit: 50,
      }),
    );
    assert.equal(events.length, 1);
    assert.equal(events[0]!.target?.[1]?.displayName, 'SDK Group');
  });

  it('given an exhausted rate bucket, when the SDK calls, then it waits for X-Rate-Limit-Reset and succeeds', async () => {
    await admin(sb.url, 'PUT', '/__sandbox/rate-limits', { limits: { 'users.get': 2 } });
    try {
      const started = Date.now();
      for (let i = 0; i < 3; i++) {
        const u = await sdk.userApi.getUser({ userId: 'sdk4@example.test' });
        assert.equal(u.profile?.lastName, 'User4');
      }
      const state = await admin<{ counts: { logEvents: number } }>(sb.url, 'GET', '/__sandbox/state');
      assert.ok(state.counts.logEvents > 0);
      assert.ok(Date.now() - started >= 500, 'the third call waited for the window to reset');
    } finally {
      await admin(sb.url, 'PUT', '/__sandbox/rate-limits', { limits: { 'users.get': 2000 } });
    }
  });

  it('given an OAuth service app, when the SDK authenticates with private_key_jwt, then scoped calls work', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    await admin(sb.url, 'POST', '/__sandbox/oauth-clients', {
      clientId: '0oa-sdk-service',
      publicJwk: { ...(await exportJWK(publicKey)), kid: 'sdk' },
      scopes: ['okta.users.read'],
    });
    const oauthSdk = new Client({
      orgUrl: sb.url,
      authorizationMode: 'PrivateKey',
      clientId: '0oa-sdk-service',
      scopes: ['okta.users.read'],
      privateKey: await exportPKCS8(privateKey),
      keyId: 'sdk',
      cacheMiddleware: null,
    });
    const u = await oauthSdk.userApi.getUser({ userId: 'grace.hopper@acme.example' });
    assert.equal(u.profile?.firstName, 'Grace');
  });

  it('given the SDK, when it assigns a group to an app, then members hold it with scope GROUP and a per-user unassign raises E0000046', async () => {
    const g = await sdk.groupApi.createGroup({ group: { profile: { name: 'SDK App Group' } } });
    const u = await sdk.userApi.getUser({ userId: 'sdk5@example.test' });
    await sdk.groupApi.assignUserToGroup({ groupId: g.id!, userId: u.id! });
    const [app] = await all(await sdk.applicationApi.listApplications({ q: 'NetSuite' }));
    const assigned = await sdk.applicationApi.assignGroupToApplication({
      appId: app!.id!,
      groupId: g.id!,
      applicationGroupAssignment: { priority: 3 },
    });
    assert.equal(assigned.id, g.id);
    assert.equal(assigned.priority, 3);
    const listed = await all(await sdk.applicationApi.listApplicationGroupAssignments({ appId: app!.id! }));
    assert.deepEqual(
      listed.map((x) => x.id),
      [g.id],
    );
    const appUser = await sdk.applicationApi.getApplicationUser({ appId: app!.id!, userId: u.id! });
    assert.equal(appUser.scope, 'GROUP');
    await assert.rejects(
      sdk.applicationApi.unassignUserFromApplication({ appId: app!.id!, userId: u.id! }),
      (err: { status?: number; errorCode?: string; errorCauses?: { errorSummary: string }[] }) => {
        assert.equal(err.status, 403);
        assert.equal(err.errorCode, 'E0000046');
        assert.match(err.errorCauses?.[0]?.errorSummary ?? '', /group memberships grant them access/);
        return true;
      },
    );
    await sdk.applicationApi.unassignApplicationFromGroup({ appId: app!.id!, groupId: g.id! });
    await assert.rejects(
      sdk.applicationApi.getApplicationUser({ appId: app!.id!, userId: u.id! }),
      (err: { status?: number }) => err.status === 404,
    );
  });

  it('given the SDK, when it creates, replaces, deactivates and deletes a bookmark app, then its models parse and Okta refuses deleting an ACTIVE app', async () => {
    const created = (await sdk.applicationApi.createApplication({
      application: {
        name: 'bookmark',
        label: 'SDK Bookmark',
        signOnMode: 'BOOKMARK',
        settings: { app: { requestIntegration: false, url: 'https://example.com/bookmark.htm' } },
      } as BookmarkApplication,
    })) as BookmarkApplication;
    assert.ok(created instanceof BookmarkApplication, 'the SDK resolves the BOOKMARK model');
    assert.equal(created.settings?.app?.url, 'https://example.com/bookmark.htm');
    created.label = 'SDK Bookmark renamed';
    await sdk.applicationApi.replaceApplication({ appId: created.id!, application: created });
    assert.equal(
      (await sdk.applicationApi.getApplication({ appId: created.id! })).label,
      'SDK Bookmark renamed',
    );
    await assert.rejects(
      sdk.applicationApi.deleteApplication({ appId: created.id! }),
      (err: { status?: number; errorCode?: string }) => err.status === 403 && err.errorCode === 'E0000056',
    );
    await sdk.applicationApi.deactivateApplication({ appId: created.id! });
    assert.equal((await sdk.applicationApi.getApplication({ appId: created.id! })).status, 'INACTIVE');
    await sdk.applicationApi.deleteApplication({ appId: created.id! });
    await assert.rejects(
      sdk.applicationApi.getApplication({ appId: created.id! }),
      (err: { status?: number }) => err.status === 404,
    );
  });

  it('given the SDK, when it replaces and deletes a group, expires a password with a temporary one and updates a hook without its secret, then each call succeeds as in a real org', async () => {
    const g = await sdk.groupApi.createGroup({ group: { profile: { name: 'SDK Replace Me' } } });
    const replaced = await sdk.groupApi.replaceGroup({
      groupId: g.id!,
      group: { profile: { ...g.profile, name: 'SDK Replaced' } },
    });
    assert.equal(replaced.profile?.name, 'SDK Replaced');
    await sdk.groupApi.deleteGroup({ groupId: g.id! });
    await assert.rejects(
      sdk.groupApi.getGroup({ groupId: g.id! }),
      (err: { status?: number }) => err.status === 404,
    );

    const u = await sdk.userApi.getUser({ userId: 'sdk6@example.test' });
    // The SDK maps the answer onto its User model, which has no tempPassword; the wire body is covered in
    // test/sandbox/okta/directory.test.ts.
    await sdk.userApi.expirePasswordAndGetTemporaryPassword({ userId: u.id! });
    assert.equal((await sdk.userApi.getUser({ userId: u.id! })).status, 'PASSWORD_EXPIRED');
    await assert.rejects(
      sdk.userApi.unlockUser({ userId: 'sdk7@example.test' }),
      (err: { status?: number; errorCode?: string }) => err.status === 403 && err.errorCode === 'E0000032',
    );

    const hook = await sdk.eventHookApi.createEventHook({
      eventHook: {
        name: 'SDK hook',
        events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] },
        channel: {
          type: 'HTTP',
          version: '1.0.0',
          config: {
            uri: 'https://example.com/hooks',
            headers: [],
            authScheme: { type: 'HEADER', key: 'Authorization', value: 'sdk-secret' },
          },
        },
      },
    });
    assert.equal(hook.channel?.config?.authScheme?.value, undefined, 'the secret is write-only');
    hook.name = 'SDK hook renamed';
    const updated = await sdk.eventHookApi.replaceEventHook({ eventHookId: hook.id!, eventHook: hook });
    assert.equal(updated.name, 'SDK hook renamed');
    assert.equal(sb.store.hooks.get(hook.id!)?.channel.config.authScheme?.value, 'sdk-secret');
  });
});
