// When a long-lived workflow should continue as new: Temporal suggests it (history near its size or count
// limits), or the run passed its own event budget (WORKFLOW_HISTORY_MAX_EVENTS, small in tests so a test can
// drive many runs in seconds). Temporal warns from 10,240 events and terminates at 51,200.
import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';

/** The default event budget of one run: well under Temporal's warning at 10,240. */
export const DEFAULT_HISTORY_MAX_EVENTS = 4000;

/** True when the run should hand its state to a new run at the next safe point. */
export function historyIsLong(maxEvents: number | undefined): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= (maxEvents ?? DEFAULT_HISTORY_MAX_EVENTS);
}

/**
 * A safe point to continue as new: the history is long, and every update handler has returned its answer.
 * An update the run has just settled returns within this activation, so this waits for that; `busy` says
 * the run has work a handler is waiting on (an operator action not yet taken), and then it is not the time.
 */
export async function timeToContinueAsNew(
  maxEvents: number | undefined,
  busy: () => boolean = () => false,
): Promise<boolean> {
  if (!historyIsLong(maxEvents)) return false;
  await condition(() => allHandlersFinished() || busy());
  return allHandlersFinished() && !busy();
}
