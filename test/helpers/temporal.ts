// Test access to Temporal through @temporalio/testing: the dev server that scripts/run-tests.ts started for
// the whole run (TEMPORAL_TEST_ADDRESS, attached with createFromExistingServer), or, when a file runs alone,
// one started here with createLocal and the CLI built by `npm install` (an existing-path executable: the
// SDK's default would download one). Tests isolate by unique task queues and workflow IDs, never servers.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createWorkers, type ActivitySets, type WorkerGroup } from '../../src/worker';
import { resolveTemporalCli } from '../../src/temporal/dev-server';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/workflows/shared/contract';

export const TEST_NAMESPACE = 'default';

// Worker state chatter drowns test output; warnings and errors still show.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

let shared: Promise<TestWorkflowEnvironment> | undefined;

/** A local dev server of a test's own (for tests that stop it), with our search attributes. */
export function createLocalTestEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: resolveTemporalCli(process.env.TEMPORAL_CLI_PATH) },
      namespace: TEST_NAMESPACE,
      searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      log: { format: 'json', level: 'error' },
    },
  });
}

/** The Temporal environment shared by this test process (torn down at exit when started here). */
export function testEnv(): Promise<TestWorkflowEnvironment> {
  shared ??= (async () => {
    const address = process.env.TEMPORAL_TEST_ADDRESS;
    if (address) {
      return TestWorkflowEnvironment.createFromExistingServer({ address, namespace: TEST_NAMESPACE });
    }
    const env = await createLocalTestEnv();
    process.once('beforeExit', () => void env.teardown());
    return env;
  })();
  return shared;
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function uniqueTaskQueues(prefix = 'test') {
  const id = uniqueId(prefix);
  return { workflows: `${id}-wf`, okta: `${id}-okta`, freshservice: `${id}-fs` };
}

/** The test bundle (product workflows + fixtures), prebuilt once by the runner when available. */
function workflowSource(): { workflowBundlePath?: string; workflowsPath?: string } {
  const prebuilt = process.env.TEST_WORKFLOW_BUNDLE;
  if (prebuilt && existsSync(prebuilt)) return { workflowBundlePath: prebuilt };
  return { workflowsPath: resolve(join(__dirname, 'test-workflows.ts')) };
}

export type TestWorker = WorkerGroup & { running: Promise<void>; stop(): Promise<void> };

/** Starts workers on the given task queues over the environment's connection; `stop()` drains them. */
export async function startTestWorker(opts: {
  taskQueues: ReturnType<typeof uniqueTaskQueues>;
  activities: ActivitySets;
  env?: TestWorkflowEnvironment;
  rates?: { activitiesPerSecond: number; maxConcurrent: number };
}): Promise<TestWorker> {
  const env = opts.env ?? (await testEnv());
  const rates = opts.rates ?? { activitiesPerSecond: 1000, maxConcurrent: 50 };
  const group = await createWorkers({
    connection: env.nativeConnection,
    namespace: TEST_NAMESPACE,
    taskQueues: opts.taskQueues,
    okta: rates,
    freshservice: rates,
    activities: opts.activities,
    shutdownGraceTime: '2s',
    ...workflowSource(),
  });
  const running = group.run();
  return {
    ...group,
    running,
    stop: async () => {
      group.shutdown();
      await running;
    },
  };
}
