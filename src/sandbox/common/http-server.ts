// Starts an Express app on a loopback port and closes it without waiting on keep-alive sockets; shared by
// both sandboxes and their tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export type RunningHttpServer = { server: Server; url: string; port: number; close(): Promise<void> };

export async function listen(app: Express, host: string, port: number): Promise<RunningHttpServer> {
  const server = createServer(app);
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, host, () => res());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    port: actual,
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((res) => {
        server.close(() => res());
        server.closeAllConnections();
      }),
  };
}
