// `npm run cli -- reconcile`: runs a reconciler pass now (both sources, or one) and prints what it read and
// signalled, e.g. right after a Temporal outage instead of waiting for RECONCILE_INTERVAL_SECONDS. With
// `--status` it only prints each reconciler's cursor, totals and last pass. Starts the reconcilers first
// if the worker has not (same workflow IDs, so never a second one).
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { ensureReconcilers, RECONCILER_SOURCES } from '../temporal/reconcilers';
import {
  reconcileNowUpdate,
  type ReconcilePassSummary,
  type ReconcilerSource,
  type ReconcilerState,
  reconcilerWorkflowId,
} from '../workflows/reconcilers/contract';
import { stateQuery } from '../workflows/shared/contract';
import { commandConfig, EXIT, parseCommandArgs, UsageError, withTemporal, type CliIo } from './io';

export const RECONCILE_USAGE = `Usage: npm run cli -- reconcile [--source okta-system-log|freshservice-tickets] [--status]

Runs a reconciler pass now and prints it as JSON: events or tickets read, signalled to their workflows,
ignored, and any error. The Okta reconciler reads the System Log from its cursor, the Freshservice one
lists tickets by updated_since; a worker must be running.

Options:
  --source NAME    only this reconciler (default: both)
  --status         print each reconciler's state (cursor, totals, last pass); run nothing
  -h, --help       this help
`;

const ZSource = z.enum(['okta-system-log', 'freshservice-tickets'], {
  error: '--source takes okta-system-log or freshservice-tickets, e.g. --source okta-system-log',
});

export type ReconcileReport = { source: ReconcilerSource; workflowId: string; pass: ReconcilePassSummary };

export async function reconcileNow(
  client: Client,
  taskQueue: string,
  sources: readonly ReconcilerSource[],
): Promise<ReconcileReport[]> {
  return Promise.all(
    sources.map(async (source) => {
      const workflowId = reconcilerWorkflowId(source, taskQueue);
      const pass = await client.workflow.getHandle(workflowId).executeUpdate(reconcileNowUpdate);
      return { source, workflowId, pass };
    }),
  );
}

export async function runReconcile(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, { source: { type: 'string' }, status: { type: 'boolean' } });
  if (args.help) {
    io.stdout(RECONCILE_USAGE);
    return EXIT.ok;
  }
  const parsed = ZSource.optional().safeParse(args.source);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'invalid --source');
  const sources = parsed.data ? [parsed.data] : RECONCILER_SOURCES;
  const config = commandConfig(io);
  if (config.reconcile.intervalSeconds === 0) {
    throw new UsageError('the reconcilers are switched off (RECONCILE_INTERVAL_SECONDS=0)');
  }
  const taskQueue = config.temporal.taskQueues.workflows;
  return withTemporal(config, async (client) => {
    if (args.status) {
      const states = await Promise.all(
        sources.map(async (source) => {
          const handle = client.workflow.getHandle(reconcilerWorkflowId(source, taskQueue));
          return (await handle.query(stateQuery)) as ReconcilerState;
        }),
      );
      io.stdout(`${JSON.stringify(states, null, 2)}\n`);
      return EXIT.ok;
    }
    await ensureReconcilers(client, config);
    const reports = await reconcileNow(client, taskQueue, sources);
    io.stdout(`${JSON.stringify(reports, null, 2)}\n`);
    return reports.some((r) => r.pass.error !== null) ? EXIT.failure : EXIT.ok;
  });
}
