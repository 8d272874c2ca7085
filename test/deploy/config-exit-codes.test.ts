// README promises that a bad or missing configuration value stops the process with exit code 2, naming the
// variable. Every entry point is run here with an invalid LOG_LEVEL: `npm start`, `npm run worker`,
// `npm run api` (and so the compose services), `npm run sandbox` and the operator CLI.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

const ENTRY_POINTS: { name: string; args: string[] }[] = [
  { name: 'npm start (src/main.ts)', args: ['src/main.ts'] },
  { name: 'npm run worker (src/worker.ts)', args: ['src/worker.ts'] },
  { name: 'npm run api (src/api/server.ts)', args: ['src/api/server.ts'] },
  { name: 'npm run sandbox (src/sandbox/main.ts)', args: ['src/sandbox/main.ts'] },
  { name: 'npm run cli (src/cli/index.ts)', args: ['src/cli/index.ts', 'reconcile', '--status'] },
];

describe('entry points with a bad configuration', () => {
  for (const entry of ENTRY_POINTS) {
    it(`given LOG_LEVEL=loud, when ${entry.name} starts, then it exits 2 naming LOG_LEVEL`, () => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', ...entry.args], {
        cwd: root,
        env: { ...process.env, LOG_LEVEL: 'loud' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(run.status, 2, `exit ${run.status}\n${run.stdout}\n${run.stderr}`);
      assert.match(run.stderr, /LOG_LEVEL/);
    });
  }
});
