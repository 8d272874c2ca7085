// "Nothing more will happen" as an outcome to wait on, instead of a sleep before asserting "still only
// one": a workflow is idle when every signal delivered so far has been taken by a completed workflow task
// and no activity is pending, so whatever those signals would cause (a second ticket, a second approval)
// has already happened. Temporal schedules the next workflow task atomically with an activity's
// completion, so there is no gap in which a busy workflow looks idle.
import type { Client } from '@temporalio/client';
import { waitFor } from './wait';

/**
 * True when the workflow has no workflow task and no activity pending (it waits on a timer, a signal or
 * a child).
 */
export async function isWorkflowIdle(client: Client, workflowId: string): Promise<boolean> {
  const { raw } = await client.workflow.getHandle(workflowId).describe();
  // A running child (a ticket's access flow) is its own workflow: wait on it by its own id.
  return !raw.pendingWorkflowTask && (raw.pendingActivities?.length ?? 0) === 0;
}

/** Waits until the workflow is idle (see isWorkflowIdle); a running activity keeps it waiting. */
export async function waitForWorkflowIdle(
  client: Client,
  workflowId: string,
  opts?: { timeoutMs?: number },
): Promise<void> {
  await waitFor(() => isWorkflowIdle(client, workflowId), `workflow ${workflowId} to settle`, opts);
}
