// What workflows may ask of Okta, in the product's words, and the plain views the answers come in: only the
// fields the flows decide on, so histories stay small and independent of Okta's full objects. Workflows
// import these types only; the area files beside this one implement them. Activity names are stored in
// histories: never rename. Grants and revocations are idempotent by nature ("already a member" and "already
// absent" are success), raising an OIG request is looked up by its marker before it is created again, and an
// OIG message is sent at most once.

import type { AccessRequestStanding } from '../../integrations/okta/codes';

export type OktaPerson = {
  id: string;
  login: string;
  email: string;
  displayName: string;
  status: string;
  department: string | null;
  /** The profile's managerId (an id, login or email, as admins fill it) or manager. */
  managerRef: string | null;
};

/** The one Okta user a person's email names (src/activities/okta/directory.ts), or why there is none. */
export type PersonResolution =
  | { kind: 'found'; person: OktaPerson; matchedBy: 'login' | 'email' | 'secondEmail' }
  | {
      kind: 'ambiguous';
      matchedBy: 'login' | 'email' | 'secondEmail';
      candidates: { id: string; login: string; status: string }[];
    }
  | { kind: 'not-found' };

export type OktaResourceSpec = { type: 'group'; name: string } | { type: 'app'; label: string };

export type OktaResource = { type: 'group' | 'app'; id: string; name: string };

export type AccessRequestStatus =
  | 'SUBMITTED'
  | 'PENDING'
  | 'APPROVED'
  | 'DENIED'
  | 'REJECTED'
  | 'CANCELED'
  | 'EXPIRED'
  | 'OPEN'
  | 'RESOLVED'
  | 'LOCKED';

export type AccessRequestView = {
  id: string;
  version: 'v1' | 'v2';
  /**
   * v2 statuses as Okta sends them; v1 `RESOLVED` becomes APPROVED / DENIED / CANCELED / EXPIRED when its
   * approval says which, and stays `RESOLVED` when nothing does. Any other string is a status this product
   * does not know (flows end it with a note for an agent, never a wait).
   */
  status: AccessRequestStatus | (string & Record<never, never>);
  /**
   * The request's number in Okta's Access Requests app (v1 `permalinkId`, v2 `requestApproval.permalinkId`):
   * the same for both ids of one request, so one request keeps one ticket whichever id names it.
   */
  permalinkId?: number | null;
  /** Who created the request in Okta (`createdBy`): a person's id, or the API principal that raised it. */
  createdBy?: string | null;
  /**
   * True only when access-bridge's own Okta principal created the request (checked in the activity, for
   * requests that carry a catalog marker): the one thing a requester cannot type into a request.
   */
  raisedByAccessBridge?: boolean;
  requestedForId: string | null;
  requestedById: string | null;
  resource: { type: string; id: string; name: string | null } | null;
  catalogEntryId: string | null;
  justification: string | null;
  /** ISO 8601 duration, e.g. P7D; null = permanent. */
  accessDuration: string | null;
  decisions: { by: string; decision: string; at: string | null }[];
  /** PENDING | GRANTED | FAILED | MANUAL_REQUIRED (v1 action results mapped onto these); null before any. */
  grantStatus: string | null;
  granted: string | null;
  revocationStatus: string | null;
  revoked: string | null;
  revocationScheduled: string | null;
  resolved: string | null;
  created: string | null;
  lastUpdated: string | null;
  /** Everything the requester typed, for the ticket. */
  fields: { label: string; value: string }[];
  /** Link to the request in the Okta admin console. */
  link: string;
  /**
   * The three status fields in the product's words: what the flows decide on (`status`, `grantStatus` and
   * `revocationStatus` stay for notes and the audit). Absent only in views recorded before the activity
   * reported it; workflows then read the same words from the codes (integrations/okta/codes.ts).
   */
  standing?: AccessRequestStanding;
};

export interface OktaActivities {
  /** The OIG request (v2, or v1 for 24-hex ids); throws NOT_FOUND when neither knows it. */
  readAccessRequest(requestId: string): Promise<AccessRequestView>;
  /**
   * A person by Okta id, or by login/email through the identity rules of `resolvePerson`; null when there is
   * none or the email is ambiguous (flows that must say which use `resolvePerson`).
   */
  findPerson(ref: { id?: string; login?: string; email?: string }): Promise<OktaPerson | null>;
  /**
   * Exactly one Okta user for a person's email: login, then primary email, then secondary email; live
   * accounts win over DEPROVISIONED ones; several at the deciding rank are `ambiguous`, never a guess.
   */
  resolvePerson(ref: { email: string; login?: string }): Promise<PersonResolution>;
  /** The person's manager from profile.managerId / manager (an id, login or email); null when unset or unknown. */
  findManager(person: OktaPerson): Promise<OktaPerson | null>;
  /** The group (exact name) or app (label or name); null when Okta has none. */
  resolveResource(spec: OktaResourceSpec): Promise<OktaResource | null>;
  /** Names of the person's groups (for eligibility). */
  listGroupNames(userId: string): Promise<string[]>;
  /** Whether the person holds the resource now (group member / app assigned). */
  hasAccess(input: { userId: string; resource: OktaResource }): Promise<boolean>;
  /** Which of the given specs the person holds now (for separation-of-duties checks). */
  heldResources(input: {
    userId: string;
    specs: { name: string; spec: OktaResourceSpec }[];
  }): Promise<string[]>;
  grantAccess(input: { userId: string; resource: OktaResource }): Promise<{ alreadyHad: boolean }>;
  /**
   * Removes the access ("already absent" is success). An app that a group grants cannot be unassigned per
   * user (Okta 403 E0000046): the failure then names the user's groups that grant it, as its remedy.
   */
  revokeAccess(input: { userId: string; resource: OktaResource }): Promise<{ wasPresent: boolean }>;
  /**
   * Adds a message to the OIG request, visible to everyone who can see it, at most once: Okta cannot read
   * messages back, so when its answer is lost after the call may have reached it, the message is not sent
   * again and `confirmed` is false.
   */
  messageAccessRequest(input: {
    requestId: string;
    version: 'v1' | 'v2';
    message: string;
  }): Promise<{ confirmed: boolean }>;
  /**
   * Raises an OIG request for the person on the catalog entry of the resource, carrying `marker` in its
   * justification; returns the existing one when a request with that marker is already open.
   */
  raiseAccessRequest(input: {
    requestedForId: string;
    resource: OktaResource;
    marker: string;
    justification: string;
    accessDuration: string | null;
  }): Promise<{ requestId: string; created: boolean }>;
}

export type OktaLogPassInput = {
  /** The `next` link of the previous pass (Okta's polling cursor); null on the first pass. */
  cursor: string | null;
  /** How far back the first pass (or one whose cursor Okta refused) reads. */
  lookbackMinutes: number;
  /** Pages read in one pass at most; the rest waits for the next pass (the cursor keeps the place). */
  maxPages: number;
};

export type OktaLogPassResult = {
  cursor: string | null;
  pages: number;
  received: number;
  routed: number;
  ignored: number;
  /**
   * Events the client's LogEvent schema refused (each logged with its reason). They are counted in
   * `received` and still offered to intake, which routes them when their routing fields are usable
   * (as the event hook would) and ignores them otherwise; either way the cursor moves past them.
   */
  malformed: number;
  /** The stored cursor was refused (expired or invalid) and the pass restarted from the lookback. */
  cursorReset: boolean;
  /** True when the last page was empty: the log is read to its end. */
  caughtUp: boolean;
};

/** The Okta reconciler's one activity, on the Okta task queue. */
export interface OktaReconcileActivities {
  reconcileOktaSystemLog: (input: OktaLogPassInput) => Promise<OktaLogPassResult>;
}
