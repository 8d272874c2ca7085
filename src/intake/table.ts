// The one table from vendor event to workflow: for each kind of Okta event, which capability owns it, the
// workflow it goes to (type, business-key ID, start arguments) and the signal that carries it; and the
// Freshservice ticket nudge, which always goes to the ticket's router. The webhook handlers and the
// reconcilers route through it, the Okta event-hook subscription (`setup`, `npm start`) and the reconciler's
// System Log filter are derived from it, so the three cannot drift. A new capability adds a row.
import { WorkflowIdReusePolicy } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import {
  OKTA_ACCESS_REQUEST_WORKFLOW_TYPE,
  oktaRequestEventSignal,
  oktaRequestWorkflowId,
  type OktaRequestEvent,
} from '../workflows/okta-access-request/contract';
import {
  TICKET_ROUTER_WORKFLOW_TYPE,
  ticketEventSignal,
  ticketWorkflowId,
} from '../workflows/ticket-router/contract';
import { accessRequestIdOf, type RoutableOktaEvent } from './okta-event-fields';

/** One family of Okta events and the workflow each event of it is signalled to. */
export type OktaEventRoute = {
  /** The capability that owns these events (its folder name in every layer). */
  capability: string;
  /** Okta event types this row routes: every type starting with `prefix`... */
  prefix: string;
  /** ...except these (configuration events that are about no single object). */
  except?: RegExp;
  /** The types the Okta event hook subscribes to (each routed by this row; all event-hook eligible). */
  hookEventTypes: readonly string[];
  /** The id of the object the event is about (the workflow's business key); undefined when unusable. */
  subjectIdOf(event: RoutableOktaEvent): string | undefined;
  workflowType: string;
  workflowId(subjectId: string): string;
  startArgs(subjectId: string): [unknown];
  signal: SignalDefinition<[OktaRequestEvent]>;
  /** A completed workflow is never started again by a late event; a failed one may be (the operator's remedy). */
  workflowIdReusePolicy: WorkflowIdReusePolicy;
};

export const OKTA_EVENT_ROUTES: readonly OktaEventRoute[] = [
  {
    capability: 'okta-access-request',
    prefix: 'access.request.',
    // Condition, sequence and settings events are about configuration, not a request.
    except: /^access\.request\.(condition|sequence|settings)\./,
    hookEventTypes: [
      'access.request.create',
      'access.request.update',
      'access.request.resolve',
      'access.request.reject',
      'access.request.cancel',
      'access.request.expire',
    ],
    subjectIdOf: accessRequestIdOf,
    workflowType: OKTA_ACCESS_REQUEST_WORKFLOW_TYPE,
    workflowId: oktaRequestWorkflowId,
    startArgs: (requestId) => [{ requestId }],
    signal: oktaRequestEventSignal,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
  },
];

/** Where a Freshservice ticket event goes: always the ticket's router, which re-reads the ticket. */
export const TICKET_NUDGE_ROUTE = {
  capability: 'ticket-router',
  workflowType: TICKET_ROUTER_WORKFLOW_TYPE,
  workflowId: ticketWorkflowId,
  startArgs: (ticketId: number): [unknown] => [{ ticketId }],
  signal: ticketEventSignal,
} as const;

/** The row that routes `eventType`, if any. */
export function oktaRouteFor(eventType: string): OktaEventRoute | undefined {
  return OKTA_EVENT_ROUTES.find((r) => eventType.startsWith(r.prefix) && !r.except?.test(eventType));
}

/** Every event type the Okta event hook subscribes to, from the table. */
export const OKTA_HOOK_EVENT_TYPES: readonly string[] = OKTA_EVENT_ROUTES.flatMap((r) => r.hookEventTypes);

/** The System Log filter a reconciler reads: exactly the families the table routes. */
export const OKTA_SYSTEM_LOG_FILTER = OKTA_EVENT_ROUTES.map((r) => `eventType sw "${r.prefix}"`).join(' or ');
