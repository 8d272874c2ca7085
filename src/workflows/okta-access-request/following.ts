// Following an OIG request on its ticket once the ticket is open: each reading of the request is noted
// (pending, decision, grant, time-bound revocation), the ticket resolved when the request is settled, and
// the flow waits for the next event or timer until Okta has nothing left to do.
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { AccessRequestView } from '../../activities/okta/contract';
import { failureMessage, failureType } from '../shared/activity-proxies';
import type { Decision } from '../shared/contract';
import { OutcomeKey } from '../shared/search-attributes';
import type { OktaAccessRequestState } from './contract';
import { grantFailed, grantManual, revocationFailed, unknownStatus } from './endings';
import { agentSettledMessage, decisionNote, grantedNote, PENDING_NOTE, requestGoneNote } from './notes';
import { PATCH_FAIL_CLOSED, PATCH_NOTE_WORDING } from './patches';
import type { OktaRequestRun } from './run';
import {
  requestWords,
  ticketWords,
  type Ending,
  type GrantStanding,
  type TicketStanding,
} from '../shared/vendor-words';
import { nextReadIn, noteRevocation } from './time-bound';

/** Follows the request from its first reading until it ends; returns the final state. */
export async function followRequest(
  run: OktaRequestRun,
  firstReading: AccessRequestView,
): Promise<OktaAccessRequestState> {
  let request = firstReading;
  for (;;) {
    run.step = 'follow the request on the ticket';
    const failClosed = patched(PATCH_FAIL_CLOSED);
    recordReading(run, request, failClosed);
    const words = requestWords(request);
    if (words.awaitingApproval && run.firstTime('pending')) {
      await run.note('status-pending', PENDING_NOTE);
    }

    // Every status Okta reports ends the request, keeps it open, or (unknown) ends it with a note: never
    // a wait on something nobody will change.
    const reading = readingOf(request, failClosed);
    if (reading === 'unknown') return unknownStatus(run, request, `the request status ${request.status}`);
    const { outcome, grant, settled } = reading;

    if (outcome && run.firstTime('decision')) await noteDecision(run, request, outcome, settled);
    if (failClosed && outcome === 'approved') {
      if (grant === 'failed') return grantFailed(run, request);
      if (grant === 'unknown') return unknownStatus(run, request, `the grant status ${request.grantStatus}`);
      // Okta grants nothing itself and no API reports a manual grant done: waiting would be forever.
      if (grant === 'manual') return grantManual(run, request);
      if (words.revocationFailed && !request.revoked) return revocationFailed(run, request);
    }
    if (outcome === 'approved' && words.grant === 'granted' && run.firstTime('granted')) {
      // The decision note already reports a grant known at decision time; a later one gets its own note.
      if (!run.decisionNotedGrant) await run.note('granted', grantedNote(request));
    }
    // An approval whose grant Okta confirmed after the decision: the ticket is resolved only now.
    if (failClosed && outcome && settled && run.firstTime('ticket-settled')) await run.settleTicket();
    if (outcome === 'approved') await noteRevocation(run, request);

    const done =
      (outcome && outcome !== 'approved') ||
      (outcome === 'approved' && settled && (!request.revocationScheduled || Boolean(request.revoked)));
    if (done) break;

    // Wait for the next event, or re-read on a timer: the safety net for missed webhooks, and the moment a
    // scheduled revocation is due.
    const waitMs = await nextReadIn(run, request);
    if (waitMs === undefined) break;
    await run.inbox.waitForEvents(waitMs);
    if (run.inbox.takeTicketNudges()) await tellOktaIfAgentSettled(run, request);
    // Everything is acted on and the next step re-reads the request: a safe point to hand over.
    await run.continueIfLong();
    const next = await reread(run);
    if (!next) break;
    request = next;
  }

  run.state.status = request.status;
  const words = requestWords(request);
  const standing = patched(PATCH_FAIL_CLOSED) ? words.request : undefined;
  return run.finish(standing?.kind === 'ended' ? standing.outcome : (words.decided ?? 'cancelled'));
}

/** What the query shows of the latest reading. */
function recordReading(run: OktaRequestRun, request: AccessRequestView, failClosed: boolean): void {
  const { state } = run;
  state.status = request.status;
  state.eventsApplied = run.inbox.oktaEvents.size;
  state.revocationScheduled = request.revocationScheduled;
  state.revoked = request.revoked;
  if (failClosed) state.grantStatus = request.grantStatus;
}

/**
 * Where one reading leaves the request: its decision (if any), the grant's standing, and whether it is
 * settled. Fail closed: an approval is settled only once Okta has granted (or has nothing to grant). Runs
 * recorded before fail-closed read decided statuses only and take every approval as settled.
 */
function readingOf(
  request: AccessRequestView,
  failClosed: boolean,
): 'unknown' | { outcome: Ending | undefined; grant: GrantStanding | undefined; settled: boolean } {
  const words = requestWords(request);
  const standing = failClosed ? words.request : undefined;
  if (standing?.kind === 'unknown') return 'unknown';
  const outcome = standing
    ? standing.kind === 'ended'
      ? standing.outcome
      : undefined
    : (words.decided ?? undefined);
  const grant = outcome === 'approved' ? words.grant : undefined;
  const settled = !failClosed || outcome !== 'approved' || grant === 'granted' || grant === 'none';
  return { outcome, grant, settled };
}

/** Records who decided and notes the decision; a settled request's ticket is resolved with it. */
async function noteDecision(
  run: OktaRequestRun,
  request: AccessRequestView,
  outcome: Ending,
  settled: boolean,
): Promise<void> {
  const decision: Decision['decision'] = outcome;
  const at = request.resolved ?? request.lastUpdated ?? '';
  run.state.decisions = request.decisions.length
    ? request.decisions.map((d) => ({ decision, by: d.by, at: d.at ?? at, channel: 'okta' }))
    : [{ decision, by: 'Okta', at, channel: 'okta' }];
  // Only an expired request's headline changed: only its note asks for the patch marker.
  const recordedWording = outcome === 'expired' && !patched(PATCH_NOTE_WORDING);
  await run.note(`decision-${outcome}`, decisionNote(request, outcome, recordedWording));
  run.decisionNotedGrant = requestWords(request).grant === 'granted';
  if (settled) {
    run.noted.add('ticket-settled');
    await run.settleTicket();
  }
  upsertSearchAttributes([{ key: OutcomeKey, value: outcome }]);
}

/**
 * An agent resolved or closed the ticket while Okta still has the request open: the requester hears once.
 * A custom status counts too (this flow has always read any status from Resolved up as the agent's).
 */
async function tellOktaIfAgentSettled(run: OktaRequestRun, request: AccessRequestView): Promise<void> {
  if (requestWords(request).request.kind !== 'open' || run.agentClosedMessaged) return;
  const ticket = await run.fs.readTicket(run.ticketId);
  if (!SETTLED_ON_TICKET.has(ticketWords(ticket))) return;
  run.agentClosedMessaged = true;
  await run.okta.messageAccessRequest({
    requestId: run.requestId,
    version: request.version,
    message: agentSettledMessage(run.ticketId, ticket.statusName),
  });
}

/** The ticket statuses this flow reads as the service desk's own ending. */
const SETTLED_ON_TICKET: ReadonlySet<TicketStanding> = new Set<TicketStanding>([
  'resolved',
  'closed',
  'custom',
]);

/** The request read again; undefined when it is gone from Okta (noted on the ticket). */
async function reread(run: OktaRequestRun): Promise<AccessRequestView | undefined> {
  try {
    return await run.okta.readAccessRequest(run.requestId);
  } catch (err) {
    // A request deleted in Okta ends the flow with a note instead of failing the run.
    if (failureType(err) !== 'NOT_FOUND') throw err;
    await run.note('request-gone', requestGoneNote(failureMessage(err)));
    return undefined;
  }
}
