// Okta event hooks: the one-time verification GET and event deliveries. Each `access.request.*` event
// becomes a signal to its request's workflow, started on first sight (signalWithStart, so a redelivered
// or reordered event lands on the same workflow and the workflow dedupes by uuid). Signal, not update,
// because Okta only needs a fast 2xx: it waits 3 s, retries once on 5xx or timeout, and never on 4xx.
import { Router } from 'express';
import { z } from 'zod';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../../config';
import type { Logger } from '../../logging';
import type * as workflows from '../../workflows';
import { oktaRequestWorkflowId } from '../../workflows/ids';
import { oktaRequestEventSignal, type OktaRequestEvent } from '../../workflows/messages';
import { headerValue, requireAuth, secretMatches } from '../auth';
import { AppError } from '../errors';
import type { TemporalGateway } from '../temporal-gateway';
import { callTemporal, WEBHOOK_DEADLINE } from '../temporal-errors';
import { jsonBody, parseOr400 } from '../validation';

export type OktaWebhookDeps = { temporal: TemporalGateway; config: Config; logger: Logger };

/** The workflow type started for an OIG request, checked against the bundle's exports. */
const OKTA_REQUEST_WORKFLOW: keyof typeof workflows = 'oktaAccessRequest';

const ZOktaLogTarget = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  alternateId: z.string().nullish(),
  displayName: z.string().nullish(),
});

const ZOktaLogEvent = z.looseObject({
  uuid: z.string().min(1),
  eventType: z.string().min(1),
  published: z.string().min(1),
  // Okta sends `target: null` for events without targets; treat that as none.
  target: z
    .array(ZOktaLogTarget)
    .nullish()
    .transform((t) => t ?? []),
  debugContext: z.looseObject({ debugData: z.record(z.string(), z.unknown()).nullish() }).nullish(),
});

/** The event-hook envelope; only the fields we route on are checked, the rest passes through. */
export const ZOktaEventHook = z.looseObject({
  eventType: z.literal('com.okta.event_hook'),
  eventId: z.string().optional(),
  data: z.looseObject({ events: z.array(ZOktaLogEvent) }),
});
export type TOktaEventHook = z.infer<typeof ZOktaEventHook>;
export type TOktaLogEvent = z.infer<typeof ZOktaLogEvent>;

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
export function accessRequestIdOf(event: TOktaLogEvent): string | undefined {
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

type Routed = { workflowId: string; requestId: string; events: OktaRequestEvent[] };

/** Groups routable events by workflow, oldest `published` first, so each workflow sees them in order. */
function plan(events: TOktaLogEvent[]): { routes: Routed[]; ignored: number; unroutable: string[] } {
  const byWorkflow = new Map<string, Routed>();
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
    route.events.push({
      uuid: e.uuid,
      eventType: e.eventType,
      published: e.published,
      requestId,
      source: 'event-hook',
    });
    byWorkflow.set(workflowId, route);
  }
  return { routes: [...byWorkflow.values()], ignored, unroutable };
}

/**
 * Signals (starting if needed) the request's workflow with each event; returns how many events arrived
 * after the workflow had completed. A completed request is never started again: a late redelivery must
 * not open a second ticket. A failed or terminated run may be started afresh (the operator's remedy).
 */
async function signalRoute(client: Client, taskQueue: string, route: Routed): Promise<number> {
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

export function createOktaWebhookRouter(deps: OktaWebhookDeps): Router {
  const { temporal, config } = deps;
  const router = Router();
  const authenticate = requireAuth((headers) =>
    secretMatches(headerValue(headers.authorization), config.webhooks.oktaSecret),
  );

  router.get('/', authenticate, (req, res) => {
    const challenge = headerValue(req.headers['x-okta-verification-challenge']);
    if (!challenge) {
      throw new AppError('BAD_REQUEST', 'x-okta-verification-challenge header is required', {
        field: 'x-okta-verification-challenge',
      });
    }
    req.log.info('Okta event hook verified');
    res.json({ verification: challenge });
  });

  router.post('/', authenticate, ...jsonBody(config.webhooks.maxBodyBytes), async (req, res) => {
    const hook: TOktaEventHook = parseOr400(ZOktaEventHook, req.body);
    const events = hook.data.events;
    const planned = plan(events);
    const { routes, unroutable } = planned;
    let ignored = planned.ignored;
    if (unroutable.length > 0) {
      req.log.warn({ eventUuids: unroutable }, 'access request events without a usable request id ignored');
    }

    // One deadline for the whole delivery: all signals or a 503 before Okta gives up at 3 s. A partly
    // signalled delivery is safe to redeliver: the workflows dedupe by uuid.
    const late = await callTemporal(temporal.client, WEBHOOK_DEADLINE, async () => {
      const results = await Promise.allSettled(
        routes.map((r) => signalRoute(temporal.client, config.temporal.taskQueues.workflows, r)),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      return results.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value : 0), 0);
    });
    // Events for requests whose workflow already completed change nothing: counted as ignored.
    ignored += late;
    const routed = routes.reduce((n, r) => n + r.events.length, 0) - late;
    req.log.info(
      {
        eventId: hook.eventId,
        received: events.length,
        routed,
        ignored,
        workflowIds: routes.map((r) => r.workflowId),
      },
      'Okta event hook delivery routed',
    );
    res.json({ received: events.length, routed, ignored });
  });

  return router;
}
