// What every capability's admin routes share: the dependencies and waits, the path parameters, how a
// workflow is read (its run's status and its `state` query), and where to follow an accepted update.
import type { Request } from 'express';
import { z } from 'zod';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Config } from '../../config';
import type { Logger } from '../../logging';
import { parseTicketId } from '../../workflows/ticket-router/contract';
import { stateQuery } from '../../workflows/shared/contract';
import { AppError } from '../errors';
import type { TemporalGateway } from '../temporal-gateway';
import {
  ADMIN_READ_DEADLINE,
  ADMIN_UPDATE_DEADLINE,
  ADMIN_UPDATE_POLL_WAIT_MS,
  ADMIN_UPDATE_RESULT_WAIT_MS,
  callTemporal,
  type TemporalDeadline,
} from '../temporal-errors';

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

/** What a capability's admin routes are built from. */
export type AdminContext = {
  client: Client;
  config: Config;
  waits: AdminUpdateWaits;
  /** The Temporal UI of the namespace, when known. */
  temporalUi: string | undefined;
};

export const ADMIN_BODY_LIMIT_BYTES = 16 * 1024;

export const ZOktaRequestId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be an Okta request id');
export const ZTicketParam = z.string().transform((raw, ctx) => {
  const id = parseTicketId(raw);
  if (id === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a ticket id such as 42 or SR-42' });
    return z.NEVER;
  }
  return id;
});
// The Idempotency-Key is the update id, so a resent POST attaches to the update Temporal already holds.
export const ZUpdateId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits or ._:-');
export const ZIdempotencyKey = ZUpdateId.optional();
export const ZRunId = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a workflow run id')
  .optional();

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

export async function describeWithState(client: Client, handle: WorkflowHandle): Promise<WorkflowView> {
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

export function isNotFound(err: unknown): boolean {
  return err instanceof AppError && err.code === 'NOT_FOUND';
}

/** The Temporal UI of the namespace, where it is known (TEMPORAL_UI_URL, or the dev server `npm start` runs). */
export function temporalUiNamespaceUrl(config: Config): string | undefined {
  if (!config.temporal.uiUrl) return undefined;
  return `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}`;
}

/** Where to follow an accepted update: the ticket's state, the update's own route, the Temporal UI. */
export function followLinks(
  ctx: AdminContext,
  req: Request,
  ticketId: number,
  workflowId: string,
  updateId: string,
  runId?: string,
) {
  const ticket = `${req.baseUrl}/requests/tickets/${ticketId}`;
  const run = runId ? `?runId=${encodeURIComponent(runId)}` : '';
  return {
    state: ticket,
    update: `${ticket}/updates/${encodeURIComponent(updateId)}${run}`,
    ...(ctx.temporalUi
      ? { temporalUi: `${ctx.temporalUi}/workflows/${encodeURIComponent(workflowId)}` }
      : {}),
  };
}
