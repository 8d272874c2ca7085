// Proves the production build that the Dockerfile runs: `tsc -p tsconfig.build.json` plus the prebuilt
// workflow bundle produce the entry points docker-compose starts, and the compiled API and worker run
// against a real Temporal server and stop cleanly on SIGTERM.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleTo } from '../../scripts/bundle-workflows';
import { TEST_SECRETS } from '../helpers/api';
import { getFreePort } from '../helpers/ports';
import { testEnv } from '../helpers/temporal';
import { waitFor } from '../helpers/wait';

const root = join(__dirname, '..', '..');
const out = join(root, 'dist-test', `build-${process.pid}`);

function runNode(entry: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [join(out, entry)], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...TEST_SECRETS, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (b: Buffer) => (text += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (text += b.toString()));
  return { child, output: () => text };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((res) => {
    if (child.exitCode !== null) res(child.exitCode);
    else child.once('exit', (code) => res(code));
  });
}

describe('production build', () => {
  before(async () => {
    const tsc = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', out],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    await bundleTo(join(root, 'src', 'workflows', 'index.ts'), join(out, 'workflow-bundle.js'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('given the build, when listed, then the entry points of the Dockerfile and compose exist', () => {
    for (const f of ['api/server.js', 'worker.js', 'main.js', 'workflow-bundle.js']) {
      assert.ok(existsSync(join(out, f)), `${f} exists`);
    }
  });

  it('given a Temporal server, when the compiled API starts, then /readyz is 200 and SIGTERM stops it', async () => {
    const env = await testEnv();
    const port = await getFreePort();
    const api = runNode('api/server.js', { TEMPORAL_ADDRESS: env.address, API_PORT: String(port) });
    try {
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200,
        'compiled API ready',
      );
    } finally {
      api.child.kill('SIGTERM');
    }
    assert.equal(await exitOf(api.child), 0, api.output());
  });

  it('given a Temporal server, when the compiled worker starts, then it runs the prebuilt bundle and stops on SIGTERM', async () => {
    const env = await testEnv();
    const worker = runNode('worker.js', {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: `build-test-${process.pid}`,
    });
    try {
      await waitFor(() => worker.output().includes('worker running'), 'compiled worker running');
      assert.ok(!worker.output().includes('Workflow bundle created'), 'no webpack bundling at start');
    } finally {
      worker.child.kill('SIGTERM');
    }
    assert.equal(await exitOf(worker.child), 0, worker.output());
  });
});
