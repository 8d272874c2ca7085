// The worker of scenario 4 in a process of its own, so the RSS and CPU the bench reads from /proc are the
// worker's alone. Arguments: Temporal address, task queue. Prints one JSON line when it polls.
import { resolve } from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  const [address, taskQueue] = process.argv.slice(2);
  if (!address || !taskQueue) throw new Error('usage: worker.ts <temporal address> <task queue>');
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => {
      if (!entry.message.startsWith('No activities registered')) process.stderr.write(`${entry.message}\n`);
    }),
  });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue,
    workflowsPath: resolve(__dirname, 'workflows.ts'),
    shutdownGraceTime: '1s',
  });
  process.once('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
  await running;
  await connection.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
