// Holds the README's promise about generated dev secrets: outside production `npm start` writes the webhook
// secrets and admin token it was not given to DATA_DIR/dev-secrets.json, readable by its owner only (0600),
// once, and later starts reuse them. Runs src/main.ts with a Temporal CLI path that does not exist, so the
// process stops right after reading its configuration, before any server starts.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort } from '../helpers/ports';

const root = join(__dirname, '..', '..');
const SECRET_VARIABLES = ['OKTA_WEBHOOK_SECRET', 'FRESHSERVICE_WEBHOOK_SECRET', 'ADMIN_API_TOKEN'];

/** Runs `npm start`'s entry point until it gives up on the missing Temporal CLI; its exit code and output. */
function runMain(
  dataDir: string,
  extra: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const v of [...SECRET_VARIABLES, 'TEMPORAL_ADDRESS', 'TEMPORAL_TEST_ADDRESS', 'NODE_ENV'])
    delete env[v];
  Object.assign(env, {
    DATA_DIR: dataDir,
    TEMPORAL_CLI_PATH: join(dataDir, 'no-such-temporal'),
    API_PORT: '0',
    LOG_LEVEL: 'error',
    ...extra,
  });
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('error', rej);
    child.once('exit', (code) => res({ code, out }));
  });
}

describe('generated dev secrets', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  function tempDir(): string {
    const d = mkdtempSync(join(tmpdir(), 'access-bridge-dev-secrets-'));
    dirs.push(d);
    return d;
  }

  it('given no secrets configured, when npm start runs twice, then dev-secrets.json is 0600 and written once', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'dev-secrets.json');

    const first = await runMain(dataDir);
    assert.equal(first.code, 1, first.out);
    assert.match(first.out, /start-up failed/, 'it got past the configuration');
    assert.ok(existsSync(file), 'dev-secrets.json written');
    assert.equal(statSync(file).mode & 0o777, 0o600, 'owner read/write only');
    const written = readFileSync(file, 'utf8');
    const secrets = JSON.parse(written) as Record<string, string>;
    assert.deepEqual(Object.keys(secrets).sort(), [...SECRET_VARIABLES].sort());
    for (const v of SECRET_VARIABLES) assert.ok(secrets[v]!.length >= 16, `${v} is long enough for config`);
    for (const v of SECRET_VARIABLES) assert.ok(!first.out.includes(secrets[v]!), `${v} is not printed`);

    const second = await runMain(dataDir);
    assert.equal(second.code, 1, second.out);
    assert.equal(readFileSync(file, 'utf8'), written, 'the second start reuses the same secrets');
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it('given a complete production config, when npm start runs, then it generates no secrets file', async () => {
    const dataDir = tempDir();
    const run = await runMain(dataDir, {
      NODE_ENV: 'production',
      // Nothing listens there: the worker's connection fails after the configuration was read.
      TEMPORAL_ADDRESS: `127.0.0.1:${await getFreePort()}`,
      OKTA_ORG_URL: 'https://acme.okta.com',
      OKTA_API_TOKEN: '00abcdefghijklmnop',
      FRESHSERVICE_DOMAIN: 'acme',
      FRESHSERVICE_API_KEY: 'abcdefghijkl',
      OKTA_WEBHOOK_SECRET: 'production-okta-secret-01',
      FRESHSERVICE_WEBHOOK_SECRET: 'production-fs-secret-0001',
      ADMIN_API_TOKEN: 'production-admin-token-01',
    });
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /start-up failed/, 'it got past the configuration');
    assert.ok(!existsSync(join(dataDir, 'dev-secrets.json')), 'no secrets file in production');
  });

  it('given NODE_ENV=production without secrets, when npm start runs, then it refuses with exit 2 and generates nothing', async () => {
    const dataDir = tempDir();
    const run = await runMain(dataDir, { NODE_ENV: 'production' });
    assert.equal(run.code, 2, run.out);
    assert.match(run.out, /ADMIN_API_TOKEN: required when NODE_ENV=production/);
    assert.ok(!existsSync(join(dataDir, 'dev-secrets.json')), 'no secrets file in production');
  });
});
