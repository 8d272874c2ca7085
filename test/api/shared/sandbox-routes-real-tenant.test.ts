// Holds the README's promise that the sandbox-only `/__sandbox` endpoints are never mounted for a real
// tenant: with a vendor's credentials set, `npm start`'s startSandboxes runs no sandbox for it (nothing
// answers on its port) and the product API itself has no `/__sandbox` route.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logging';
import { startSandboxes, type RunningSandboxes } from '../../../src/sandbox/start';
import type { RunningApi } from '../../../src/api/server';
import { startTestApi } from '../../helpers/api';
import { getFreePort } from '../../helpers/ports';
import { testEnv } from '../../helpers/temporal';

const REAL_OKTA = { OKTA_ORG_URL: 'https://acme.okta.com', OKTA_API_TOKEN: '00abcdefghijklmnop' };
const REAL_FRESHSERVICE = { FRESHSERVICE_DOMAIN: 'acme', FRESHSERVICE_API_KEY: 'abcdefghijkl' };
const logger = createLogger({ level: 'silent' });

/** The status of GET /__sandbox/state at `base`, or 'refused' when nothing listens there. */
async function sandboxStateStatus(base: string): Promise<number | 'refused'> {
  try {
    return (await fetch(`${base}/__sandbox/state`)).status;
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    assert.equal(code, 'ECONNREFUSED', `unexpected fetch failure ${String(err)}`);
    return 'refused';
  }
}

describe('/__sandbox and real tenants', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'access-bridge-real-tenant-'));
  const started: RunningSandboxes[] = [];
  after(async () => {
    await Promise.all(started.map((s) => s.close()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>) {
    const ports = { okta: await getFreePort(), freshservice: await getFreePort() };
    const config = loadConfig({
      ...env,
      SANDBOX_OKTA_PORT: String(ports.okta),
      SANDBOX_FRESHSERVICE_PORT: String(ports.freshservice),
    });
    const sandboxes = await startSandboxes(config, logger, { dataDir });
    started.push(sandboxes);
    return {
      sandboxes,
      okta: `http://127.0.0.1:${ports.okta}`,
      freshservice: `http://127.0.0.1:${ports.freshservice}`,
    };
  }

  it('given no credentials, when the sandboxes start, then both serve /__sandbox (the probe is real)', async () => {
    const { sandboxes, okta, freshservice } = await start({});
    assert.ok(sandboxes.okta && sandboxes.freshservice, 'both sandboxes run');
    assert.equal(await sandboxStateStatus(okta), 200);
    assert.equal(await sandboxStateStatus(freshservice), 200);
  });

  it('given both real tenants, when the sandboxes would start, then none runs and no /__sandbox answers', async () => {
    const { sandboxes, okta, freshservice } = await start({ ...REAL_OKTA, ...REAL_FRESHSERVICE });
    assert.equal(sandboxes.okta, undefined);
    assert.equal(sandboxes.freshservice, undefined);
    assert.equal(sandboxes.urls, undefined, 'the vendor clients get no sandbox URL');
    assert.equal(await sandboxStateStatus(okta), 'refused');
    assert.equal(await sandboxStateStatus(freshservice), 'refused');
  });

  it('given a real Okta only, when the sandboxes start, then only the Freshservice sandbox serves /__sandbox', async () => {
    const { sandboxes, okta, freshservice } = await start(REAL_OKTA);
    assert.equal(sandboxes.okta, undefined);
    assert.equal(await sandboxStateStatus(okta), 'refused');
    assert.equal(await sandboxStateStatus(freshservice), 200);
  });

  it('given a real Freshservice only, when the sandboxes start, then only the Okta sandbox serves /__sandbox', async () => {
    const { sandboxes, okta, freshservice } = await start(REAL_FRESHSERVICE);
    assert.equal(sandboxes.freshservice, undefined);
    assert.equal(await sandboxStateStatus(freshservice), 'refused');
    assert.equal(await sandboxStateStatus(okta), 200);
  });

  describe('the product API with real tenants', () => {
    let api: RunningApi;
    before(async () => {
      api = await startTestApi((await testEnv()).address, { ...REAL_OKTA, ...REAL_FRESHSERVICE });
    });
    after(async () => {
      await api.close();
    });

    it('given the API for real tenants, when /__sandbox routes are called, then each is a 404', async () => {
      for (const [method, path] of [
        ['GET', '/__sandbox/state'],
        ['POST', '/__sandbox/reset'],
        ['PUT', '/__sandbox/automator/rules'],
        ['POST', '/__sandbox/actor/requests'],
      ] as const) {
        const res = await fetch(`${api.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: method === 'GET' ? undefined : '{}',
        });
        assert.equal(res.status, 404, `${method} ${path}`);
        const body = (await res.json()) as { error: { code: string } };
        assert.equal(body.error.code, 'NOT_FOUND');
      }
    });
  });
});
