// Every id the sandbox Freshservice hands out survives a restart on the same data file and is never handed
// out again: requesters and agents, departments, agent groups, catalog items, tickets, conversations,
// requested items, approvals, tasks, the approval decision order, automator webhook deliveries and fault
// rule ids. A data file written before a counter was persisted recovers it from its records.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FS_APPROVAL_STATUS } from '../../../src/integrations/freshservice/codes';
import { startFreshserviceSandbox, type RunningFreshserviceSandbox } from '../../../src/sandbox/freshservice';
import { waitFor } from '../../helpers/wait';

const KEY = 'ids-restart-test-key-0001';

const KINDS = [
  'user',
  'department',
  'group',
  'catalog',
  'ticket',
  'conversation',
  'requestedItem',
  'approval',
  'task',
  'decision',
  'webhookDelivery',
  'faultRule',
] as const;
type Kind = (typeof KINDS)[number];
type Issued = Record<Kind, number[]>;

let displayIds = 5000;

/** Creates two records of every kind, through the store the routes use and the admin endpoints. */
async function issue(sb: RunningFreshserviceSandbox, tag: string): Promise<Issued> {
  const out = Object.fromEntries(KINDS.map((k) => [k, []])) as unknown as Issued;
  const { store } = sb;
  const template = store.getCatalogItem(1001)!;
  const { id: _id, created_at: _c, updated_at: _u, ...itemFields } = template;
  const deliveriesBefore = sb.automator.list().length;
  for (const n of [1, 2]) {
    const u = store.createUser({
      first_name: 'Re',
      last_name: `Start ${tag}${n}`,
      primary_email: `${tag}${n}@ids.test`,
    });
    out.user.push(u.id);
    out.department.push(store.createDepartment({ name: `Restart ${tag}${n}` }).id);
    out.group.push(store.createGroup({ name: `Restart ${tag}${n}` }).id);
    const item = store.addCatalogItem({
      ...itemFields,
      display_id: displayIds++,
      name: `Restart ${tag}${n}`,
    });
    out.catalog.push(item.id);
    const t = store.createTicket({
      subject: `restart ${tag}${n}`,
      status: 2,
      priority: 1,
      requester_id: u.id,
    });
    out.ticket.push(t.id);
    out.conversation.push(store.addConversation(t.id, { kind: 'note', body: 'n' }).id);
    const sr = store.placeRequest({ item, requester: u, requestedFor: u, quantity: 1, customFields: {} });
    out.ticket.push(sr.id);
    out.requestedItem.push(...store.requestedItemsOf(sr.id).map((r) => r.id));
    const a = store.requestApproval(sr.id, { approver_id: u.id, approval_type: 1 });
    out.approval.push(a.id);
    out.decision.push(store.decideApproval(a.id, FS_APPROVAL_STATUS.APPROVED).decided_seq!);
    out.task.push(store.createTask(t.id, { title: 't' }).id);
    const res = await fetch(`${sb.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'DELETE', path: '/api/v2/tickets/', kind: 'status', status: 503 }),
    });
    assert.equal(res.status, 201);
    out.faultRule.push(((await res.json()) as { id: number }).id);
  }
  await fetch(`${sb.url}/__sandbox/faults`, { method: 'DELETE' });
  out.webhookDelivery = sb.automator
    .list()
    .slice(deliveriesBefore)
    .map((d) => d.id);
  return out;
}

function assertNoRepeats(before: Issued, afterRestart: Issued): void {
  for (const kind of KINDS) {
    assert.ok(before[kind].length > 0 && afterRestart[kind].length > 0, `${kind}: issued on both runs`);
    const all = [...before[kind], ...afterRestart[kind]];
    assert.equal(new Set(all).size, all.length, `${kind} ids repeat after the restart: ${all.join(', ')}`);
    const last = Math.max(...before[kind]);
    for (const id of afterRestart[kind]) assert.ok(id > last, `${kind}: ${id} is not after ${last}`);
  }
}

/** One automator rule per event to a port nothing listens on: deliveries are numbered, then fail fast. */
function deliverNowhere(sb: RunningFreshserviceSandbox): void {
  sb.automator.setSettings({ ...sb.automator.getSettings(), retries: 0, timeoutMs: 500 });
  sb.automator.setRules(
    (['ticket_created', 'ticket_updated', 'approval_changed'] as const).map((event) => ({
      event,
      url: 'http://127.0.0.1:9/hook',
      headers: {},
      body: '{"ticket_id":"{{ticket.id}}"}',
    })),
  );
}

async function settle(sb: RunningFreshserviceSandbox): Promise<void> {
  await waitFor(() => sb.automator.list().every((d) => d.state !== 'pending'), 'deliveries settled', {
    timeoutMs: 20_000,
  });
}

describe('sandbox Freshservice ids across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-ids-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('given records of every kind created before a restart on the same data file, when more are created after it, then no id of any kind repeats', async () => {
    const dataFile = join(dir, 'freshservice.json');
    const first = await startFreshserviceSandbox({ apiKeys: [KEY], seed: 'demo', dataFile });
    let before: Issued;
    try {
      deliverNowhere(first);
      before = await issue(first, 'a');
      await settle(first);
    } finally {
      await first.close();
    }

    const second = await startFreshserviceSandbox({ apiKeys: [KEY], seed: 'demo', dataFile });
    try {
      assert.equal(second.automator.getRules().length, 3, 'the rules were persisted');
      const again = await issue(second, 'b');
      await settle(second);
      assertNoRepeats(before, again);
    } finally {
      second.automator.setRules([]);
      await second.close();
    }
  });

  it('given a data file without counters (written before they were persisted), when the sandbox starts on it, then every record-backed id continues after the largest one in use', async () => {
    const dataFile = join(dir, 'legacy.json');
    const first = await startFreshserviceSandbox({ apiKeys: [KEY], seed: 'demo', dataFile });
    let before: Issued;
    try {
      before = await issue(first, 'c');
    } finally {
      await first.close();
    }
    const file = JSON.parse(readFileSync(dataFile, 'utf8')) as { store: { counters: object } };
    file.store.counters = {};
    writeFileSync(dataFile, JSON.stringify(file));

    const second = await startFreshserviceSandbox({ apiKeys: [KEY], seed: 'demo', dataFile });
    try {
      const again = await issue(second, 'd');
      // Deliveries and fault rules leave no record in the file to recover from; every other kind does.
      for (const kind of KINDS) {
        if (kind === 'webhookDelivery' || kind === 'faultRule') continue;
        const last = Math.max(...before[kind]);
        for (const id of again[kind]) assert.ok(id > last, `${kind}: ${id} is not after ${last}`);
      }
    } finally {
      await second.close();
    }
  });
});
