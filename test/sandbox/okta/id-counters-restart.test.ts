// Every id and sequence number the sandbox Okta hands out survives a restart on the same data file and is
// never handed out again: OIG permalinks, the ordering `seq` of users, groups, apps, requests and System
// Log rows, fault rule ids, and the random ids (users, groups, apps, v1/v2 request ids). A data file
// written before the counters were persisted recovers the permalink and seq counters from its records.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { admin, raw, startSandbox } from '../../integrations/okta/harness';

type Issued = {
  userIds: string[];
  groupIds: string[];
  appIds: string[];
  requestIds: string[];
  v1Ids: string[];
  permalinks: number[];
  seqs: number[];
  logSeqs: number[];
  faultIds: number[];
};

const REQUESTERS = ['dorothy.vaughan@acme.example', 'alan.turing@acme.example', 'ada.lovelace@acme.example'];

async function created<T>(res: Response): Promise<T> {
  const text = await res.text();
  assert.ok(res.status < 300, `${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Creates a few records of every kind through the API, the actor and the admin endpoints. */
async function issue(sb: RunningOktaSandbox, tag: string): Promise<Issued> {
  const out: Issued = {
    userIds: [],
    groupIds: [],
    appIds: [],
    requestIds: [],
    v1Ids: [],
    permalinks: [],
    seqs: [],
    logSeqs: [],
    faultIds: [],
  };
  const logsBefore = sb.store.logs.length;
  for (const n of [1, 2]) {
    const login = `restart-${tag}-${n}@example.test`;
    const u = await created<{ id: string }>(
      await raw(sb.url, 'POST', '/api/v1/users?activate=true', {
        profile: { login, email: login, firstName: 'Re', lastName: `Start ${tag}${n}` },
        credentials: { password: { value: 'Sandbox!Pass1' } },
      }),
    );
    out.userIds.push(u.id);
    const g = await created<{ id: string }>(
      await raw(sb.url, 'POST', '/api/v1/groups', { profile: { name: `Restart ${tag} ${n}` } }),
    );
    out.groupIds.push(g.id);
  }
  const app = await created<{ id: string }>(
    await raw(sb.url, 'POST', '/api/v1/apps', {
      label: `Restart ${tag}`,
      signOnMode: 'AUTO_LOGIN',
      settings: { signOn: { loginUrl: 'https://example.test/login' } },
    }),
  );
  out.appIds.push(app.id);
  const state = await admin<{ catalogEntries: { id: string }[] }>(sb.url, 'GET', '/__sandbox/state');
  for (const [i, requesterLogin] of REQUESTERS.entries()) {
    const r = await admin<{ id: string }>(sb.url, 'POST', '/__sandbox/actor/requests', {
      requesterLogin,
      entryId: state.catalogEntries[i]!.id,
    });
    const stored = sb.store.requests.get(r.id)!;
    out.requestIds.push(r.id);
    out.v1Ids.push(stored.v1Id);
    out.permalinks.push(stored.permalinkId);
    out.seqs.push(stored.seq);
  }
  for (const id of out.userIds) out.seqs.push(sb.store.users.get(id)!.seq);
  for (const id of out.groupIds) out.seqs.push(sb.store.groups.get(id)!.seq);
  for (const id of out.appIds) out.seqs.push(sb.store.apps.get(id)!.seq);
  out.logSeqs = sb.store.logs.slice(logsBefore).map((row) => row.seq);
  for (const path of ['/api/v1/users', '/api/v1/groups/']) {
    const f = await admin<{ id: number }>(sb.url, 'POST', '/__sandbox/faults', {
      method: 'DELETE',
      path,
      kind: 'status',
      status: 503,
    });
    out.faultIds.push(f.id);
  }
  await admin(sb.url, 'DELETE', '/__sandbox/faults');
  return out;
}

function assertNoRepeats(
  before: Issued,
  afterRestart: Issued,
  keys = Object.keys(before) as (keyof Issued)[],
): void {
  for (const key of keys) {
    const first: (string | number)[] = before[key];
    const second: (string | number)[] = afterRestart[key];
    assert.ok(first.length > 0 && second.length > 0, `${key}: something was issued on both runs`);
    const all = [...first, ...second];
    assert.equal(new Set(all).size, all.length, `${key} repeats after the restart: ${all.join(', ')}`);
    if (typeof first[0] === 'number') {
      const lastBefore = Math.max(...(first as number[]));
      for (const n of second as number[])
        assert.ok(n > lastBefore, `${key}: ${n} is not after ${lastBefore}`);
    }
  }
}

describe('sandbox Okta ids across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'okta-ids-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('given records created before a restart on the same data file, when more are created after it, then no id, permalink, seq or fault rule id repeats', async () => {
    const dataFile = join(dir, 'okta.json');
    const first = await startSandbox({ dataFile, seed: 'demo' });
    let before: Issued;
    try {
      before = await issue(first, 'a');
    } finally {
      await first.close();
    }
    assert.deepEqual(
      before.permalinks,
      [...before.permalinks].sort((a, b) => a - b),
    );

    const second = await startSandbox({ dataFile, seed: 'demo' });
    try {
      const again = await issue(second, 'b');
      assertNoRepeats(before, again);
    } finally {
      await second.close();
    }

    // A third start: the counters written by the second run hold too.
    const third = await startSandbox({ dataFile, seed: 'demo' });
    try {
      const state = await admin<{ catalogEntries: { id: string }[] }>(third.url, 'GET', '/__sandbox/state');
      const r = await admin<{ id: string }>(third.url, 'POST', '/__sandbox/actor/requests', {
        requesterLogin: REQUESTERS[0],
        entryId: state.catalogEntries[3]!.id,
      });
      const permalinks = [...third.store.requests.values()].map((x) => x.permalinkId);
      assert.equal(
        new Set(permalinks).size,
        permalinks.length,
        `permalinks repeat: ${permalinks.join(', ')}`,
      );
      assert.equal(third.store.requests.get(r.id)!.permalinkId, Math.max(...permalinks));
    } finally {
      await third.close();
    }
  });

  it('given a data file written before counters were persisted, when the sandbox starts on it, then the next permalink and seq follow its records', async () => {
    const dataFile = join(dir, 'legacy.json');
    const first = await startSandbox({ dataFile, seed: 'demo' });
    let before: Issued;
    try {
      before = await issue(first, 'c');
    } finally {
      await first.close();
    }
    // The shape older sandboxes wrote: no `counters`, and permalinks 1, 3, 5 (the old counter's gaps).
    const file = JSON.parse(readFileSync(dataFile, 'utf8')) as {
      counters?: unknown;
      seq: number;
      requests: { permalinkId: number }[];
    };
    delete file.counters;
    file.requests.forEach((r, i) => (r.permalinkId = 2 * i + 1));
    file.seq = 1;
    writeFileSync(dataFile, JSON.stringify(file));

    const second = await startSandbox({ dataFile, seed: 'demo' });
    try {
      const again = await issue(second, 'd');
      // Fault rule ids left no record in such a file (nothing to recover them from); everything else did.
      const recorded = (Object.keys(before) as (keyof Issued)[]).filter((k) => k !== 'faultIds');
      assertNoRepeats({ ...before, permalinks: file.requests.map((r) => r.permalinkId) }, again, recorded);
      assert.equal(again.permalinks[0], 2 * file.requests.length, 'the next permalink follows the largest');
    } finally {
      await second.close();
    }
  });
});
