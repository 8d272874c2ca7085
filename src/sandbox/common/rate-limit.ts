// Fixed-window rate limiting and a concurrency gauge for the sandboxes. The vendors count per bucket in
// windows of about a minute; each sandbox maps requests to buckets and renders its own headers.
export type WindowState = { limit: number; remaining: number; resetAtMs: number; allowed: boolean };

export class WindowRateLimiter {
  private windows = new Map<string, { startMs: number; used: number }>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one call against `bucket` with `limit` per window. A limit of 0 or less means unlimited. */
  take(bucket: string, limit: number): WindowState {
    const now = this.now();
    let w = this.windows.get(bucket);
    if (!w || now - w.startMs >= this.windowMs) {
      w = { startMs: now, used: 0 };
      this.windows.set(bucket, w);
    }
    const resetAtMs = w.startMs + this.windowMs;
    if (limit <= 0)
      return { limit: Number.MAX_SAFE_INTEGER, remaining: Number.MAX_SAFE_INTEGER, resetAtMs, allowed: true };
    if (w.used >= limit) return { limit, remaining: 0, resetAtMs, allowed: false };
    w.used += 1;
    return { limit, remaining: limit - w.used, resetAtMs, allowed: true };
  }

  reset(): void {
    this.windows.clear();
  }
}

/** Counts requests in flight; `enter` fails when `max` are already running. */
export class ConcurrencyGauge {
  private inFlight = 0;
  constructor(public max: number) {}
  enter(): boolean {
    if (this.max > 0 && this.inFlight >= this.max) return false;
    this.inFlight += 1;
    return true;
  }
  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }
  get current(): number {
    return this.inFlight;
  }
}
