// Test access to Temporal: the dev server that scripts/run-tests.ts started for the whole run (its address
// in TEMPORAL_TEST_ADDRESS), or, when a file runs alone, one started here for this process. Tests isolate
// by unique task queues and workflow IDs, never by servers.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createWorkers, type ActivitySets, type WorkerGroup } from '../../src/worker';
import { resolveTemporalCli, startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { getFreePort } from './ports';

export const TEST_NAMESPACE = 'default';

// Worker state chatter drowns test output; warnings and errors still show.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed by another helper in this process.
}

let shared: Promise<{ address: string; server?: DevServer }> | undefined;

/** The Temporal server for this test process (started lazily, stopped at exit). */
export function testTemporal(): Promise<{ address: string }> {
  shared ??= (async () => {
    const fromRunner = process.env.TEMPORAL_TEST_ADDRESS;
    if (fromRunner) return { address: fromRunner };
    const server = await startTestDevServer();
    process.once('beforeExit', () => void server.stop());
    return { address: server.address, server };
  })();
  return shared;
}

/** A dev server of a test's own (for tests that stop it); headless and in memory. */
export async function startTestDevServer(): Promise<DevServer> {
  return startDevServer({
    cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI_PATH),
    port: await getFreePort(),
    namespace: TEST_NAMESPACE,
  });
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function uniqueTaskQueues(prefix = 'test') {
  const id = uniqueId(prefix);
  return { workflows: `${id}-wf`, okta: `${id}-okta`, freshservice: `${id}-fs` };
}

export type TestClient = { client: Client; close(): Promise<void> };

export async function connectClient(address?: string): Promise<TestClient> {
  const connection = await Connection.connect({ address: address ?? (await testTemporal()).address });
  return { client: new Client({ connection, namespace: TEST_NAMESPACE }), close: () => connection.close() };
}

/** The test bundle (product workflows + fixtures), prebuilt once by the runner when available. */
function workflowSource(): { workflowBundlePath?: string; workflowsPath?: string } {
  const prebuilt = process.env.TEST_WORKFLOW_BUNDLE;
  if (prebuilt && existsSync(prebuilt)) return { workflowBundlePath: prebuilt };
  return { workflowsPath: resolve(join(__dirname, 'test-workflows.ts')) };
}

export type TestWorker = WorkerGroup & { running: Promise<void>; stop(): Promise<void> };

/** Starts workers on the given task queues; `stop()` shuts them down and closes the connection. */
export async function startTestWorker(opts: {
  taskQueues: ReturnType<typeof uniqueTaskQueues>;
  activities: ActivitySets;
  address?: string;
  rates?: { activitiesPerSecond: number; maxConcurrent: number };
}): Promise<TestWorker> {
  const connection = await NativeConnection.connect({
    address: opts.address ?? (await testTemporal()).address,
  });
  const rates = opts.rates ?? { activitiesPerSecond: 1000, maxConcurrent: 50 };
  const group = await createWorkers({
    connection,
    namespace: TEST_NAMESPACE,
    taskQueues: opts.taskQueues,
    okta: rates,
    freshservice: rates,
    activities: opts.activities,
    shutdownGraceTime: '2s',
    ...workflowSource(),
  });
  const running = group.run().finally(() => connection.close());
  return {
    ...group,
    running,
    stop: async () => {
      group.shutdown();
      await running;
    },
  };
}
