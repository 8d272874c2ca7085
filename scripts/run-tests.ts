// The test runner behind `npm test`: starts one Temporal dev server and one prebuilt test workflow bundle
// for the whole run (the machine has 2 cores; a server per file would not fit), runs every test file with
// Node's built-in runner through tsx, and stops the server whatever happens. Arguments filter files.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { resolveTemporalCli, startDevServer } from '../src/temporal/dev-server';
import { getFreePort } from '../test/helpers/ports';
import { bundleTo } from './bundle-workflows';

const root = resolve(__dirname, '..');
/** RELIABILITY_SLOW=1 raises the reliability sizes and adds any `*.slow-test.ts` files. */
const SLOW = process.env.RELIABILITY_SLOW === '1';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (name.endsWith('.test.ts') || (SLOW && name.endsWith('.slow-test.ts'))) out.push(full);
  }
  return out.sort();
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const files = findTests(join(root, 'test'))
    .map((f) => relative(root, f))
    .filter((f) => filters.length === 0 || filters.some((flt) => f.includes(flt)));
  if (files.length === 0) {
    console.error(`no test files match ${filters.join(' ')}`);
    return 1;
  }

  const scratch = mkdtempSync(join(tmpdir(), 'access-bridge-test-'));
  const bundle = join(scratch, 'test-workflow-bundle.js');
  console.log('[run-tests] bundling test workflows once for the whole run');
  await bundleTo(join(root, 'test', 'helpers', 'test-workflows.ts'), bundle);

  console.log('[run-tests] starting the Temporal dev server');
  const server = await startDevServer({
    cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI_PATH),
    port: await getFreePort(),
    namespace: 'default',
  });
  console.log(`[run-tests] Temporal at ${server.address}; running ${files.length} test files`);

  const stop = async () => {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => void stop().then(() => process.exit(130)));
  }

  try {
    const code = await new Promise<number>((res) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '--test',
          '--test-reporter=spec',
          `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
          ...files,
        ],
        {
          cwd: root,
          stdio: 'inherit',
          env: {
            ...process.env,
            TEMPORAL_TEST_ADDRESS: server.address,
            TEST_WORKFLOW_BUNDLE: bundle,
            LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
          },
        },
      );
      child.once('exit', (c, sig) => res(c ?? (sig ? 1 : 0)));
    });
    return code;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
