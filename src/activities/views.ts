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
  status: AccessRequestStatus;
  requestedForId: string | null;
  requestedById: string | null;
  resource: { type: string; id: string; name: string | null } | null;
  catalogEntryId: string | null;
  justification: string | null;
  /** ISO 8601 duration, e.g. P7D; null = permanent. */
  accessDuration: string | null;
  decisions: { by: string; decision: string; at: string | null }[];
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
