// Where Okta says an access request and its grant stand, in the few words the OIG-request flow acts on:
// one lookup table per Okta status field, pure, so the flow and its tests classify every status (v1 and v2,
// known or not) the same way. The flow's steps compare these words; only notes.ts quotes Okta's codes.
import type { TicketView } from '../../activities/freshservice/contract';
import type { AccessRequestView } from '../../activities/okta/contract';

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

/** The statuses of a request still open in Okta (the catalog flow reads this too). */
export const OPEN_STATUSES: ReadonlySet<string> = new Set(
  [...REQUEST_STATUSES].filter(([, row]) => row.standing === 'open').map(([status]) => status),
);

/**
 * Where Okta's request status leaves the request: still open, ended with a decision, or a status this
 * product does not know.
 */
export function requestStanding(
  status: string,
): { kind: 'open' } | { kind: 'ended'; outcome: Ending } | { kind: 'unknown' } {
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
export function grantStanding(request: Pick<AccessRequestView, 'grantStatus' | 'version'>): GrantStanding {
  if (request.grantStatus === null) return request.version === 'v1' ? 'none' : 'pending';
  return GRANT_STATUSES.get(request.grantStatus) ?? 'unknown';
}

/** Okta tried to take time-bound access away and could not. */
export function revocationFailed(request: Pick<AccessRequestView, 'revocationStatus'>): boolean {
  return request.revocationStatus === 'FAILED';
}

/**
 * The service desk resolved or closed the ticket (Freshservice status 4 or 5). A Freshservice code, read
 * here only until the ticket activity reports the status in words.
 */
export function settledOnTicket(ticket: Pick<TicketView, 'status'>): boolean {
  return ticket.status >= 4;
}
