// Operator routes under /admin: read a request's whole correlation record (its workflow's `state` query
// plus the run's status) and act on a ticket's access with updates whose validators answer at once, so
// an extension the policy refuses is a 409 with the reason, not a silent no-op. An accepted update whose
// handler outlives the API's wait (a revocation re-reading Okta) is a 202 with where to follow it, not an
// outage. Bearer-token auth. Without ADMIN_API_TOKEN the admin API does not exist: every /admin route
// answers 404, so an unconfigured deployment exposes no operator surface (and no token to guess).
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { WorkflowUpdateStage, type Client, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Config } from '../../config';
import type { Logger } from '../../logging';
import {
  type CancelAccessInput,
  cancelAccessUpdate,
  catalogAccessWorkflowId,
  type ExtendAccessInput,
  extendAccessUpdate,
  type RecordDecisionInput,
  recordDecisionUpdate,
} from '../../workflows/catalog-access/contract';
import { parseTicketId, ticketWorkflowId } from '../../workflows/ticket-router/contract';
import { oktaRequestWorkflowId } from '../../workflows/okta-access-request/contract';
import { stateQuery } from '../../workflows/shared/contract';
import { bearerToken, headerValue, requireAuth, secretMatches } from '../auth';
import { AppError } from '../errors';
import type { TemporalGateway } from '../temporal-gateway';
import {
  ADMIN_READ_DEADLINE,
  ADMIN_UPDATE_DEADLINE,
  ADMIN_UPDATE_POLL_WAIT_MS,
  ADMIN_UPDATE_RESULT_WAIT_MS,
  awaitUpdateOutcome,
  callTemporal,
  temporalUnavailable,
  type TemporalDeadline,
} from '../temporal-errors';
import { jsonBody, parseOr400 } from '../validation';

/** How long admin updates wait: for acceptance, then for the result (POST), or for a poll (GET). */
export type AdminUpdateWaits = { accept: TemporalDeadline; resultMs: number; pollMs: number };

export const ADMIN_UPDATE_WAITS: AdminUpdateWaits = {
  accept: ADMIN_UPDATE_DEADLINE,
  resultMs: ADMIN_UPDATE_RESULT_WAIT_MS,
  pollMs: ADMIN_UPDATE_POLL_WAIT_MS,
};

export type AdminDeps = {
  temporal: TemporalGateway;
  config: Config;
  logger: Logger;
  /** Tests shorten the waits; the API runs with ADMIN_UPDATE_WAITS. */
  updateWaits?: Partial<AdminUpdateWaits>;
};

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
// The Idempotency-Key is the update id, so a resent POST attaches to the update Temporal already holds.
const ZUpdateId = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits or ._:-');
const ZIdempotencyKey = ZUpdateId.optional();
const ZRunId = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a workflow run id')
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
  /** The approval level meant (1-based); a decision that would land on another level is refused with 409. */
  level: z.number().int().min(1).max(50).optional(),
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

/** The Temporal UI of the namespace, where it is known (TEMPORAL_UI_URL, or the dev server `npm start` runs). */
function temporalUiNamespaceUrl(config: Config): string | undefined {
  if (!config.temporal.uiUrl) return undefined;
  return `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}`;
}

export function createAdminRouter(deps: AdminDeps): Router {
  const { temporal, config } = deps;
  const client = temporal.client;
  const waits: AdminUpdateWaits = { ...ADMIN_UPDATE_WAITS, ...deps.updateWaits };
  const temporalUi = temporalUiNamespaceUrl(config);
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

  /** Where to follow an accepted update: the ticket's state, the update's own route, the Temporal UI. */
  function followLinks(req: Request, ticketId: number, workflowId: string, updateId: string, runId?: string) {
    const ticket = `${req.baseUrl}/requests/tickets/${ticketId}`;
    const run = runId ? `?runId=${encodeURIComponent(runId)}` : '';
    return {
      state: ticket,
      update: `${ticket}/updates/${encodeURIComponent(updateId)}${run}`,
      ...(temporalUi ? { temporalUi: `${temporalUi}/workflows/${encodeURIComponent(workflowId)}` } : {}),
    };
  }

  /**
   * Runs an update on the ticket's access workflow: 200 with its result when the handler finishes within
   * the wait, 202 with where to follow it when the workflow accepted it but the handler is still at work.
   */
  async function accessUpdate<Ret, Arg>(
    req: Request,
    res: Response,
    update: UpdateDefinition<Ret, [Arg]>,
    input: Arg,
  ): Promise<void> {
    const ticketId = parseOr400(ZTicketParam, req.params.ticketId, 'ticketId');
    const updateId =
      parseOr400(ZIdempotencyKey, headerValue(req.headers['idempotency-key']), 'Idempotency-Key') ??
      randomUUID();
    const workflowId = catalogAccessWorkflowId(ticketId);
    const handle = client.workflow.getHandle(workflowId);
    const accepted = await callTemporal(
      client,
      waits.accept,
      () =>
        handle.startUpdate(update, { args: [input], updateId, waitForStage: WorkflowUpdateStage.ACCEPTED }),
      workflowId,
    ).catch(async (err: unknown) => {
      if (err instanceof AppError && err.code === 'TEMPORAL_UNAVAILABLE') {
        // Temporal may hold the update until a worker takes it: the same key attaches a retry to it.
        throw temporalUnavailable(
          `The ${update.name} update was not accepted within ${waits.accept.budgetMs} ms: Temporal or the ` +
            "workflow's worker did not answer; retry later with the same Idempotency-Key",
        );
      }
      if (!isNotFound(err)) throw err;
      return notRunning(ticketId, workflowId, handle);
    });

    // The workflow has decided: a rejection's outcome is already in hand (409 below), and an accepted update
    // is in its history and runs to its end whatever this request does. A wait that ends first, or a
    // Temporal that stops answering now, leaves the update accepted: 202, not 503.
    const outcome = await awaitUpdateOutcome(client, accepted, waits.resultMs).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'TEMPORAL_UNAVAILABLE') return { done: false as const };
      throw err;
    });
    if (outcome.done) {
      req.log.info({ workflowId, update: update.name, updateId }, 'admin update applied');
      res.json({ workflowId, update: update.name, result: outcome.result });
      return;
    }
    const follow = followLinks(req, ticketId, workflowId, updateId, accepted.workflowRunId);
    req.log.info({ workflowId, update: update.name, updateId }, 'admin update accepted, still running');
    res
      .status(202)
      .location(follow.update)
      .json({ status: 'accepted', workflowId, update: update.name, updateId, follow });
  }

  /** Why a ticket's access workflow takes no update: it has closed (409) or never existed (404). */
  async function notRunning(ticketId: number, workflowId: string, handle: WorkflowHandle): Promise<never> {
    const closed = await callTemporal(client, ADMIN_READ_DEADLINE, () => handle.describe(), workflowId).then(
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
        { workflowId, status: closed },
      );
    }
    throw new AppError('NOT_FOUND', `No access workflow for ticket ${ticketId}`, { workflowId });
  }

  const body = jsonBody(ADMIN_BODY_LIMIT_BYTES);

  router.post('/requests/tickets/:ticketId/extend', ...body, async (req, res) => {
    const input: ExtendAccessInput = parseOr400(ZExtendAccessBody, req.body);
    await accessUpdate(req, res, extendAccessUpdate, input);
  });

  router.post('/requests/tickets/:ticketId/cancel', ...body, async (req, res) => {
    const input: CancelAccessInput = parseOr400(ZCancelAccessBody, req.body);
    await accessUpdate(req, res, cancelAccessUpdate, input);
  });

  router.post('/requests/tickets/:ticketId/decision', ...body, async (req, res) => {
    const input: RecordDecisionInput = parseOr400(ZRecordDecisionBody, req.body);
    await accessUpdate(req, res, recordDecisionUpdate, input);
  });

  // Follows an update a POST answered 202 for: 200 with its result once the handler has finished, 202
  // while it runs, 409 if it failed, 404 for an id the workflow never accepted.
  router.get('/requests/tickets/:ticketId/updates/:updateId', async (req, res) => {
    const ticketId = parseOr400(ZTicketParam, req.params.ticketId, 'ticketId');
    const updateId = parseOr400(ZUpdateId, req.params.updateId, 'updateId');
    const runId = parseOr400(ZRunId, req.query.runId, 'runId');
    const workflowId = catalogAccessWorkflowId(ticketId);
    const handle = client.workflow.getHandle(workflowId, runId);
    // A cheap read first: it answers 503 when Temporal does not and 404 when there is no workflow, so a
    // poll that then runs out of time means the handler is still at work.
    await callTemporal(client, ADMIN_READ_DEADLINE, () => handle.describe(), workflowId).catch(
      (err: unknown) => {
        if (!isNotFound(err)) throw err;
        throw new AppError('NOT_FOUND', `No access workflow for ticket ${ticketId}`, { workflowId });
      },
    );
    const outcome = await awaitUpdateOutcome(
      client,
      handle.getUpdateHandle<unknown>(updateId),
      waits.pollMs,
    ).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
      throw new AppError('NOT_FOUND', `No update ${updateId} on the access workflow for ticket ${ticketId}`, {
        workflowId,
        updateId,
      });
    });
    if (outcome.done) {
      res.json({ workflowId, updateId, result: outcome.result });
      return;
    }
    res.status(202).json({
      status: 'accepted',
      workflowId,
      updateId,
      follow: followLinks(req, ticketId, workflowId, updateId, runId),
    });
  });

  return router;
}
