// Catalog access requests (Freshservice → Okta) end to end at the workflow layer: the real Temporal server,
// the real activities and clients, both sandboxes. A request is raised as an employee through the
// Freshservice sandbox, approvers act through its actor endpoints, and each change reaches the workflow as
// the signal the webhook would send. Outcomes are asserted where a user sees them: Okta access, the
// ticket's status, notes and requested items.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FS_REQUESTED_ITEM_STAGE, FS_TICKET_STATUS } from '../../../src/integrations/freshservice';
import {
  cancelAccessUpdate,
  catalogAccessWorkflowId,
  extendAccessUpdate,
  recordDecisionUpdate,
} from '../../../src/workflows/catalog-access/contract';
import {
  type OktaAccessRequestState,
  oktaRequestWorkflowId,
} from '../../../src/workflows/okta-access-request/contract';
import { stateQuery } from '../../../src/workflows/shared/contract';
import { deliverOktaEvent } from '../../helpers/okta-events';
import { catalogDriver } from '../../helpers/catalog-driver';
import { sandboxPost, startTestStack, type TestStack } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';

const ada = 'ada.lovelace@acme.example';
const margaret = 'margaret.hamilton@acme.example'; // Ada's manager
const linus = 'linus.torvalds@acme.example'; // Margaret's manager
const dorothy = 'dorothy.vaughan@acme.example'; // holds Payments Submitters

describe('catalog access request', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack.stop();
  });

  const d = catalogDriver(() => stack);
  const raise = (fields: Record<string, unknown>, requesterEmail = ada) => d.raise(fields, requesterEmail);
  const { nudge, accessFlow, state, waitForPhase, waitForRequestedLevel, decide, ticket, notes } = d;
  const { hasApp, inGroup, result } = d;

  it('given a request approved by the manager, when it completes, then Okta has the grant and the ticket is resolved', async () => {
    const id = await raise({ resource_type: 'app', resource_name: 'Salesforce' });
    await nudge(id);
    const s = await waitForRequestedLevel(id, 1);
    assert.equal(s.levels[0]?.approvers[0]?.email, margaret);
    assert.equal(await hasApp(ada, 'Salesforce'), false);

    await decide(id, s.levels[0].approvalIds[0]!, 'approve', 'ok for the Q3 pipeline');
    const done = await result(id);
    assert.equal(done.outcome, 'granted');
    assert.equal(await hasApp(ada, 'Salesforce'), true);
    assert.deepEqual(
      done.decisions.map((d) => [d.decision, d.channel, d.level]),
      [['approved', 'freshservice-approval', 1]],
    );
    assert.match(done.decisions[0]!.by, /margaret\.hamilton@acme\.example/);
    const t = await ticket(id);
    assert.equal(t.status, FS_TICKET_STATUS.RESOLVED);
    const items = await stack.vendors.freshservice.client.listRequestedItems(id);
    assert.ok(items.length > 0 && items.every((i) => i.stage === FS_REQUESTED_ITEM_STAGE.FULFILLED));
    const text = (await notes(id)).join('\n');
    assert.match(text, /Approval 1 .* requested from Margaret Hamilton/);
    assert.match(text, /Access granted in Okta and verified/);
  });

  it('given a two-level chain, when the manager then the owner group approve, then access is granted after both', async () => {
    const id = await raise({ resource_type: 'group', resource_name: 'GitHub Admins' });
    await nudge(id);
    let s = await waitForRequestedLevel(id, 1);
    await decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    s = await waitForRequestedLevel(id, 2);
    assert.ok(s.levels[1]!.approvers.length >= 2, 'every IT Admin is asked');
    assert.equal(await inGroup(ada, 'GitHub Admins'), false, 'no grant before the last level');
    await decide(id, s.levels[1]!.approvalIds[1]!, 'approve');
    const done = await result(id);
    assert.equal(done.outcome, 'granted');
    assert.deepEqual(
      done.levels.map((l) => l.status),
      ['approved', 'approved'],
    );
    assert.equal(await inGroup(ada, 'GitHub Admins'), true);
  });

  it('given a rejection, when it arrives, then no access exists and the ticket says who rejected and why', async () => {
    const alan = 'alan.turing@acme.example';
    const id = await raise({ resource_type: 'group', resource_name: 'GitHub Admins' }, alan);
    await nudge(id);
    const s = await waitForRequestedLevel(id, 1);
    await decide(id, s.levels[0]!.approvalIds[0]!, 'reject', 'use the read-only role');
    const done = await result(id);
    assert.equal(done.outcome, 'denied');
    assert.equal(await inGroup(alan, 'GitHub Admins'), false);
    assert.equal((await ticket(id)).status, FS_TICKET_STATUS.RESOLVED);
    const items = await stack.vendors.freshservice.client.listRequestedItems(id);
    assert.ok(items.length > 0 && items.every((i) => i.stage === FS_REQUESTED_ITEM_STAGE.CANCELLED));
    assert.match((await notes(id)).join('\n'), /denied by Margaret Hamilton .*use the read-only role/);
  });

  it('given a separation-of-duties conflict, when requested, then it is blocked without asking anyone', async () => {
    const id = await raise({ resource_type: 'group', resource_name: 'Finance Approvers' }, dorothy);
    await nudge(id);
    const done = await result(id);
    assert.equal(done.outcome, 'blocked-by-sod');
    assert.deepEqual(done.levels, []);
    assert.equal(await inGroup(dorothy, 'Finance Approvers'), false);
    assert.match((await notes(id)).join('\n'), /Payments segregation.*Payments Submitters/);
  });

  it('given a silent manager, when the escalation delay passes, then the manager’s manager is asked and can approve', async () => {
    const id = await raise({ resource_type: 'app', resource_name: 'NetSuite' });
    await nudge(id);
    await waitForRequestedLevel(id, 1);
    await waitFor(
      async () => {
        const level = (await state(id)).levels[0];
        return level?.escalated === true && level.approvers[0]?.email === linus;
      },
      'escalation',
      { timeoutMs: 20_000 },
    );
    const s = await state(id);
    assert.equal(s.levels[0]!.approvers[0]!.email, linus);
    assert.ok(s.levels[0]!.remindersSent >= 1, 'the manager was reminded before escalation');
    await decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    const done = await result(id);
    assert.equal(done.outcome, 'granted');
    assert.match(done.decisions[0]!.by, /linus/i);
    assert.match((await notes(id)).join('\n'), /requested from Linus Torvalds/);
  });

  it('given no decision before the expiry, when it passes, then the request expires and the approvals are cancelled', async () => {
    const id = await raise({ resource_type: 'group', resource_name: 'Sales' });
    await nudge(id);
    const done = await result(id);
    assert.equal(done.outcome, 'expired');
    assert.equal(await inGroup(ada, 'Sales'), false);
    const approvals = await stack.vendors.freshservice.client.listApprovals(id);
    assert.ok(approvals.length > 0 && approvals.every((a) => a.approval_status.id === 3), 'all cancelled');
    assert.equal(done.decisions[0]?.channel, 'policy');
  });

  it('given time-bound access, when the end nears and passes, then the requester is told and access is revoked', async () => {
    const id = await raise({ resource_type: 'group', resource_name: 'AWS Production' });
    await nudge(id);
    const s = await waitForRequestedLevel(id, 1);
    await decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    // Read from the outcome, not by looking at Okta mid-window: a loaded machine may outlive the window.
    const done = await result(id);
    assert.equal(done.outcome, 'granted-then-revoked');
    assert.ok(done.grant.grantedAt && done.grant.endAt && done.grant.revokedAt, JSON.stringify(done.grant));
    assert.ok(
      Date.parse(done.grant.revokedAt) >= Date.parse(done.grant.endAt),
      'revoked at the end, not before',
    );
    assert.equal(await inGroup(ada, 'AWS Production'), false);
    assert.ok(done.grant.noticeSentFor, 'a notice was sent');
    const text = (await notes(id)).join('\n');
    assert.match(text, /Your access to AWS Production ends at/);
    assert.match(text, /revoked in Okta and verified \(the access period ended\)/);
  });

  it('given granted time-bound access, when an operator extends it, then the end moves and the notice follows it', async () => {
    const id = await raise({ resource_type: 'group', resource_name: 'AWS Production' });
    await nudge(id);
    const s = await waitForRequestedLevel(id, 1);
    await decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    const granted = await waitForPhase(id, 'granted');
    const newEnd = new Date(Date.parse(granted.grant.endAt!) + 4000).toISOString();
    const res = await accessFlow(id).executeUpdate(extendAccessUpdate, {
      args: [{ endAt: newEnd, requestedBy: 'it1@acme.example', reason: 'incident still open' }],
    });
    assert.deepEqual(res, { status: 'extended', endAt: newEnd });
    const done = await result(id);
    assert.equal(done.grant.endAt, newEnd);
    assert.equal(done.grant.extensions.length, 1);
    assert.ok(Date.parse(done.grant.revokedAt!) >= Date.parse(newEnd));
    assert.match((await notes(id)).join('\n'), /Access extended to .*\(incident still open\)/);
  });

  it('given an extension the policy wants approved, when requested, then the manager approves it first', async () => {
    const id = await raise(
      { resource_type: 'group', resource_name: 'Engineering' },
      'hedy.lamarr@acme.example',
    );
    await nudge(id);
    let s = await waitForRequestedLevel(id, 1);
    await decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    const granted = await waitForPhase(id, 'granted');
    const newEnd = new Date(Date.parse(granted.grant.endAt!) + 30 * 60_000).toISOString();
    const res = await accessFlow(id).executeUpdate(extendAccessUpdate, {
      args: [{ endAt: newEnd, requestedBy: 'hedy.lamarr@acme.example' }],
    });
    assert.equal(res.status, 'awaiting-approval');
    s = await waitForRequestedLevel(id, 2);
    await decide(id, s.levels[1]!.approvalIds[0]!, 'approve');
    await waitFor(async () => (await state(id)).grant.endAt === newEnd, 'the new end');
    // An end beyond the policy maximum is refused by the validator, before anything runs.
    await assert.rejects(
      accessFlow(id).executeUpdate(extendAccessUpdate, {
        args: [{ endAt: new Date(Date.now() + 5 * 3_600_000).toISOString(), requestedBy: 'x' }],
      }),
      (err: Error) => /at most 2h/.test(String((err.cause as Error | undefined)?.message)),
    );
    const cancelled = await accessFlow(id).executeUpdate(cancelAccessUpdate, {
      args: [{ requestedBy: 'radia.perlman@acme.example' }],
    });
    assert.equal(cancelled.status, 'revoked');
    assert.equal(await inGroup('hedy.lamarr@acme.example', 'Engineering'), false);
  });

  it('given an operator decision through the admin update, when recorded, then it counts as that level’s decision', async () => {
    const id = await raise({ resource_type: 'app', resource_name: 'Salesforce' }, 'alan.turing@acme.example');
    await nudge(id);
    await waitForRequestedLevel(id, 1);
    const answer = await accessFlow(id).executeUpdate(recordDecisionUpdate, {
      args: [
        { decision: 'approved', approver: 'margaret.hamilton@acme.example', reason: 'approved by phone' },
      ],
    });
    assert.deepEqual(answer, { status: 'recorded', level: 1 });
    const done = await result(id);
    assert.equal(done.outcome, 'granted');
    assert.deepEqual(
      done.decisions.map((d) => d.channel),
      ['admin-api'],
    );
    const approvals = await stack.vendors.freshservice.client.listApprovals(id);
    assert.ok(
      approvals.length > 0 && approvals.every((a) => a.approval_status.id === 3),
      'the open approval was cancelled',
    );
  });

  it('given an unknown resource or a policy resource Okta lacks, when requested, then the ticket says so', async () => {
    const unknown = await raise({ resource_type: 'app', resource_name: 'Jira' });
    await nudge(unknown);
    assert.equal((await result(unknown)).outcome, 'unknown-resource');
    assert.match((await notes(unknown)).join('\n'), /"Jira" is not a resource that can be requested/);
    const ghost = await raise({ resource_type: 'app', resource_name: 'Ghost App' });
    await nudge(ghost);
    assert.equal((await result(ghost)).outcome, 'unknown-resource');
    assert.equal((await ticket(ghost)).status, FS_TICKET_STATUS.OPEN, 'left open for an administrator');
  });

  it('given every event delivered three times and out of order, when processed, then one approval, one grant and one note each', async () => {
    const id = await raise(
      { resource_type: 'app', resource_name: 'Salesforce' },
      'ken.thompson@acme.example',
    );
    const created = new Date().toISOString();
    await nudge(id, 'ticket_updated', created);
    await nudge(id, 'ticket_created', created);
    await nudge(id, 'ticket_created', created);
    const s = await waitForRequestedLevel(id, 1);
    await sandboxPost(
      stack.freshservice.publicUrl,
      `/__sandbox/actor/approvals/${s.levels[0]!.approvalIds[0]}/approve`,
    );
    const changed = new Date().toISOString();
    for (let i = 0; i < 3; i++) await nudge(id, 'approval_changed', changed);
    const done = await result(id);
    assert.equal(done.outcome, 'granted');
    assert.equal((await stack.vendors.freshservice.client.listApprovals(id)).length, 1);
    const all = await notes(id);
    assert.equal(all.filter((n) => /Access granted in Okta/.test(n)).length, 1);
    assert.equal(all.filter((n) => /requested from/.test(n)).length, 1);
    assert.equal(done.decisions.length, 1);
  });

  it('given a resource approved in Okta, when OIG approves the request raised on the person’s behalf, then the grant is verified and the ticket resolved', async () => {
    const id = await raise({ resource_type: 'group', resource_name: 'Sales via Okta' }, dorothy);
    await nudge(id);
    await waitFor(async () => Boolean((await state(id)).oktaRequestId), 'the OIG request to be raised');
    const requestId = (await state(id)).oktaRequestId!;
    assert.equal(await inGroup(dorothy, 'Sales'), false);

    await sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${requestId}/approve`, {
      approverLogin: 'katherine.johnson@acme.example',
    });
    // The event hook delivery for the OIG request: its own workflow recognises the marker and forwards it.
    await deliverOktaEvent(stack, requestId, 'access.request.resolve', `evt-${requestId}`);
    const done = await result(id);
    assert.equal(done.outcome, 'granted');
    assert.equal(done.approvalChannel, 'okta');
    assert.deepEqual(
      done.decisions.map((d) => d.channel),
      ['okta'],
    );
    assert.match(done.decisions[0]!.by, /Katherine Johnson/);
    assert.equal(await inGroup(dorothy, 'Sales'), true);
    const forwarder = (await stack.client.workflow
      .getHandle(oktaRequestWorkflowId(requestId))
      .query(stateQuery)) as OktaAccessRequestState;
    assert.equal(forwarder.forwardedTo, catalogAccessWorkflowId(id));
    assert.equal(forwarder.ticketId, null, 'no second ticket for a request we raised');
  });
});
