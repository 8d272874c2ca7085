// A fault rule's path, as docs/sandbox-freshservice.md documents it: a literal prefix that ends at a
// segment boundary (with or without a trailing slash), or an anchored `/^…$/` regular expression.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAULT_HEADER } from '../../../src/sandbox/common/faults';
import { startFreshserviceSandbox, type RunningFreshserviceSandbox } from '../../../src/sandbox/freshservice';

const KEY = 'fault-paths-test-key-0001';
const AUTH = `Basic ${Buffer.from(`${KEY}:X`).toString('base64')}`;

describe('sandbox Freshservice fault rule paths', () => {
  let sb: RunningFreshserviceSandbox;
  let ticketId: number;

  before(async () => {
    sb = await startFreshserviceSandbox({ apiKeys: [KEY], seed: 'demo' });
    const requester = sb.store.findUserByEmail('ada.lovelace@acme.example')!;
    ticketId = sb.store.createTicket({
      subject: 'faults',
      status: 2,
      priority: 1,
      requester_id: requester.id,
    }).id;
  });
  after(() => sb.close());

  const adminCall = async (method: string, body?: unknown) => {
    const res = await fetch(`${sb.url}/__sandbox/faults`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    assert.ok(res.status < 300, `${method} /__sandbox/faults → ${res.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };

  /** Adds a rule that fails the next GET under `path` with a 503, and reports which calls it hit. */
  async function faulted(path: string, calls: string[]): Promise<boolean[]> {
    await adminCall('DELETE');
    await adminCall('POST', { method: 'GET', path, kind: 'status', status: 503, times: calls.length });
    const hit: boolean[] = [];
    for (const call of calls) {
      const res = await fetch(`${sb.url}${call}`, { headers: { authorization: AUTH } });
      await res.arrayBuffer();
      hit.push(res.status === 503 && res.headers.has(FAULT_HEADER));
    }
    await adminCall('DELETE');
    return hit;
  }

  it('given a path with a trailing slash, when calls go to paths under it, then they are faulted and the collection itself is not', async () => {
    assert.deepEqual(
      await faulted('/api/v2/tickets/', [
        `/api/v2/tickets/${ticketId}`,
        `/api/v2/tickets/${ticketId}/conversations`,
        '/api/v2/tickets',
      ]),
      [true, true, false],
    );
  });

  it('given a path without a trailing slash, when calls go to it, under it or to a longer name, then all but the longer name are faulted', async () => {
    assert.deepEqual(
      await faulted('/api/v2/tickets', [
        '/api/v2/tickets?per_page=1',
        `/api/v2/tickets/${ticketId}/conversations`,
        '/api/v2/ticketsX',
      ]),
      [true, true, false],
    );
  });

  it('given "/" or an anchored regex, when calls match, then the prefix covers every path and the regex only what it matches', async () => {
    assert.deepEqual(await faulted('/', ['/api/v2/agents', '/api/v2/tickets']), [true, true]);
    assert.deepEqual(
      await faulted('/^\\/api\\/v2\\/tickets\\/\\d+$/', [
        `/api/v2/tickets/${ticketId}/conversations`,
        `/api/v2/tickets/${ticketId}`,
      ]),
      [false, true],
    );
  });

  it('given a rule, when listed, then it shows the path as it was given', async () => {
    await adminCall('POST', { path: '/api/v2/tickets/', kind: 'latency', latencyMs: 1 });
    const listed = (await adminCall('GET')) as { faults: { path: string }[] };
    assert.deepEqual(
      listed.faults.map((r) => r.path),
      ['/api/v2/tickets/'],
    );
    await adminCall('DELETE');
  });
});
