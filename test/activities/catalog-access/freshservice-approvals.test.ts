// The approval-request activity against the sandbox Freshservice: a retry after a lost response must adopt
// the approval Freshservice already committed, even when the approver decided it while the worker was
// down, and must still ask again for a new level, an escalation or after a cancellation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createFreshserviceActivities } from '../../../src/activities/freshservice';
import { FS_APPROVAL_STATUS, FS_APPROVAL_TYPE } from '../../../src/integrations/freshservice';
import { DEMO_CATALOG_ITEMS } from '../../../src/sandbox/demo-tenant';
import { startHarness, type Harness } from '../../integrations/freshservice/harness';

const ADA = 'ada.lovelace@acme.example';
const MANAGER = 'margaret.hamilton@acme.example';

type RequestInput = Parameters<ReturnType<typeof createFreshserviceActivities>['requestApprovalsOnce']>[0];

describe('requestApprovalsOnce against the sandbox Freshservice', () => {
  let h: Harness;
  let activities: ReturnType<typeof createFreshserviceActivities>;
  let managerId: number;

  before(async () => {
    h = await startHarness({ seed: 'demo' });
    activities = createFreshserviceActivities(h.client, {
      accessCatalogItemDisplayId: DEMO_CATALOG_ITEMS.accessRequest.displayId,
    });
    managerId = (await h.client.findRequesterByEmail(MANAGER))!.id;
  });
  after(async () => {
    await h.close();
  });

  async function newRequest(): Promise<number> {
    const sr = await h.client.placeRequest(DEMO_CATALOG_ITEMS.accessRequest.displayId, {
      email: ADA,
      custom_fields: { resource_type: 'app', resource_name: 'Salesforce', justification: 'deal desk' },
    });
    return sr.id;
  }

  function request(input: Omit<RequestInput, 'approverIds' | 'emailContent'>): Promise<number[]> {
    const env = new MockActivityEnvironment();
    const run = (i: RequestInput) => activities.requestApprovalsOnce(i);
    return env.run(run, {
      ...input,
      approverIds: [managerId],
      emailContent: 'Please approve Salesforce for Ada Lovelace',
    });
  }

  async function approve(approvalId: number): Promise<void> {
    const res = await h.admin('POST', `/actor/approvals/${approvalId}/approve`, { approverEmail: MANAGER });
    assert.equal(res.status, 200);
  }

  it('given an approval committed whose response was lost and then approved, when the activity retries, then it adopts that approval and asks no one again', async () => {
    const ticketId = await newRequest();
    const notBeforeMs = Date.now();
    // The first attempt: Freshservice commits the approval and the answer never reaches the worker.
    h.sandbox.faults.add({
      method: 'POST',
      path: `/api/v2/tickets/${ticketId}/approvals`,
      kind: 'drop-response',
    });
    await assert.rejects(request({ ticketId, notBeforeMs, knownApprovalIds: [] }));
    const [committed] = await h.client.listApprovals(ticketId);
    assert.ok(committed, 'Freshservice kept the first attempt');
    // The approver decides while the worker is down.
    await approve(committed.id);

    const ids = await request({ ticketId, notBeforeMs, knownApprovalIds: [] });
    assert.deepEqual(ids, [committed.id]);
    const all = await h.client.listApprovals(ticketId);
    assert.equal(all.length, 1, 'one approval on the ticket');
    assert.equal(all[0]?.approval_status.id, FS_APPROVAL_STATUS.APPROVED);
  });

  it('given an earlier level approved by the same approver, when the next level asks them, then a new approval is requested', async () => {
    const ticketId = await newRequest();
    const [first] = await h.client.requestApproval(ticketId, {
      approver_id: managerId,
      approval_type: FS_APPROVAL_TYPE.ANYONE,
    });
    await approve(first!.id);

    const ids = await request({ ticketId, notBeforeMs: Date.now(), knownApprovalIds: [first!.id] });
    assert.equal(ids.length, 1);
    assert.notEqual(ids[0], first!.id);
    const created = (await h.client.listApprovals(ticketId)).find((a) => a.id === ids[0]);
    assert.equal(created?.approval_status.id, FS_APPROVAL_STATUS.REQUESTED);
  });

  it('given an approval of this level cancelled by an agent, when the activity retries, then it requests a fresh one', async () => {
    const ticketId = await newRequest();
    const notBeforeMs = Date.now();
    const [first] = await request({ ticketId, notBeforeMs, knownApprovalIds: [] });
    await h.client.cancelApproval(ticketId, first!);

    const [second] = await request({ ticketId, notBeforeMs, knownApprovalIds: [] });
    assert.notEqual(second, first);
    assert.equal((await h.client.listApprovals(ticketId)).length, 2);
  });

  it('given an open approval of this level, when the activity runs again, then it returns the same approval', async () => {
    const ticketId = await newRequest();
    const notBeforeMs = Date.now();
    const first = await request({ ticketId, notBeforeMs, knownApprovalIds: [] });
    const again = await request({ ticketId, notBeforeMs, knownApprovalIds: [] });
    assert.deepEqual(again, first);
    assert.equal((await h.client.listApprovals(ticketId)).length, 1);
  });
});
