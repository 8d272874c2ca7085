// Proves the API shell over real HTTP: liveness, readiness that follows Temporal up and down, request ids,
// and JSON errors for unknown routes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi } from '../../helpers/api';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLocalTestEnv } from '../../helpers/temporal';
import type { RunningApi } from '../../../src/api/server';

describe('API health', () => {
  let env: TestWorkflowEnvironment;
  let api: RunningApi;
  let stopped = false;
  before(async () => {
    // A server of this test's own: the last test stops it.
    env = await createLocalTestEnv();
    api = await startTestApi(env.address);
  });
  after(async () => {
    await api.close();
    if (!stopped) await env.teardown();
  });

  it('given a running API, when /healthz is called, then it answers 200 with a request id', async () => {
    const res = await fetch(`${api.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
    assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('given a caller request id, when any route is called, then it is echoed', async () => {
    const res = await fetch(`${api.url}/healthz`, { headers: { 'X-Request-Id': 'okta-abc.123' } });
    assert.equal(res.headers.get('x-request-id'), 'okta-abc.123');
  });

  it('given an unknown route, when called, then a JSON 404 names the route', async () => {
    const res = await fetch(`${api.url}/nope`, { method: 'POST' });
    assert.equal(res.status, 404);
    const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    assert.equal(body.error.code, 'NOT_FOUND');
    assert.match(body.error.message, /POST \/nope/);
    assert.ok(body.error.requestId);
  });

  it('given Temporal is up, when /readyz is called, then it answers 200', async () => {
    const res = await fetch(`${api.url}/readyz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ready', temporal: 'reachable' });
  });

  it('given Temporal is stopped, when /readyz is called, then it answers 503 with Retry-After while /healthz stays 200', async () => {
    await env.teardown();
    stopped = true;
    const res = await fetch(`${api.url}/readyz`);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
    assert.deepEqual(await res.json(), { status: 'unavailable', temporal: 'unreachable' });
    assert.equal((await fetch(`${api.url}/healthz`)).status, 200);
  });
});
