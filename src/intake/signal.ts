// Signals each route's workflow (starting it if needed) through the Temporal client, with the workflow
// type, start arguments, signal and reuse policy of its row in the intake table; and nudges a ticket's
// router for a Freshservice event. The webhook handlers and the reconcilers both call these.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { OktaRequestEvent, TicketEvent } from '../workflows/shared/contract';
import { clip, planOktaEvents, type IgnoredOktaEvent, type Route } from './okta-events';
import { oktaRouteFor, TICKET_NUDGE_ROUTE } from './table';

/**
 * Signals (starting if needed) the request's workflow with each event; returns the events that arrived
 * after the workflow had completed. A completed request is never started again: a late redelivery must
 * not open a second ticket. A failed or terminated run may be started afresh (the operator's remedy).
 */
async function signalRoute(client: Client, taskQueue: string, route: Route): Promise<OktaRequestEvent[]> {
  // Sequential within one workflow so its events arrive in order; workflows proceed in parallel.
  for (const [i, event] of route.events.entries()) {
    try {
      const row = oktaRouteFor(event.eventType);
      if (!row) throw new Error(`no intake row routes ${event.eventType}`);
      await client.workflow.signalWithStart(row.workflowType, {
        workflowId: route.workflowId,
        taskQueue,
        args: row.startArgs(route.requestId),
        signal: row.signal,
        signalArgs: [event],
        workflowIdReusePolicy: row.workflowIdReusePolicy,
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return route.events.slice(i);
      throw err;
    }
  }
  return [];
}

export type OktaIntakeResult = {
  received: number;
  /** Events signalled to a running (or newly started) request workflow. */
  routed: number;
  /** Events that are not about a request, have no usable routing fields, or came after the request completed. */
  ignored: number;
  /** Each ignored event and why, for the caller's log. */
  ignoredEvents: IgnoredOktaEvent[];
  workflowIds: string[];
};

/** Routes a batch of Okta events; rejects with the first Temporal failure (a retry is safe: uuid dedupe). */
export async function routeOktaEvents(
  client: Client,
  taskQueue: string,
  events: readonly unknown[],
  source: OktaRequestEvent['source'],
): Promise<OktaIntakeResult> {
  const { routes, ignored } = planOktaEvents(events, source);
  const results = await Promise.allSettled(routes.map((r) => signalRoute(client, taskQueue, r)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const late = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  const ignoredEvents = [
    ...ignored,
    ...late.map((e) => ({
      uuid: clip(e.uuid),
      eventType: clip(e.eventType),
      reason: 'the request workflow has completed',
      unusable: false,
    })),
  ];
  return {
    received: events.length,
    routed: routes.reduce((n, r) => n + r.events.length, 0) - late.length,
    ignored: ignoredEvents.length,
    ignoredEvents,
    workflowIds: routes.map((r) => r.workflowId),
  };
}

/**
 * Nudges the ticket's router (`fs-ticket:<id>`, started if needed), which re-reads the ticket: the event
 * carries no state, and the router drops a repeat of the same event and `updatedAt`. Returns its ID.
 */
export async function nudgeTicket(client: Client, taskQueue: string, event: TicketEvent): Promise<string> {
  const workflowId = TICKET_NUDGE_ROUTE.workflowId(event.ticketId);
  await client.workflow.signalWithStart(TICKET_NUDGE_ROUTE.workflowType, {
    workflowId,
    taskQueue,
    args: TICKET_NUDGE_ROUTE.startArgs(event.ticketId),
    signal: TICKET_NUDGE_ROUTE.signal,
    signalArgs: [event],
  });
  return workflowId;
}
