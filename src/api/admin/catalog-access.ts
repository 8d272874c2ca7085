// Admin routes of the catalog access flow: act on a ticket's access with updates whose validators answer at
// once (extend, cancel, record a decision), so an extension the policy refuses is a 409 with the reason,
// not a silent no-op; an accepted update whose handler outlives the API's wait is a 202 with where to
// follow it, and the follow route answers once it has finished.
import { randomUUID } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import {
  type CancelAccessInput,
  cancelAccessUpdate,
  catalogAccessWorkflowId,
  type ExtendAccessInput,
  extendAccessUpdate,
  type RecordDecisionInput,
  recordDecisionUpdate,
} from '../../workflows/catalog-access/contract';
import { calendarDateProblem } from '../../policy/access';
import { headerValue } from '../auth';
import { AppError } from '../errors';
import {
  ADMIN_READ_DEADLINE,
  awaitUpdateOutcome,
  callTemporal,
  temporalUnavailable,
} from '../temporal-errors';
import { jsonBody, parseOr400 } from '../validation';
import {
  ADMIN_BODY_LIMIT_BYTES,
  followLinks,
  isNotFound,
  ZIdempotencyKey,
  ZRunId,
  ZTicketParam,
  ZUpdateId,
  type AdminContext,
} from './common';

/**
 * Who did it (an approver, an operator): an email address, alone or with a display name (`Ada Lovelace
 * <ada@acme.example>`), the way the approval-integrity rules recognise a person. Anything else (a bare
 * name, spreadsheet formulas such as `=HYPERLINK(…)`) is refused: the value lands in notes, decisions and
 * the audit export.
 */
export const ZActor = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(256)
  .check((ctx) => {
    if (!isPersonAddress(ctx.value)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: 'must be an email address, e.g. it1@acme.example or Ada Lovelace <ada@acme.example>',
      });
    }
  });

const ZEmail = z.email();
/** `Name <email>`: the name may not hold angle brackets or control characters, nor start like a formula. */
const NAMED_ADDRESS = /^([^<>\p{Cc}=+\-@][^<>\p{Cc}]*?)\s*<([^<>\s]+)>$/u;

function isPersonAddress(value: string): boolean {
  if (ZEmail.safeParse(value).success) return true;
  const named = NAMED_ADDRESS.exec(value);
  return !!named?.[2] && ZEmail.safeParse(named[2]).success;
}

const actor = () => ZActor;
const reason = () => z.string().trim().max(2000).optional();

/** An ISO 8601 date-time on a day the calendar has: 2027-02-30T10:00:00Z is refused as a day that does not exist. */
const existingDateTime = () =>
  z
    .string()
    .check((ctx) => {
      const problem = calendarDateProblem(ctx.value);
      if (problem) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `${ctx.value} does not exist: ${problem}`,
          abort: true,
        });
      }
    })
    .pipe(
      z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2030-01-31T17:00:00Z' }),
    );

export const ZExtendAccessBody = z.strictObject({
  endAt: existingDateTime(),
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

/** What a reused key's 422 points at: the draft's rule for a key reused with another payload. */
const IDEMPOTENCY_KEY_DRAFT = 'https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/';

/** Whether two values are the same JSON document, whatever the order of their keys. */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== undefined)
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

export function mountCatalogAccessAdmin(router: Router, ctx: AdminContext): void {
  const { client, waits } = ctx;

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
    const key = parseOr400(ZIdempotencyKey, headerValue(req.headers['idempotency-key']), 'Idempotency-Key');
    const updateId = key ?? randomUUID();
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
    // Temporal answers a known update id with the first update's result whatever this one carries: a key
    // reused for another action or body is refused (422, as the Idempotency-Key draft says), not answered
    // with a result that is not this request's.
    if (key !== undefined) await refuseReusedKey(workflowId, accepted.workflowRunId, key, update.name, input);

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
    const follow = followLinks(ctx, req, ticketId, workflowId, updateId, accepted.workflowRunId);
    req.log.info({ workflowId, update: update.name, updateId }, 'admin update accepted, still running');
    res
      .status(202)
      .location(follow.update)
      .json({ status: 'accepted', workflowId, update: update.name, updateId, follow });
  }

  /** 422 when the run accepted update `key` for another action or with other arguments than `input`. */
  async function refuseReusedKey(
    workflowId: string,
    runId: string | undefined,
    key: string,
    name: string,
    input: unknown,
  ): Promise<void> {
    // The update is accepted already: a Temporal that stops answering now skips the check, never turns an
    // accepted update into a 503.
    const history = await callTemporal(
      client,
      ADMIN_READ_DEADLINE,
      () => client.workflow.getHandle(workflowId, runId).fetchHistory(),
      workflowId,
    ).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'TEMPORAL_UNAVAILABLE') return undefined;
      throw err;
    });
    const first = history?.events?.find(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId === key,
    )?.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
    if (!first) return;
    const [firstArgs] = await decodeArrayFromPayloads(
      client.options.loadedDataConverter,
      first.args?.payloads ?? [],
    );
    if (first.name === name && sameJson(firstArgs, input)) return;
    throw new AppError(
      'UNPROCESSABLE',
      `Idempotency-Key "${key}" was already used for ${
        first.name === name ? `${name} with another body` : `${first.name ?? 'another update'}, not ${name}`
      }; send a new key for a new request, or the same body to get the first result`,
      { field: 'Idempotency-Key', documentation: IDEMPOTENCY_KEY_DRAFT },
    );
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
      follow: followLinks(ctx, req, ticketId, workflowId, updateId, runId),
    });
  });
}
