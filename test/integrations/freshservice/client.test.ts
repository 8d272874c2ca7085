// The Freshservice client against the sandbox over real HTTP: authentication, error mapping, pagination,
// rate limits, faults and lost responses, filter queries, service requests, approvals, tasks and people.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  FS_APPROVAL_STATUS,
  FS_APPROVAL_TYPE,
  FS_PRIORITY,
  FS_REQUESTED_ITEM_STAGE,
  FS_TASK_STATUS,
  FS_TICKET_APPROVAL_STATUS,
  FS_TICKET_STATUS,
  createFreshserviceClient,
  fsDate,
  fsString,
} from '../../../src/integrations/freshservice';
import { DEMO_CATALOG_ITEMS } from '../../../src/sandbox/demo-tenant';
import { TEST_API_KEY, collect, startHarness, vendorError, type Harness } from './harness';

const ADA = 'ada.lovelace@acme.example';
const MANAGER = 'margaret.hamilton@acme.example';

describe('Freshservice client against the sandbox', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ seed: 'demo' });
  });
  after(async () => {
    await h.close();
  });

  describe('authentication and errors', () => {
    it('given a wrong API key, when any call is made, then it fails UNAUTHORIZED with invalid_credentials', async () => {
      const bad = createFreshserviceClient({ baseUrl: h.sandbox.url, apiKey: 'not-a-key', timeoutMs: 5_000 });
      const err = await vendorError(() => bad.getRequester(1));
      assert.equal(err.type, 'UNAUTHORIZED');
      assert.equal(err.status, 401);
      assert.equal(err.vendorCode, 'invalid_credentials');
      assert.ok(!err.message.includes('not-a-key'), 'the API key never appears in the error');
    });

    it('given an invalid email, when a requester is created, then VALIDATION names the field and code', async () => {
      const err = await vendorError(() =>
        h.client.createRequester({ first_name: 'X', primary_email: 'not-an-email' }),
      );
      assert.equal(err.type, 'VALIDATION');
      assert.equal(err.status, 400);
      assert.equal(err.vendorCode, 'invalid_value');
      assert.deepEqual(
        err.causes.map((c) => c.field),
        ['primary_email'],
      );
    });

    it('given an existing email, when a requester is created with it, then the error is a CONFLICT (duplicate_value)', async () => {
      const err = await vendorError(() =>
        h.client.createRequester({ first_name: 'Ada', primary_email: ADA }),
      );
      assert.equal(err.type, 'CONFLICT');
      assert.equal(err.vendorCode, 'duplicate_value');
    });

    it('given an unknown ticket, when it is read, then NOT_FOUND', async () => {
      const err = await vendorError(() => h.client.getTicket(987654));
      assert.equal(err.type, 'NOT_FOUND');
    });

    it('given a 503 fault on ticket reads, when a ticket is read, then VENDOR_UNAVAILABLE, and the next read succeeds', async () => {
      const t = await h.client.createTicket({
        email: ADA,
        subject: 'fault',
        description: 'x',
        status: 2,
        priority: 1,
      });
      await h.admin('POST', '/faults', {
        method: 'GET',
        path: '/api/v2/tickets',
        kind: 'status',
        status: 503,
      });
      const err = await vendorError(() => h.client.getTicket(t.id));
      assert.equal(err.type, 'VENDOR_UNAVAILABLE');
      assert.equal(err.status, 503);
      assert.equal(err.retryable, true);
      assert.equal((await h.client.getTicket(t.id)).id, t.id);
    });
  });

  describe('pagination', () => {
    it('given 65 tickets of one requester, when listed 30 per page, then every ticket comes back once across 3 pages', async () => {
      const r = await h.client.createRequester({
        first_name: 'Paging',
        primary_email: 'paging@acme.example',
      });
      const ids = new Set<number>();
      for (let i = 0; i < 65; i++) {
        ids.add(
          (await h.client.createTicket({ requester_id: r.id, description: `#${i}`, status: 2, priority: 1 }))
            .id,
        );
      }
      const listed = await collect(h.client.listTickets({ requesterId: r.id, perPage: 30 }));
      assert.equal(listed.length, 65);
      assert.deepEqual(new Set(listed.map((t) => t.id)), ids);
    });

    it('given more than 30 requesters, when they are all listed, then the list follows link headers to the end', async () => {
      const all = await collect(h.client.listRequesters());
      const emails = all.map((r) => r.primary_email);
      assert.ok(all.length > 9, 'demo requesters and created ones');
      assert.equal(new Set(emails).size, emails.length, 'no requester twice');
      assert.ok(emails.includes(ADA));
    });
  });

  describe('filter queries', () => {
    it('given tickets of different priorities, statuses and tags, when filtered, then the grammar selects exactly the matches', async () => {
      const r = await h.client.createRequester({
        first_name: 'Filter',
        primary_email: 'filter@acme.example',
      });
      const mk = (priority: 1 | 2 | 3 | 4, status: 2 | 3 | 4, tags: string[]) =>
        h.client.createTicket({ requester_id: r.id, description: 'f', priority, status, tags });
      const a = await mk(3, 2, ['flt-a']);
      const b = await mk(4, 2, ['flt-a', 'flt-b']);
      const c = await mk(4, 3, ['flt-b']);
      await mk(1, 2, []);
      const q = async (query: string) =>
        (await collect(h.client.filterTickets(query))).map((t) => t.id).sort((x, y) => x - y);

      assert.deepEqual(await q(`requester_id:${r.id} AND (priority:3 OR priority:4) AND status:2`), [
        a.id,
        b.id,
      ]);
      assert.deepEqual(await q(`tag:${fsString('flt-b')}`), [b.id, c.id]);
      assert.deepEqual(await q(`requester_id:${r.id} AND priority:>4`), [b.id, c.id]);
      assert.deepEqual(await q(`requester_id:${r.id} AND priority:<1`), [
        (await q(`requester_id:${r.id} AND priority:1`))[0]!,
      ]);
      assert.deepEqual(await q(`tag:'flt-a' AND created_at:>${fsDate(new Date(Date.now() - 3_600_000))}`), [
        a.id,
        b.id,
      ]);
      assert.deepEqual(await q(`tag:'flt-a' AND created_at:<'2001-01-01'`), []);
      assert.deepEqual(await q(`requester_id:${r.id} AND group_id:null AND status:3`), [c.id]);
    });

    it('given a malformed query, when filtered, then VALIDATION names the query parameter', async () => {
      const err = await vendorError(() => collect(h.client.filterTickets('status:2 AND (priority:3')));
      assert.equal(err.type, 'VALIDATION');
      assert.equal(err.causes[0]?.field, 'query');
    });

    it('given more than 30 matches, when filtered, then the iterator pages on until total', async () => {
      const found = await collect(
        h.client.filterTickets(
          `requester_id:${(await h.client.findRequesterByEmail('paging@acme.example'))!.id}`,
        ),
      );
      assert.equal(found.length, 65);
    });

    it('given demo requesters, when filtered by primary_email and by starts-with, then the right people come back', async () => {
      const exact = await collect(h.client.filterRequesters(`primary_email:${fsString(ADA)}`));
      assert.deepEqual(
        exact.map((r) => r.primary_email),
        [ADA],
      );
      const prefix = await collect(h.client.filterRequesters(`~[first_name|primary_email]:'al'`));
      assert.ok(prefix.some((r) => r.primary_email === 'alan.turing@acme.example'));
    });
  });

  describe('rate limits and lost responses', () => {
    it('given a spent budget, when a call is made, then RATE_LIMITED carries Retry-After and a call after it succeeds', async () => {
      const small = await startHarness({ seed: 'demo', rateWindowMs: 1_000, rateLimits: { overall: 3 } });
      try {
        await small.client.getRequester((await small.client.findRequesterByEmail(ADA))!.id);
        await collect(small.client.listDepartments());
        const err = await vendorError(() => small.client.findAgentByEmail('ken.thompson@acme.example'));
        assert.equal(err.type, 'RATE_LIMITED');
        assert.equal(err.status, 429);
        assert.ok(err.retryAfterMs !== undefined && err.retryAfterMs >= 1_000 && err.retryAfterMs <= 2_000);
        assert.equal(small.client.lastRateLimit()?.remaining, 0);
        // The vendor said when to come back; waiting that long is the behaviour under test.
        await sleep(err.retryAfterMs);
        const agent = await small.client.findAgentByEmail('ken.thompson@acme.example');
        assert.equal(agent?.first_name, 'Ken');
      } finally {
        await small.close();
      }
    });

    it('given a low remaining budget, when the next call is made, then the client pauses before sending it', async () => {
      const slow = await startHarness(
        { seed: 'demo', rateLimits: { overall: 4 } },
        { lowBudget: { pauseMs: 400 } },
      );
      try {
        await collect(slow.client.listDepartments()); // remaining 3
        await collect(slow.client.listDepartments()); // remaining 2: at the threshold
        const started = Date.now();
        await collect(slow.client.listDepartments());
        assert.ok(Date.now() - started >= 380, `paused ${Date.now() - started} ms`);
      } finally {
        await slow.close();
      }
    });

    it('given the response of a create is lost, when the client retries by looking up, then the committed ticket is found', async () => {
      const requester = (await h.client.findRequesterByEmail(MANAGER))!;
      const since = new Date(Date.now() - 1_000);
      await h.admin('POST', '/faults', { method: 'POST', path: '/api/v2/tickets', kind: 'drop-response' });
      const err = await vendorError(() =>
        h.client.createTicket({
          requester_id: requester.id,
          description: 'lost',
          status: 2,
          priority: 2,
          tags: ['wf-marker-123'],
        }),
      );
      assert.equal(err.type, 'VENDOR_UNAVAILABLE');
      const found = (
        await collect(h.client.listTickets({ requesterId: requester.id, updatedSince: since }))
      ).filter((t) => t.tags.includes('wf-marker-123'));
      assert.equal(found.length, 1, 'the ticket was committed exactly once');
    });
  });

  describe('tickets and conversations', () => {
    it('given a ticket, when updated, noted and replied to, then the view shows the new state with includes', async () => {
      const t = await h.client.createTicket({
        email: ADA,
        subject: 'Laptop',
        description: '<p>broken</p>',
        status: 2,
        priority: 2,
        tags: ['a', 'b'],
      });
      assert.equal(t.type, 'Incident');
      assert.equal(t.approval_status, FS_TICKET_APPROVAL_STATUS.NOT_REQUESTED);
      assert.equal(t.responder_id, null);
      const updated = await h.client.updateTicket(t.id, {
        tags: ['c'],
        priority: FS_PRIORITY.HIGH,
        status: FS_TICKET_STATUS.PENDING,
      });
      assert.deepEqual(updated.tags, ['c'], 'tags replace the list');
      const note = await h.client.addNote(t.id, { body: '<b>internal</b>' });
      assert.equal(note.private, true, 'notes are private by default');
      assert.equal(note.body_text, 'internal');
      await h.client.reply(t.id, { body: 'We are on it' });
      const view = await h.client.getTicket(t.id, ['requester', 'stats', 'conversations']);
      assert.equal(view.requester?.email, ADA);
      assert.equal(view.status, FS_TICKET_STATUS.PENDING);
      assert.equal(view.conversations?.length, 2);
      assert.ok(view.stats?.status_updated_at);
      assert.ok(view.updated_at >= t.updated_at);
      const convs = await collect(h.client.listConversations(t.id));
      assert.deepEqual(
        convs.map((c) => c.private),
        [true, false],
      );
    });

    it('given an unknown email, when a ticket is created with it, then a requester is created for it', async () => {
      const t = await h.client.createTicket({
        email: 'newcomer@acme.example',
        description: 'hi',
        status: 2,
        priority: 1,
      });
      const r = await h.client.findRequesterByEmail('newcomer@acme.example');
      assert.equal(r?.id, t.requester_id);
      assert.equal(await h.client.findRequesterByEmail('nobody@acme.example'), undefined);
    });

    it('given tasks on a ticket, when created, listed, updated and deleted, then the ticket shows the final set', async () => {
      const t = await h.client.createTicket({ email: ADA, description: 'tasks', status: 2, priority: 1 });
      const agent = (await h.client.findAgentByEmail('ken.thompson@acme.example'))!;
      const one = await h.client.createTask(t.id, { title: 'Grant access', agent_id: agent.id });
      const two = await h.client.createTask(t.id, { title: 'Verify' });
      const done = await h.client.updateTask(t.id, one.id, { status: FS_TASK_STATUS.COMPLETED });
      assert.ok(done.closed_at);
      await h.client.deleteTask(t.id, two.id);
      const left = await collect(h.client.listTasks(t.id));
      assert.deepEqual(
        left.map((x) => [x.title, x.status]),
        [['Grant access', FS_TASK_STATUS.COMPLETED]],
      );
      assert.equal((await h.client.getTask(t.id, one.id)).agent_id, agent.id);
    });
  });

  describe('service requests and approvals', () => {
    it('given the access-request item, when a request is placed, then a Service Request carries the requested item and fields', async () => {
      const item = await h.client.getCatalogItem(DEMO_CATALOG_ITEMS.accessRequest.displayId);
      assert.ok(item.custom_fields.some((f) => f.name === 'resource_name' && f.required));
      const items = await collect(h.client.listCatalogItems());
      assert.equal(items.length, 3);
      const sr = await h.client.placeRequest(DEMO_CATALOG_ITEMS.accessRequest.displayId, {
        email: MANAGER,
        requested_for: ADA,
        custom_fields: {
          resource_type: 'group',
          resource_name: 'AWS Production',
          justification: 'on call',
          duration_days: 7,
        },
      });
      assert.equal(sr.type, 'Service Request');
      assert.equal(sr.approval_status, null);
      assert.equal(sr.approval_status_name, 'Not Requested');
      const ada = (await h.client.findRequesterByEmail(ADA))!;
      assert.equal(sr.requested_for_id, ada.id);
      const [ri] = await h.client.listRequestedItems(sr.id);
      assert.equal(ri?.stage, FS_REQUESTED_ITEM_STAGE.REQUESTED);
      assert.equal(ri?.service_item_id, item.id);
      assert.deepEqual(ri?.custom_fields, {
        resource_type: 'group',
        resource_name: 'AWS Production',
        justification: 'on call',
        duration_days: 7,
      });
      const fulfilled = await h.client.updateRequestedItem(sr.id, ri.id, {
        stage: FS_REQUESTED_ITEM_STAGE.FULFILLED,
      });
      assert.equal(fulfilled.stage, FS_REQUESTED_ITEM_STAGE.FULFILLED);
      const listed = await collect(h.client.listTickets({ type: 'Service Request', email: MANAGER }));
      assert.ok(listed.some((t) => t.id === sr.id));
    });

    it('given missing and invalid catalog fields, when a request is placed, then VALIDATION names each field', async () => {
      const err = await vendorError(() =>
        h.client.placeRequest(DEMO_CATALOG_ITEMS.accessRequest.displayId, {
          email: ADA,
          custom_fields: {
            resource_type: 'printer',
            resource_name: 'x',
            duration_days: 3,
            end_date: '2030-01-01',
          },
        }),
      );
      assert.equal(err.type, 'VALIDATION');
      assert.deepEqual(err.causes.map((c) => c.field).sort(), [
        'custom_fields.end_date',
        'custom_fields.justification',
        'custom_fields.resource_type',
      ]);
    });

    it('given an approval, when the approver approves through the actor endpoint, then the ticket approval_status follows', async () => {
      const sr = await h.client.placeRequest(DEMO_CATALOG_ITEMS.accessRequest.displayId, {
        email: ADA,
        custom_fields: { resource_type: 'app', resource_name: 'Salesforce', justification: 'deal desk' },
      });
      const manager = (await h.client.findRequesterByEmail(MANAGER))!;
      const [approval] = await h.client.requestApproval(sr.id, {
        approver_id: manager.id,
        approval_type: FS_APPROVAL_TYPE.ANYONE,
      });
      assert.equal(approval?.approval_status.id, FS_APPROVAL_STATUS.REQUESTED);
      assert.equal(approval?.approver_name, 'Margaret Hamilton');
      assert.equal((await h.client.getTicket(sr.id)).approval_status, FS_TICKET_APPROVAL_STATUS.REQUESTED);

      const wrong = await h.admin('POST', `/actor/approvals/${approval.id}/approve`, { approverEmail: ADA });
      assert.equal(wrong.status, 403, 'only the approver may decide');
      const ok = await h.admin('POST', `/actor/approvals/${approval.id}/approve`, {
        approverEmail: MANAGER,
        remark: 'fine',
      });
      assert.equal(ok.status, 200);

      const after = await h.client.getTicket(sr.id);
      assert.equal(after.approval_status, FS_TICKET_APPROVAL_STATUS.APPROVED);
      assert.equal(after.approval_status_name, 'Approved');
      const got = await h.client.getApproval(sr.id, approval.id);
      assert.equal(got.approval_status.id, FS_APPROVAL_STATUS.APPROVED);
      assert.equal(got.latest_remark, 'fine');
      const again = await vendorError(() => h.client.remindApproval(sr.id, approval.id));
      assert.equal(again.type, 'CONFLICT', 'a decided approval cannot be reminded');
    });

    it('given a pending approval, when reminded and then cancelled, then it is cancelled and the ticket says so', async () => {
      const t = await h.client.createTicket({
        email: ADA,
        description: 'needs approval',
        status: 2,
        priority: 1,
      });
      const manager = (await h.client.findRequesterByEmail(MANAGER))!;
      const [a] = await h.client.requestApproval(t.id, {
        approver_id: manager.id,
        approval_type: FS_APPROVAL_TYPE.EVERYONE,
      });
      await h.client.remindApproval(t.id, a!.id);
      const cancelled = await h.client.cancelApproval(t.id, a!.id);
      assert.equal(cancelled.approval_status.id, FS_APPROVAL_STATUS.CANCELLED);
      const list = await h.client.listApprovals(t.id);
      assert.deepEqual(
        list.map((x) => x.approval_status.name),
        ['Cancelled'],
      );
      assert.equal((await h.client.getTicket(t.id)).approval_status, FS_TICKET_APPROVAL_STATUS.CANCELLED);
    });

    it('given approvals for everyone, when one approves and one rejects, then the ticket is rejected', async () => {
      const t = await h.client.createTicket({
        email: ADA,
        description: 'two approvers',
        status: 2,
        priority: 1,
      });
      const m1 = (await h.client.findRequesterByEmail(MANAGER))!;
      const m2 = (await h.client.findRequesterByEmail('linus.torvalds@acme.example'))!;
      const [a1] = await h.client.requestApproval(t.id, {
        approver_id: m1.id,
        approval_type: FS_APPROVAL_TYPE.EVERYONE,
      });
      const [a2] = await h.client.requestApproval(t.id, {
        approver_id: m2.id,
        approval_type: FS_APPROVAL_TYPE.EVERYONE,
      });
      await h.admin('POST', `/actor/approvals/${a1!.id}/approve`, {});
      assert.equal((await h.client.getTicket(t.id)).approval_status, FS_TICKET_APPROVAL_STATUS.REQUESTED);
      await h.admin('POST', `/actor/approvals/${a2!.id}/reject`, { remark: 'no' });
      assert.equal((await h.client.getTicket(t.id)).approval_status, FS_TICKET_APPROVAL_STATUS.REJECTED);
    });
  });

  describe('people', () => {
    it('given a requester, when updated, deactivated and reactivated, then reads show each state', async () => {
      const dept = await h.client.findDepartmentByName('engineering');
      assert.equal(dept?.name, 'Engineering');
      const r = await h.client.createRequester({
        first_name: 'Barbara',
        last_name: 'Liskov',
        primary_email: 'Barbara.Liskov@acme.example',
        department_ids: [dept.id],
        external_id: '00u-liskov',
      });
      assert.equal(r.primary_email, 'barbara.liskov@acme.example');
      const u = await h.client.updateRequester(r.id, { job_title: 'Principal Engineer' });
      assert.equal(u.job_title, 'Principal Engineer');
      assert.equal(u.external_id, '00u-liskov');
      await h.client.deactivateRequester(r.id);
      assert.equal((await h.client.getRequester(r.id)).active, false);
      assert.equal((await h.client.reactivateRequester(r.id)).active, true);
    });

    it('given the demo account, when agents, departments and groups are read, then IT staff are agents with email', async () => {
      const ken = await h.client.findAgentByEmail('ken.thompson@acme.example', { active: true });
      assert.equal(ken?.email, 'ken.thompson@acme.example');
      assert.equal(await h.client.findAgentByEmail(ADA), undefined, 'requesters are not agents');
      const agents = await collect(h.client.listAgents());
      assert.equal(agents.length, 3);
      const depts = await collect(h.client.listDepartments());
      assert.ok(depts.some((d) => d.name === 'Finance'));
      const groups = await collect(h.client.listAgentGroups());
      const iam = groups.find((g) => g.name === 'Identity & Access');
      assert.ok(iam?.members.includes(ken.id));
      assert.equal((await h.client.getAgentGroup(iam!.id)).name, 'Identity & Access');
      const ada = (await h.client.findRequesterByEmail(ADA))!;
      const manager = (await h.client.findRequesterByEmail(MANAGER))!;
      assert.equal(ada.reporting_manager_id, manager.id);
    });

    it('given the client was built with the base URL plus /api/v2, when called, then it still works', async () => {
      const c = createFreshserviceClient({ baseUrl: `${h.sandbox.url}/api/v2/`, apiKey: TEST_API_KEY });
      assert.equal((await c.findRequesterByEmail(ADA))?.first_name, 'Ada');
    });
  });
});
