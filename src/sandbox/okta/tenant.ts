// The directory side of the sandbox org: users, groups, apps and factors with Okta's rules (status
// transitions, unique logins, which groups may change, apps granted through groups) and the System Log
// event every change writes.
// Routes parse and render; this module decides. Timestamps and ids are generated here.
import { oktaErrors, OktaApiError } from './errors';
import { ID_PREFIX, oktaId } from './ids';
import type { OktaStore } from './store';
import { buildLogEvent, type CallContext, type NewLogEvent } from './system-log';
import type {
  AppGroupRecord,
  AppRecord,
  AppUserRecord,
  FactorRecord,
  GroupRecord,
  LogActor,
  LogEvent,
  LogTarget,
  UserProfile,
  UserRecord,
  UserStatus,
} from './types';

export const DEFAULT_USER_TYPE_ID = 'otysandboxdefault01';

const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;

/** Okta's own principal for work it does by itself (OIG grants, scheduled revocations). */
export const SYSTEM_ACTOR: LogActor = {
  id: '0oasandboxsystem0001',
  type: 'SystemPrincipal',
  alternateId: 'system@okta.com',
  displayName: 'Okta System',
  detailEntry: null,
};

export function userTarget(u: UserRecord): LogTarget {
  return {
    id: u.id,
    type: 'User',
    alternateId: u.profile.login,
    displayName: displayName(u),
    detailEntry: null,
  };
}

export function userActor(u: UserRecord): LogActor {
  return {
    id: u.id,
    type: 'User',
    alternateId: u.profile.login,
    displayName: displayName(u),
    detailEntry: null,
  };
}

export function groupTarget(g: GroupRecord): LogTarget {
  return {
    id: g.id,
    type: 'UserGroup',
    alternateId: 'unknown',
    displayName: g.profile.name,
    detailEntry: null,
  };
}

export function appTarget(a: AppRecord): LogTarget {
  return { id: a.id, type: 'AppInstance', alternateId: a.label, displayName: a.label, detailEntry: null };
}

export function displayName(u: UserRecord): string {
  return [u.profile.firstName, u.profile.lastName].filter(Boolean).join(' ') || u.profile.login;
}

/** Sign-on modes of custom app instances, whose `name` Okta generates from the label. */
const CUSTOM_SIGN_ON_MODES = new Set(['AUTO_LOGIN', 'SAML_2_0', 'SAML_1_1', 'WS_FEDERATION']);

/** An Application body as POST and PUT /apps take it, after parsing (routes/apps.ts). */
export type AppInput = {
  name?: string;
  label: string;
  signOnMode: string;
  settings?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  visibility?: Record<string, unknown>;
  accessibility?: Record<string, unknown>;
  features?: unknown[];
};

/**
 * The stored parts of an app body. An OIDC app's client gets its `client_id` (the app id, as Okta does)
 * and, for the client-secret auth methods, a generated `client_secret` kept across replacements.
 */
function appDetails(input: AppInput, id: string, prev?: AppRecord): Partial<AppRecord> {
  let credentials = input.credentials;
  const oauth = credentials?.oauthClient as Record<string, unknown> | undefined;
  if (input.signOnMode === 'OPENID_CONNECT' && oauth) {
    const method =
      typeof oauth.token_endpoint_auth_method === 'string'
        ? oauth.token_endpoint_auth_method
        : 'client_secret_basic';
    const prevOauth = prev?.credentials?.oauthClient as Record<string, unknown> | undefined;
    const secret = method.startsWith('client_secret')
      ? (prevOauth?.client_secret ?? oktaId('', 40))
      : undefined;
    credentials = {
      ...credentials,
      oauthClient: {
        autoKeyRotation: true,
        ...oauth,
        token_endpoint_auth_method: method,
        client_id: id,
        ...(secret ? { client_secret: secret } : {}),
      },
    };
  }
  return {
    settings: input.settings ?? {},
    credentials: credentials ?? prev?.credentials,
    visibility: input.visibility ?? prev?.visibility,
    accessibility: input.accessibility ?? prev?.accessibility,
    features: input.features ?? prev?.features ?? [],
  };
}

/**
 * An AppUser's profile starts from the user's own attributes through Okta's default Okta-to-app mapping
 * (email, firstName, lastName), as the API reference's app user examples show.
 */
function mappedAppUserProfile(u: UserRecord): Record<string, unknown> {
  const p = u.profile;
  return { email: p.email, firstName: p.firstName ?? null, lastName: p.lastName ?? null };
}

export type CreateUserInput = {
  profile: UserProfile;
  password?: string;
  recoveryQuestion?: boolean;
  groupIds?: string[];
  activate: boolean;
};

export class OktaTenant {
  constructor(
    readonly store: OktaStore,
    private readonly hooks: { onChange: () => void; onEvent: (e: LogEvent) => void },
  ) {}

  now(): string {
    return new Date().toISOString();
  }

  /** Writes one System Log row, hands it to event hooks, and marks the state dirty. */
  log(ctx: CallContext, e: NewLogEvent): LogEvent {
    const event = buildLogEvent(ctx, e);
    this.store.appendLog(event);
    this.hooks.onEvent(event);
    this.hooks.onChange();
    return event;
  }

  changed(): void {
    this.hooks.onChange();
  }

  // ---------------------------------------------------------------- users

  user(idOrLogin: string): UserRecord {
    const u = this.store.resolveUser(idOrLogin);
    if (!u) throw oktaErrors.notFound(`Resource not found: ${idOrLogin} (User)`);
    return u;
  }

  private validateProfile(profile: UserProfile, selfId?: string): void {
    const causes: string[] = [];
    if (!profile.login) causes.push('login: The field cannot be left blank');
    else if (!EMAIL_RE.test(profile.login))
      causes.push('login: Username must be in the form of an email address');
    if (!profile.email) causes.push('email: The field cannot be left blank');
    else if (!EMAIL_RE.test(profile.email)) causes.push('email: Does not match required pattern');
    if (!profile.firstName) causes.push('firstName: The field cannot be left blank');
    if (!profile.lastName) causes.push('lastName: The field cannot be left blank');
    const clash = profile.login ? this.store.userByLogin(profile.login) : undefined;
    if (clash && clash.id !== selfId)
      causes.push('login: An object with this field already exists in the current organization');
    if (causes.length) {
      const fields = causes.map((c) => c.split(':')[0]).join(', ');
      throw oktaErrors.validation(fields, causes);
    }
  }

  createUser(input: CreateUserInput, ctx: CallContext): UserRecord {
    this.validateProfile(input.profile);
    for (const gid of input.groupIds ?? []) {
      const g = this.store.groups.get(gid);
      if (!g) throw oktaErrors.validation('groupIds', [`groupIds: group ${gid} does not exist`]);
      if (g.type !== 'OKTA_GROUP')
        throw oktaErrors.validation('groupIds', [`groupIds: group ${gid} is not an OKTA_GROUP`]);
    }
    const now = this.now();
    const hasPassword = Boolean(input.password);
    const status: UserStatus = !input.activate ? 'STAGED' : hasPassword ? 'ACTIVE' : 'PROVISIONED';
    const u: UserRecord = {
      seq: this.store.nextSeq(),
      id: oktaId(ID_PREFIX.user),
      status,
      created: now,
      activated: input.activate ? now : null,
      statusChanged: input.activate ? now : null,
      lastLogin: null,
      lastUpdated: now,
      passwordChanged: hasPassword ? now : null,
      typeId: DEFAULT_USER_TYPE_ID,
      profile: { ...input.profile },
      hasPassword,
      hasRecoveryQuestion: Boolean(input.recoveryQuestion),
    };
    this.store.putUser(u);
    this.addToBuiltIn(u.id);
    this.log(ctx, {
      eventType: 'user.lifecycle.create',
      displayMessage: 'Create okta user',
      legacyEventType: 'core.user.config.user_creation.success',
      target: [userTarget(u)],
    });
    if (input.activate) {
      this.log(ctx, {
        eventType: 'user.lifecycle.activate',
        displayMessage: 'Activate Okta user',
        legacyEventType: 'core.user.config.user_activated',
        target: [userTarget(u)],
      });
    }
    for (const gid of input.groupIds ?? []) this.addMember(gid, u.id, ctx);
    // "Everyone" joins silently above; an app assigned to it reaches the new user too.
    this.syncUserGrants(u.id, ctx);
    return u;
  }

  /** Every user is in the BUILT_IN "Everyone" group, as in a real org; no event is written for it. */
  addToBuiltIn(userId: string): void {
    for (const g of this.store.groups.values()) if (g.type === 'BUILT_IN') this.store.addMember(g.id, userId);
  }

  updateProfile(id: string, patch: Record<string, unknown>, replace: boolean, ctx: CallContext): UserRecord {
    const u = this.user(id);
    const next = (replace ? { ...patch } : { ...u.profile, ...patch }) as UserProfile;
    this.validateProfile(next, u.id);
    const from: Record<string, unknown> = {};
    const to: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(u.profile), ...Object.keys(next)])) {
      if (JSON.stringify(u.profile[k] ?? null) !== JSON.stringify(next[k] ?? null)) {
        from[k] = u.profile[k] ?? null;
        to[k] = next[k] ?? null;
      }
    }
    const updated: UserRecord = { ...u, profile: next, lastUpdated: this.now() };
    this.store.putUser(updated, u);
    if (Object.keys(to).length > 0) {
      this.log(ctx, {
        eventType: 'user.account.update_profile',
        displayMessage: 'Update user profile for Okta',
        legacyEventType: 'core.user.config.profile_update.success',
        target: [{ ...userTarget(updated), changeDetails: { from, to } }],
      });
    } else {
      this.changed();
    }
    return updated;
  }

  private setStatus(u: UserRecord, status: UserStatus, extra: Partial<UserRecord> = {}): UserRecord {
    const now = this.now();
    const next: UserRecord = { ...u, ...extra, status, statusChanged: now, lastUpdated: now };
    this.store.putUser(next, u);
    return next;
  }

  /** Returns the activation details a real org gives when `sendEmail=false`. */
  activate(
    id: string,
    sendEmail: boolean,
    ctx: CallContext,
    baseUrl: string,
  ): { activationUrl?: string; activationToken?: string } {
    const u = this.user(id);
    if (u.status === 'ACTIVE') throw oktaErrors.alreadyActive();
    if (!['STAGED', 'DEPROVISIONED', 'PROVISIONED'].includes(u.status)) throw oktaErrors.wrongStatus();
    const next = this.setStatus(u, u.hasPassword && u.status !== 'DEPROVISIONED' ? 'ACTIVE' : 'PROVISIONED', {
      activated: this.now(),
    });
    this.log(ctx, {
      eventType: u.status === 'PROVISIONED' ? 'user.lifecycle.reactivate' : 'user.lifecycle.activate',
      displayMessage: u.status === 'PROVISIONED' ? 'Reactivate Okta user' : 'Activate Okta user',
      legacyEventType: 'core.user.config.user_activated',
      target: [userTarget(next)],
    });
    // Deactivation kept the memberships but dropped the apps; the groups grant them again.
    if (u.status === 'DEPROVISIONED') this.syncUserGrants(u.id, ctx);
    if (sendEmail) return {};
    const token = oktaId('', 20);
    return { activationToken: token, activationUrl: `${baseUrl}/welcome/${token}` };
  }

  /**
   * Deactivation is destructive: app assignments go (group-granted ones too, without the per-user 403),
   * group memberships stay. Idempotent on DEPROVISIONED.
   */
  deactivate(id: string, ctx: CallContext): void {
    const u = this.user(id);
    if (u.status === 'DEPROVISIONED') return;
    const next = this.setStatus(u, 'DEPROVISIONED');
    this.log(ctx, {
      eventType: 'user.lifecycle.deactivate',
      displayMessage: 'Deactivate Okta user',
      legacyEventType: 'core.user.config.user_deactivated',
      target: [userTarget(next)],
    });
    for (const appId of this.store.appIdsOf(u.id)) this.dropAppUser(this.app(appId), next, ctx);
  }

  suspend(id: string, ctx: CallContext): void {
    const u = this.user(id);
    if (u.status !== 'ACTIVE')
      throw oktaErrors.validation('suspendUser', ['Cannot suspend a user that is not active']);
    const next = this.setStatus(u, 'SUSPENDED');
    this.log(ctx, {
      eventType: 'user.lifecycle.suspend',
      displayMessage: 'Suspend Okta user',
      legacyEventType: 'core.user.config.user_suspended',
      target: [userTarget(next)],
    });
  }

  unsuspend(id: string, ctx: CallContext): void {
    const u = this.user(id);
    if (u.status !== 'SUSPENDED')
      throw oktaErrors.validation('unsuspendUser', ['Cannot unsuspend a user that is not suspended']);
    const next = this.setStatus(u, 'ACTIVE');
    this.log(ctx, {
      eventType: 'user.lifecycle.unsuspend',
      displayMessage: 'Unsuspend Okta user',
      legacyEventType: 'core.user.config.user_unsuspended',
      target: [userTarget(next)],
    });
  }

  unlock(id: string, ctx: CallContext): void {
    const u = this.user(id);
    // Okta's refusal for unlock is its own catalog code, not the generic wrong-status one.
    if (u.status !== 'LOCKED_OUT') throw oktaErrors.unlockNotAllowed();
    const next = this.setStatus(u, 'ACTIVE');
    this.log(ctx, {
      eventType: 'user.account.unlock_by_admin',
      displayMessage: 'Unlock user account by admin',
      legacyEventType: 'core.user.account.unlock_by_admin',
      target: [userTarget(next)],
    });
  }

  /** Locks an account the way repeated failed sign-ins would (actor endpoint). */
  lockOut(id: string, ctx: CallContext): UserRecord {
    const u = this.user(id);
    if (!['ACTIVE', 'PASSWORD_EXPIRED', 'RECOVERY'].includes(u.status)) throw oktaErrors.wrongStatus();
    const next = this.setStatus(u, 'LOCKED_OUT');
    this.log(ctx, {
      eventType: 'user.account.lock',
      displayMessage: 'Max sign in attempts exceeded',
      legacyEventType: 'core.user_auth.account_locked',
      severity: 'WARN',
      outcome: { result: 'FAILURE', reason: 'LOCKED_OUT' },
      actor: userActor(next),
      target: [userTarget(next)],
    });
    return next;
  }

  resetPassword(
    id: string,
    sendEmail: boolean,
    ctx: CallContext,
    baseUrl: string,
  ): { resetPasswordUrl?: string } {
    const u = this.user(id);
    if (!['ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT'].includes(u.status))
      throw oktaErrors.wrongStatus();
    const next = this.setStatus(u, 'RECOVERY');
    this.log(ctx, {
      eventType: 'user.account.reset_password',
      displayMessage: 'Fired when the user resets their password',
      legacyEventType: 'core.user.account.reset_password',
      target: [userTarget(next)],
    });
    return sendEmail ? {} : { resetPasswordUrl: `${baseUrl}/reset_password/${oktaId('XE', 18)}` };
  }

  expirePassword(id: string, ctx: CallContext): UserRecord {
    const u = this.user(id);
    if (!['ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT'].includes(u.status))
      throw oktaErrors.wrongStatus();
    const next = this.setStatus(u, 'PASSWORD_EXPIRED');
    this.log(ctx, {
      eventType: 'user.account.expire_password',
      displayMessage: 'Expire user password',
      legacyEventType: 'core.user.config.password_update.expire',
      target: [userTarget(next)],
    });
    return next;
  }

  /**
   * lifecycle/expire_password_with_temp_password: the password is replaced by a generated temporary one and
   * expired at once, so the user must change it at the next sign-in. Returns that password (8 characters,
   * as in Okta's `{"tempPassword":"F46gy7X4"}` example). Same statuses as expire_password.
   */
  expirePasswordWithTemp(id: string, ctx: CallContext): { user: UserRecord; tempPassword: string } {
    const u = this.user(id);
    if (!['ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT'].includes(u.status))
      throw oktaErrors.wrongStatus();
    const next = this.setStatus(u, 'PASSWORD_EXPIRED', { hasPassword: true, passwordChanged: this.now() });
    this.log(ctx, {
      eventType: 'user.account.expire_password',
      displayMessage: 'Expire user password',
      legacyEventType: 'core.user.config.password_update.expire',
      target: [userTarget(next)],
    });
    return { user: next, tempPassword: oktaId('', 8) };
  }

  resetFactors(id: string, ctx: CallContext): void {
    const u = this.user(id);
    if (u.status === 'STAGED' || u.status === 'DEPROVISIONED') throw oktaErrors.wrongStatus();
    this.store.factors.set(u.id, []);
    this.log(ctx, {
      eventType: 'user.mfa.factor.reset_all',
      displayMessage: 'Reset all factors for user',
      legacyEventType: 'core.user.factor.reset_all',
      target: [userTarget(u)],
    });
  }

  clearSessions(id: string, ctx: CallContext): void {
    const u = this.user(id);
    this.log(ctx, {
      eventType: 'user.session.clear',
      displayMessage: 'Clear user session',
      legacyEventType: 'core.user_auth.session_clear',
      target: [userTarget(u)],
    });
  }

  /** First call deactivates; on a DEPROVISIONED user it deletes for good. */
  deleteUser(id: string, ctx: CallContext): void {
    const u = this.user(id);
    if (u.status !== 'DEPROVISIONED') {
      this.deactivate(u.id, ctx);
      return;
    }
    this.log(ctx, {
      eventType: 'user.lifecycle.delete.initiated',
      displayMessage: 'Delete Okta user',
      legacyEventType: 'core.user.config.user_deleted',
      target: [userTarget(u)],
    });
    this.store.deleteUser(u.id);
    this.changed();
  }

  // ---------------------------------------------------------------- factors

  factors(userId: string): FactorRecord[] {
    return this.store.factors.get(this.user(userId).id) ?? [];
  }

  deleteFactor(userId: string, factorId: string, ctx: CallContext): void {
    const u = this.user(userId);
    const list = this.store.factors.get(u.id) ?? [];
    const f = list.find((x) => x.id === factorId);
    if (!f) throw oktaErrors.notFound(`Resource not found: ${factorId} (UserFactor)`);
    this.store.factors.set(
      u.id,
      list.filter((x) => x.id !== factorId),
    );
    this.log(ctx, {
      eventType: 'user.mfa.factor.deactivate',
      displayMessage: 'Reset factor for user',
      legacyEventType: 'core.user.factor.deactivate',
      target: [
        userTarget(u),
        { id: f.id, type: 'Factor', alternateId: f.factorType, displayName: f.factorType, detailEntry: null },
      ],
    });
  }

  // ---------------------------------------------------------------- groups

  group(id: string): GroupRecord {
    const g = this.store.groups.get(id);
    if (!g) throw oktaErrors.notFound(`Resource not found: ${id} (UserGroup)`);
    return g;
  }

  createGroup(profile: { name: string; description?: string | null }, ctx: CallContext): GroupRecord {
    if (this.store.groupByExactName(profile.name))
      throw oktaErrors.validation('name', [
        'name: An object with this field already exists in the current organization',
      ]);
    const now = this.now();
    const g: GroupRecord = {
      seq: this.store.nextSeq(),
      id: oktaId(ID_PREFIX.group),
      type: 'OKTA_GROUP',
      created: now,
      lastUpdated: now,
      lastMembershipUpdated: now,
      profile: { name: profile.name, description: profile.description ?? null },
      members: [],
    };
    this.store.putGroup(g);
    this.log(ctx, {
      eventType: 'group.lifecycle.create',
      displayMessage: 'Create okta group',
      legacyEventType: 'core.user_group.created',
      target: [groupTarget(g)],
    });
    return g;
  }

  /**
   * PUT /groups/{id}: replaces name and description. Only OKTA_GROUP profiles can change (app imports own
   * APP_GROUP profiles, Okta owns BUILT_IN); a name another group holds is refused as on create.
   */
  replaceGroup(
    groupId: string,
    profile: { name: string; description?: string | null },
    ctx: CallContext,
  ): GroupRecord {
    const g = this.group(groupId);
    if (g.type !== 'OKTA_GROUP')
      throw oktaErrors.forbidden({}, [`The profile of a ${g.type} group cannot be changed`]);
    const clash = this.store.groupByExactName(profile.name);
    if (clash && clash.id !== g.id)
      throw oktaErrors.validation('name', [
        'name: An object with this field already exists in the current organization',
      ]);
    const next: GroupRecord = {
      ...g,
      profile: { name: profile.name, description: profile.description ?? null },
      lastUpdated: this.now(),
    };
    this.store.putGroup(next);
    this.log(ctx, {
      eventType: 'group.profile.update',
      displayMessage: 'Update group profile',
      target: [groupTarget(next)],
    });
    return next;
  }

  /**
   * DELETE /groups/{id}: OKTA_GROUP and APP_GROUP groups can go, BUILT_IN cannot. Apps the group granted
   * leave members who hold them through no other group and no direct assignment.
   */
  deleteGroup(groupId: string, ctx: CallContext): void {
    const g = this.group(groupId);
    if (g.type === 'BUILT_IN') throw oktaErrors.forbidden({}, ['A BUILT_IN group cannot be deleted']);
    for (const appId of this.store.appIdsOfGroup(g.id)) this.unassignGroupFromApp(appId, g.id, ctx);
    this.store.deleteGroup(g.id);
    this.log(ctx, {
      eventType: 'group.lifecycle.delete',
      displayMessage: 'Delete Okta group',
      target: [groupTarget(g)],
    });
  }

  private modifiableGroup(groupId: string): GroupRecord {
    const g = this.group(groupId);
    // Only OKTA_GROUP memberships can change: APP_GROUP comes from app imports, BUILT_IN is managed by Okta.
    if (g.type !== 'OKTA_GROUP')
      throw oktaErrors.forbidden({}, [`Group membership of a ${g.type} group cannot be changed`]);
    return g;
  }

  /** PUT /groups/{id}/users/{userId}: 204 whether or not the user already was a member. */
  addMember(groupId: string, userId: string, ctx: CallContext, actor?: LogActor): boolean {
    const g = this.modifiableGroup(groupId);
    const u = this.user(userId);
    if (!this.store.addMember(g.id, u.id)) return false;
    this.touchMembership(g);
    this.log(ctx, {
      eventType: 'group.user_membership.add',
      displayMessage: 'Add user to group membership',
      legacyEventType: 'core.user_group_member.user_add',
      target: [userTarget(u), groupTarget(g)],
      actor,
    });
    for (const appId of this.store.appIdsOfGroup(g.id)) this.syncGroupGrant(this.app(appId), u, ctx, actor);
    return true;
  }

  /** DELETE /groups/{id}/users/{userId}: 204 whether or not the user was a member. */
  removeMember(groupId: string, userId: string, ctx: CallContext, actor?: LogActor): boolean {
    const g = this.modifiableGroup(groupId);
    const u = this.user(userId);
    if (!this.store.removeMember(g.id, u.id)) return false;
    this.touchMembership(g);
    this.log(ctx, {
      eventType: 'group.user_membership.remove',
      displayMessage: 'Remove user from group membership',
      legacyEventType: 'core.user_group_member.user_remove',
      target: [userTarget(u), groupTarget(g)],
      actor,
    });
    for (const appId of this.store.appIdsOfGroup(g.id)) this.syncGroupGrant(this.app(appId), u, ctx, actor);
    return true;
  }

  private touchMembership(g: GroupRecord): void {
    const now = this.now();
    this.store.putGroup({ ...g, lastMembershipUpdated: now });
  }

  // ---------------------------------------------------------------- apps

  app(id: string): AppRecord {
    const a = this.store.apps.get(id);
    if (!a) throw oktaErrors.notFound(`Resource not found: ${id} (AppInstance)`);
    return a;
  }

  /**
   * POST /apps: a new app instance, ACTIVE unless `activate` is false. OIN template apps name their
   * definition (`bookmark`, `template_basic_auth`, `oidc_client`…); custom AUTO_LOGIN and SAML_2_0 apps
   * come without one and Okta derives it from the label's lower-case letters and digits (the SDK's suites
   * check only that part; the `_1`, `_2`… suffix is UNCONFIRMED). Settings, visibility and the rest are kept
   * as sent and rendered back.
   */
  createApp(input: AppInput, activate: boolean, ctx: CallContext): AppRecord {
    const name = input.name ?? this.customAppName(input.signOnMode, input.label);
    const now = this.now();
    const id = oktaId(ID_PREFIX.app);
    const a: AppRecord = {
      seq: this.store.nextSeq(),
      id,
      name,
      label: input.label,
      status: activate ? 'ACTIVE' : 'INACTIVE',
      signOnMode: input.signOnMode,
      created: now,
      lastUpdated: now,
      users: [],
      groups: [],
      ...appDetails(input, id),
    };
    this.store.putApp(a);
    this.log(ctx, {
      eventType: 'application.lifecycle.create',
      displayMessage: 'Create application',
      target: [appTarget(a)],
    });
    if (activate) {
      this.log(ctx, {
        eventType: 'application.lifecycle.activate',
        displayMessage: 'Activate application',
        target: [appTarget(a)],
      });
    }
    return a;
  }

  private customAppName(signOnMode: string, label: string): string {
    if (!CUSTOM_SIGN_ON_MODES.has(signOnMode))
      throw oktaErrors.validation('name', [`name: The field cannot be left blank for ${signOnMode} apps`]);
    const stem = label.toLowerCase().replace(/[^a-z0-9]/g, '') || 'app';
    let n = 1;
    const taken = new Set([...this.store.apps.values()].map((a) => a.name));
    while (taken.has(`${stem}_${n}`)) n++;
    return `${stem}_${n}`;
  }

  /**
   * PUT /apps/{id}: replaces label, sign-on mode and the app's settings; `id`, `name`, `status`, `created`
   * and `lastUpdated` in the body are ignored, as Okta documents. Assignments are untouched.
   */
  replaceApp(appId: string, input: AppInput, ctx: CallContext): AppRecord {
    const a = this.app(appId);
    const next: AppRecord = {
      ...a,
      label: input.label,
      signOnMode: input.signOnMode,
      lastUpdated: this.now(),
      ...appDetails(input, a.id, a),
    };
    this.store.putApp(next);
    this.log(ctx, {
      eventType: 'application.lifecycle.update',
      displayMessage: 'Update application',
      target: [appTarget(next)],
    });
    return next;
  }

  /** lifecycle/activate and lifecycle/deactivate: 200 either way, a no-op when already there. */
  setAppStatus(appId: string, status: 'ACTIVE' | 'INACTIVE', ctx: CallContext): AppRecord {
    const a = this.app(appId);
    if (a.status === status) return a;
    const next: AppRecord = { ...a, status, lastUpdated: this.now() };
    this.store.putApp(next);
    const verb = status === 'ACTIVE' ? 'activate' : 'deactivate';
    this.log(ctx, {
      eventType: `application.lifecycle.${verb}`,
      displayMessage: status === 'ACTIVE' ? 'Activate application' : 'Deactivate application',
      target: [appTarget(next)],
    });
    return next;
  }

  /** DELETE /apps/{id}: only an INACTIVE app (403 E0000056 otherwise); its assignments go with it. */
  deleteApp(appId: string, ctx: CallContext): void {
    const a = this.app(appId);
    if (a.status !== 'INACTIVE') throw oktaErrors.deleteActiveApp();
    this.store.deleteApp(a.id);
    this.log(ctx, {
      eventType: 'application.lifecycle.delete',
      displayMessage: 'Delete application',
      target: [appTarget(a)],
    });
  }

  assignApp(
    appId: string,
    input: {
      id: string;
      scope?: 'USER' | 'GROUP';
      credentials?: { userName?: string };
      profile?: Record<string, unknown>;
    },
    ctx: CallContext,
    actor?: LogActor,
  ): AppUserRecord {
    const a = this.app(appId);
    const u = this.user(input.id);
    if (u.status === 'DEPROVISIONED')
      throw new OktaApiError(400, 'E0000001', 'Api validation failed: user', [
        { errorSummary: 'Cannot assign an application to a deactivated user' },
      ]);
    const existing = this.store.appUser(a.id, u.id);
    const now = this.now();
    // A POST is a direct assignment (Okta infers USER when scope is omitted); `scope: GROUP` only keeps a
    // group-granted record group-scoped while its credentials or profile are updated.
    const scope = input.scope === 'GROUP' && existing?.scope === 'GROUP' ? 'GROUP' : 'USER';
    const rec: AppUserRecord = {
      userId: u.id,
      scope,
      status: 'PROVISIONED',
      created: existing?.created ?? now,
      lastUpdated: now,
      statusChanged: existing?.statusChanged ?? now,
      credentials: {
        userName: input.credentials?.userName ?? existing?.credentials.userName ?? u.profile.login,
      },
      profile: { ...(existing?.profile ?? mappedAppUserProfile(u)), ...(input.profile ?? {}) },
    };
    this.store.upsertAppUser(a.id, rec);
    this.log(ctx, {
      eventType: existing ? 'application.user_membership.update' : 'application.user_membership.add',
      displayMessage: existing ? 'Update user membership to app' : 'Add user to application membership',
      legacyEventType: existing
        ? 'app.generic.provision.assign_user_to_app'
        : 'application.user_membership.add',
      target: [userTarget(u), appTarget(a)],
      actor,
    });
    return rec;
  }

  /**
   * DELETE /apps/{id}/users/{userId}: 404 when the user is not assigned (the client treats that as done);
   * 403 E0000046 while a group the user belongs to grants the app, even when they are also assigned directly.
   */
  unassignApp(appId: string, userId: string, ctx: CallContext, quiet404 = false, actor?: LogActor): boolean {
    const a = this.app(appId);
    const u = this.user(userId);
    if (!this.store.appUser(a.id, u.id)) {
      if (quiet404) return false;
      throw oktaErrors.notFound(`Resource not found: ${userId} (AppUser)`);
    }
    if (this.grantingAssignments(a, u.id).length > 0) throw oktaErrors.groupGrantsApp();
    return this.dropAppUser(a, u, ctx, actor);
  }

  private dropAppUser(a: AppRecord, u: UserRecord, ctx: CallContext, actor?: LogActor): boolean {
    if (!this.store.removeAppUser(a.id, u.id)) return false;
    this.log(ctx, {
      eventType: 'application.user_membership.remove',
      displayMessage: 'Remove user from application membership',
      legacyEventType: 'core.user.app_access.revoked',
      target: [userTarget(u), appTarget(a)],
      actor,
    });
    return true;
  }

  // ---------------------------------------------------------------- group ↔ app assignments

  appGroup(appId: string, groupId: string): AppGroupRecord {
    const a = this.app(appId);
    const ag = this.store.appGroup(a.id, groupId);
    if (!ag) throw oktaErrors.notFound(`Resource not found: ${groupId} (ApplicationGroupAssignment)`);
    return ag;
  }

  /**
   * PUT /apps/{id}/groups/{groupId}: assigns the app to the group (any group type, as Okta allows "Everyone")
   * and so to every member; on an existing assignment it updates priority and profile. A new assignment
   * without a priority gets one more than the app's largest (Okta: "the next highest priority").
   */
  assignGroupToApp(
    appId: string,
    groupId: string,
    input: { priority?: number; profile?: Record<string, unknown> },
    ctx: CallContext,
    actor?: LogActor,
  ): AppGroupRecord {
    const a = this.app(appId);
    const g = this.group(groupId);
    const existing = this.store.appGroup(a.id, g.id);
    const nextPriority = Math.min(100, Math.max(-1, ...a.groups.map((x) => x.priority)) + 1);
    const rec: AppGroupRecord = {
      groupId: g.id,
      priority: input.priority ?? existing?.priority ?? nextPriority,
      profile: input.profile ?? existing?.profile ?? {},
      lastUpdated: this.now(),
    };
    if (
      existing &&
      existing.priority === rec.priority &&
      JSON.stringify(existing.profile) === JSON.stringify(rec.profile)
    )
      return existing;
    this.store.upsertAppGroup(a.id, rec);
    this.log(ctx, {
      eventType: existing ? 'group.application_assignment.update' : 'group.application_assignment.add',
      displayMessage: existing
        ? 'Update assigned application for group'
        : 'Add assigned application to group',
      legacyEventType: existing ? 'group.application_assignment.update' : 'group.application_assignment.add',
      target: [appTarget(a), groupTarget(g)],
      actor,
    });
    if (!existing) {
      for (const uid of this.store.memberIds(g.id)) this.syncGroupGrant(a, this.user(uid), ctx, actor);
    }
    return rec;
  }

  /** DELETE /apps/{id}/groups/{groupId}: members without another grant or a direct assignment lose the app. */
  unassignGroupFromApp(appId: string, groupId: string, ctx: CallContext, actor?: LogActor): void {
    const a = this.app(appId);
    const ag = this.appGroup(a.id, groupId);
    const g = this.group(ag.groupId);
    this.store.removeAppGroup(a.id, g.id);
    this.log(ctx, {
      eventType: 'group.application_assignment.remove',
      displayMessage: 'Remove assigned application from group',
      legacyEventType: 'group.application_assignment.remove',
      target: [appTarget(a), groupTarget(g)],
      actor,
    });
    for (const uid of this.store.memberIds(g.id)) this.syncGroupGrant(a, this.user(uid), ctx, actor);
  }

  /** The app's group assignments that reach the user, highest priority (lowest number) first. */
  grantingAssignments(a: AppRecord, userId: string): AppGroupRecord[] {
    if (a.groups.length === 0) return [];
    const mine = new Set(this.store.groupIdsOf(userId));
    return a.groups.filter((ag) => mine.has(ag.groupId)).sort((x, y) => x.priority - y.priority);
  }

  /**
   * Brings one user's hold on one app in line with their memberships: a grant without an AppUser creates
   * one with scope GROUP; a GROUP-scoped AppUser without a grant goes. Direct (USER) assignments are never
   * touched, and a DEPROVISIONED user holds nothing.
   */
  private syncGroupGrant(a: AppRecord, u: UserRecord, ctx: CallContext, actor?: LogActor): void {
    const existing = this.store.appUser(a.id, u.id);
    const grants = u.status === 'DEPROVISIONED' ? [] : this.grantingAssignments(a, u.id);
    if (grants.length > 0 && !existing) {
      const now = this.now();
      this.store.upsertAppUser(a.id, {
        userId: u.id,
        scope: 'GROUP',
        status: 'PROVISIONED',
        created: now,
        lastUpdated: now,
        statusChanged: now,
        credentials: { userName: u.profile.login },
        profile: { ...mappedAppUserProfile(u), ...grants[0]!.profile },
      });
      this.log(ctx, {
        eventType: 'application.user_membership.add',
        displayMessage: 'Add user to application membership',
        legacyEventType: 'application.user_membership.add',
        target: [userTarget(u), appTarget(a)],
        actor,
      });
    } else if (grants.length === 0 && existing?.scope === 'GROUP') {
      this.dropAppUser(a, u, ctx, actor);
    }
  }

  /** syncGroupGrant for every app the user's groups grant or that they hold through a group. */
  private syncUserGrants(userId: string, ctx: CallContext, actor?: LogActor): void {
    const u = this.user(userId);
    const appIds = new Set(this.store.groupIdsOf(u.id).flatMap((gid) => this.store.appIdsOfGroup(gid)));
    for (const appId of this.store.appIdsOf(u.id)) {
      if (this.store.appUser(appId, u.id)?.scope === 'GROUP') appIds.add(appId);
    }
    for (const appId of appIds) this.syncGroupGrant(this.app(appId), u, ctx, actor);
  }
}
