// The composition root and worker bootstrap: builds the vendor clients (real tenants or the sandboxes)
// and every activity set once, from config, then runs one worker for the workflows task queue and one per
// vendor task queue, whose activity dispatch rate and concurrency the Temporal server caps from config
// (DESIGN.md section 4), so bulk work runs near each vendor's budget cluster-wide. Nothing in
// src/activities imports this file or the sandbox. Production runs the prebuilt workflow bundle
// (`npm run build`); development bundles from source.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import type { Duration } from '@temporalio/common';
import {
  createFreshserviceActivities,
  createFreshserviceReconcileActivities,
} from './activities/freshservice';
import type { IntakeTarget } from './activities/intake-target';
import { createOktaActivities, createOktaReconcileActivities } from './activities/okta';
import { createSettingsActivities, type WorkflowSettings } from './activities/settings';
import { exitCodeFor, loadConfig, type Config } from './config';
import { loadAccessPolicyFile } from './config/policy-file';
import { createFreshserviceClient, type FreshserviceClient } from './integrations/freshservice';
import { createOktaClient, type OktaClient } from './integrations/okta';
import { createLogger, type Logger } from './logging';
import { SANDBOX_FRESHSERVICE_API_KEY, SANDBOX_OKTA_API_TOKEN } from './sandbox/credentials';
import { createLazyTemporalClient } from './temporal/client';
import { temporalConnectOptions } from './temporal/connection';
import { ensureReconcilers } from './temporal/reconcilers';

/** Activity implementations by task queue; empty objects are allowed while a vendor has none. */
export type ActivitySets = {
  /** Activities that call no vendor (pure bookkeeping), run beside the workflows. */
  workflows?: object;
  okta?: object;
  freshservice?: object;
};

export type VendorEndpoints = {
  okta: { url: string; client: OktaClient };
  freshservice: { url: string; client: FreshserviceClient };
};

/** Vendor clients from config; in sandbox mode they point at `sandboxUrls` (or the configured sandbox ports). */
export function createVendorClients(
  config: Config,
  logger: Logger,
  sandboxUrls?: { okta: string; freshservice: string },
): VendorEndpoints {
  const sandboxBase = (port: number) => `http://${config.sandbox.host}:${port}`;
  const oktaUrl =
    config.okta.mode === 'real'
      ? config.okta.orgUrl
      : (sandboxUrls?.okta ?? sandboxBase(config.sandbox.oktaPort));
  const okta = createOktaClient({
    orgUrl: oktaUrl,
    auth: config.okta.mode === 'real' ? config.okta.auth : { kind: 'ssws', token: SANDBOX_OKTA_API_TOKEN },
    callsPerMinute: config.okta.callsPerMinute || undefined,
    logger: logger.child({ vendor: 'okta' }),
  });
  const fsUrl =
    config.freshservice.mode === 'real'
      ? config.freshservice.baseUrl
      : (sandboxUrls?.freshservice ?? sandboxBase(config.sandbox.freshservicePort));
  const freshservice = createFreshserviceClient({
    baseUrl: fsUrl,
    apiKey: config.freshservice.mode === 'real' ? config.freshservice.apiKey : SANDBOX_FRESHSERVICE_API_KEY,
    logger: logger.child({ vendor: 'freshservice' }),
  });
  return { okta: { url: oktaUrl, client: okta }, freshservice: { url: fsUrl, client: freshservice } };
}

/**
 * Every activity set, keyed by the task queue it runs on. Reads and validates the policy file. `intake` is
 * where the reconcilers signal what webhooks missed (a Temporal client of the same namespace).
 */
export function createActivitySets(
  config: Config,
  vendors: VendorEndpoints,
  intake: IntakeTarget['client'],
): ActivitySets {
  const settings: WorkflowSettings = {
    policy: loadAccessPolicyFile(config.accessPolicyFile),
    taskQueues: {
      okta: config.temporal.taskQueues.okta,
      freshservice: config.temporal.taskQueues.freshservice,
    },
    links: {
      freshserviceUrl: vendors.freshservice.url,
      oktaAdminUrl: config.oktaAdminUrl ?? vendors.okta.url,
    },
    historyMaxEvents: config.workflowHistoryMaxEvents,
  };
  const target: IntakeTarget = { client: intake, taskQueue: config.temporal.taskQueues.workflows };
  return {
    workflows: createSettingsActivities(settings, { ...config.reconcile, taskQueues: settings.taskQueues }),
    okta: {
      ...createOktaActivities(vendors.okta.client, { adminUrl: settings.links.oktaAdminUrl }),
      ...createOktaReconcileActivities(vendors.okta.client, target),
    },
    freshservice: {
      ...createFreshserviceActivities(vendors.freshservice.client, {
        accessCatalogItemDisplayId: config.freshservice.accessCatalogItemDisplayId,
      }),
      ...createFreshserviceReconcileActivities(vendors.freshservice.client, target),
    },
  };
}

export type CreateWorkersOptions = {
  connection: NativeConnection;
  namespace: string;
  taskQueues: Config['temporal']['taskQueues'];
  okta: { activitiesPerSecond: number; maxConcurrent: number };
  freshservice: { activitiesPerSecond: number; maxConcurrent: number };
  activities: ActivitySets;
  /** Defaults to the workflows of `src/workflows`. Tests pass their own. */
  workflowsPath?: string;
  /** A prebuilt bundle (production); wins over workflowsPath. */
  workflowBundlePath?: string;
  identity?: string;
  shutdownGraceTime?: Duration;
};

export type WorkerGroup = {
  workers: Worker[];
  /** Runs every worker until `shutdown()`; rejects if any worker fails. */
  run(): Promise<void>;
  shutdown(): void;
};

export async function createWorkers(opts: CreateWorkersOptions): Promise<WorkerGroup> {
  const common = {
    connection: opts.connection,
    namespace: opts.namespace,
    ...(opts.identity ? { identity: opts.identity } : {}),
    shutdownGraceTime: opts.shutdownGraceTime ?? '10s',
  };
  const workflowSource = opts.workflowBundlePath
    ? { workflowBundle: { codePath: opts.workflowBundlePath } }
    : { workflowsPath: opts.workflowsPath ?? require.resolve('./workflows') };

  const vendorQueue = (
    taskQueue: string,
    activities: object | undefined,
    limits: { activitiesPerSecond: number; maxConcurrent: number },
  ) =>
    activities && Object.keys(activities).length > 0
      ? [
          Worker.create({
            ...common,
            taskQueue,
            activities,
            maxTaskQueueActivitiesPerSecond: limits.activitiesPerSecond,
            maxConcurrentActivityTaskExecutions: limits.maxConcurrent,
          }),
        ]
      : [];

  const workers = await Promise.all([
    Worker.create({
      ...common,
      taskQueue: opts.taskQueues.workflows,
      ...workflowSource,
      activities: opts.activities.workflows ?? {},
    }),
    ...vendorQueue(opts.taskQueues.okta, opts.activities.okta, opts.okta),
    ...vendorQueue(opts.taskQueues.freshservice, opts.activities.freshservice, opts.freshservice),
  ]);

  return {
    workers,
    run: async () => {
      await Promise.all(workers.map((w) => w.run()));
    },
    shutdown: () => {
      for (const w of workers) {
        if (w.getState() === 'RUNNING') w.shutdown();
      }
    },
  };
}

/**
 * Installs the process-wide Temporal runtime once: SDK and Core logs go to our JSON logger, and SDK metrics
 * are served for Prometheus when an address is configured.
 */
export function installTemporalRuntime(
  logger: Logger,
  level: Config['logLevel'],
  metricsAddress?: string,
): void {
  const sdkLevel: LogLevel =
    level === 'trace'
      ? 'TRACE'
      : level === 'debug'
        ? 'DEBUG'
        : level === 'info'
          ? 'INFO'
          : level === 'warn'
            ? 'WARN'
            : 'ERROR';
  Runtime.install({
    logger: new DefaultLogger(sdkLevel, (entry) => {
      const lvl =
        entry.level === 'TRACE'
          ? 'trace'
          : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
      logger[lvl]({ ...entry.meta, source: 'temporal-sdk' }, entry.message);
    }),
    telemetryOptions: metricsAddress
      ? { metrics: { prometheus: { bindAddress: metricsAddress } } }
      : undefined,
  });
}

/** The prebuilt bundle written by `npm run build`, when running from dist/. */
export function prebuiltWorkflowBundle(): string | undefined {
  const candidate = join(__dirname, 'workflow-bundle.js');
  return __filename.endsWith('.js') && existsSync(candidate) ? candidate : undefined;
}

export type RunningWorker = { group: WorkerGroup; done: Promise<void>; stop(): Promise<void> };

/**
 * Connects and runs every worker over `vendors`, then makes sure the reconcilers run (their activities
 * signal through a client of their own); used by `npm start` (in-process) and `npm run worker`.
 */
export async function startWorker(
  config: Config,
  logger: Logger,
  vendors: VendorEndpoints,
  address: string,
): Promise<RunningWorker> {
  const intake = createLazyTemporalClient(config, address);
  const activities = createActivitySets(config, vendors, () => intake.client);
  const connection = await NativeConnection.connect(temporalConnectOptions(config.temporal, address));
  const group = await createWorkers({
    connection,
    namespace: config.temporal.namespace,
    taskQueues: config.temporal.taskQueues,
    okta: config.okta,
    freshservice: config.freshservice,
    activities,
    workflowBundlePath: prebuiltWorkflowBundle(),
  });
  const done = group.run().finally(() => Promise.all([connection.close(), intake.close()]));
  logger.info({ taskQueues: config.temporal.taskQueues }, 'worker running');
  try {
    const reconcilers = await ensureReconcilers(intake.client, config);
    logger.info({ reconcilers, intervalSeconds: config.reconcile.intervalSeconds }, 'reconcilers running');
  } catch (err) {
    group.shutdown();
    await done.catch(() => undefined);
    throw err;
  }
  return {
    group,
    done,
    stop: async () => {
      group.shutdown();
      await done;
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel, name: 'worker' });
  installTemporalRuntime(logger, config.logLevel, config.temporal.workerMetricsAddress);
  // Sandbox mode expects `npm run sandbox` on the configured sandbox ports.
  const vendors = createVendorClients(config, logger);
  const worker = await startWorker(config, logger, vendors, `127.0.0.1:${config.temporal.devPort}`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      logger.info({ signal: sig }, 'worker shutting down');
      worker.group.shutdown();
    });
  }
  await worker.done;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    // A bad configuration is exit 2, as for `npm start` and the CLI: an orchestrator can tell it from a crash.
    process.exit(exitCodeFor(err));
  });
}
