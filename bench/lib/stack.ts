// The product's back end for a bench scenario, built the way test/helpers/stack.ts builds it: both
// sandboxes (demo tenant, in memory), a counting proxy in front of the sandbox Okta, the real clients and
// activities, and the real worker group on task queues of the run's own, with the vendor budgets the
// scenario configures (they become maxTaskQueueActivitiesPerSecond, as in production).
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import {
  createActivitySets,
  createVendorClients,
  type VendorEndpoints,
  createWorkers,
  type WorkerGroup,
} from '../../src/worker';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/logging';
import { SANDBOX_FRESHSERVICE_API_KEY, SANDBOX_OKTA_API_TOKEN } from '../../src/sandbox/credentials';
import { startFreshserviceSandbox, type RunningFreshserviceSandbox } from '../../src/sandbox/freshservice';
import {
  OKTA_RATE_BUCKETS,
  startOktaSandbox,
  type OktaRateLimitSettings,
  type RunningOktaSandbox,
} from '../../src/sandbox/okta';
import { startCountingProxy, type CountingProxy } from './counting-proxy';

export const BENCH_SECRETS = {
  OKTA_WEBHOOK_SECRET: 'bench-okta-webhook-secret-0001',
  FRESHSERVICE_WEBHOOK_SECRET: 'bench-freshservice-secret-0001',
  ADMIN_API_TOKEN: 'bench-admin-token-00000000001',
};

export function benchTaskQueues(prefix: string) {
  const id = `bench-${prefix}-${randomUUID().slice(0, 8)}`;
  return { workflows: `${id}-wf`, okta: `${id}-okta`, freshservice: `${id}-fs` };
}

export type BenchStackOptions = {
  temporalAddress: string;
  bundlePath: string;
  policyFile: string;
  name: string;
  /** Sandbox Okta per-bucket limits per minute and the product's Okta activities per second (changeable later). */
  okta: { rateLimits?: OktaRateLimitSettings; activitiesPerSecond: number; maxConcurrent: number };
  /** Extra config env (e.g. API settings). */
  env?: Record<string, string>;
};

export type BenchStack = {
  config: Config;
  client: Client;
  okta: RunningOktaSandbox;
  oktaProxy: CountingProxy;
  freshservice: RunningFreshserviceSandbox;
  vendors: VendorEndpoints;
  /**
   * Puts a new Okta budget in force: the sandbox's per-bucket limits (a fresh window) and a replacement Okta
   * worker whose maxTaskQueueActivitiesPerSecond is the product's share, as createWorkers sets it.
   */
  setOktaBudget(perMinute: number): Promise<void>;
  stop(): Promise<void>;
};

export type BenchSandboxes = {
  okta: RunningOktaSandbox;
  /** The counting proxy in front of the sandbox Okta: the product's Okta org URL. */
  oktaProxy: CountingProxy;
  freshservice: RunningFreshserviceSandbox;
  close(): Promise<void>;
};

/**
 * Both sandboxes (demo tenant, in memory) and the counting proxy in front of the sandbox Okta. The sandbox
 * Freshservice is unthrottled: the scenarios measure the Okta budget, never Freshservice's.
 */
export async function startBenchSandboxes(opts: {
  name: string;
  oktaRateLimits?: OktaRateLimitSettings;
}): Promise<BenchSandboxes> {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name: `bench-${opts.name}` });
  const okta = await startOktaSandbox({
    apiTokens: [SANDBOX_OKTA_API_TOKEN],
    seed: 'demo',
    rateLimits: opts.oktaRateLimits,
    rateWindowMs: 60_000,
    logger,
  });
  const oktaProxy = await startCountingProxy(okta.url);
  // The proxy is the org URL the product uses: the links the sandbox writes (pagination `next`, hook
  // sources) must name it, or the client rightly refuses to follow a URL outside its org.
  okta.runtime.publicUrl = oktaProxy.url;
  const freshservice = await startFreshserviceSandbox({
    apiKeys: [SANDBOX_FRESHSERVICE_API_KEY],
    seed: 'demo',
    rateLimits: {
      overall: 0,
      listTickets: 0,
      viewTicket: 0,
      createTicket: 0,
      updateTicket: 0,
      listAgents: 0,
      listRequesters: 0,
    },
    firstTicketId: 100_000 + Math.floor(Math.random() * 900_000_000),
    logger,
  });
  return {
    okta,
    oktaProxy,
    freshservice,
    close: async () => {
      await Promise.all([okta.close(), oktaProxy.close(), freshservice.close()]);
    },
  };
}

export async function startBenchStack(opts: BenchStackOptions): Promise<BenchStack> {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name: `bench-${opts.name}` });
  const sandboxes = await startBenchSandboxes({ name: opts.name, oktaRateLimits: opts.okta.rateLimits });
  const { okta, oktaProxy, freshservice } = sandboxes;
  const taskQueues = benchTaskQueues(opts.name);
  const env: Record<string, string> = {
    ...BENCH_SECRETS,
    LOG_LEVEL: 'silent',
    ACCESS_POLICY_FILE: opts.policyFile,
    TEMPORAL_TASK_QUEUE: taskQueues.workflows,
    OKTA_TASK_QUEUE: taskQueues.okta,
    FRESHSERVICE_TASK_QUEUE: taskQueues.freshservice,
    OKTA_ACTIVITIES_PER_SECOND: String(opts.okta.activitiesPerSecond),
    OKTA_MAX_CONCURRENT: String(opts.okta.maxConcurrent),
    FRESHSERVICE_ACTIVITIES_PER_SECOND: '1000',
    FRESHSERVICE_MAX_CONCURRENT: '50',
    ...opts.env,
  };
  const config = loadConfig(env);
  const sandboxUrls = { okta: oktaProxy.url, freshservice: freshservice.publicUrl };
  const vendors = createVendorClients(config, logger, sandboxUrls);
  const nativeConnection = await NativeConnection.connect({ address: opts.temporalAddress });
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const activities = createActivitySets(config, vendors, () => client);
  // The Okta worker is created apart from the group so a scenario can change its budget between phases.
  const group: WorkerGroup = await createWorkers({
    connection: nativeConnection,
    namespace: 'default',
    taskQueues,
    okta: config.okta,
    freshservice: config.freshservice,
    activities: { workflows: activities.workflows, freshservice: activities.freshservice },
    workflowBundlePath: opts.bundlePath,
    shutdownGraceTime: '2s',
  });
  const running = group.run();
  const startOktaWorker = async (perSecond: number, oktaActivities: object) => {
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue: taskQueues.okta,
      activities: oktaActivities,
      maxTaskQueueActivitiesPerSecond: perSecond,
      maxConcurrentActivityTaskExecutions: config.okta.maxConcurrent,
      shutdownGraceTime: '2s',
    });
    return { worker, running: worker.run() };
  };
  let oktaWorker = await startOktaWorker(config.okta.activitiesPerSecond, activities.okta!);
  const stopOktaWorker = async () => {
    if (oktaWorker.worker.getState() === 'RUNNING') oktaWorker.worker.shutdown();
    await oktaWorker.running;
  };
  return {
    config,
    client,
    okta,
    oktaProxy,
    freshservice,
    vendors,
    setOktaBudget: async (perMinute) => {
      const limits = Object.fromEntries(OKTA_RATE_BUCKETS.map((b) => [b, perMinute]));
      const res = await fetch(`${okta.url}/__sandbox/rate-limits`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ limits, concurrency: 75 }),
      });
      if (!res.ok) throw new Error(`PUT /__sandbox/rate-limits → ${res.status}: ${await res.text()}`);
      // The product's own budget, as an operator would set it: the Okta client paces its calls to
      // OKTA_CALLS_PER_MINUTE and Temporal caps the Okta activities at the same rate per second.
      const budgeted = loadConfig({ ...env, OKTA_CALLS_PER_MINUTE: String(perMinute) });
      const budgetedActivities = createActivitySets(
        budgeted,
        createVendorClients(budgeted, logger, sandboxUrls),
        () => client,
      );
      await stopOktaWorker();
      oktaWorker = await startOktaWorker(perMinute / 60, budgetedActivities.okta!);
    },
    stop: async () => {
      group.shutdown();
      await Promise.all([running, stopOktaWorker()]);
      await Promise.all([nativeConnection.close(), connection.close()]);
      await sandboxes.close();
    },
  };
}

export { sandboxPost } from '../../src/sandbox/actor-client';
