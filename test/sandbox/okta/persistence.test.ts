// The sandbox org keeps its state in a data file across restarts: users, memberships, events, hooks,
// OAuth clients and pending revocations (re-armed on start).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { admin, person, startSandbox, sswsClient } from '../../integrations/okta/harness';
import { waitFor } from '../../helpers/wait';

describe('sandbox Okta persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'okta-sandbox-'));
  const dataFile = join(dir, 'okta.json');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('given a data file, when the sandbox restarts, then users, groups, logs and a pending revocation survive', async () => {
    const first = await startSandbox({ dataFile, seed: 'demo' });
    const c1 = sswsClient(first.url);
    const u = await c1.createUser(person('persist'), { password: 'Sandbox!Pass1' });
    await c1.suspendUser(u.id);
    const entries = await admin<{ catalogEntries: { id: string; label: string }[] }>(
      first.url,
      'GET',
      '/__sandbox/state',
    );
    const entry = entries.catalogEntries.find((e) => e.label === 'Finance Approvers')!;
    const req = await admin<{ id: string }>(first.url, 'POST', '/__sandbox/actor/requests', {
      requesterLogin: 'dorothy.vaughan@acme.example',
      entryId: entry.id,
      accessDuration: 'PT2S',
    });
    await admin(first.url, 'POST', `/__sandbox/actor/requests/${req.id}/approve`, {
      approverLogin: 'katherine.johnson@acme.example',
    });
    await first.close();

    // A different port: the org is the same (seed is ignored when state exists).
    const second = await startSandbox({ dataFile, seed: 'demo' });
    try {
      const c2 = sswsClient(second.url);
      assert.equal((await c2.getUser(u.id)).status, 'SUSPENDED');
      assert.equal((await c2.getUser('grace.hopper@acme.example')).profile.firstName, 'Grace');
      const logs = await c2.listLogs({ filter: `target.id eq "${u.id}"` });
      assert.deepEqual(
        logs.events.map((e) => e.eventType),
        ['user.lifecycle.create', 'user.lifecycle.activate', 'user.lifecycle.suspend'],
      );
      const state = await admin<{ counts: { users: number } }>(second.url, 'GET', '/__sandbox/state');
      assert.equal(state.counts.users, 13);
      await waitFor(
        async () => (await c2.getAccessRequest(req.id)).revocationStatus === 'REVOKED',
        'revocation after restart',
        {
          timeoutMs: 10_000,
        },
      );
      const dorothy = await c2.getUser('dorothy.vaughan@acme.example');
      assert.ok(!(await c2.listUserGroups(dorothy.id)).some((g) => g.profile.name === 'Finance Approvers'));
    } finally {
      await second.close();
    }
  });
});
