// System Log polling as a poller uses it: the `next` cursor of an ASCENDING query without `until` is
// always there, returns exactly what happened since, and survives empty pages; bounded queries end.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { person, raw, rejectsWith, startSandbox, sswsClient } from '../../integrations/okta/harness';

describe('sandbox Okta System Log', () => {
  let sb: RunningOktaSandbox;
  before(async () => {
    sb = await startSandbox();
  });
  after(async () => {
    await sb.close();
  });

  it('given a poller holding the next URL, when changes happen between polls, then each poll returns only the new events', async () => {
    const c = sswsClient(sb.url);
    const since = new Date(Date.now() - 1000).toISOString();
    const first = await c.listLogs({ since, filter: 'eventType sw "user."', limit: 2 });
    assert.deepEqual(first.events, []);
    assert.ok(first.nextUrl, 'a polling query always has next, even when empty');

    const a = await c.createUser(person('poll-a'), { password: 'Sandbox!Pass1' });
    const b = await c.createUser(person('poll-b'), { password: 'Sandbox!Pass1' });
    await c.suspendUser(a.id);

    const p1 = await c.listLogs({ nextUrl: first.nextUrl });
    assert.deepEqual(
      p1.events.map((e) => `${e.eventType}:${e.target[0]?.id}`),
      [`user.lifecycle.create:${a.id}`, `user.lifecycle.activate:${a.id}`],
    );
    const p2 = await c.listLogs({ nextUrl: p1.nextUrl });
    assert.deepEqual(
      p2.events.map((e) => `${e.eventType}:${e.target[0]?.id}`),
      [`user.lifecycle.create:${b.id}`, `user.lifecycle.activate:${b.id}`],
    );
    const p3 = await c.listLogs({ nextUrl: p2.nextUrl });
    assert.deepEqual(
      p3.events.map((e) => e.eventType),
      ['user.lifecycle.suspend'],
    );
    const p4 = await c.listLogs({ nextUrl: p3.nextUrl });
    assert.deepEqual(p4.events, []);
    assert.ok(p4.nextUrl);
    await c.unsuspendUser(a.id);
    const p5 = await c.listLogs({ nextUrl: p4.nextUrl });
    assert.deepEqual(
      p5.events.map((e) => e.eventType),
      ['user.lifecycle.unsuspend'],
    );
    const ev = p5.events[0]!;
    assert.equal(ev.actor.type, 'User');
    assert.equal(ev.outcome?.result, 'SUCCESS');
    assert.equal(ev.target[0]?.alternateId, 'userpoll-a@example.test');
    assert.ok(ev.debugContext?.debugData?.requestId);
  });

  it('given a bounded query, when the last page is read, then there is no next link', async () => {
    const c = sswsClient(sb.url);
    const since = new Date(Date.now() - 60_000).toISOString();
    const until = new Date(Date.now() + 1000).toISOString();
    const page = await c.listLogs({ since, until, limit: 1000 });
    assert.ok(page.events.length > 0);
    assert.equal(page.nextUrl, undefined);
    const small = await c.listLogs({ since, until, limit: 1 });
    assert.ok(small.nextUrl, 'more rows exist');
    const desc = await c.listLogs({ since, sortOrder: 'DESCENDING', limit: 1000 });
    assert.equal(desc.events[0]?.eventType, 'user.lifecycle.unsuspend');
  });

  it('given bad query parameters, when logs are read, then Okta errors come back', async () => {
    const c = sswsClient(sb.url);
    await rejectsWith(c.listLogs({ filter: 'eventType eq' }), 'VALIDATION', 'E0000031');
    await rejectsWith(
      c.listLogs({ filter: 'published gt "2020-01-01T00:00:00Z"' }),
      'VALIDATION',
      'E0000031',
    );
    await rejectsWith(c.listLogs({ since: '2000-01-01T00:00:00Z' }), 'VALIDATION', 'E0000053');
    const res = await raw(sb.url, 'GET', '/api/v1/logs?limit=5000');
    assert.equal(((await res.json()) as { errorCode: string }).errorCode, 'E0000029');
    const q = await c.listLogs({ q: 'poll-b', since: new Date(Date.now() - 60_000).toISOString() });
    assert.ok(q.events.length >= 2 && q.events.every((e) => JSON.stringify(e).includes('poll-b')));
  });

  it('given a since more than 180 days ago, when the System Log is queried, then Okta answers 400 E0000053 with its documented summary, even for a bounded query', async () => {
    const old = new Date(Date.now() - 181 * 86_400_000).toISOString();
    const res = await raw(sb.url, 'GET', `/api/v1/logs?since=${old}&until=${new Date().toISOString()}`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { errorCode: string; errorSummary: string };
    assert.equal(body.errorCode, 'E0000053');
    assert.equal(
      body.errorSummary,
      'Invalid parameter: The since parameter is over 180 days prior to the current day.',
    );
    const recent = new Date(Date.now() - 179 * 86_400_000).toISOString();
    assert.equal((await raw(sb.url, 'GET', `/api/v1/logs?since=${recent}`)).status, 200);
  });
});
