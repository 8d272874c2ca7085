// How a vendor event becomes a signal to the workflow that owns it, shared by the webhook handlers and the
// reconcilers that replay what the webhooks missed (Okta System Log, Freshservice `updated_since`). Both
// must route identically: the same business-key workflow IDs, the same reuse policy, the same dedupe keys,
// so an event delivered by both paths changes nothing the second time.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { z } from 'zod';
import { firstIssue, stringFieldOf } from '../integrations/lenient-list';
import {
  OKTA_ACCESS_REQUEST_WORKFLOW_TYPE,
  oktaRequestWorkflowId,
  type OktaAccessRequestWorkflow,
} from '../workflows/okta-access-request/contract';
import {
  TICKET_ROUTER_WORKFLOW_TYPE,
  ticketWorkflowId,
  type TicketRouterWorkflow,
} from '../workflows/ticket-router/contract';
import {
  oktaRequestEventSignal,
  ticketEventSignal,
  type OktaRequestEvent,
  type TicketEvent,
} from '../workflows/shared/contract';

/** How long a vendor string may be when it is echoed into a log line. */
const LOGGED_CHARS = 120;
const clip = (s: string | undefined) =>
  s !== undefined && s.length > LOGGED_CHARS ? `${s.slice(0, LOGGED_CHARS)}…` : s;

/** A field routing can do without: a value of another type counts as absent, never as a refusal. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** Only `eventType` is read to decide whether an event is routed at all. */
const ZEventKind = z.looseObject({ eventType: z.string().min(1) });

/**
 * The parts of an Okta LogEvent routing reads (the event hook's and the System Log API's shapes agree):
 * nothing else about an event is ever validated. Targets and debugData only offer candidate request
 * ids, so an odd one is passed over rather than refused.
 */
const ZRoutableOktaEvent = z.looseObject({
  uuid: z.string().min(1),
  eventType: z.string().min(1),
  published: z.string().min(1),
  target: z
    .array(z.looseObject({ id: lenient(z.string()), type: lenient(z.string()) }).catch({}))
    .nullish()
    .catch(null)
    .transform((t) => t ?? []),
  debugContext: z
    .looseObject({ debugData: z.record(z.string(), z.unknown()).nullish().catch(null) })
    .nullish()
    .catch(null),
});
export type RoutableOktaEvent = z.output<typeof ZRoutableOktaEvent>;

/** The System Log filter that selects exactly the events intake routes (and a few it then ignores). */
export const ACCESS_REQUEST_LOG_FILTER = 'eventType sw "access.request."';

/** The OIG events that concern one access request (create, update, resolve, reject, cancel, expire). */
export function isAccessRequestEvent(eventType: string): boolean {
  return eventType.startsWith('access.request.');
}

// Condition, sequence and settings events are about configuration, not a request.
const CONFIGURATION_EVENTS = /^access\.request\.(condition|sequence|settings)\./;

/** Okta System Log target types that name a principal or resource, never an access request. */
const PRINCIPAL_TARGET_TYPES =
  /^(User|AppUser|AppInstance|Application|UserGroup|Group|GroupMembership|CatalogEntry|Entitlement|PolicyEntity|PolicyRule)$/i;

const REQUEST_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The access request an event is about. Okta does not document the target type string, so any target
 * whose type names a request wins; then the ids debugData may carry (the sandbox and Okta Workflows put
 * the request id there); then the first target. Undefined when nothing looks like a usable id.
 */
export function accessRequestIdOf(event: RoutableOktaEvent): string | undefined {
  const requestTarget = event.target.find((t) => /request/i.test((t.type ?? '').replace(/[_\s-]/g, '')));
  const debugData = event.debugContext?.debugData ?? {};
  const accessRequestId = debugData.accessRequestId;
  // The first target counts only when it could be a request: a User, app or group id is never one (it would
  // start a workflow for a request that does not exist and drop the event). debugData.requestId is not
  // used: in a real org it is the HTTP request's id.
  const first = event.target[0];
  const firstIfRequestLike = first && !PRINCIPAL_TARGET_TYPES.test(first.type ?? '') ? first.id : undefined;
  const candidates = [
    requestTarget?.id,
    typeof accessRequestId === 'string' ? accessRequestId : undefined,
    firstIfRequestLike,
  ];
  return candidates.find((c): c is string => c !== undefined && REQUEST_ID.test(c));
}

/**
 * An event intake did not route, and why, for the log (Okta reads nothing in a 2xx body). `unusable`
 * marks an access request event whose routing fields are missing or odd: worth a warning, because the
 * request's workflow depends on the next event or a reconciler pass instead.
 */
export type IgnoredOktaEvent = { uuid?: string; eventType?: string; reason: string; unusable: boolean };

type Route = { workflowId: string; requestId: string; events: OktaRequestEvent[] };

export type OktaIntakePlan = { routes: Route[]; ignored: IgnoredOktaEvent[] };

/**
 * Groups routable events by workflow, oldest `published` first, so each workflow sees them in order.
 * Each event is read on its own and only as far as routing needs: an event of a type intake does not
 * route is ignored unread, and an access request event without usable routing fields is ignored with
 * its reason. Neither affects the others in the batch.
 */
export function planOktaEvents(
  events: readonly unknown[],
  source: OktaRequestEvent['source'],
): OktaIntakePlan {
  const ignored: IgnoredOktaEvent[] = [];
  const routable: { event: RoutableOktaEvent; requestId: string }[] = [];
  for (const raw of events) {
    const uuid = clip(stringFieldOf(raw, 'uuid'));
    const kind = ZEventKind.safeParse(raw);
    if (!kind.success) {
      ignored.push({
        uuid,
        reason: `not a LogEvent with an eventType (${firstIssue(kind.error)})`,
        unusable: false,
      });
      continue;
    }
    const eventType = clip(kind.data.eventType);
    if (!isAccessRequestEvent(kind.data.eventType) || CONFIGURATION_EVENTS.test(kind.data.eventType)) {
      ignored.push({ uuid, eventType, reason: 'not an event about an access request', unusable: false });
      continue;
    }
    const parsed = ZRoutableOktaEvent.safeParse(raw);
    if (!parsed.success) {
      ignored.push({ uuid, eventType, reason: firstIssue(parsed.error), unusable: true });
      continue;
    }
    const requestId = accessRequestIdOf(parsed.data);
    if (!requestId) {
      ignored.push({ uuid, eventType, reason: 'no usable access request id', unusable: true });
      continue;
    }
    routable.push({ event: parsed.data, requestId });
  }

  const byWorkflow = new Map<string, Route>();
  routable.sort((a, b) => a.event.published.localeCompare(b.event.published));
  for (const { event: e, requestId } of routable) {
    const workflowId = oktaRequestWorkflowId(requestId);
    const route = byWorkflow.get(workflowId) ?? { workflowId, requestId, events: [] };
    route.events.push({ uuid: e.uuid, eventType: e.eventType, published: e.published, requestId, source });
    byWorkflow.set(workflowId, route);
  }
  return { routes: [...byWorkflow.values()], ignored };
}

/**
 * Signals (starting if needed) the request's workflow with each event; returns the events that arrived
 * after the workflow had completed. A completed request is never started again: a late redelivery must
 * not open a second ticket. A failed or terminated run may be started afresh (the operator's remedy).
 */
async function signalRoute(client: Client, taskQueue: string, route: Route): Promise<OktaRequestEvent[]> {
  // Sequential within one workflow so its events arrive in order; workflows proceed in parallel.
  for (const [i, event] of route.events.entries()) {
    try {
      await client.workflow.signalWithStart<OktaAccessRequestWorkflow, [OktaRequestEvent]>(
        OKTA_ACCESS_REQUEST_WORKFLOW_TYPE,
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
  const workflowId = ticketWorkflowId(event.ticketId);
  await client.workflow.signalWithStart<TicketRouterWorkflow, [TicketEvent]>(TICKET_ROUTER_WORKFLOW_TYPE, {
    workflowId,
    taskQueue,
    args: [{ ticketId: event.ticketId }],
    signal: ticketEventSignal,
    signalArgs: [event],
  });
  return workflowId;
}
