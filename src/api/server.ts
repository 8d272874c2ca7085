// Runs the API process: builds the app over a lazily connected Temporal client and listens. Used by
// `npm start` (in-process) and by `npm run api` / the docker-compose `api` service.
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { exitCodeFor, loadConfig, type Config } from '../config';
import { createLogger, type Logger } from '../logging';
import { temporalConnectOptions } from '../temporal/connection';
import { createApp } from './app';
import { createTemporalGateway, type TemporalGateway } from './temporal-gateway';

export type RunningApi = { server: Server; url: string; temporal: TemporalGateway; close(): Promise<void> };

export async function startApi(config: Config, logger: Logger, temporalAddress: string): Promise<RunningApi> {
  const temporal = createTemporalGateway({
    ...temporalConnectOptions(config.temporal, temporalAddress),
    namespace: config.temporal.namespace,
  });
  const app = createApp({ config, logger, temporal });
  const server = createServer(app);
  // Okta waits 3 s for a hook answer; never let a slow client hold a socket for long.
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(config.api.port, config.api.host, () => res());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.api.host}:${port}`;
  logger.info({ url }, 'API listening');
  return {
    server,
    url,
    temporal,
    close: async () => {
      await new Promise<void>((res) => {
        server.close(() => res());
        server.closeIdleConnections();
      });
      await temporal.close();
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel, name: 'api' });
  const api = await startApi(config, logger, `127.0.0.1:${config.temporal.devPort}`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      logger.info({ signal: sig }, 'API shutting down');
      void api.close();
    });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    // A bad configuration is exit 2, as for `npm start` and the CLI: an orchestrator can tell it from a crash.
    process.exit(exitCodeFor(err));
  });
}
