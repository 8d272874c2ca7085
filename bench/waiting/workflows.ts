// The workflow scenario 4 holds open by the thousand: the waiting shape of an access request (its state,
// a query over it, an approval signal, and a reminder timer re-armed while nobody decides), without the
// vendor calls before the wait, so 10,000 of them fit the bench's time on 2 cores. Bench-only wire names.
import type { Duration } from '@temporalio/common';
import { condition, defineQuery, defineSignal, setHandler } from '@temporalio/workflow';

export type WaitingInput = { requester: string; resource: string; reminderInterval: Duration };
export type WaitingState = {
  requester: string;
  resource: string;
  phase: 'awaiting-approval' | 'done';
  remindersDue: number;
  decision: { by: string; at: string } | null;
};

export const benchApproveSignal = defineSignal<[{ by: string; at: string }]>('benchApprove');
export const benchStateQuery = defineQuery<WaitingState>('benchState');

export async function benchAwaitApproval(input: WaitingInput): Promise<WaitingState> {
  const state: WaitingState = {
    requester: input.requester,
    resource: input.resource,
    phase: 'awaiting-approval',
    remindersDue: 0,
    decision: null,
  };
  setHandler(benchStateQuery, () => state);
  setHandler(benchApproveSignal, (decision) => {
    state.decision ??= decision;
  });
  while (!(await condition(() => state.decision !== null, input.reminderInterval))) {
    state.remindersDue += 1;
  }
  state.phase = 'done';
  return state;
}
