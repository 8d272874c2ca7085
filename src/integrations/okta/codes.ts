// Okta's status codes (users; Identity Governance access requests and their grants), in the few words the flows
// act on: one lookup table per status field (v1 and v2, known or not), pure, so the activity that reads a
// request and every workflow classify a status the same way. The activity puts these words on the request's
// view; workflows read the words and call this module only for views recorded before the words existed.
// Like freshservice/codes.ts it imports nothing: it is the one vendor module a workflow may run.
// Okta docs: Access Requests v2 `requestStatus`, `grantStatus`, `revocationStatus`; v1 `requestStatus`.

/** The user statuses Okta documents today (UserStatus); a read accepts any other, which policy refuses by name. */
export const OKTA_USER_STATUSES = [
  'STAGED',
  'PROVISIONED',
  'ACTIVE',
  'RECOVERY',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'SUSPENDED',
  'DEPROVISIONED',
] as const;

/** The account is deprovisioned (deactivated): it holds no access and signs in nowhere. */
export function accountDeprovisioned(status: string): boolean {
  return status === 'DEPROVISIONED';
}

/** How a request ended, in the product's words. */
export type Ending = 'approved' | 'denied' | 'cancelled' | 'expired';

/** What one request status means here. `decided`: the status itself states the decision (RESOLVED does not). */
type RequestStatusRow =
  { standing: 'open'; awaitingApproval?: true } | { standing: 'ended'; outcome: Ending; decided: boolean };

/**
 * Every OIG request status access-bridge knows, one row each. A Map, not an object literal: Okta's status is
 * the vendor's string, and a status named like an Object.prototype member (`toString`, `constructor`) must
 * read as unknown. v1 has no cancelled or expired status: a request RESOLVED without an approval decision was
 * withdrawn (cancelled, or expired unanswered) and ends as cancelled.
 */
const REQUEST_STATUSES: ReadonlyMap<string, RequestStatusRow> = new Map<string, RequestStatusRow>([
  ['SUBMITTED', { standing: 'open' }],
  ['PENDING', { standing: 'open', awaitingApproval: true }],
  ['OPEN', { standing: 'open' }],
  ['LOCKED', { standing: 'open' }],
  ['APPROVED', { standing: 'ended', outcome: 'approved', decided: true }],
  ['DENIED', { standing: 'ended', outcome: 'denied', decided: true }],
  ['REJECTED', { standing: 'ended', outcome: 'denied', decided: true }],
  ['CANCELED', { standing: 'ended', outcome: 'cancelled', decided: true }],
  ['EXPIRED', { standing: 'ended', outcome: 'expired', decided: true }],
  ['RESOLVED', { standing: 'ended', outcome: 'cancelled', decided: false }],
]);

/** The statuses of a request still open in Okta. */
export const OPEN_STATUSES: ReadonlySet<string> = new Set(
  [...REQUEST_STATUSES].filter(([, row]) => row.standing === 'open').map(([status]) => status),
);

/** Where a request stands: still open, ended with an outcome, or a status this product does not know. */
export type RequestStanding = { kind: 'open' } | { kind: 'ended'; outcome: Ending } | { kind: 'unknown' };

/** Where Okta's request status leaves the request. */
export function requestStanding(status: string): RequestStanding {
  const row = REQUEST_STATUSES.get(status);
  if (!row) return { kind: 'unknown' };
  return row.standing === 'open' ? { kind: 'open' } : { kind: 'ended', outcome: row.outcome };
}

/**
 * The decision a status states, or undefined (open, unknown, or v1's RESOLVED). Runs recorded before the
 * fail-closed patch, and a request gone from Okta, end by this reading.
 */
export function decidedOutcome(status: string): Ending | undefined {
  const row = REQUEST_STATUSES.get(status);
  return row?.standing === 'ended' && row.decided ? row.outcome : undefined;
}

/** The request waits on its approvers (the status a ticket notes once). */
export function awaitingApproval(status: string): boolean {
  const row = REQUEST_STATUSES.get(status);
  return row?.standing === 'open' && row.awaitingApproval === true;
}

export type GrantStanding = 'pending' | 'granted' | 'failed' | 'manual' | 'none' | 'unknown';

/** Every grant status Okta reports (v1 action results are mapped onto these by the activity). */
const GRANT_STATUSES: ReadonlyMap<string, GrantStanding> = new Map<string, GrantStanding>([
  ['PENDING', 'pending'],
  ['GRANTED', 'granted'],
  ['FAILED', 'failed'],
  ['MANUAL_REQUIRED', 'manual'],
]);

/**
 * Where an approved request's grant stands. `none`: a v1 request with nothing to provision. A v2 request
 * whose grant has not started yet (null) is still pending. MANUAL_REQUIRED is left to a person.
 */
export function grantStanding(request: { grantStatus: string | null; version: 'v1' | 'v2' }): GrantStanding {
  if (request.grantStatus === null) return request.version === 'v1' ? 'none' : 'pending';
  return GRANT_STATUSES.get(request.grantStatus) ?? 'unknown';
}

/** Okta tried to take time-bound access away and could not (revocationStatus FAILED). */
export function revocationFailed(request: { revocationStatus: string | null }): boolean {
  return request.revocationStatus === 'FAILED';
}

/** Everything the flows read of a request's statuses, in words (AccessRequestView.standing). */
export type AccessRequestStanding = {
  request: RequestStanding;
  /** The decision the status itself states; null while open, when unknown, or for v1's RESOLVED. */
  decided: Ending | null;
  awaitingApproval: boolean;
  grant: GrantStanding;
  revocationFailed: boolean;
};

/** The words for a request's three status fields. */
export function accessRequestStanding(request: {
  status: string;
  version: 'v1' | 'v2';
  grantStatus: string | null;
  revocationStatus: string | null;
}): AccessRequestStanding {
  return {
    request: requestStanding(request.status),
    decided: decidedOutcome(request.status) ?? null,
    awaitingApproval: awaitingApproval(request.status),
    grant: grantStanding(request),
    revocationFailed: revocationFailed(request),
  };
}
