// Event hooks end to end: register through the client, verification GET to a tiny receiver, then
// deliveries as Okta sends them (envelope, auth header, batching, duplicates knob, retry on 5xx).
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ZOktaEventHookDelivery, type TOktaEventHookDelivery } from '../../../src/integrations/okta';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { admin, person, raw, rejectsWith, startSandbox, sswsClient } from '../../integrations/okta/harness';
import { waitFor } from '../../helpers/wait';

type Received = { method: string; headers: IncomingHttpHeaders; body: string };

/** A receiver that answers the challenge, records every delivery, and can fail the next N POSTs. */
async function startReceiver(opts: { answerChallenge: boolean }) {
  const got: Received[] = [];
  let failNext = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ method: req.method ?? '', headers: req.headers, body });
      if (req.method === 'GET') {
        const challenge = req.headers['x-okta-verification-challenge'];
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ verification: opts.answerChallenge ? challenge : 'wrong' }));
        return;
      }
      if (failNext > 0) {
        failNext -= 1;
        res.statusCode = 503;
        res.end();
        return;
      }
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/okta`;
  return {
    url,
    got,
    failNextPosts: (n: number) => (failNext = n),
    posts: (): TOktaEventHookDelivery[] =>
      got.filter((g) => g.method === 'POST').map((g) => ZOktaEventHookDelivery.parse(JSON.parse(g.body))),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('sandbox Okta event hooks', () => {
  let sb: RunningOktaSandbox;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => {
    // Okta batches for a moment; a window wide enough that three back-to-back local changes always share
    // it, even on a loaded machine (the tests wait on deliveries, so a wide window costs only that moment).
    sb = await startSandbox({ hookDelivery: { batchWindowMs: 1500 } });
    rx = await startReceiver({ answerChallenge: true });
  });
  after(async () => {
    await sb.close();
    await rx.close();
  });

  it('given a registered hook, when verified and users change, then batched envelopes arrive with the auth header', async () => {
    const c = sswsClient(sb.url);
    const hook = await c.createEventHook({
      name: 'access-bridge',
      eventTypes: ['user.lifecycle.create', 'user.lifecycle.suspend'],
      uri: rx.url,
      auth: { key: 'Authorization', value: 'hook-secret-0001' },
      headers: [{ key: 'X-Tenant', value: 'acme' }],
    });
    assert.equal(hook.status, 'ACTIVE');
    assert.equal(hook.verificationStatus, 'UNVERIFIED');
    assert.equal(hook.channel.config.authScheme?.value ?? null, null, 'the secret is never echoed');

    // Not yet verified: nothing is delivered.
    await c.createUser(person('before-verify'), { password: 'Sandbox!Pass1' });
    const verified = await c.verifyEventHook(hook.id);
    assert.equal(verified.verificationStatus, 'VERIFIED');
    const challenge = rx.got.find((g) => g.method === 'GET');
    assert.ok(challenge?.headers['x-okta-verification-challenge']);
    assert.equal(challenge.headers.authorization, 'hook-secret-0001');

    const u1 = await c.createUser(person('hooked1'), { password: 'Sandbox!Pass1' });
    const u2 = await c.createUser(person('hooked2'), { password: 'Sandbox!Pass1' });
    await c.suspendUser(u1.id);
    await waitFor(() => rx.posts().flatMap((p) => p.data.events).length >= 3, 'three events delivered');
    const posts = rx.posts();
    const events = posts.flatMap((p) => p.data.events);
    assert.deepEqual(
      events.map((e) => `${e.eventType}:${e.target[0]?.id}`).sort(),
      [
        `user.lifecycle.create:${u1.id}`,
        `user.lifecycle.create:${u2.id}`,
        `user.lifecycle.suspend:${u1.id}`,
      ].sort(),
    );
    assert.ok(posts.length < 3, 'events within the batch window share a POST');
    const env = posts[0]!;
    assert.equal(env.eventType, 'com.okta.event_hook');
    assert.equal(env.cloudEventsVersion, '0.1');
    assert.equal(env.source, `${sb.url}/api/v1/eventHooks/${hook.id}`);
    const post = rx.got.find((g) => g.method === 'POST')!;
    assert.equal(post.headers.authorization, 'hook-secret-0001');
    assert.equal(post.headers['x-tenant'], 'acme');
    assert.match(post.headers['content-type'] ?? '', /application\/json/);
  });

  it('given the duplicate knob at 1, when an event fires, then the same eventId arrives twice', async () => {
    await admin(sb.url, 'PUT', '/__sandbox/hook-delivery', { duplicateRate: 1 });
    const before = rx.posts().length;
    const c = sswsClient(sb.url);
    const u = await c.createUser(person('dupe'), { password: 'Sandbox!Pass1' });
    await waitFor(() => rx.posts().length >= before + 2, 'a duplicated delivery');
    const fresh = rx.posts().slice(before);
    assert.equal(fresh[0]!.eventId, fresh[1]!.eventId);
    assert.equal(fresh[0]!.data.events[0]!.target[0]!.id, u.id);
    await admin(sb.url, 'PUT', '/__sandbox/hook-delivery', { duplicateRate: 0 });
  });

  it('given the receiver fails once with 503, when an event fires, then Okta retries once and the delivery succeeds', async () => {
    rx.failNextPosts(1);
    const c = sswsClient(sb.url);
    const u = await c.createUser(person('retry'), { password: 'Sandbox!Pass1' });
    type Delivery = { outcome: string; attempts: { status: number }[] };
    const deliveries = () => admin<Delivery[]>(sb.url, 'GET', '/__sandbox/hook-deliveries');
    await waitFor(
      async () => (await deliveries()).some((d) => d.attempts.length === 2),
      'the retried delivery',
    );
    const retried = (await deliveries()).find((d) => d.attempts.length === 2)!;
    assert.equal(retried.outcome, 'delivered');
    assert.deepEqual(
      retried.attempts.map((a) => a.status),
      [503, 204],
    );
    const bodies = rx.posts().filter((p) => p.data.events.some((e) => e.target[0]?.id === u.id));
    assert.equal(bodies.length, 2, 'the failed attempt and its retry carry the same events');
    assert.equal(bodies[0]!.eventId, bodies[1]!.eventId);
  });

  it('given a receiver that answers the wrong value, when verified, then Okta answers VALIDATION and the hook stays UNVERIFIED', async () => {
    const liar = await startReceiver({ answerChallenge: false });
    try {
      const c = sswsClient(sb.url);
      const hook = await c.createEventHook({
        name: 'liar',
        eventTypes: ['user.lifecycle.create'],
        uri: liar.url,
      });
      await rejectsWith(c.verifyEventHook(hook.id), 'VALIDATION', 'E0000001');
      assert.equal((await c.getEventHook(hook.id)).verificationStatus, 'UNVERIFIED');
      await rejectsWith(c.deleteEventHook(hook.id), 'VALIDATION');
      await c.deactivateEventHook(hook.id);
      await c.deleteEventHook(hook.id);
      await rejectsWith(c.getEventHook(hook.id), 'NOT_FOUND');
    } finally {
      await liar.close();
    }
  });

  it('given an ineligible event type, when a hook is registered for it, then Okta rejects it', async () => {
    const c = sswsClient(sb.url);
    await rejectsWith(
      c.createEventHook({ name: 'bad', eventTypes: ['security.threat.detected'], uri: rx.url }),
      'VALIDATION',
      'E0000001',
    );
  });

  it('given a hook with a shared secret, when it is read and its body PUT back with a new name, then the secret is never returned and the update keeps it', async () => {
    const created = await raw(sb.url, 'POST', '/api/v1/eventHooks', {
      name: 'write-only secret',
      events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] },
      channel: {
        type: 'HTTP',
        version: '1.0.0',
        config: {
          uri: rx.url,
          headers: [],
          authScheme: { type: 'HEADER', key: 'Authorization', value: 'kept-secret-0002' },
        },
      },
    });
    assert.equal(created.status, 200);
    const hook = (await created.json()) as { id: string; channel: { config: { authScheme: object } } };
    assert.deepEqual(hook.channel.config.authScheme, { type: 'HEADER', key: 'Authorization' });

    const read = (await (await raw(sb.url, 'GET', `/api/v1/eventHooks/${hook.id}`)).json()) as {
      name: string;
      channel: { config: { authScheme: Record<string, unknown> } };
    };
    assert.equal('value' in read.channel.config.authScheme, false, 'value is write-only');
    const put = await raw(sb.url, 'PUT', `/api/v1/eventHooks/${hook.id}`, { ...read, name: 'renamed' });
    assert.equal(put.status, 200, await put.clone().text());
    assert.equal(((await put.json()) as { name: string }).name, 'renamed');

    const before = rx.got.length;
    const verified = await raw(sb.url, 'POST', `/api/v1/eventHooks/${hook.id}/lifecycle/verify`);
    assert.equal(verified.status, 200);
    const challenge = rx.got.slice(before).find((g) => g.method === 'GET');
    assert.equal(challenge?.headers.authorization, 'kept-secret-0002');
  });
});
