// Time-bound access granted through Okta: the ticket notes when Okta will revoke it and when it did, and
// the flow wakes when the revocation is due; a revocation Okta does not report in time is left to an agent.
import type { AccessRequestView } from '../../activities/okta/contract';
import { revocationOverdueNote, revocationScheduledNote, revokedNote } from './notes';
import type { OktaRequestRun } from './run';

/** Notes an approved request's scheduled and done revocations, each once. */
export async function noteRevocation(run: OktaRequestRun, request: AccessRequestView): Promise<void> {
  if (request.revocationScheduled && !request.revoked) {
    run.state.phase = 'awaiting-revocation';
    if (run.firstTime('revocation-scheduled')) {
      await run.note('revocation-scheduled', revocationScheduledNote(request.revocationScheduled));
    }
  }
  if (request.revoked && run.firstTime('revoked')) {
    await run.note('revoked', revokedNote(request.revoked));
  }
}

/**
 * How long to wait before re-reading the request: the poll interval (the safety net for missed webhooks),
 * or less when a scheduled revocation falls due sooner. Undefined when the revocation is overdue: the
 * ticket says so and the flow stops following.
 */
export async function nextReadIn(
  run: OktaRequestRun,
  request: AccessRequestView,
): Promise<number | undefined> {
  const { pollInterval, revocationGrace } = run.settings.policy.oktaRequests;
  if (run.state.phase !== 'awaiting-revocation' || !request.revocationScheduled) return pollInterval;
  const due = Date.parse(request.revocationScheduled);
  const now = Date.now();
  if (now > due + revocationGrace) {
    await run.note('revocation-overdue', revocationOverdueNote(request.revocationScheduled));
    return undefined;
  }
  return Math.max(1000, Math.min(pollInterval, due - now + 1000));
}
