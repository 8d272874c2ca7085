// A transparent hop between the in-process worker and one sandbox, so a test can count what the product's
// own calls met (a 5xx, a 429 from a fault or from the tightened rate limits, or no answer at all) apart
// from the test's reads and a neighbour's traffic, which go to the sandbox directly.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAULT_HEADER } from '../../src/sandbox/common/faults';

/** What one product call met: its HTTP status, or `no-answer` when the connection ended without one. */
export type VendorCallOutcome = number | 'no-answer';
export type VendorCall = {
  method: string;
  path: string;
  outcome: VendorCallOutcome;
  /** The answer was rendered by an injected `status` fault (not by the sandbox's own logic or limits). */
  injected: boolean;
  /** The rate-limit budget left after it (Okta's X-Rate-Limit-Remaining, Freshservice's X-Ratelimit-Remaining). */
  rateRemaining: number | undefined;
};

export type VendorProxy = {
  url: string;
  calls: VendorCall[];
  close(): Promise<void>;
};

/** The kinds of trouble the storm floors are counted in. */
export type TroubleKind = '5xx' | '429' | 'timeout';

export function troubleOf(outcome: VendorCallOutcome): TroubleKind | undefined {
  if (outcome === 'no-answer') return 'timeout';
  if (outcome === 429) return '429';
  return outcome >= 500 ? '5xx' : undefined;
}

/** Product calls by trouble kind (every kind present, zero when none). */
export function troubleCounts(calls: readonly VendorCall[]): Record<TroubleKind, number> {
  const out: Record<TroubleKind, number> = { '5xx': 0, '429': 0, timeout: 0 };
  for (const c of calls) {
    const kind = troubleOf(c.outcome);
    if (kind) out[kind] += 1;
  }
  return out;
}

/**
 * Forwards every request to `target` byte for byte. A sandbox that drops the connection (a timeout fault)
 * has the caller's connection dropped too; a caller that gives up first (its own timeout) has the upstream
 * call aborted. Either is recorded as `no-answer`.
 */
export async function startVendorProxy(target: string): Promise<VendorProxy> {
  const upstream = new URL(target);
  const calls: VendorCall[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const call: VendorCall = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      outcome: 'no-answer',
      injected: false,
      rateRemaining: undefined,
    };
    let recorded = false;
    const record = (outcome: VendorCallOutcome) => {
      if (recorded) return;
      recorded = true;
      call.outcome = outcome;
      calls.push(call);
    };
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        call.injected = answer.headers[FAULT_HEADER] !== undefined;
        // Node lower-cases header names, so Okta's and Freshservice's spellings meet here.
        const remaining = Number(
          answer.headers['x-rate-limit-remaining'] ?? answer.headers['x-ratelimit-remaining'],
        );
        call.rateRemaining = Number.isFinite(remaining) ? remaining : undefined;
        record(answer.statusCode ?? 0);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    out.on('error', () => {
      record('no-answer');
      res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) {
        record('no-answer');
        out.destroy();
      }
    });
    req.pipe(out);
  };

  const server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
