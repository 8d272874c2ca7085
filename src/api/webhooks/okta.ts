// Okta event hooks: the one-time verification GET and event deliveries. Each `access.request.*` event
// becomes a signal to its request's workflow, started on first sight (signalWithStart, so a redelivered
// or reordered event lands on the same workflow and the workflow dedupes by uuid); the routing lives in
// src/intake (its table), shared with the System Log reconciler. Signal, not update, because Okta only
// needs a fast 2xx: it waits 3 s, retries once on 5xx or timeout, and never on 4xx.
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { Logger } from '../../logging';
import { routeOktaEvents } from '../../intake';
import { headerValue, requireAuth, secretMatches } from '../auth';
import { AppError } from '../errors';
import type { TemporalGateway } from '../temporal-gateway';
import { callTemporal, WEBHOOK_DEADLINE } from '../temporal-errors';
import { jsonBody, parseOr400 } from '../validation';
import { nonObjectJsonAs400 } from './json-envelope';

export type OktaWebhookDeps = { temporal: TemporalGateway; config: Config; logger: Logger };

/**
 * The event-hook envelope. Only what makes a delivery unusable is refused (with a 400 naming the
 * field): a body that is not the `com.okta.event_hook` envelope, or `data.events` that is not a list.
 * Events are left unread here: intake reads each one only as far as routing needs and ignores the ones
 * it cannot route, because Okta never redelivers after a 4xx and one odd event must not cost the rest.
 */
export const ZOktaEventHook = z.looseObject({
  eventType: z.literal('com.okta.event_hook'),
  // Only logged: an odd one counts as absent.
  eventId: z.string().optional().catch(undefined),
  data: z.looseObject({ events: z.array(z.unknown()) }),
});
export type TOktaEventHook = z.infer<typeof ZOktaEventHook>;

/** How many ignored events one log line lists (a delivery carries at most a few dozen). */
const LOGGED_IGNORED = 20;

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
    const unusable = result.ignoredEvents.filter((e) => e.unusable);
    if (unusable.length > 0) {
      req.log.warn(
        { eventId: hook.eventId, events: unusable.slice(0, LOGGED_IGNORED) },
        'access request events without usable routing fields ignored',
      );
    }
    const { received, routed, ignored } = result;
    req.log.info(
      {
        eventId: hook.eventId,
        received,
        routed,
        ignored,
        ignoredEvents: result.ignoredEvents.slice(0, LOGGED_IGNORED),
        workflowIds: result.workflowIds,
      },
      'Okta event hook delivery routed',
    );
    res.json({ received, routed, ignored });
  });

  // A body that is valid JSON but not an object (`null`, `42`) fails the strict parser above: answer it
  // as the wrong envelope it is, not as malformed JSON.
  router.use(nonObjectJsonAs400(ZOktaEventHook));
  return router;
}
