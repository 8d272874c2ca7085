// The one way a workflow hands events on to the workflow that owns them: a queue drained in order, each
// event sent once, the run handed over (continue-as-new) at safe points, and an idle wait between bursts.
// Where the hand-over runs is part of each caller's recorded histories, so the caller says, never this file.
import type { Duration } from '@temporalio/common';
import { condition } from '@temporalio/workflow';

export type Forwarding<E> = {
  /** Events received and not yet sent, oldest first; the caller's signal handler appends to it. */
  pending: E[];
  /** Sends one event to the owner; a throw means the owner no longer accepts events. */
  send(event: E): Promise<void>;
  /** Called once with the failure when the owner no longer accepts events; forwarding then stops. */
  onRefused(err: unknown): void;
  /**
   * Continues as new when the history is long (the queue travels with it), and where: `before-sending`
   * once before each batch; `after-each-send` after every event sent and once more before waiting.
   */
  handOver: { at: 'before-sending' | 'after-each-send'; run(): Promise<void> };
  /** How long to wait for the next event before forwarding ends; undefined waits without a timer. */
  idle?: Duration;
  /** True once the owner finished: checked after every wait, and forwarding then ends. */
  ownerDone?: () => boolean;
  /** `wait`: wait for an event (or the owner's end) before the first batch; default `send`. */
  startWith?: 'send' | 'wait';
};

/** Forwards events in order until the owner refuses one, finishes, or the queue stays empty for `idle`. */
export async function forwardEvents<E>(f: Forwarding<E>): Promise<void> {
  const ownerDone = f.ownerDone ?? (() => false);
  /** Waits for an event (or the owner's end); false when forwarding should end. */
  const nextEvent = async (): Promise<boolean> => {
    const arrived = () => f.pending.length > 0 || ownerDone();
    if (f.idle === undefined) await condition(arrived);
    else if (!(await condition(arrived, f.idle))) return false;
    return !ownerDone();
  };

  if (f.startWith === 'wait' && !(await nextEvent())) return;
  for (;;) {
    if (f.handOver.at === 'before-sending') await f.handOver.run();
    while (f.pending.length > 0) {
      try {
        await f.send(f.pending[0]!);
      } catch (err) {
        f.onRefused(err);
        return;
      }
      f.pending.shift();
      // A burst of events must not carry one run far past its budget: the queue travels with the hand-over.
      if (f.handOver.at === 'after-each-send') await f.handOver.run();
    }
    if (f.handOver.at === 'after-each-send') await f.handOver.run();
    if (!(await nextEvent())) return;
  }
}
