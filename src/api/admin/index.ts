// Operator routes under /admin: read a request's whole correlation record (its workflow's `state` query
// plus the run's status) and act on a ticket's access with updates whose validators answer at once, so
// an extension the policy refuses is a 409 with the reason, not a silent no-op. Bearer-token auth.
// Without ADMIN_API_TOKEN the admin API does not exist: every /admin route answers 404, so an
// unconfigured deployment exposes no operator surface (and no token to guess).
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Config } from '../../config';
import type { Logger } from '../../logging';
import {
  catalogAccessWorkflowId,
  parseTicketId,
  oktaRequestWorkflowId,
  ticketWorkflowId,
} from '../../workflows/ids';
import {
  cancelAccessUpdate,
  extendAccessUpdate,
  recordDecisionUpdate,
  stateQuery,
  type CancelAccessInput,
  type ExtendAccessInput,
  type RecordDecisionInput,
} from '../../workflows/messages';
import { bearerToken, headerValue, requireAuth, secretMatches } from '../auth';
import { AppError } from '../errors';
import type { TemporalGateway } from '../temporal-gateway';
import { ADMIN_READ_DEADLINE, ADMIN_UPDATE_DEADLINE, callTemporal } from '../temporal-errors';
import { jsonBody, parseOr400 } from '../validation';

export type AdminDeps = { temporal: TemporalGateway; config: Config; logger: Logger };

const ADMIN_BODY_LIMIT_BYTES = 16 * 1024;

const ZOktaRequestId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be an Okta request id');
const ZTicketParam = z.string().transform((raw, ctx) => {
  const id = parseTicketId(raw);
  if (id === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a ticket id such as 42 or SR-42' });
    return z.NEVER;
  }
  return id;
});
const ZIdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits or ._:-')
  .optional();

const actor = () => z.string().trim().min(1).max(256);
const reason = () => z.string().trim().max(2000).optional();

export const ZExtendAccessBody = z.strictObject({
  endAt: z.iso.datetime({
    offset: true,
    message: 'must be an ISO 8601 date-time, e.g. 2030-01-31T17:00:00Z',
  }),
  requestedBy: actor(),
  reason: reason(),
});
export type TExtendAccessBody = z.infer<typeof ZExtendAccessBody>;

export const ZCancelAccessBody = z.strictObject({ requestedBy: actor(), reason: reason() });
export type TCancelAccessBody = z.infer<typeof ZCancelAccessBody>;

export const ZRecordDecisionBody = z.strictObject({
  decision: z.enum(['approved', 'denied']),
  approver: actor(),
  reason: reason(),
});
export type TRecordDecisionBody = z.infer<typeof ZRecordDecisionBody>;

type WorkflowView = {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  startTime: string;
  closeTime: string | null;
  state: unknown;
  stateError?: string;
};

async function describeWithState(client: Client, handle: WorkflowHandle): Promise<WorkflowView> {
  const d = await callTemporal(client, ADMIN_READ_DEADLINE, () => handle.describe(), handle.workflowId);
  const view: WorkflowView = {
    workflowId: d.workflowId,
    runId: d.runId,
    type: d.type,
    status: d.status.name,
    startTime: d.startTime.toISOString(),
    closeTime: d.closeTime?.toISOString() ?? null,
    state: null,
  };
  try {
    view.state = await callTemporal(client, ADMIN_READ_DEADLINE, () =>
      client.workflow.getHandle(d.workflowId, d.runId).query(stateQuery),
    );
  } catch (err) {
    // The run's status is still worth answering with: a query fails while no worker polls its queue.
    view.stateError = err instanceof Error ? err.message : String(err);
  }
  return view;
}

function isNotFound(err: unknown): boolean {
  return err instanceof AppError && err.code === 'NOT_FOUND';
}

export function createAdminRouter(deps: AdminDeps): Router {
  const { temporal, config } = deps;
  const client = temporal.client;
  const router = Router();

  router.use((_req, _res, next) => {
    next(config.admin.token ? undefined : new AppError('NOT_FOUND', 'The admin API is not enabled'));
  });
  router.use(
    requireAuth(
      (headers) => secretMatches(bearerToken(headerValue(headers.authorization)), config.admin.token),
      'Bearer realm="access-bridge-admin"',
    ),
  );

  router.get('/requests/okta/:requestId', async (req, res) => {
    const requestId = parseOr400(ZOktaRequestId, req.params.requestId, 'requestId');
    const view = await describeWithState(client, client.workflow.getHandle(oktaRequestWorkflowId(requestId)));
    res.json(view);
  });

  router.get('/requests/tickets/:ticketId', async (req, res) => {
    const ticketId = parseOr400(ZTicketParam, req.params.ticketId, 'ticketId');
    // The catalog access workflow holds the access record; the router holds the rest (forwarding, ignored).
    for (const workflowId of [catalogAccessWorkflowId(ticketId), ticketWorkflowId(ticketId)]) {
      try {
        res.json(await describeWithState(client, client.workflow.getHandle(workflowId)));
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    throw new AppError('NOT_FOUND', `No workflow for ticket ${ticketId}`, { ticketId });
  });

  /** Runs an update on the ticket's access workflow and answers with its result. */
  async function accessUpdate<Ret, Arg>(
    req: Request,
    update: UpdateDefinition<Ret, [Arg]>,
    input: Arg,
  ): Promise<{ workflowId: string; update: string; result: Ret }> {
    const ticketId = parseOr400(ZTicketParam, req.params.ticketId, 'ticketId');
    const updateId =
      parseOr400(ZIdempotencyKey, headerValue(req.headers['idempotency-key']), 'Idempotency-Key') ??
      randomUUID();
    const workflowId = catalogAccessWorkflowId(ticketId);
    const handle = client.workflow.getHandle(workflowId);
    try {
      const result = await callTemporal(
        client,
        ADMIN_UPDATE_DEADLINE,
        () => handle.executeUpdate(update, { args: [input], updateId }),
        workflowId,
      );
      req.log.info({ workflowId, update: update.name, updateId }, 'admin update applied');
      return { workflowId, update: update.name, result };
    } catch (err) {
      if (!isNotFound(err)) throw err;
      // Updates reach running workflows only: tell a finished request from one that never existed.
      const closed = await callTemporal(
        client,
        ADMIN_READ_DEADLINE,
        () => handle.describe(),
        workflowId,
      ).then(
        (d) => d.status.name,
        (e: unknown) => {
          if (isNotFound(e)) return undefined;
          throw e;
        },
      );
      if (closed && closed !== 'RUNNING') {
        throw new AppError(
          'CONFLICT',
          `The access workflow for ticket ${ticketId} is ${closed}; it takes no more changes`,
          {
            workflowId,
            status: closed,
          },
        );
      }
      throw new AppError('NOT_FOUND', `No access workflow for ticket ${ticketId}`, { workflowId });
    }
  }

  const body = jsonBody(ADMIN_BODY_LIMIT_BYTES);

  router.post('/requests/tickets/:ticketId/extend', ...body, async (req, res) => {
    const input: ExtendAccessInput = parseOr400(ZExtendAccessBody, req.body);
    res.json(await accessUpdate(req, extendAccessUpdate, input));
  });

  router.post('/requests/tickets/:ticketId/cancel', ...body, async (req, res) => {
    const input: CancelAccessInput = parseOr400(ZCancelAccessBody, req.body);
    res.json(await accessUpdate(req, cancelAccessUpdate, input));
  });

  router.post('/requests/tickets/:ticketId/decision', ...body, async (req, res) => {
    const input: RecordDecisionInput = parseOr400(ZRecordDecisionBody, req.body);
    res.json(await accessUpdate(req, recordDecisionUpdate, input));
  });

  return router;
}
