// Starts the two reconciler workflows (Okta System Log, Freshservice tickets) unless one already runs for
// this deployment: the worker calls it on every start, so a fresh install, a restart and a reconciler that
// an operator terminated all end with exactly one of each running. RECONCILE_INTERVAL_SECONDS=0 starts none.
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import type { Config } from '../config';
import {
  RECONCILER_WORKFLOW_TYPE,
  reconcilerWorkflowId,
  type ReconcilerSource,
  type ReconcilerWorkflow,
} from '../workflows/reconcilers/contract';

export const RECONCILER_SOURCES: readonly ReconcilerSource[] = ['okta-system-log', 'freshservice-tickets'];

export async function ensureReconcilers(
  client: Client,
  config: Pick<Config, 'reconcile' | 'temporal'>,
): Promise<string[]> {
  if (config.reconcile.intervalSeconds === 0) return [];
  const taskQueue = config.temporal.taskQueues.workflows;
  return Promise.all(
    RECONCILER_SOURCES.map(async (source) => {
      const workflowId = reconcilerWorkflowId(source, taskQueue);
      await client.workflow.start<ReconcilerWorkflow>(RECONCILER_WORKFLOW_TYPE, {
        workflowId,
        taskQueue,
        args: [{ source }],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      });
      return workflowId;
    }),
  );
}
