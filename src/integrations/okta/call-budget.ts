// An Okta call budget for one process: every call waits for its turn so no more than `perMinute` calls go
// out in any minute, whatever mix of endpoints they hit. Temporal's task-queue rate limits activities, not
// calls, and one activity may make several calls (look up, then change); this is what makes "N calls a
// minute" mean calls. GCRA (the generic cell rate algorithm): one timestamp, callers served in order.

export type CallBudgetClock = { now(): number; sleep(ms: number): Promise<void> };

const realClock: CallBudgetClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class CallBudget {
  private readonly intervalMs: number;
  /** The theoretical time the next call is due (GCRA's TAT). */
  private due = 0;

  constructor(
    readonly perMinute: number,
    /** Calls that may go at once after an idle spell; every 60 s window stays within `perMinute` + burst. */
    private readonly burst = 1,
    private readonly clock: CallBudgetClock = realClock,
  ) {
    if (!(perMinute > 0)) throw new RangeError('perMinute must be positive');
    this.intervalMs = 60_000 / perMinute;
  }

  /** Resolves when this call may go out. */
  async take(): Promise<void> {
    const now = this.clock.now();
    const tolerance = (this.burst - 1) * this.intervalMs;
    const sendAt = Math.max(now, this.due - tolerance);
    this.due = Math.max(this.due, now) + this.intervalMs;
    if (sendAt > now) await this.clock.sleep(sendAt - now);
  }
}
