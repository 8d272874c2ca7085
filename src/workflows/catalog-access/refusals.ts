// What a permanent vendor refusal does to a catalog request: one that stops a step ends the request with an
// outcome and a note for an agent (never a FAILED run); one that stops Freshservice bookkeeping after the
// grant is only recorded, because the flow still owes the revocation at the end of the window.
import { log, patched, upsertSearchAttributes } from '@temporalio/workflow';
import { OutcomeKey } from '../shared/search-attributes';
import { refusalHtml, vendorRefusal, type VendorRefusal } from '../shared/vendor-refusal';
import type { CatalogAccessState } from './contract';
import { refusalOutcome } from './decisions';
import { stillHeldNote } from './notes';
import { PATCH_BOOKKEEPING } from './patches';
import type { CatalogRun } from './run';

/**
 * A vendor refused a step for good: say so on the ticket (what, why, what to do), leave the ticket open for
 * an agent, and end with an outcome the state query and the Outcome search attribute show. The run never
 * ends FAILED; if even the note is refused (the ticket is gone), the outcome still stands.
 */
export async function refused(
  run: CatalogRun,
  refusal: VendorRefusal,
  what: string,
): Promise<CatalogAccessState> {
  const { state, ticketId } = run;
  const outcome = refusalOutcome(refusal);
  state.outcome = outcome;
  state.refusal = refusal;
  state.reason = `${refusal.vendorCode ? `${refusal.vendorCode} ` : ''}${refusal.summary}`;
  state.phase = 'closing';
  const stillHeld =
    state.grant.grantedAt && !state.grant.revokedAt
      ? stillHeldNote(run.subject.target, run.subject.person, state.grant.endAt)
      : '';
  try {
    await run.note(
      `refused-${refusal.activity}-${state.decisions.length}`,
      `${refusalHtml(refusal, what)}${stillHeld}`,
    );
    await run.fs.setTicketStatus({ ticketId, status: 'open' });
  } catch (err) {
    if (!vendorRefusal(err)) throw err;
    log.error('the refusal could not be written to the ticket', { ticketId, outcome });
  }
  upsertSearchAttributes([{ key: OutcomeKey, value: outcome }]);
  state.phase = 'done';
  run.request.answerPendingActions({ outcome, reason: state.reason });
  return state;
}

/**
 * Records `err` as refused Freshservice bookkeeping (`what` names it) and returns; rethrows anything else,
 * which then ends the request as a refusal or fails the task.
 */
export function recordBookkeepingRefusal(run: CatalogRun, what: string, err: unknown): VendorRefusal {
  const refusal = vendorRefusal(err);
  if (!refusal || refusal.vendor !== 'freshservice' || !patched(PATCH_BOOKKEEPING)) throw err;
  run.state.bookkeepingRefused.push({
    what,
    type: refusal.type,
    summary: refusal.summary,
    at: new Date().toISOString(),
  });
  return refusal;
}

/**
 * Freshservice bookkeeping once access is granted (notes, replies, ticket status): a refusal is recorded
 * and logged, and the flow goes on, because it still owes the revocation at the end of the window.
 */
export async function bookkeeping(run: CatalogRun, what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const refusal = recordBookkeepingRefusal(run, what, err);
    log.warn('Freshservice refused bookkeeping; the access flow goes on', {
      ticketId: run.ticketId,
      what,
      type: refusal.type,
    });
  }
}
