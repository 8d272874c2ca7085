// Outbound webhook delivery for the sandboxes (Okta event hooks, Freshservice Workflow Automator): POST a
// JSON body with the configured headers, a timeout, and the vendor's retry rule. Every attempt is recorded
// so tests can see what was sent.
export type DeliveryAttempt = {
  url: string;
  status: number | 'timeout' | 'error';
  attempt: number;
  at: string;
};

export type DeliveryOptions = {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  /** Extra attempts after the first, made only on a 5xx, a timeout or a network error (never on a 4xx). */
  retries: number;
  /** Delay before a retry. */
  retryDelayMs?: number;
};

export async function deliverJson(
  opts: DeliveryOptions,
  log?: (a: DeliveryAttempt) => void,
): Promise<DeliveryAttempt> {
  let last: DeliveryAttempt | undefined;
  for (let attempt = 1; attempt <= opts.retries + 1; attempt++) {
    const at = new Date().toISOString();
    try {
      const res = await fetch(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...opts.headers },
        body: JSON.stringify(opts.body),
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      await res.arrayBuffer();
      last = { url: opts.url, status: res.status, attempt, at };
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      last = { url: opts.url, status: timedOut ? 'timeout' : 'error', attempt, at };
    }
    log?.(last);
    const retryable = typeof last.status !== 'number' || last.status >= 500;
    if (!retryable) return last;
    if (attempt <= opts.retries) await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 500));
  }
  return last!;
}
