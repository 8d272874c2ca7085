// A pass-through HTTP proxy in front of the sandbox Okta that counts every call the product makes and
// every status it gets back, so bulk scenarios report calls needed, 429s and failures from the wire
// rather than from the product's own logs.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type CallCounts = {
  calls: number;
  rateLimited: number;
  failed: number;
  byStatus: Record<string, number>;
};

export type CountingProxy = {
  url: string;
  /** Counts since the last reset. */
  counts(): CallCounts;
  reset(): void;
  close(): Promise<void>;
};

export async function startCountingProxy(targetUrl: string): Promise<CountingProxy> {
  const target = new URL(targetUrl);
  let counts: CallCounts = { calls: 0, rateLimited: 0, failed: 0, byStatus: {} };
  const server: Server = createServer((req, res) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (up) => {
        const status = up.statusCode ?? 0;
        counts.calls += 1;
        counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
        // 429 is the budget at work (the product retries it); any other error status is a failed call.
        if (status === 429) counts.rateLimited += 1;
        else if (status >= 400) counts.failed += 1;
        res.writeHead(status, up.headers);
        up.pipe(res);
      },
    );
    upstream.once('error', () => {
      counts.calls += 1;
      counts.failed += 1;
      res.destroy();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts, byStatus: { ...counts.byStatus } }),
    reset: () => {
      counts = { calls: 0, rateLimited: 0, failed: 0, byStatus: {} };
    },
    close: () =>
      new Promise<void>((res) => {
        server.close(() => res());
        server.closeAllConnections();
      }),
  };
}
