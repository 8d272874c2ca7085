// The Okta client contract access-bridge codes against: one method per product need, typed results,
// async iterators for paged lists, and VendorError for every failure. Activities take an OktaClient;
// tests pass one built over the sandbox, production one built over a real org: same code either way.
import type {
  TAccessRequest,
  TAccessRequestV1,
  TCatalogEntry,
  TOktaApp,
  TOktaAppGroupAssignment,
  TOktaAppLink,
  TOktaAppUser,
  TOktaEventHook,
  TOktaFactor,
  TOktaGroup,
  TOktaLogEvent,
  TOktaUser,
  TOktaUserProfile,
} from './schemas';

export type NewOktaUserProfile = Partial<TOktaUserProfile> & {
  login: string;
  email: string;
  firstName: string;
  lastName: string;
};

export type CreateUserOptions = {
  /** Default true (Okta's default): a user without a password lands in PROVISIONED. */
  activate?: boolean;
  groupIds?: string[];
  password?: string;
};

export type LogQuery = {
  since?: string;
  until?: string;
  filter?: string;
  q?: string;
  limit?: number;
  sortOrder?: 'ASCENDING' | 'DESCENDING';
  /**
   * The `next` URL a previous call returned. When set, every other field is ignored: Okta's cursor
   * URL already carries the query. A poller stores it between runs.
   */
  nextUrl?: string;
};

export type LogPage = {
  events: TOktaLogEvent[];
  /**
   * Events the LogEvent schema refused (a field missing or of another type), left out of `events` so
   * one odd event never costs the page or its cursor. `event` is the raw element: a caller that needs
   * fewer fields (intake routes on five) may still use it.
   */
  skipped: { uuid?: string; reason: string; event: unknown }[];
  /** Absolute URL of the next page. A polling query (ASCENDING, no `until`) always has one. */
  nextUrl: string | undefined;
};

export type NewEventHook = {
  name: string;
  eventTypes: string[];
  uri: string;
  /** Sent as the `authScheme` header (Okta sends it on every delivery and on verification). */
  auth?: { key: string; value: string };
  headers?: { key: string; value: string }[];
  description?: string;
};

export type NewAccessRequest = {
  entryId: string;
  requestedForUserId: string;
  requestedByUserId?: string;
  requesterFieldValues?: { id: string; type: string; value?: unknown; values?: unknown[] }[];
};

export interface OktaClient {
  // users
  getUser(idOrLogin: string): Promise<TOktaUser>;
  findUserByLogin(login: string): Promise<TOktaUser | undefined>;
  /** Uses `search` (eventually consistent in a real org; includes DEPROVISIONED users). */
  findUserByEmail(email: string): Promise<TOktaUser | undefined>;
  searchUsers(search: string, opts?: { limit?: number }): AsyncIterable<TOktaUser>;
  createUser(profile: NewOktaUserProfile, opts?: CreateUserOptions): Promise<TOktaUser>;
  updateUserProfile(userId: string, profile: Record<string, unknown>): Promise<TOktaUser>;
  activateUser(userId: string, opts?: { sendEmail?: boolean }): Promise<void>;
  deactivateUser(userId: string, opts?: { sendEmail?: boolean }): Promise<void>;
  suspendUser(userId: string): Promise<void>;
  unsuspendUser(userId: string): Promise<void>;
  unlockUser(userId: string): Promise<void>;
  resetPassword(userId: string, opts: { sendEmail: boolean }): Promise<{ resetPasswordUrl?: string }>;
  expirePassword(userId: string): Promise<TOktaUser>;
  resetFactors(userId: string): Promise<void>;
  /** Okta's semantics: the first call deactivates, a call on a DEPROVISIONED user deletes for good. */
  deleteUser(userId: string): Promise<void>;
  clearSessions(userId: string, opts?: { oauthTokens?: boolean }): Promise<void>;
  listUserGroups(userId: string): Promise<TOktaGroup[]>;
  listUserAppLinks(userId: string): Promise<TOktaAppLink[]>;
  /** Apps the user is assigned to (`filter=user.id eq`), paged. */
  listUserApps(userId: string): AsyncIterable<TOktaApp>;
  listFactors(userId: string): Promise<TOktaFactor[]>;
  deleteFactor(userId: string, factorId: string): Promise<void>;

  // groups
  /** Exact, case-sensitive name match; undefined when none. */
  findGroupByName(name: string): Promise<TOktaGroup | undefined>;
  getGroup(groupId: string): Promise<TOktaGroup>;
  listGroupMembers(groupId: string, opts?: { limit?: number }): AsyncIterable<TOktaUser>;
  addUserToGroup(groupId: string, userId: string): Promise<void>;
  /** Already absent is success. */
  removeUserFromGroup(groupId: string, userId: string): Promise<void>;

  // apps
  /** Exact (case-insensitive) label or name match; undefined when none. */
  findAppByLabelOrName(labelOrName: string): Promise<TOktaApp | undefined>;
  getApp(appId: string): Promise<TOktaApp>;
  assignUserToApp(
    appId: string,
    userId: string,
    opts?: { userName?: string; profile?: Record<string, unknown> },
  ): Promise<TOktaAppUser>;
  /**
   * Already absent (404) is success. While a group the user belongs to grants the app (even when they are
   * also assigned directly) Okta refuses: FORBIDDEN, vendorCode E0000046 (API-CONTRACTS.md §13).
   */
  unassignUserFromApp(appId: string, userId: string): Promise<void>;
  /** undefined when the user is not assigned. */
  getAppUser(appId: string, userId: string): Promise<TOktaAppUser | undefined>;
  listAppUsers(appId: string, opts?: { limit?: number }): AsyncIterable<TOktaAppUser>;
  /**
   * Groups assigned to the app, paged: `GET /api/v1/apps/{appId}/groups` (developer.okta.com
   * /docs/api/openapi/okta-management/management/tag/ApplicationGroups/#tag/ApplicationGroups/operation/listApplicationGroupAssignments).
   * Each item's `id` is the group's id.
   */
  listAppGroups(appId: string, opts?: { limit?: number }): AsyncIterable<TOktaAppGroupAssignment>;
  /**
   * Assigns the app to the group, so every member holds it with scope GROUP: `PUT
   * /api/v1/apps/{appId}/groups/{groupId}` (developer.okta.com
   * /docs/api/openapi/okta-management/management/tag/ApplicationGroups/#tag/ApplicationGroups/operation/assignGroupToApplication).
   * Sends no priority or profile (Okta picks the next priority); re-assigning is success.
   */
  assignGroupToApp(appId: string, groupId: string): Promise<void>;
  /**
   * Unassigns the app from the group: `DELETE /api/v1/apps/{appId}/groups/{groupId}` (developer.okta.com
   * /docs/api/openapi/okta-management/management/tag/ApplicationGroups/#tag/ApplicationGroups/operation/unassignApplicationFromGroup).
   * Members without a direct assignment or another granting group lose the app. Already absent (404) is success.
   */
  unassignGroupFromApp(appId: string, groupId: string): Promise<void>;

  // System Log
  listLogs(query: LogQuery): Promise<LogPage>;

  // event hooks
  createEventHook(hook: NewEventHook): Promise<TOktaEventHook>;
  listEventHooks(): Promise<TOktaEventHook[]>;
  getEventHook(hookId: string): Promise<TOktaEventHook>;
  activateEventHook(hookId: string): Promise<TOktaEventHook>;
  deactivateEventHook(hookId: string): Promise<TOktaEventHook>;
  /** Okta sends the GET challenge now; a failed verification is a VALIDATION error. */
  verifyEventHook(hookId: string): Promise<TOktaEventHook>;
  deleteEventHook(hookId: string): Promise<void>;

  // Okta Identity Governance
  getAccessRequest(requestId: string): Promise<TAccessRequest>;
  /** OAuth only in a real org (the spec gives the list endpoint no SSWS scheme). */
  listAccessRequests(
    filter?: string,
    opts?: { orderBy?: string; limit?: number },
  ): AsyncIterable<TAccessRequest>;
  createAccessRequest(req: NewAccessRequest): Promise<TAccessRequest>;
  postRequestMessage(requestId: string, message: string): Promise<void>;
  getAccessRequestV1(requestId: string): Promise<TAccessRequestV1>;
  postRequestMessageV1(requestId: string, message: string): Promise<void>;
  listCatalogEntries(filter: string, opts?: { limit?: number }): AsyncIterable<TCatalogEntry>;
  getCatalogEntry(entryId: string): Promise<TCatalogEntry>;
}
