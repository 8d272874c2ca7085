// Where Okta says an access request and its grant stand, in the few words the OIG-request flow acts on:
// pure, so the flow and its tests classify every status (v1 and v2, known or not) the same way.
import type { AccessRequestView } from '../../activities/views';

export const OPEN_STATUSES = new Set(['SUBMITTED', 'PENDING', 'OPEN', 'LOCKED']);
export type Ending = 'approved' | 'denied' | 'cancelled' | 'expired';

/**
 * The ending each closed status means. A Map, not an object literal: Okta's status is the vendor's string,
 * and a status named like an Object.prototype member (`toString`, `constructor`) must read as unknown.
 */
export const OUTCOME_BY_STATUS: ReadonlyMap<string, Ending> = new Map<string, Ending>([
  ['APPROVED', 'approved'],
  ['DENIED', 'denied'],
  ['REJECTED', 'denied'],
  ['CANCELED', 'cancelled'],
  ['EXPIRED', 'expired'],
]);

/**
 * Where Okta's request status leaves the request: still open, ended with a decision, or a status this
 * product does not know. v1 has no cancelled or expired status: a request RESOLVED without an approval
 * decision was withdrawn (cancelled, or expired unanswered) and ends as cancelled.
 */
export function requestStanding(
  status: string,
): { kind: 'open' } | { kind: 'ended'; outcome: Ending } | { kind: 'unknown' } {
  if (OPEN_STATUSES.has(status)) return { kind: 'open' };
  if (status === 'RESOLVED') return { kind: 'ended', outcome: 'cancelled' };
  const outcome = OUTCOME_BY_STATUS.get(status);
  return outcome ? { kind: 'ended', outcome } : { kind: 'unknown' };
}

/**
 * Where an approved request's grant stands. `none`: a v1 request with nothing to provision. A v2 request
 * whose grant has not started yet (null) is still pending. MANUAL_REQUIRED is left to a person.
 */
export function grantStanding(
  request: Pick<AccessRequestView, 'grantStatus' | 'version'>,
): 'pending' | 'granted' | 'failed' | 'manual' | 'none' | 'unknown' {
  switch (request.grantStatus) {
    case null:
      return request.version === 'v1' ? 'none' : 'pending';
    case 'PENDING':
      return 'pending';
    case 'GRANTED':
      return 'granted';
    case 'FAILED':
      return 'failed';
    case 'MANUAL_REQUIRED':
      return 'manual';
    default:
      return 'unknown';
  }
}
