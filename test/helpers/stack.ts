// The product's back end for workflow tests: both sandboxes (demo tenant, in memory), the real clients and
// activities over them, and a worker on unique task queues against the shared Temporal server. Tests drive
// it the way the tenants would: sandbox actor endpoints, then the signal a webhook would send.
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { createActivitySets, createVendorClients, type VendorEndpoints } from '../../src/worker';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/logging';
import { startFreshserviceSandbox, type RunningFreshserviceSandbox } from '../../src/sandbox/freshservice';
import { startOktaSandbox, type RunningOktaSandbox } from '../../src/sandbox/okta';
import { SANDBOX_FRESHSERVICE_API_KEY, SANDBOX_OKTA_API_TOKEN } from '../../src/sandbox/credentials';
import { TEST_SECRETS } from './api';
import { startTestWorker, testEnv, uniqueTaskQueues, type TestWorker } from './temporal';

export const TEST_POLICY_FILE = join(__dirname, '..', 'fixtures', 'test-policy.yaml');

export type TestStack = {
  config: Config;
  client: Client;
  okta: RunningOktaSandbox;
  freshservice: RunningFreshserviceSandbox;
  vendors: VendorEndpoints;
  worker: TestWorker;
  taskQueues: ReturnType<typeof uniqueTaskQueues>;
  stop(): Promise<void>;
};

export async function startTestStack(env: Record<string, string> = {}): Promise<TestStack> {
  const temporal = await testEnv();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name: 'test-stack' });
  const okta = await startOktaSandbox({ apiTokens: [SANDBOX_OKTA_API_TOKEN], seed: 'demo', logger });
  // Ticket ids of its own: workflow IDs are business keys (fs-ticket:<id>) on the server all test files share.
  const freshservice = await startFreshserviceSandbox({
    apiKeys: [SANDBOX_FRESHSERVICE_API_KEY],
    seed: 'demo',
    firstTicketId: 100_000 + Math.floor(Math.random() * 900_000_000),
    logger,
  });
  const taskQueues = uniqueTaskQueues('stack');
  const config = loadConfig({
    ...TEST_SECRETS,
    LOG_LEVEL: 'silent',
    ACCESS_POLICY_FILE: TEST_POLICY_FILE,
    TEMPORAL_TASK_QUEUE: taskQueues.workflows,
    OKTA_TASK_QUEUE: taskQueues.okta,
    FRESHSERVICE_TASK_QUEUE: taskQueues.freshservice,
    ...env,
  });
  const vendors = createVendorClients(config, logger, {
    okta: okta.url,
    freshservice: freshservice.publicUrl,
  });
  const worker = await startTestWorker({
    taskQueues,
    activities: createActivitySets(config, vendors, () => temporal.client),
  });
  return {
    config,
    client: temporal.client,
    okta,
    freshservice,
    vendors,
    worker,
    taskQueues,
    stop: async () => {
      await worker.stop();
      await Promise.all([okta.close(), freshservice.close()]);
    },
  };
}

export { sandboxGet, sandboxPost } from '../../src/sandbox/actor-client';
