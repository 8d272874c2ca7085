// Every Freshservice webhook lands here, on `fs-ticket:<ticketId>`, always the same workflow type, so
// routing never depends on eventually consistent search. It reads the ticket once: a ticket that another
// workflow opened (its marker tag) gets its events forwarded there by workflow ID, which is strongly
// consistent even seconds after creation; a catalog access request runs as a child workflow with its own
// history; anything else is ignored.
import {
  type FreshserviceTicketInput,
  type FreshserviceTicketState,
  ticketRouterStateQuery,
} from './contract';
import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  setHandler,
  startChild,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { failureMessage, failureType, loadSettings, vendorActivities } from '../shared/activity-proxies';
import { catalogAccessRequest } from '../catalog-access/workflow';
import { catalogAccessWorkflowId } from '../catalog-access/contract';
import { ownerFromTicketTags } from '../okta-access-request/contract';
import { ticketEventSignal, type TicketEvent } from '../shared/contract';
import { timeToContinueAsNew } from '../shared/history-budget';
import { vendorRefusal } from '../shared/vendor-refusal';

const PATCH_CONTINUE_AS_NEW = 'ticket-router-continue-as-new';
const PATCH_REFUSALS = 'ticket-router-vendor-refusals';

/** How long a forwarding run waits for the next event before it ends (a later event starts a new run). */
const FORWARD_IDLE = '10 minutes';

export async function freshserviceTicket(input: FreshserviceTicketInput): Promise<FreshserviceTicketState> {
  const carried = input.carried;
  const state: FreshserviceTicketState = carried?.state ?? {
    ticketId: input.ticketId,
    route: null,
    target: null,
    forwarded: 0,
    duplicates: 0,
  };
  state.runs = (state.runs ?? 1) + (carried ? 1 : 0);
  const pending: TicketEvent[] = [...(carried?.pending ?? [])];
  const seen = new Set<string>(carried?.seen);
  setHandler(ticketRouterStateQuery, () => state);
  setHandler(ticketEventSignal, (event) => {
    const key = `${event.event}:${event.updatedAt ?? ''}`;
    if (event.updatedAt && seen.has(key)) {
      state.duplicates += 1;
      return;
    }
    seen.add(key);
    pending.push(event);
  });

  // A continued run only forwards: the ticket was read and routed by the first run.
  if (carried && state.target) {
    await forward(state.target, carried.historyMaxEvents);
    return state;
  }

  const settings = await loadSettings();
  const { fs } = vendorActivities(settings.taskQueues);
  let ticket;
  try {
    ticket = await fs.readTicket(input.ticketId);
  } catch (err) {
    if (failureType(err) === 'NOT_FOUND') {
      state.route = 'not-found';
      return state;
    }
    const refusal = vendorRefusal(err);
    if (!refusal || !patched(PATCH_REFUSALS)) throw err;
    // No ticket to write on: the refusal is the run's result and the operator's log line.
    log.error('Freshservice refused to show the ticket; its events are not routed', {
      ticketId: input.ticketId,
      type: refusal.type,
      summary: refusal.summary,
    });
    state.route = 'refused';
    state.refusal = refusal;
    return state;
  }

  const owner = ownerFromTicketTags(ticket.tags);
  if (owner) {
    state.route = 'okta-request';
    state.target = owner.workflowId;
    await forward(owner.workflowId, settings.historyMaxEvents);
    return state;
  }

  if (!ticket.isAccessRequest) {
    state.route = 'ignored';
    return state;
  }

  const childId = catalogAccessWorkflowId(input.ticketId);
  state.target = childId;
  try {
    const child = await startChild(catalogAccessRequest, {
      workflowId: childId,
      args: [{ ticketId: input.ticketId }],
      // One access flow per ticket, ever: a router run after the first finished must not start another.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      // The access flow outlives its router (a reset or terminated router must not revoke anything).
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    state.route = 'catalog-access';
    let childDone = false;
    void child.result().then(
      () => (childDone = true),
      (err: unknown) => {
        childDone = true;
        if (!isCancellation(err)) log.warn('access flow failed', { childId, error: failureMessage(err) });
      },
    );
    for (;;) {
      await condition(() => pending.length > 0 || childDone);
      // Events after the flow finished change nothing: it re-reads everything it acts on.
      if (childDone) return state;
      // A long-lived access flow's router hands over to a run that forwards by workflow ID.
      await continueIfLong(settings.historyMaxEvents);
      while (pending.length > 0) {
        try {
          await child.signal(ticketEventSignal, { ...pending.shift()!, source: 'forwarded' });
          state.forwarded += 1;
        } catch (err) {
          log.info('access flow no longer accepts events', { childId, error: failureMessage(err) });
          return state;
        }
      }
    }
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    // An earlier router run started the access flow; hand it these events if it still runs.
    state.route = 'already-handled';
    await forward(childId, settings.historyMaxEvents);
    return state;
  }

  async function continueIfLong(historyMaxEvents: number): Promise<void> {
    if (!patched(PATCH_CONTINUE_AS_NEW) || !(await timeToContinueAsNew(historyMaxEvents))) return;
    await continueAsNew<typeof freshserviceTicket>({
      ticketId: input.ticketId,
      carried: { state, seen: [...seen], pending: [...pending], historyMaxEvents },
    });
  }

  async function forward(workflowId: string, historyMaxEvents: number): Promise<void> {
    const target = getExternalWorkflowHandle(workflowId);
    for (;;) {
      await continueIfLong(historyMaxEvents);
      while (pending.length > 0) {
        try {
          await target.signal(ticketEventSignal, { ...pending[0]!, source: 'forwarded' });
        } catch (err) {
          log.info('target no longer accepts events', { workflowId, error: failureMessage(err) });
          pending.length = 0;
          return;
        }
        pending.shift();
        state.forwarded += 1;
      }
      if (!(await condition(() => pending.length > 0, FORWARD_IDLE))) return;
    }
  }
}
