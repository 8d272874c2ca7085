// Freshservice Workflow Automator webhooks: the body of webhook-template.ts, authenticated by a custom
// header or Basic auth. Every event goes to `fs-ticket:<id>` (signalWithStart, through src/intake's ticket nudge
// as the reconciler's nudges do), always the same workflow type, which re-reads the ticket: the body is only
// a nudge, so ids may arrive as "SR-42", "42" or 42 and placeholders Freshservice did not render count as
// absent.
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import {
  FRESHSERVICE_WEBHOOK_EVENTS,
  FRESHSERVICE_WEBHOOK_SECRET_HEADER,
  type FreshserviceWebhookEvent,
} from '../../integrations/freshservice/webhook-template';
import type { Logger } from '../../logging';
import { nudgeTicket } from '../../intake';
import { parseTicketId, ticketWorkflowId } from '../../workflows/ticket-router/contract';
import type { TicketEvent } from '../../workflows/shared/contract';
import { basicAuthPassword, headerValue, requireAuth, secretMatches } from '../auth';
import type { TemporalGateway } from '../temporal-gateway';
import { callTemporal, WEBHOOK_DEADLINE } from '../temporal-errors';
import { jsonBody, parseOr400 } from '../validation';
import { nonObjectJsonAs400 } from './json-envelope';

export type FreshserviceWebhookDeps = { temporal: TemporalGateway; config: Config; logger: Logger };

/** `{{ticket.x}}` left as is: Freshservice had nothing to render. */
const UNRENDERED = /^\s*\{\{[^}]*\}\}\s*$/;

const absentIfUnrendered = (v: unknown): unknown =>
  (typeof v === 'string' && (UNRENDERED.test(v) || v.trim() === '')) || v === null ? undefined : v;

/**
 * An optional template field: a string or number, absent when empty, null, unrendered or of any other
 * type. No event is routed on these, so an odd one is never a reason to refuse the delivery.
 */
const optionalScalar = () =>
  z.preprocess(absentIfUnrendered, z.union([z.string(), z.number()]).optional()).catch(undefined);

const ZTicketId = z.union([z.number(), z.string()]).transform((raw, ctx) => {
  const id = parseTicketId(raw);
  if (id === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a ticket id such as 42, "42" or "SR-42"' });
    return z.NEVER;
  }
  return id;
});

/**
 * The template body. The event is a nudge: only `event` and (for a known event) `ticket_id` route it,
 * so they are the only fields whose absence refuses a delivery (400 naming the field). The rest is read
 * leniently: what is unusable counts as absent.
 */
export const ZFreshserviceWebhook = z.looseObject({
  event: z.string().min(1),
  // Checked by the handler only for known events: an ignored event needs no ticket.
  ticket_id: z.unknown().optional(),
  updated_at: z.preprocess(absentIfUnrendered, z.string().optional()).catch(undefined),
  ticket_type: optionalScalar(),
  status: optionalScalar(),
  approval_status: optionalScalar(),
  requester_email: optionalScalar(),
});
export type TFreshserviceWebhook = z.infer<typeof ZFreshserviceWebhook>;

function isKnownEvent(event: string): event is FreshserviceWebhookEvent {
  return (FRESHSERVICE_WEBHOOK_EVENTS as readonly string[]).includes(event);
}

export function createFreshserviceWebhookRouter(deps: FreshserviceWebhookDeps): Router {
  const { temporal, config } = deps;
  const router = Router();
  const secretHeader = FRESHSERVICE_WEBHOOK_SECRET_HEADER.toLowerCase();
  const authenticate = requireAuth((headers) => {
    const expected = config.webhooks.freshserviceSecret;
    const presented =
      headerValue(headers[secretHeader]) ?? basicAuthPassword(headerValue(headers.authorization));
    return secretMatches(presented, expected);
  });

  router.post('/', authenticate, ...jsonBody(config.webhooks.maxBodyBytes), async (req, res) => {
    const body: TFreshserviceWebhook = parseOr400(ZFreshserviceWebhook, req.body);
    if (!isKnownEvent(body.event)) {
      const ticketId = ZTicketId.safeParse(body.ticket_id).data;
      req.log.info({ event: body.event.slice(0, 120), ticketId }, 'Freshservice webhook event ignored');
      res.json({ received: 1, routed: 0, ignored: 1 });
      return;
    }
    const ticketId = parseOr400(ZTicketId, body.ticket_id, 'ticket_id');

    const signal: TicketEvent = {
      event: body.event,
      ticketId,
      updatedAt: body.updated_at ?? null,
      source: 'webhook',
    };
    const workflowId = await callTemporal(
      temporal.client,
      WEBHOOK_DEADLINE,
      () => nudgeTicket(temporal.client, config.temporal.taskQueues.workflows, signal),
      ticketWorkflowId(ticketId),
    );
    req.log.info({ event: body.event, ticketId, workflowId }, 'Freshservice webhook routed');
    res.json({ received: 1, routed: 1, ignored: 0, workflowId });
  });

  // A body that is valid JSON but not an object (`null`, `42`) fails the strict parser above: answer it
  // as the wrong envelope it is, not as malformed JSON.
  router.use(nonObjectJsonAs400(ZFreshserviceWebhook));
  return router;
}
