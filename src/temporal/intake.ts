// How a vendor event becomes a signal to the workflow that owns it, shared by the webhook handlers and the
// reconcilers that replay what the webhooks missed (Okta System Log, Freshservice `updated_since`). Both
// must route identically: the same business-key workflow IDs, the same reuse policy, the same dedupe keys,
// so an event delivered by both paths changes nothing the second time.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type * as workflows from '../workflows';
import { oktaRequestWorkflowId, ticketWorkflowId } from '../workflows/ids';
import {
  oktaRequestEventSignal,
  ticketEventSignal,
  type OktaRequestEvent,
  type TicketEvent,
} from '../workflows/messages';

/** The workflow types intake starts, checked against the bundle's exports. */
const OKTA_REQUEST_WORKFLOW: keyof typeof workflows = 'oktaAccessRequest';
const TICKET_WORKFLOW: keyof typeof workflows = 'freshserviceTicket';

/** The parts of an Okta LogEvent routing reads: the event hook's and the System Log API's shapes agree. */
export type RoutableOktaEvent = {
  uuid: string;
  eventType: string;
  published: string;
  target: { id: string; type: string }[];
  debugContext?: { debugData?: Record<string, unknown> | null } | null;
};

/** The System Log filter that selects exactly the events intake routes (and a few it then ignores). */
export const ACCESS_REQUEST_LOG_FILTER = 'eventType sw "access.request."';

/** The OIG events that concern one access request (create, update, resolve, reject, cancel, expire). */
export function isAccessRequestEvent(eventType: string): boolean {
  return eventType.startsWith('access.request.');
}

// Condition, sequence and settings events are about configuration, not a request.
const CONFIGURATION_EVENTS = /^access\.request\.(condition|sequence|settings)\./;

const REQUEST_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The access request an event is about. Okta does not document the target type string, so any target
 * whose type names a request wins; then the ids debugData may carry (the sandbox and Okta Workflows put
 * the request id there); then the first target. Undefined when nothing looks like a usable id.
 */
export function accessRequestIdOf(event: RoutableOktaEvent): string | undefined {
  const requestTarget = event.target.find((t) => /request/i.test(t.type.replace(/[_\s-]/g, '')));
  const debugData = event.debugContext?.debugData ?? {};
  const fromDebug = (key: string) => {
    const v = debugData[key];
    return typeof v === 'string' ? v : undefined;
  };
  const candidates = [
    requestTarget?.id,
    fromDebug('accessRequestId'),
    event.target[0]?.id,
    fromDebug('requestId'),
  ];
  return candidates.find((c): c is string => c !== undefined && REQUEST_ID.test(c));
}

type Route = { workflowId: string; requestId: string; events: OktaRequestEvent[] };

export type OktaIntakePlan = { routes: Route[]; ignored: number; unroutable: string[] };

/** Groups routable events by workflow, oldest `published` first, so each workflow sees them in order. */
export function planOktaEvents(
  events: RoutableOktaEvent[],
  source: OktaRequestEvent['source'],
): OktaIntakePlan {
  const byWorkflow = new Map<string, Route>();
  let ignored = 0;
  const unroutable: string[] = [];
  const sorted = [...events].sort((a, b) => a.published.localeCompare(b.published));
  for (const e of sorted) {
    if (!isAccessRequestEvent(e.eventType) || CONFIGURATION_EVENTS.test(e.eventType)) {
      ignored += 1;
      continue;
    }
    const requestId = accessRequestIdOf(e);
    if (!requestId) {
      ignored += 1;
      unroutable.push(e.uuid);
      continue;
    }
    const workflowId = oktaRequestWorkflowId(requestId);
    const route = byWorkflow.get(workflowId) ?? { workflowId, requestId, events: [] };
    route.events.push({ uuid: e.uuid, eventType: e.eventType, published: e.published, requestId, source });
    byWorkflow.set(workflowId, route);
  }
  return { routes: [...byWorkflow.values()], ignored, unroutable };
}

/**
 * Signals (starting if needed) the request's workflow with each event; returns how many events arrived
 * after the workflow had completed. A completed request is never started again: a late redelivery must
 * not open a second ticket. A failed or terminated run may be started afresh (the operator's remedy).
 */
async function signalRoute(client: Client, taskQueue: string, route: Route): Promise<number> {
  // Sequential within one workflow so its events arrive in order; workflows proceed in parallel.
  for (const event of route.events) {
    try {
      await client.workflow.signalWithStart<typeof workflows.oktaAccessRequest, [OktaRequestEvent]>(
        OKTA_REQUEST_WORKFLOW,
        {
          workflowId: route.workflowId,
          taskQueue,
          args: [{ requestId: route.requestId }],
          signal: oktaRequestEventSignal,
          signalArgs: [event],
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        },
      );
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return route.events.length;
      throw err;
    }
  }
  return 0;
}

export type OktaIntakeResult = {
  received: number;
  /** Events signalled to a running (or newly started) request workflow. */
  routed: number;
  /** Events that are not about a request, have no usable id, or came after the request completed. */
  ignored: number;
  unroutable: string[];
  workflowIds: string[];
};

/** Routes a batch of Okta events; rejects with the first Temporal failure (a retry is safe: uuid dedupe). */
export async function routeOktaEvents(
  client: Client,
  taskQueue: string,
  events: RoutableOktaEvent[],
  source: OktaRequestEvent['source'],
): Promise<OktaIntakeResult> {
  const { routes, ignored, unroutable } = planOktaEvents(events, source);
  const results = await Promise.allSettled(routes.map((r) => signalRoute(client, taskQueue, r)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const late = results.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value : 0), 0);
  return {
    received: events.length,
    routed: routes.reduce((n, r) => n + r.events.length, 0) - late,
    ignored: ignored + late,
    unroutable,
    workflowIds: routes.map((r) => r.workflowId),
  };
}

/**
 * Nudges the ticket's router (`fs-ticket:<id>`, started if needed), which re-reads the ticket: the event
 * carries no state, and the router drops a repeat of the same event and `updatedAt`. Returns its ID.
 */
export async function nudgeTicket(client: Client, taskQueue: string, event: TicketEvent): Promise<string> {
  const workflowId = ticketWorkflowId(event.ticketId);
  await client.workflow.signalWithStart<typeof workflows.freshserviceTicket, [TicketEvent]>(TICKET_WORKFLOW, {
    workflowId,
    taskQueue,
    args: [{ ticketId: event.ticketId }],
    signal: ticketEventSignal,
    signalArgs: [event],
  });
  return workflowId;
}
