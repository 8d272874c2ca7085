// `npm start`: runs the whole product on one machine, starting whatever is not configured: the Temporal
// dev server (SQLite under .data/, Web UI, search attributes), the sandbox Okta and Freshservice when
// their credentials are absent, then the worker and the API. Prints every URL and stops its children
// cleanly on Ctrl-C / SIGTERM.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger, type Logger } from './logging';
import { startApi } from './api/server';
import { createVendorClients, installTemporalRuntime, startWorker } from './worker';
import { setSandboxAutomatorRules, startSandboxes } from './sandbox/start';
import { ensureOktaEventHook, freshserviceAutomatorRules } from './setup/webhooks';
import { startDevServer, resolveTemporalCli } from './temporal/dev-server';

type Stoppable = { name: string; stop(): Promise<void> };

const DEV_SECRET_VARIABLES = [
  'OKTA_WEBHOOK_SECRET',
  'FRESHSERVICE_WEBHOOK_SECRET',
  'ADMIN_API_TOKEN',
] as const;

/**
 * Outside production, secrets that are not configured are generated once and kept in .data/ (mode 0600),
 * so webhooks registered with the sandboxes keep working across restarts.
 */
function withDevSecrets(env: NodeJS.ProcessEnv, dataDir: string): { env: NodeJS.ProcessEnv; file: string } {
  const file = join(dataDir, 'dev-secrets.json');
  let stored: Record<string, string> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  let changed = false;
  for (const name of DEV_SECRET_VARIABLES) {
    if (!stored[name]) {
      stored[name] = randomBytes(24).toString('base64url');
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const name of DEV_SECRET_VARIABLES) {
    if (!merged[name]?.trim()) merged[name] = stored[name];
  }
  return { env: merged, file };
}

function readConfig(): { config: Config; secretsFile: string | undefined } {
  let config = loadConfig(process.env);
  let secretsFile: string | undefined;
  if (config.env !== 'production') {
    const dev = withDevSecrets(process.env, resolve(config.dataDir));
    config = loadConfig(dev.env);
    secretsFile = dev.file;
  }
  return { config, secretsFile };
}

async function stopAll(stack: Stoppable[], logger: Logger): Promise<void> {
  for (const part of [...stack].reverse()) {
    try {
      await part.stop();
      logger.info({ part: part.name }, 'stopped');
    } catch (err) {
      logger.error({ err, part: part.name }, 'failed to stop cleanly');
    }
  }
}

async function main(): Promise<number> {
  let config: Config;
  let secretsFile: string | undefined;
  try {
    ({ config, secretsFile } = readConfig());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message);
      return 2;
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, name: 'access-bridge' });
  installTemporalRuntime(logger, config.logLevel, config.temporal.workerMetricsAddress);
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });

  const stack: Stoppable[] = [];
  let shuttingDown: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    shuttingDown ??= (async () => {
      logger.info({ reason }, 'shutting down');
      await stopAll(stack, logger);
    })();
    return shuttingDown;
  };
  // Ctrl-C reaches us once from the terminal and again from each wrapper (npm, tsx) that relays it; only a
  // signal well after the first one means "stop waiting and exit now".
  let firstSignalAt = 0;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      const now = Date.now();
      if (firstSignalAt && now - firstSignalAt > 2000) {
        logger.warn('second signal: exiting now');
        process.exit(130);
      }
      if (firstSignalAt) return;
      firstSignalAt = now;
      void shutdown(sig).then(() => process.exit(0));
    });
  }

  try {
    let temporalAddress = config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
    let temporalUi: string | undefined;
    if (!config.temporal.address) {
      const cliPath = resolveTemporalCli(config.temporal.cliPath);
      logger.info({ cliPath }, 'starting the Temporal dev server');
      const server = await startDevServer({
        cliPath,
        port: config.temporal.devPort,
        uiPort: config.temporal.uiPort,
        namespace: config.temporal.namespace,
        dbFile: join(dataDir, 'temporal.db'),
        pidFile: join(dataDir, 'temporal-dev-server.pid'),
        onOutput: (line) => logger.debug({ source: 'temporal-server' }, line),
      });
      stack.push({ name: 'temporal-dev-server', stop: () => server.stop() });
      temporalAddress = server.address;
      temporalUi = server.uiUrl;
      void server.exited.then((code) => {
        if (!shuttingDown) {
          logger.error({ code }, 'Temporal dev server exited unexpectedly');
          void shutdown('temporal-exit').then(() => process.exit(1));
        }
      });
    }

    // Vendors without credentials are stood in for by the sandboxes, state kept under the data dir.
    const sandboxes = await startSandboxes(config, logger, { dataDir });
    stack.push({ name: 'sandboxes', stop: () => sandboxes.close() });
    const vendors = createVendorClients(config, logger, sandboxes.urls);

    const worker = await startWorker(config, logger, vendors, temporalAddress);
    stack.push({ name: 'worker', stop: () => worker.stop() });
    worker.done.catch((err: unknown) => {
      if (!shuttingDown) {
        logger.error({ err }, 'worker failed');
        void shutdown('worker-failed').then(() => process.exit(1));
      }
    });

    const api = await startApi(config, logger, temporalAddress);
    stack.push({ name: 'api', stop: () => api.close() });

    // The sandboxes send their webhooks to this API, as a real tenant would after `npm run cli -- setup`.
    if (sandboxes.okta && config.webhooks.oktaSecret) {
      await ensureOktaEventHook(
        vendors.okta.client,
        { uri: `${api.url}/webhooks/okta`, secret: config.webhooks.oktaSecret, removeStale: true },
        logger,
      );
    }
    if (sandboxes.freshservice && config.webhooks.freshserviceSecret) {
      await setSandboxAutomatorRules(
        sandboxes.freshservice.publicUrl,
        freshserviceAutomatorRules({
          uri: `${api.url}/webhooks/freshservice`,
          secret: config.webhooks.freshserviceSecret,
        }),
      );
    }

    const lines = [
      '',
      'access-bridge is running',
      `  API              ${api.url}   (health: ${api.url}/healthz, ready: ${api.url}/readyz)`,
      `  Temporal         ${temporalAddress}   namespace ${config.temporal.namespace}`,
      temporalUi
        ? `  Temporal UI      ${temporalUi}/namespaces/${config.temporal.namespace}/workflows`
        : undefined,
      `  Okta             ${vendors.okta.url}${sandboxes.okta ? '   (sandbox: no Okta credentials set)' : ''}`,
      `  Freshservice     ${vendors.freshservice.url}${sandboxes.freshservice ? '   (sandbox: no Freshservice credentials set)' : ''}`,
      secretsFile ? `  Dev secrets      ${secretsFile}` : undefined,
      '  Press Ctrl-C to stop.',
      '',
    ].filter((l): l is string => l !== undefined);
    process.stdout.write(lines.join('\n') + '\n');
    return -1;
  } catch (err) {
    logger.error({ err }, 'start-up failed');
    await shutdown('start-up-failed');
    return 1;
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
