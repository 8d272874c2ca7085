// The sandbox's wire format seen by a plain HTTP client: headers on every response, 201 + Location,
// null (never omitted) blank fields, page/per_page rules with the link header, JSON-only bodies, 405,
// the 30-day default window, persistence across a restart, and admin endpoints outside faults and limits.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFreshserviceSandbox, type RunningFreshserviceSandbox } from '../../../src/sandbox/freshservice';
import {
  createFreshserviceClient,
  freshserviceWebhookTemplate,
} from '../../../src/integrations/freshservice';
import { z } from 'zod';
import { ZFsTicket } from '../../../src/integrations/freshservice';
import { collect } from '../../integrations/freshservice/harness';

/** Freshservice's error body, read strictly enough to assert on. */
const ZErr = z.object({
  description: z.string(),
  errors: z.array(z.object({ field: z.string().optional(), message: z.string(), code: z.string() })),
});
const errorsOf = (body: unknown) => ZErr.parse(body).errors;
const ticketOf = (body: unknown) => z.object({ ticket: ZFsTicket }).parse(body).ticket;
const listOf = (body: unknown, key: string) => z.object({ [key]: z.array(z.unknown()) }).parse(body)[key]!;

const KEY = 'wire-test-key-0001';
const AUTH = `Basic ${Buffer.from(`${KEY}:X`).toString('base64')}`;

async function call(
  sb: RunningFreshserviceSandbox,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: {
      authorization: AUTH,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('sandbox Freshservice wire format', () => {
  let sb: RunningFreshserviceSandbox;
  before(async () => {
    sb = await startFreshserviceSandbox({
      apiKeys: [KEY],
      seed: 'demo',
      publicUrl: 'https://acme.freshservice.test',
    });
  });
  after(async () => {
    await sb.close();
  });

  it('given any API call, when it answers, then rate-limit and version headers are present', async () => {
    const ok = await call(sb, 'GET', '/api/v2/agents');
    const denied = await call(sb, 'GET', '/api/v2/agents', undefined, { authorization: 'Basic bm9wZTpY' });
    for (const r of [ok, denied]) {
      assert.ok(Number(r.headers.get('x-ratelimit-total')) > 0);
      assert.ok(r.headers.get('x-ratelimit-remaining') !== null);
      assert.equal(r.headers.get('x-ratelimit-used-currentrequest'), '1');
      assert.equal(r.headers.get('x-freshservice-api-version'), 'latest=v2; requested=v2');
    }
    assert.equal(denied.status, 401);
    assert.deepEqual(
      errorsOf(denied.body).map((e) => e.code),
      ['invalid_credentials'],
    );
    assert.equal(errorsOf(denied.body)[0]?.field, undefined, 'field only on 400');
  });

  it('given a created ticket, when read, then 201 + Location on the public URL and blank fields are null', async () => {
    const created = await call(sb, 'POST', '/api/v2/tickets', {
      email: 'ada.lovelace@acme.example',
      description: 'x',
      status: 2,
      priority: 1,
    });
    assert.equal(created.status, 201);
    const t = ticketOf(created.body);
    assert.equal(created.headers.get('location'), `https://acme.freshservice.test/api/v2/tickets/${t.id}`);
    const raw = z.object({ ticket: z.record(z.string(), z.unknown()) }).parse(created.body).ticket;
    for (const f of ['subject', 'responder_id', 'group_id', 'category', 'resolution_notes', 'to_emails']) {
      assert.ok(f in raw && raw[f] === null, `${f} is present and null`);
    }
    assert.match(t.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const withIncludes = await call(
      sb,
      'GET',
      `/api/v2/tickets/${t.id}?include=requester,requested_for,stats`,
    );
    assert.equal(
      withIncludes.headers.get('x-ratelimit-used-currentrequest'),
      '2',
      'include costs one extra credit',
    );
    assert.equal(ticketOf(withIncludes.body).requester?.email, 'ada.lovelace@acme.example');
    const badInclude = await call(sb, 'GET', `/api/v2/tickets/${t.id}?include=everything`);
    assert.equal(badInclude.status, 400);
    assert.equal(errorsOf(badInclude.body)[0]?.field, 'include');
  });

  it('given paging parameters, when out of range, then 400; when more pages exist, then a next link and none on the last page', async () => {
    assert.equal((await call(sb, 'GET', '/api/v2/requesters?per_page=101')).status, 400);
    assert.equal(errorsOf((await call(sb, 'GET', '/api/v2/requesters?page=0')).body)[0]?.field, 'page');
    const first = await call(sb, 'GET', '/api/v2/requesters?per_page=5');
    assert.equal(listOf(first.body, 'requesters').length, 5);
    assert.equal(
      first.headers.get('link'),
      '<https://acme.freshservice.test/api/v2/requesters?per_page=5&page=2>; rel="next"',
    );
    const last = await call(sb, 'GET', '/api/v2/requesters?per_page=5&page=2');
    assert.ok(listOf(last.body, 'requesters').length <= 5);
    assert.equal(last.headers.get('link'), null);
  });

  it('given a non-JSON or malformed body, when posted, then 415 or 400 invalid_json', async () => {
    const form = await call(sb, 'POST', '/api/v2/requesters', 'first_name=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    assert.equal(form.status, 415);
    const broken = await call(sb, 'POST', '/api/v2/requesters', '{"first_name":', {});
    assert.equal(broken.status, 400);
    assert.equal(errorsOf(broken.body)[0]?.code, 'invalid_json');
  });

  it('given a known path, when called with the wrong method, then 405', async () => {
    assert.equal((await call(sb, 'DELETE', '/api/v2/agents')).status, 405);
  });

  it('given a ticket older than 30 days, when listed without updated_since, then it is left out; with updated_since it is found', async () => {
    const old = await call(sb, 'POST', '/api/v2/tickets', {
      email: 'old@acme.example',
      description: 'old',
      status: 2,
      priority: 1,
    });
    const record = sb.store.tickets.get(ticketOf(old.body).id)!;
    record.created_at = '2020-01-01T00:00:00Z';
    const plain = await call(sb, 'GET', '/api/v2/tickets?email=old@acme.example');
    assert.equal(listOf(plain.body, 'tickets').length, 0);
    const since = await call(
      sb,
      'GET',
      '/api/v2/tickets?email=old@acme.example&updated_since=2019-12-31T00:00:00Z',
    );
    assert.equal(listOf(since.body, 'tickets').length, 1);
    const bad = await call(sb, 'GET', '/api/v2/tickets?updated_since=yesterday');
    assert.equal(errorsOf(bad.body)[0]?.field, 'updated_since');
  });

  it('given faults and a spent budget, when admin endpoints are called, then they still answer', async () => {
    const admin = (path: string, method = 'GET', body?: unknown) =>
      fetch(`${sb.url}/__sandbox${path}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    assert.equal((await admin('/rate-limits', 'PUT', { overall: 1 })).status, 200);
    assert.equal(
      (await admin('/faults', 'POST', { path: '/', kind: 'status', status: 500, times: 5 })).status,
      201,
    );
    await call(sb, 'GET', '/api/v2/agents');
    const limited = await call(sb, 'GET', '/api/v2/agents');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    const state = await admin('/state');
    assert.equal(state.status, 200);
    assert.equal((await admin('/faults', 'DELETE')).status, 204);
    assert.equal((await admin('/rate-limits', 'PUT', {})).status, 200);
  });
});

describe('sandbox Freshservice persistence', () => {
  it('given a data file, when the sandbox restarts, then tickets, ids and automator rules survive and the seed is not repeated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-sandbox-'));
    const dataFile = join(dir, 'freshservice.json');
    try {
      const first = await startFreshserviceSandbox({ apiKeys: [KEY], seed: 'demo', dataFile });
      const c1 = createFreshserviceClient({ baseUrl: first.url, apiKey: KEY });
      const t = await c1.createTicket({
        email: 'ada.lovelace@acme.example',
        description: 'persist',
        status: 2,
        priority: 3,
        tags: ['keep'],
      });
      const rules = [
        {
          event: 'ticket_created',
          url: 'http://127.0.0.1:9/hook',
          body: freshserviceWebhookTemplate('ticket_created'),
        },
      ];
      await fetch(`${first.url}/__sandbox/automator/rules`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(rules),
      });
      const requestersBefore = (await collect(c1.listRequesters())).length;
      await first.close();

      const second = await startFreshserviceSandbox({ apiKeys: [KEY], seed: 'demo', dataFile });
      try {
        const c2 = createFreshserviceClient({ baseUrl: second.url, apiKey: KEY });
        const again = await c2.getTicket(t.id);
        assert.deepEqual([again.priority, again.tags, again.created_at], [3, ['keep'], t.created_at]);
        assert.equal((await collect(c2.listRequesters())).length, requestersBefore);
        const next = await c2.createTicket({
          email: 'ada.lovelace@acme.example',
          description: 'n',
          status: 2,
          priority: 1,
        });
        assert.equal(next.id, t.id + 1, 'ids continue');
        assert.equal(second.automator.getRules().length, 1);
      } finally {
        second.automator.setRules([]);
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
