// The product's worker in a process of its own (scenario 4), so the RSS and CPU the bench reads from /proc
// are the worker's alone. It is what `npm run worker` runs against real tenants: config from the
// environment (OKTA_ORG_URL/OKTA_API_TOKEN and FRESHSERVICE_BASE_URL/FRESHSERVICE_API_KEY name the bench's
// sandboxes), the real vendor clients and activities, and createWorkers on the product's task queues. Only
// the workflow code differs in how it arrives: the bundle the bench built once (argument 1), as a production
// worker loads dist/workflow-bundle.js, instead of webpack in this process. Prints one JSON line when polling.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createActivitySets, createVendorClients, createWorkers } from '../../src/worker';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { createLazyTemporalClient } from '../../src/temporal/client';
import { temporalConnectOptions } from '../../src/temporal/connection';

async function main(): Promise<void> {
  const [bundlePath] = process.argv.slice(2);
  if (!bundlePath) throw new Error('usage: worker-process.ts <workflow bundle path>');
  const config = loadConfig(process.env);
  const address = config.temporal.address;
  if (!address) throw new Error('TEMPORAL_ADDRESS is required');
  if (config.okta.mode !== 'real' || config.freshservice.mode !== 'real')
    throw new Error(
      'the bench worker is configured as for real tenants (OKTA_ORG_URL, FRESHSERVICE_BASE_URL)',
    );
  // Warnings and errors only, on stderr: stdout carries the ready line the bench waits for. The vendor
  // workers poll activities only, and the SDK says so for each.
  const expected = /^No (workflows|activities) registered/;
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => {
      if (!expected.test(entry.message)) process.stderr.write(`[worker] ${entry.message}\n`);
    }),
  });
  const logger = createLogger({ level: config.logLevel, name: 'bench-worker' });
  const vendors = createVendorClients(config, logger);
  const intake = createLazyTemporalClient(config, address);
  const connection = await NativeConnection.connect(temporalConnectOptions(config.temporal, address));
  const group = await createWorkers({
    connection,
    namespace: config.temporal.namespace,
    taskQueues: config.temporal.taskQueues,
    okta: config.okta,
    freshservice: config.freshservice,
    activities: createActivitySets(config, vendors, () => intake.client),
    workflowBundlePath: bundlePath,
    shutdownGraceTime: '1s',
  });
  process.once('SIGTERM', () => group.shutdown());
  const running = group.run();
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
  await running;
  await Promise.all([connection.close(), intake.close()]);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
