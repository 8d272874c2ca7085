// Okta event hooks: the one-time verification GET and event deliveries. Each `access.request.*` event
// becomes a signal to its request's workflow, started on first sight (signalWithStart, so a redelivered
// or reordered event lands on the same workflow and the workflow dedupes by uuid); the routing lives in
// src/temporal/intake.ts, shared with the System Log reconciler. Signal, not update, because Okta only
// needs a fast 2xx: it waits 3 s, retries once on 5xx or timeout, and never on 4xx.
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { Logger } from '../../logging';
import { routeOktaEvents } from '../../temporal/intake';
import { headerValue, requireAuth, secretMatches } from '../auth';
import { AppError } from '../errors';
import type { TemporalGateway } from '../temporal-gateway';
import { callTemporal, WEBHOOK_DEADLINE } from '../temporal-errors';
import { jsonBody, parseOr400 } from '../validation';

export type OktaWebhookDeps = { temporal: TemporalGateway; config: Config; logger: Logger };

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
    // One deadline for the whole delivery: all signals or a 503 before Okta gives up at 3 s. A partly
    // signalled delivery is safe to redeliver: the workflows dedupe by uuid.
    const result = await callTemporal(temporal.client, WEBHOOK_DEADLINE, () =>
      routeOktaEvents(temporal.client, config.temporal.taskQueues.workflows, hook.data.events, 'event-hook'),
    );
    if (result.unroutable.length > 0) {
      req.log.warn(
        { eventUuids: result.unroutable },
        'access request events without a usable request id ignored',
      );
    }
    const { received, routed, ignored } = result;
    req.log.info(
      { eventId: hook.eventId, received, routed, ignored, workflowIds: result.workflowIds },
      'Okta event hook delivery routed',
    );
    res.json({ received, routed, ignored });
  });

  return router;
}
