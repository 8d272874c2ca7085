// The plain views that activities return to workflows: only the fields the flows decide on, in the
// product's words, so workflow histories stay small and independent of the vendors' full objects.

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

/** The one Okta user a person's email names (src/activities/okta-identity.ts), or why there is none. */
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
};

export type TicketView = {
  id: number;
  type: string;
  subject: string | null;
  status: number;
  statusName: string;
  tags: string[];
  requesterId: number | null;
  requesterEmail: string | null;
  requestedForEmail: string | null;
  approvalStatus: number | null;
  updatedAt: string;
  /** Requested items of a service request with the fields the requester filled in. */
  requestedItems: {
    id: number;
    serviceItemId: number | null;
    stage: number | null;
    fields: Record<string, unknown>;
  }[];
  /** Whether one requested item is the configured access-request catalog item. */
  isAccessRequest: boolean;
};

export type FsPerson = {
  id: number;
  email: string;
  name: string;
  department: string | null;
  reportingManagerId: number | null;
  isAgent: boolean;
};

export type ApprovalView = {
  id: number;
  approverId: number;
  approverName: string | null;
  status: 'requested' | 'approved' | 'rejected' | 'cancelled';
  remark: string | null;
  updatedAt: string | null;
};
