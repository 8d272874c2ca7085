// Every Freshservice webhook lands here, on `fs-ticket:<ticketId>`, always the same workflow type, so
// routing never depends on eventually consistent search. It reads the ticket once: a ticket that another
// workflow opened (its marker tag) gets its events forwarded there by workflow ID, which is strongly
// consistent even seconds after creation; a catalog access request runs as a child workflow with its own
// history; anything else is ignored.
import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  setHandler,
  startChild,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { failureMessage, failureType, loadSettings, vendorActivities } from './activity-proxies';
import { catalogAccessRequest } from './catalog-access-request';
import { catalogAccessWorkflowId, ownerFromTicketTags } from './ids';
import { stateQuery, ticketEventSignal, type TicketEvent } from './messages';

export type FreshserviceTicketInput = { ticketId: number };

export type TicketRoute = 'okta-request' | 'catalog-access' | 'already-handled' | 'ignored' | 'not-found';

export type FreshserviceTicketState = {
  ticketId: number;
  route: TicketRoute | null;
  target: string | null;
  forwarded: number;
  duplicates: number;
};

/** How long a forwarding run waits for the next event before it ends (a later event starts a new run). */
const FORWARD_IDLE = '10 minutes';

export async function freshserviceTicket(input: FreshserviceTicketInput): Promise<FreshserviceTicketState> {
  const state: FreshserviceTicketState = {
    ticketId: input.ticketId,
    route: null,
    target: null,
    forwarded: 0,
    duplicates: 0,
  };
  const pending: TicketEvent[] = [];
  const seen = new Set<string>();
  setHandler(stateQuery, () => state);
  setHandler(ticketEventSignal, (event) => {
    const key = `${event.event}:${event.updatedAt ?? ''}`;
    if (event.updatedAt && seen.has(key)) {
      state.duplicates += 1;
      return;
    }
    seen.add(key);
    pending.push(event);
  });

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
    throw err;
  }

  const owner = ownerFromTicketTags(ticket.tags);
  if (owner) {
    state.route = 'okta-request';
    state.target = owner.workflowId;
    await forward(owner.workflowId);
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
    await forward(childId);
    return state;
  }

  async function forward(workflowId: string): Promise<void> {
    const target = getExternalWorkflowHandle(workflowId);
    for (;;) {
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
