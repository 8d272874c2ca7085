// The Temporal server a bench run uses: the one `npm test` already runs (TEMPORAL_TEST_ADDRESS) or a dev
// server of the bench's own (in memory, headless, on a free port outside the ephemeral range), plus the
// product workflow bundle built once per run so every worker in the run starts without webpack.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { resolveTemporalCli, startDevServer } from '../../src/temporal/dev-server';
import { bundleTo } from '../../scripts/bundle-workflows';
import { getFreePort } from '../../test/helpers/ports';

export type BenchTemporal = { address: string; bundlePath: string; stop(): Promise<void> };

/** Installs a quiet Temporal runtime once per process (worker chatter would drown the table). */
export function quietTemporalRuntime(): void {
  try {
    // Vendor workers poll activities only and the waiting worker workflows only; the SDK warns about each.
    const expected = /^No (workflows|activities) registered/;
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => {
        if (!expected.test(entry.message))
          process.stderr.write(`[temporal ${entry.level}] ${entry.message}\n`);
      }),
    });
  } catch {
    // Already installed in this process (the test runner's helpers may have done it).
  }
}

export async function startBenchTemporal(existingAddress?: string): Promise<BenchTemporal> {
  quietTemporalRuntime();
  const scratch = mkdtempSync(join(tmpdir(), 'access-bridge-bench-'));
  const bundlePath = join(scratch, 'workflow-bundle.js');
  await bundleTo(resolve(__dirname, '..', '..', 'src', 'workflows', 'index.ts'), bundlePath);
  if (existingAddress) {
    return {
      address: existingAddress,
      bundlePath,
      stop: () => Promise.resolve(rmSync(scratch, { recursive: true, force: true })),
    };
  }
  const server = await startDevServer({
    cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI_PATH),
    port: await getFreePort(),
    namespace: 'default',
    logLevel: 'error',
  });
  return {
    address: server.address,
    bundlePath,
    stop: async () => {
      await server.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
