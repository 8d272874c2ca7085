// An access request raised in Okta Identity Governance, carried to the service desk: one Freshservice
// ticket with everything an agent needs, notes as the request moves, and the ticket resolved with the
// decision, who decided and when; a time-bound grant's revocation is recorded when it happens.
// Workflow ID `okta-request:<requestId>`; started by the first `access.request.*` event for the request.
// The steps live beside this file: opening.ts (the ticket), following.ts (decision and grant),
// time-bound.ts (revocation), endings.ts (what a person must finish), notes.ts (the wording).
import {
  type OktaAccessRequestInput,
  type OktaAccessRequestState,
  oktaAccessRequestStateQuery,
} from './contract';
import { log, patched, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { AccessRequestView } from '../../activities/okta/contract';
import { failureMessage, failureType, loadSettings } from '../shared/activity-proxies';
import { loadOktaRequestSettings } from './settings';
import { oktaRequestEventSignal, ticketEventSignal } from '../shared/contract';
import { catalogAccessWorkflowId } from '../catalog-access/contract';
import { OktaRequestIdKey } from '../shared/search-attributes';
import { vendorRefusal } from '../shared/vendor-refusal';
import { refused } from './endings';
import { followRequest } from './following';
import { catalogTicketOf, forwardToOwner } from './forwarding';
import { RequestInbox } from './inbox';
import { requestGoneNote } from './notes';
import { openTicket } from './opening';
import { PATCH_OWN_SETTINGS, PATCH_REFUSALS } from './patches';
import { OktaRequestRun } from './run';
import { decidedOutcome } from '../../integrations/okta/codes';

export async function oktaAccessRequest(input: OktaAccessRequestInput): Promise<OktaAccessRequestState> {
  const carried = input.carried;
  const state: OktaAccessRequestState = carried?.state ?? {
    requestId: input.requestId,
    version: null,
    status: null,
    phase: 'reading',
    ticketId: null,
    ticketCreated: false,
    requester: null,
    manager: null,
    resource: null,
    accessDuration: null,
    revocationScheduled: null,
    revoked: null,
    decisions: [],
    eventsApplied: 0,
    duplicateEvents: 0,
    outcome: null,
    forwardedTo: null,
  };
  state.runs = (state.runs ?? 1) + (carried ? 1 : 0);
  const inbox = new RequestInbox(carried);

  setHandler(oktaAccessRequestStateQuery, () => state);
  setHandler(oktaRequestEventSignal, (event) => {
    if (!inbox.acceptOktaEvent(event)) state.duplicateEvents += 1;
  });
  setHandler(ticketEventSignal, (event) => inbox.acceptTicketEvent(event));

  const settings =
    carried?.settings ??
    (patched(PATCH_OWN_SETTINGS) ? await loadOktaRequestSettings() : await loadSettings());
  const run = new OktaRequestRun(input.requestId, state, settings, inbox, carried);
  if (!carried) upsertSearchAttributes([{ key: OktaRequestIdKey, value: input.requestId }]);

  try {
    return await carryRequest(run, Boolean(carried));
  } catch (err) {
    const refusal = vendorRefusal(err);
    if (!refusal || !patched(PATCH_REFUSALS)) throw err;
    return refused(run, refusal);
  }
}

/** The process: a request another workflow owns has its events forwarded; any other gets a ticket to follow. */
async function carryRequest(run: OktaRequestRun, continued: boolean): Promise<OktaAccessRequestState> {
  const { state } = run;
  if (continued && state.phase === 'forwarding' && state.forwardedTo)
    return forwardTo(run, state.forwardedTo);

  const request = await readRequest(run);
  if (request === 'gone') return state;
  state.version = request.version;

  if (!continued) {
    // A request that a catalog workflow raised on the user's behalf belongs to that workflow.
    const catalogTicket = catalogTicketOf(request);
    if (catalogTicket !== undefined) return forwardTo(run, catalogAccessWorkflowId(catalogTicket));

    const opening = await openTicket(run, request);
    if (opening.kind === 'no-requester') return run.finish('no-requester');
    if (opening.kind === 'owned-by') return forwardTo(run, opening.workflowId);
  }
  return followRequest(run, request);
}

/** The request as Okta has it, or `gone` once a request Okta no longer has has ended the run. */
async function readRequest(run: OktaRequestRun): Promise<AccessRequestView | 'gone'> {
  try {
    return await run.okta.readAccessRequest(run.requestId);
  } catch (err) {
    if (failureType(err) !== 'NOT_FOUND') throw err;
    log.warn('OIG request not found; ignoring its events', { requestId: run.requestId });
    if (run.state.ticketId === null) {
      run.finish('not-found');
    } else {
      await run.note('request-gone', requestGoneNote(failureMessage(err)));
      run.finish(decidedOutcome(run.state.status ?? '') ?? 'cancelled');
    }
    return 'gone';
  }
}

/** Hands the request's events to the workflow that owns it, for as long as that one runs. */
async function forwardTo(run: OktaRequestRun, workflowId: string): Promise<OktaAccessRequestState> {
  run.state.phase = 'forwarding';
  run.state.forwardedTo = workflowId;
  await forwardToOwner(workflowId, run.inbox.pending, () => run.continueIfLong());
  return run.finish('forwarded');
}
