// Every Freshservice webhook lands here, on `fs-ticket:<ticketId>`, always the same workflow type, so
// routing never depends on eventually consistent search. It reads the ticket once and routes it by the
// capabilities' ticket claims (each in its contract, listed in ../contracts.ts): a ticket that another
// workflow opened (its marker tag) gets its events forwarded there by workflow ID, which is strongly
// consistent even seconds after creation; a ticket that starts a capability (a catalog access request) runs
// it as a child workflow with its own history; anything else is ignored.
import {
  type FreshserviceTicketInput,
  type FreshserviceTicketState,
  type TicketRouterWorkflow,
  ticketRouterStateQuery,
} from './contract';
import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  setHandler,
  startChild,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { TicketView } from '../../activities/freshservice/contract';
import type { TicketRouterSettings } from '../../activities/settings';
import { routeTicket, type TicketRouting } from '../../policy/ticket-routing';
import { TICKET_CLAIMS } from '../contracts';
import { failureMessage, failureType, loadSettings, vendorActivities } from '../shared/activity-proxies';
import { loadTicketRouterSettings } from './settings';
import { ticketEventSignal, type TicketEvent } from '../shared/contract';
import { forwardEvents } from '../shared/forwarding';
import { timeToContinueAsNew } from '../shared/history-budget';
import { SeenEvents } from '../shared/inbox';
import { vendorRefusal } from '../shared/vendor-refusal';

const PATCH_CONTINUE_AS_NEW = 'ticket-router-continue-as-new';
const PATCH_REFUSALS = 'ticket-router-vendor-refusals';
/** Settings come from the router's own loader (no policy), not the whole policy. */
const PATCH_OWN_SETTINGS = 'ticket-router-own-settings';

/** How long a forwarding run waits for the next event before it ends (a later event starts a new run). */
const FORWARD_IDLE = '10 minutes';

/** One router run as its steps see it: the state its query answers, the unsent events, the dedupe keys. */
type RouterRun = {
  ticketId: number;
  state: FreshserviceTicketState;
  pending: TicketEvent[];
  seen: SeenEvents;
};

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
  const run: RouterRun = {
    ticketId: input.ticketId,
    state,
    pending: [...(carried?.pending ?? [])],
    seen: new SeenEvents(carried?.seen),
  };
  setHandler(ticketRouterStateQuery, () => state);
  setHandler(ticketEventSignal, (event) => {
    // An event without updatedAt cannot be told from a redelivery, so it is always passed on.
    const first = run.seen.firstTime(`${event.event}:${event.updatedAt ?? ''}`);
    if (event.updatedAt && !first) {
      state.duplicates += 1;
      return;
    }
    run.pending.push(event);
  });

  // A continued run only forwards: the ticket was read and routed by the first run.
  if (carried && state.target) {
    await forwardTo(run, state.target, carried.historyMaxEvents);
    return state;
  }

  const settings: TicketRouterSettings = patched(PATCH_OWN_SETTINGS)
    ? await loadTicketRouterSettings()
    : await loadSettings();
  const { fs } = vendorActivities(settings.taskQueues);
  let ticket: TicketView;
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

  const routing = routeTicket(ticket, TICKET_CLAIMS);
  if (routing.kind === 'owned') {
    state.route = routing.route;
    state.target = routing.workflowId;
    await forwardTo(run, state.target, settings.historyMaxEvents);
  } else if (routing.kind === 'starts') {
    await runStartedFlow(run, routing, settings.historyMaxEvents);
  } else {
    state.route = 'ignored';
  }
  return state;
}

/**
 * Starts the flow the ticket starts (a catalog access request) as a child with `{ ticketId }` and passes it
 * the ticket's events until it finishes. One flow per ticket, ever: if an earlier router run started it,
 * that flow gets the events by ID.
 */
async function runStartedFlow(
  run: RouterRun,
  routing: Extract<TicketRouting, { kind: 'starts' }>,
  historyMaxEvents: number,
): Promise<void> {
  const { state } = run;
  const childId = routing.workflowId;
  state.target = childId;
  try {
    const child = await startChild(routing.workflowType, {
      workflowId: childId,
      args: [{ ticketId: run.ticketId }],
      // One flow per ticket, ever: a router run after the first finished must not start another.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      // The started flow outlives its router (a reset or terminated router must not revoke anything).
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    state.route = routing.route;
    let childDone = false;
    void child.result().then(
      () => (childDone = true),
      (err: unknown) => {
        childDone = true;
        if (!isCancellation(err)) log.warn('access flow failed', { childId, error: failureMessage(err) });
      },
    );
    // Events after the flow finished change nothing: it re-reads everything it acts on. A long-lived access
    // flow's router hands over to a run that forwards by workflow ID.
    await forwardEvents({
      pending: run.pending,
      send: async (event) => {
        await child.signal(ticketEventSignal, { ...event, source: 'forwarded' });
        state.forwarded += 1;
      },
      onRefused: (err) =>
        log.info('access flow no longer accepts events', { childId, error: failureMessage(err) }),
      handOver: { at: 'before-sending', run: () => continueIfLong(run, historyMaxEvents) },
      ownerDone: () => childDone,
      startWith: 'wait',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    state.route = 'already-handled';
    await forwardTo(run, childId, historyMaxEvents);
  }
}

/** Forwards this ticket's events to the workflow that owns it, by workflow ID, until idle. */
async function forwardTo(run: RouterRun, workflowId: string, historyMaxEvents: number): Promise<void> {
  const target = getExternalWorkflowHandle(workflowId);
  await forwardEvents({
    pending: run.pending,
    send: async (event) => {
      await target.signal(ticketEventSignal, { ...event, source: 'forwarded' });
      run.state.forwarded += 1;
    },
    onRefused: (err) => {
      log.info('target no longer accepts events', { workflowId, error: failureMessage(err) });
      run.pending.length = 0;
    },
    handOver: { at: 'before-sending', run: () => continueIfLong(run, historyMaxEvents) },
    idle: FORWARD_IDLE,
  });
}

/** Hands the route, dedupe keys and unsent events to a new run when the history is long. */
async function continueIfLong(run: RouterRun, historyMaxEvents: number): Promise<void> {
  if (!patched(PATCH_CONTINUE_AS_NEW) || !(await timeToContinueAsNew(historyMaxEvents))) return;
  await continueAsNew<TicketRouterWorkflow>({
    ticketId: run.ticketId,
    carried: { state: run.state, seen: run.seen.keys(), pending: [...run.pending], historyMaxEvents },
  });
}
