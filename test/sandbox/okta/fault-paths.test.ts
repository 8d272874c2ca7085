// A fault rule's path, as docs/sandbox-okta.md documents it: a literal prefix that ends at a segment
// boundary (with or without a trailing slash), or an anchored `/^…$/` regular expression.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAULT_HEADER } from '../../../src/sandbox/common/faults';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { admin, raw, startSandbox } from '../../integrations/okta/harness';

describe('sandbox Okta fault rule paths', () => {
  let sb: RunningOktaSandbox;
  let groupId: string;

  before(async () => {
    sb = await startSandbox({ seed: 'demo' });
    const groups = (await (await raw(sb.url, 'GET', '/api/v1/groups?q=Engineering')).json()) as {
      id: string;
    }[];
    groupId = groups[0]!.id;
  });
  after(() => sb.close());

  /** Adds a rule that fails the next GET under `path` with a 503, and reports which calls it hit. */
  async function faulted(path: string, calls: string[]): Promise<boolean[]> {
    await admin(sb.url, 'DELETE', '/__sandbox/faults');
    await admin(sb.url, 'POST', '/__sandbox/faults', {
      method: 'GET',
      path,
      kind: 'status',
      status: 503,
      times: calls.length,
    });
    const hit: boolean[] = [];
    for (const call of calls) {
      const res = await raw(sb.url, 'GET', call);
      await res.arrayBuffer();
      hit.push(res.status === 503 && res.headers.has(FAULT_HEADER));
    }
    await admin(sb.url, 'DELETE', '/__sandbox/faults');
    return hit;
  }

  it('given a path with a trailing slash, when calls go to paths under it, then they are faulted and the collection itself is not', async () => {
    assert.deepEqual(
      await faulted('/api/v1/groups/', [
        `/api/v1/groups/${groupId}`,
        `/api/v1/groups/${groupId}/users`,
        '/api/v1/groups',
      ]),
      [true, true, false],
    );
  });

  it('given a path without a trailing slash, when calls go to it, under it, with a query or to a longer name, then all but the longer name are faulted', async () => {
    assert.deepEqual(
      await faulted('/api/v1/groups', [
        '/api/v1/groups',
        '/api/v1/groups?limit=1',
        `/api/v1/groups/${groupId}/users`,
        '/api/v1/groupsX',
      ]),
      [true, true, true, false],
    );
  });

  it('given "/" or an anchored regex, when calls match, then the prefix covers every path and the regex only what it matches', async () => {
    assert.deepEqual(await faulted('/', ['/api/v1/users', '/api/v1/logs']), [true, true]);
    assert.deepEqual(
      await faulted('/^\\/api\\/v1\\/groups\\/[^/]+$/', [
        `/api/v1/groups/${groupId}/users`,
        `/api/v1/groups/${groupId}`,
      ]),
      [false, true],
    );
  });

  it('given a rule, when listed, then it shows the path as it was given', async () => {
    await admin(sb.url, 'POST', '/__sandbox/faults', {
      path: '/api/v1/groups/',
      kind: 'latency',
      latencyMs: 1,
    });
    const listed = await admin<{ rules: { path: string }[] }>(sb.url, 'GET', '/__sandbox/faults');
    assert.deepEqual(
      listed.rules.map((r) => r.path),
      ['/api/v1/groups/'],
    );
    await admin(sb.url, 'DELETE', '/__sandbox/faults');
  });
});
