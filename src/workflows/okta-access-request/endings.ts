// How the OIG-request flow ends when Okta leaves something a person must finish: a failed or manual grant,
// a failed revocation, a status access-bridge does not know, or a vendor's permanent refusal. Each says on
// the ticket what happened and what to do, keeps the ticket open, and ends the run with its outcome.
import { log } from '@temporalio/workflow';
import type { AccessRequestView } from '../../activities/okta/contract';
import { refusalHtml, vendorRefusal, type VendorRefusal } from '../shared/vendor-refusal';
import type { OktaAccessRequestState } from './contract';
import {
  grantFailedMessage,
  grantFailedNote,
  grantManualNote,
  refusedMessage,
  revocationFailedNote,
  unknownStatusNote,
} from './notes';
import type { OktaRequestRun } from './run';

/**
 * Okta approved but the grant failed (e.g. the person was deactivated meanwhile): nothing was granted, so
 * the request is not done. The ticket says so and stays open for an agent; the requester is told.
 */
export async function grantFailed(
  run: OktaRequestRun,
  r: AccessRequestView,
): Promise<OktaAccessRequestState> {
  run.step = 'report the failed grant';
  await run.note('grant-failed', grantFailedNote(r));
  await run.reopenTicket();
  await tellOkta(run, r, grantFailedMessage(r, run.ticketId));
  return run.finish('approved-grant-failed');
}

/** Okta approved but leaves the grant to a person (MANUAL_REQUIRED): the ticket is the agent's to-do. */
export async function grantManual(
  run: OktaRequestRun,
  r: AccessRequestView,
): Promise<OktaAccessRequestState> {
  run.step = 'report the grant to make by hand';
  await run.note('grant-manual', grantManualNote(r));
  await run.reopenTicket();
  return run.finish('approved-grant-manual');
}

/** Okta could not take time-bound access away: the person may still hold it, so an agent must look. */
export async function revocationFailed(
  run: OktaRequestRun,
  r: AccessRequestView,
): Promise<OktaAccessRequestState> {
  run.step = 'report the failed revocation';
  await run.note('revocation-failed', revocationFailedNote(r));
  await run.reopenTicket();
  return run.finish('revocation-failed');
}

/** A status this product does not know ends the flow with a note, never an endless wait. */
export async function unknownStatus(
  run: OktaRequestRun,
  r: AccessRequestView,
  what: string,
): Promise<OktaAccessRequestState> {
  run.step = 'report a status access-bridge does not know';
  await run.note('unknown-status', unknownStatusNote(r, what));
  await run.reopenTicket();
  return run.finish('unknown-status');
}

/**
 * A vendor refused a step for good: the ticket (or, before there is one, the OIG request) says what, why
 * and what to do, the ticket stays open, and the run ends with an outcome instead of FAILED.
 */
export async function refused(run: OktaRequestRun, refusal: VendorRefusal): Promise<OktaAccessRequestState> {
  const { state, fs, okta } = run;
  state.refusal = refusal;
  const html = refusalHtml(refusal, run.step);
  try {
    if (state.ticketId !== null) {
      await fs.addNoteOnce({ ticketId: state.ticketId, stepId: `refused-${refusal.activity}`, html });
      await fs.setTicketStatus({ ticketId: state.ticketId, status: 'open' });
    } else if (state.version) {
      await okta.messageAccessRequest({
        requestId: run.requestId,
        version: state.version,
        message: refusedMessage(run.step, refusal),
      });
    }
  } catch (err) {
    if (!vendorRefusal(err)) throw err;
    log.error('the refusal could not be reported', { requestId: run.requestId });
  }
  return run.finish('vendor-refused');
}

/** A message to the OIG request that must not turn the ending into a refusal if Okta declines it. */
async function tellOkta(run: OktaRequestRun, r: AccessRequestView, message: string): Promise<void> {
  try {
    await run.okta.messageAccessRequest({ requestId: run.requestId, version: r.version, message });
  } catch (err) {
    if (!vendorRefusal(err)) throw err;
    log.warn('the OIG request could not be messaged', { requestId: run.requestId });
  }
}
