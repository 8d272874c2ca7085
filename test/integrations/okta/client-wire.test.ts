// The Okta client against the sandbox org over real HTTP: auth (SSWS, OAuth private_key_jwt), error
// bodies mapped to VendorError, Link pagination, 429 with reset, 5xx and lost responses.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOktaClient } from '../../../src/integrations/okta';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { admin, collect, oauthClient, person, raw, rejectsWith, startSandbox, sswsClient } from './harness';

describe('Okta client wire rules against the sandbox', () => {
  let sb: RunningOktaSandbox;
  before(async () => {
    sb = await startSandbox({ rateWindowMs: 1000 });
  });
  after(async () => {
    await sb.close();
  });

  it('given a wrong API token, when the client reads a user, then it fails UNAUTHORIZED with E0000011 and a request id', async () => {
    const bad = createOktaClient({ orgUrl: sb.url, auth: { kind: 'ssws', token: 'not-a-token' } });
    const err = await rejectsWith(bad.getUser('nobody@example.test'), 'UNAUTHORIZED', 'E0000011');
    assert.equal(err.status, 401);
    assert.ok(err.requestId && err.requestId.length > 10);
  });

  it('given any response, when inspected on the wire, then it has X-Okta-Request-Id and an Okta error body', async () => {
    const res = await raw(sb.url, 'GET', '/api/v1/users/ghost@example.test');
    assert.equal(res.status, 404);
    assert.ok(res.headers.get('x-okta-request-id'));
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.errorCode, 'E0000007');
    assert.equal(body.errorLink, 'E0000007');
    assert.equal(typeof body.errorId, 'string');
    assert.ok(Array.isArray(body.errorCauses));
  });

  it('given an existing login, when the client creates it again, then it fails CONFLICT with the login cause', async () => {
    const c = sswsClient(sb.url);
    await c.createUser(person('dup'), { password: 'Sandbox!Pass1' });
    const err = await rejectsWith(c.createUser(person('dup')), 'CONFLICT', 'E0000001');
    assert.equal(err.status, 400);
    assert.ok(err.causes.some((x) => x.field === 'login' && /already exists/.test(x.message)));
  });

  it('given a body missing required fields, when posted, then VALIDATION names each field', async () => {
    const c = sswsClient(sb.url);
    const err = await rejectsWith(
      c.createUser({
        login: 'nolast@example.test',
        email: 'nolast@example.test',
        firstName: 'No',
        lastName: '',
      }),
      'VALIDATION',
      'E0000001',
    );
    assert.ok(err.causes.some((x) => x.field === 'lastName'));
    const res = await raw(sb.url, 'POST', '/api/v1/groups', { profile: {} });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { errorCode: string }).errorCode, 'E0000001');
    const garbled = await fetch(`${sb.url}/api/v1/groups`, {
      method: 'POST',
      headers: {
        authorization: 'SSWS sandbox-test-api-token-000000000001',
        'content-type': 'application/json',
      },
      body: '{not json',
    });
    assert.equal(((await garbled.json()) as { errorCode: string }).errorCode, 'E0000003');
  });

  it('given 25 matching users, when searched with limit 10, then three pages are followed through Link next', async () => {
    const c = sswsClient(sb.url);
    for (let i = 0; i < 25; i++) {
      await c.createUser({ ...person(`page${i}`), department: 'Paging' }, { password: 'Sandbox!Pass1' });
    }
    const first = await raw(
      sb.url,
      'GET',
      `/api/v1/users?search=${encodeURIComponent('profile.department eq "Paging"')}&limit=10`,
    );
    const link = first.headers.get('link') ?? '';
    assert.match(link, /rel="self"/);
    assert.match(link, new RegExp(`<${sb.url}/api/v1/users\\?[^>]*after=[^>]*>; rel="next"`));
    const all = await collect(c.searchUsers('profile.department eq "Paging"', { limit: 10 }));
    assert.equal(all.length, 25);
    assert.equal(new Set(all.map((u) => u.id)).size, 25);
    const bad = await raw(sb.url, 'GET', '/api/v1/users?after=garbage!&limit=10');
    assert.equal(((await bad.json()) as { errorCode: string }).errorCode, 'E0000029');
  });

  it('given a bucket of 2 per window, when a third call is made, then 429 RATE_LIMITED carries retryAfterMs and a call after it succeeds', async () => {
    await admin(sb.url, 'PUT', '/__sandbox/rate-limits', { limits: { 'groups.id': 2 } });
    const seeded = await admin<{ groups: Record<string, string> }>(sb.url, 'POST', '/__sandbox/seed', {
      groups: [{ name: 'Rate Limited' }],
    });
    const gid = seeded.groups['Rate Limited']!;
    // Another caller spends the bucket, so this client has no budget headers to slow down on.
    assert.equal((await raw(sb.url, 'GET', `/api/v1/groups/${gid}`)).status, 200);
    assert.equal((await raw(sb.url, 'GET', `/api/v1/groups/${gid}`)).status, 200);
    const c = sswsClient(sb.url);
    const err = await rejectsWith(c.getGroup(gid), 'RATE_LIMITED', 'E0000047');
    assert.ok(
      err.retryAfterMs !== undefined && err.retryAfterMs >= 0 && err.retryAfterMs <= 2000,
      String(err.retryAfterMs),
    );
    await new Promise((r) => setTimeout(r, err.retryAfterMs));
    assert.equal((await c.getGroup(gid)).id, gid);
    await admin(sb.url, 'PUT', '/__sandbox/rate-limits', { limits: { 'groups.id': 1000 } });
  });

  it('given a low remaining budget, when the client calls again, then it waits for the reset instead of hitting 429', async () => {
    await admin(sb.url, 'PUT', '/__sandbox/rate-limits', { limits: { 'apps.id': 3 } });
    const seeded = await admin<{ apps: Record<string, string> }>(sb.url, 'POST', '/__sandbox/seed', {
      apps: [{ name: 'throttled_app', label: 'Throttled' }],
    });
    const appId = seeded.apps.throttled_app!;
    // With ratio 0.5 the client pauses once Remaining <= 1 of 3, so the 4 calls never see a 429.
    const c = sswsClient(sb.url, { lowRemainingRatio: 0.5 });
    for (let i = 0; i < 4; i++) assert.equal((await c.getApp(appId)).id, appId);
    await admin(sb.url, 'PUT', '/__sandbox/rate-limits', { limits: { 'apps.id': 500 } });
  });

  it('given a 503 fault, when the client calls, then it fails VENDOR_UNAVAILABLE with an Okta body, and the next call works', async () => {
    const c = sswsClient(sb.url);
    const u = await c.createUser(person('fault5xx'), { password: 'Sandbox!Pass1' });
    await admin(sb.url, 'POST', '/__sandbox/faults', {
      method: 'GET',
      path: '/api/v1/users',
      kind: 'status',
      status: 503,
    });
    const err = await rejectsWith(c.getUser(u.id), 'VENDOR_UNAVAILABLE', 'E0000009');
    assert.equal(err.status, 503);
    assert.equal((await c.getUser(u.id)).id, u.id);
  });

  it('given a dropped response, when the client suspends a user, then it sees VENDOR_UNAVAILABLE but a re-read shows the change', async () => {
    const c = sswsClient(sb.url);
    const u = await c.createUser(person('dropped'), { password: 'Sandbox!Pass1' });
    await admin(sb.url, 'POST', '/__sandbox/faults', {
      method: 'POST',
      path: `/api/v1/users/${u.id}/lifecycle/suspend`,
      kind: 'drop-response',
    });
    await rejectsWith(c.suspendUser(u.id), 'VENDOR_UNAVAILABLE');
    assert.equal((await c.getUser(u.id)).status, 'SUSPENDED');
  });

  it('given an OAuth service app, when the client calls with granted scopes, then private_key_jwt gets a token and calls succeed', async () => {
    const { client } = await oauthClient(sb.url, ['okta.users.read', 'okta.users.manage']);
    const u = await client.createUser(person('oauth'), { password: 'Sandbox!Pass1' });
    assert.equal((await client.getUser(u.profile.login)).id, u.id);
    assert.equal(await client.findUserByLogin('user-oauth-none@example.test'), undefined);
  });

  it('given a token lacking a scope, when the client calls a manage endpoint, then it fails FORBIDDEN E0000006', async () => {
    const { client } = await oauthClient(sb.url, ['okta.users.read']);
    await rejectsWith(client.createUser(person('noscope')), 'FORBIDDEN', 'E0000006');
    await rejectsWith(client.listLogs({}), 'FORBIDDEN', 'E0000006');
  });

  it('given a client asking for a scope it was not granted, when it authenticates, then the token request fails FORBIDDEN invalid_scope', async () => {
    const { client } = await oauthClient(sb.url, ['okta.users.read'], ['okta.users.read', 'okta.logs.read']);
    await rejectsWith(client.getUser('anyone@example.test'), 'FORBIDDEN', 'invalid_scope');
  });

  it('given a cached token the org no longer knows, when the client calls, then it refreshes once and succeeds', async () => {
    const { client } = await oauthClient(sb.url, ['okta.groups.read']);
    const seeded = await admin<{ groups: Record<string, string> }>(sb.url, 'POST', '/__sandbox/seed', {
      groups: [{ name: 'Refresh Group' }],
    });
    const gid = seeded.groups['Refresh Group']!;
    assert.equal((await client.getGroup(gid)).id, gid);
    sb.runtime.oauth.revokeAll();
    assert.equal((await client.getGroup(gid)).id, gid);
  });

  it('given a JWT signed by another key, when posted to the token endpoint, then Okta answers 401 invalid_client', async () => {
    const registered = await oauthClient(sb.url, ['okta.users.read']);
    const impostor = await oauthClient(sb.url, ['okta.users.read']);
    const forged = createOktaClient({
      orgUrl: sb.url,
      auth: {
        kind: 'oauth',
        clientId: registered.clientId,
        privateKey: impostor.privateKeyPem,
        scopes: ['okta.users.read'],
      },
    });
    const err = await rejectsWith(forged.getUser('x@example.test'), 'UNAUTHORIZED', 'invalid_client');
    assert.equal(err.status, 401);
  });

  it('given a Link cursor pointing at another host, when listLogs follows it, then the client refuses to send credentials', async () => {
    const c = sswsClient(sb.url);
    await rejectsWith(c.listLogs({ nextUrl: 'https://evil.example.com/api/v1/logs?after=x' }), 'VALIDATION');
  });
});
