// The sandbox Okta's state: Maps keyed by id with the indexes a busy org needs (login, email, a user's
// groups and apps, a group's apps), so bench runs with thousands of grants stay O(1) per call. It knows
// nothing of HTTP or of Okta's rules; tenant.ts applies those. It serialises to one JSON snapshot.
import type {
  AccessRequestRecord,
  AppGroupRecord,
  AppRecord,
  CatalogEntryRecord,
  EventHookRecord,
  FactorRecord,
  GroupRecord,
  LogEvent,
  OAuthClientRecord,
  StoredLogEvent,
  UserRecord,
} from './types';

export const SNAPSHOT_VERSION = 1;

/**
 * Numbers the org hands out besides `seq`: OIG request permalinks and the sandbox's fault rule ids. They
 * are persisted with the records, so a restart never hands out one already used.
 */
export type OktaCounters = { permalink: number; faultRule: number };
const INITIAL_COUNTERS: OktaCounters = { permalink: 0, faultRule: 0 };

/** Snapshots written before group-to-app assignments existed have apps without `groups`. */
type StoredApp = Omit<AppRecord, 'groups'> & { groups?: AppGroupRecord[] };

export type OktaSnapshot = {
  version: number;
  seq: number;
  /** Absent in snapshots written before the counters were persisted: they are recovered from the records. */
  counters?: Partial<OktaCounters>;
  users: UserRecord[];
  groups: GroupRecord[];
  apps: StoredApp[];
  factors: [string, FactorRecord[]][];
  logs: StoredLogEvent[];
  hooks: EventHookRecord[];
  catalog: CatalogEntryRecord[];
  requests: AccessRequestRecord[];
  oauthClients: OAuthClientRecord[];
};

export class OktaStore {
  seq = 0;
  private counters: OktaCounters = { ...INITIAL_COUNTERS };
  readonly users = new Map<string, UserRecord>();
  private readonly byLogin = new Map<string, string>();
  private readonly byEmail = new Map<string, Set<string>>();
  readonly groups = new Map<string, GroupRecord>();
  private readonly groupByName = new Map<string, string>();
  /** userId → groupIds, the inverse of GroupRecord.members. */
  private readonly userGroups = new Map<string, Set<string>>();
  private readonly groupMembers = new Map<string, Set<string>>();
  readonly apps = new Map<string, AppRecord>();
  /** userId → appIds with an assignment. */
  private readonly userApps = new Map<string, Set<string>>();
  /** groupId → appIds the group is assigned to, the inverse of AppRecord.groups. */
  private readonly groupApps = new Map<string, Set<string>>();
  readonly factors = new Map<string, FactorRecord[]>();
  logs: StoredLogEvent[] = [];
  readonly hooks = new Map<string, EventHookRecord>();
  readonly catalog = new Map<string, CatalogEntryRecord>();
  readonly requests = new Map<string, AccessRequestRecord>();
  private readonly requestsByV1 = new Map<string, string>();
  readonly oauthClients = new Map<string, OAuthClientRecord>();

  constructor(private readonly maxLogEvents = 100_000) {}

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** The next number of a persisted counter (callers mark the tenant changed, as for any mutation). */
  next(kind: keyof OktaCounters): number {
    this.counters[kind] += 1;
    return this.counters[kind];
  }

  // ---- users ----
  putUser(u: UserRecord, previous?: UserRecord): void {
    if (previous) this.unindexUser(previous);
    this.users.set(u.id, u);
    this.byLogin.set(u.profile.login.toLowerCase(), u.id);
    const email = u.profile.email.toLowerCase();
    let set = this.byEmail.get(email);
    if (!set) this.byEmail.set(email, (set = new Set()));
    set.add(u.id);
  }

  private unindexUser(u: UserRecord): void {
    this.byLogin.delete(u.profile.login.toLowerCase());
    this.byEmail.get(u.profile.email.toLowerCase())?.delete(u.id);
  }

  deleteUser(id: string): void {
    const u = this.users.get(id);
    if (!u) return;
    this.unindexUser(u);
    this.users.delete(id);
    for (const gid of this.userGroups.get(id) ?? []) this.removeMember(gid, id);
    for (const aid of this.userApps.get(id) ?? []) this.removeAppUser(aid, id);
    this.userGroups.delete(id);
    this.userApps.delete(id);
    this.factors.delete(id);
  }

  userByLogin(login: string): UserRecord | undefined {
    const id = this.byLogin.get(login.toLowerCase());
    return id ? this.users.get(id) : undefined;
  }

  usersByEmail(email: string): UserRecord[] {
    return [...(this.byEmail.get(email.toLowerCase()) ?? [])].flatMap((id) => this.users.get(id) ?? []);
  }

  /** id, login, or an unambiguous login shortname (the part before @), as GET /users/{idOrLogin} accepts. */
  resolveUser(idOrLogin: string): UserRecord | undefined {
    const direct = this.users.get(idOrLogin) ?? this.userByLogin(idOrLogin);
    if (direct || idOrLogin.includes('@')) return direct;
    const short = idOrLogin.toLowerCase();
    let found: UserRecord | undefined;
    for (const u of this.users.values()) {
      if (u.profile.login.toLowerCase().split('@')[0] === short) {
        if (found) return undefined;
        found = u;
      }
    }
    return found;
  }

  // ---- groups ----
  putGroup(g: GroupRecord): void {
    const prev = this.groups.get(g.id);
    if (prev) this.groupByName.delete(prev.profile.name.toLowerCase());
    this.groups.set(g.id, g);
    this.groupByName.set(g.profile.name.toLowerCase(), g.id);
    if (!this.groupMembers.has(g.id)) {
      this.groupMembers.set(g.id, new Set(g.members));
      for (const uid of g.members) this.userGroupSet(uid).add(g.id);
    }
  }

  groupByExactName(name: string): GroupRecord | undefined {
    const id = this.groupByName.get(name.toLowerCase());
    return id ? this.groups.get(id) : undefined;
  }

  private userGroupSet(userId: string): Set<string> {
    let s = this.userGroups.get(userId);
    if (!s) this.userGroups.set(userId, (s = new Set()));
    return s;
  }

  isMember(groupId: string, userId: string): boolean {
    return this.groupMembers.get(groupId)?.has(userId) ?? false;
  }

  /** Returns false when the user already was a member. */
  addMember(groupId: string, userId: string): boolean {
    const members = this.groupMembers.get(groupId);
    if (!members || members.has(userId)) return false;
    members.add(userId);
    this.userGroupSet(userId).add(groupId);
    return true;
  }

  /** Returns false when the user was not a member. */
  removeMember(groupId: string, userId: string): boolean {
    const members = this.groupMembers.get(groupId);
    if (!members?.delete(userId)) return false;
    this.userGroups.get(userId)?.delete(groupId);
    return true;
  }

  memberIds(groupId: string): string[] {
    return [...(this.groupMembers.get(groupId) ?? [])];
  }

  groupIdsOf(userId: string): string[] {
    return [...(this.userGroups.get(userId) ?? [])];
  }

  /** Removes the group with its memberships; callers drop its app assignments first. */
  deleteGroup(id: string): void {
    const g = this.groups.get(id);
    if (!g) return;
    for (const uid of this.groupMembers.get(id) ?? []) this.userGroups.get(uid)?.delete(id);
    this.groupMembers.delete(id);
    this.groupApps.delete(id);
    this.groupByName.delete(g.profile.name.toLowerCase());
    this.groups.delete(id);
  }

  // ---- apps ----
  /** Removes the app with its user and group assignments. */
  deleteApp(id: string): void {
    const a = this.apps.get(id);
    if (!a) return;
    for (const au of a.users) this.userApps.get(au.userId)?.delete(id);
    for (const ag of a.groups) this.groupApps.get(ag.groupId)?.delete(id);
    this.apps.delete(id);
  }

  putApp(a: AppRecord): void {
    this.apps.set(a.id, a);
    for (const au of a.users) this.userAppSet(au.userId).add(a.id);
    for (const ag of a.groups) this.groupAppSet(ag.groupId).add(a.id);
  }

  private groupAppSet(groupId: string): Set<string> {
    let s = this.groupApps.get(groupId);
    if (!s) this.groupApps.set(groupId, (s = new Set()));
    return s;
  }

  private userAppSet(userId: string): Set<string> {
    let s = this.userApps.get(userId);
    if (!s) this.userApps.set(userId, (s = new Set()));
    return s;
  }

  appUser(appId: string, userId: string): ReturnType<AppRecord['users']['find']> {
    return this.apps.get(appId)?.users.find((u) => u.userId === userId);
  }

  upsertAppUser(appId: string, rec: AppRecord['users'][number]): void {
    const app = this.apps.get(appId);
    if (!app) return;
    const i = app.users.findIndex((u) => u.userId === rec.userId);
    if (i >= 0) app.users[i] = rec;
    else app.users.push(rec);
    this.userAppSet(rec.userId).add(appId);
  }

  removeAppUser(appId: string, userId: string): boolean {
    const app = this.apps.get(appId);
    if (!app) return false;
    const before = app.users.length;
    app.users = app.users.filter((u) => u.userId !== userId);
    this.userApps.get(userId)?.delete(appId);
    return app.users.length !== before;
  }

  appIdsOf(userId: string): string[] {
    return [...(this.userApps.get(userId) ?? [])];
  }

  appGroup(appId: string, groupId: string): AppGroupRecord | undefined {
    return this.apps.get(appId)?.groups.find((g) => g.groupId === groupId);
  }

  upsertAppGroup(appId: string, rec: AppGroupRecord): void {
    const app = this.apps.get(appId);
    if (!app) return;
    const i = app.groups.findIndex((g) => g.groupId === rec.groupId);
    if (i >= 0) app.groups[i] = rec;
    else app.groups.push(rec);
    this.groupAppSet(rec.groupId).add(appId);
  }

  removeAppGroup(appId: string, groupId: string): boolean {
    const app = this.apps.get(appId);
    if (!app) return false;
    const before = app.groups.length;
    app.groups = app.groups.filter((g) => g.groupId !== groupId);
    this.groupApps.get(groupId)?.delete(appId);
    return app.groups.length !== before;
  }

  /** Apps the group is assigned to. */
  appIdsOfGroup(groupId: string): string[] {
    return [...(this.groupApps.get(groupId) ?? [])];
  }

  // ---- system log ----
  appendLog(event: LogEvent): StoredLogEvent {
    const row = { seq: this.nextSeq(), event };
    this.logs.push(row);
    // Okta keeps 90 days; the sandbox keeps the newest N rows so long bench runs stay bounded.
    if (this.logs.length > this.maxLogEvents) this.logs.splice(0, this.logs.length - this.maxLogEvents);
    return row;
  }

  // ---- access requests ----
  putRequest(r: AccessRequestRecord): void {
    this.requests.set(r.id, r);
    this.requestsByV1.set(r.v1Id, r.id);
  }

  requestByV1(v1Id: string): AccessRequestRecord | undefined {
    const id = this.requestsByV1.get(v1Id);
    return id ? this.requests.get(id) : undefined;
  }

  // ---- snapshot ----
  clear(): void {
    this.seq = 0;
    this.counters = { ...INITIAL_COUNTERS };
    for (const m of [
      this.users,
      this.byLogin,
      this.byEmail,
      this.groups,
      this.groupByName,
      this.userGroups,
      this.groupMembers,
      this.apps,
      this.userApps,
      this.groupApps,
      this.factors,
      this.hooks,
      this.catalog,
      this.requests,
      this.requestsByV1,
      this.oauthClients,
    ] as Map<unknown, unknown>[]) {
      m.clear();
    }
    this.logs = [];
  }

  /** Called by JSON.stringify when the persistence layer flushes, so snapshots cost nothing until then. */
  toJSON(): OktaSnapshot {
    return {
      version: SNAPSHOT_VERSION,
      seq: this.seq,
      counters: { ...this.counters },
      users: [...this.users.values()],
      groups: [...this.groups.values()].map((g) => ({ ...g, members: this.memberIds(g.id) })),
      apps: [...this.apps.values()],
      factors: [...this.factors.entries()],
      logs: this.logs,
      hooks: [...this.hooks.values()],
      catalog: [...this.catalog.values()],
      requests: [...this.requests.values()],
      oauthClients: [...this.oauthClients.values()],
    };
  }

  load(s: OktaSnapshot): void {
    if (s.version !== SNAPSHOT_VERSION) throw new Error(`unsupported sandbox snapshot version ${s.version}`);
    this.clear();
    for (const u of s.users) this.putUser(u);
    for (const g of s.groups) this.putGroup(g);
    for (const a of s.apps) this.putApp({ ...a, groups: a.groups ?? [] });
    for (const [uid, f] of s.factors) this.factors.set(uid, f);
    this.logs = s.logs;
    for (const h of s.hooks) this.hooks.set(h.id, h);
    for (const c of s.catalog) this.catalog.set(c.id, c);
    for (const r of s.requests) this.putRequest(r);
    for (const c of s.oauthClients) this.oauthClients.set(c.clientId, c);
    // Never below what the records already use, whatever the file says (an older file has no counters).
    let seq = s.seq;
    for (const rows of [s.users, s.groups, s.apps, s.logs, s.requests] as { seq: number }[][])
      for (const r of rows) seq = Math.max(seq, r.seq);
    this.seq = seq;
    let permalink = s.counters?.permalink ?? 0;
    for (const r of s.requests) permalink = Math.max(permalink, r.permalinkId);
    this.counters = { permalink, faultRule: s.counters?.faultRule ?? 0 };
  }
}
