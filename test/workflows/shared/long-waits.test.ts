// Waits of months must not grow a history without bound. With a tiny event budget
// (WORKFLOW_HISTORY_MAX_EVENTS=50), each long-lived workflow is driven through many cycles in seconds: an
// open OIG request re-read on every event, a catalog request waiting on its approval and then holding
// time-bound access through extensions, its ticket router forwarding every nudge, and the forwarder of an
// OIG request raised on a user's behalf. Every run of each chain stays near the budget, and the chain keeps
// one state: dedupe, notes written, approvals and decisions are neither repeated nor forgotten.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  type FreshserviceTicketState,
  ticketWorkflowId,
} from '../../../src/workflows/ticket-router/contract';
import {
  cancelAccessUpdate,
  catalogAccessWorkflowId,
  extendAccessUpdate,
} from '../../../src/workflows/catalog-access/contract';
import {
  type OktaAccessRequestState,
  oktaRequestWorkflowId,
} from '../../../src/workflows/okta-access-request/contract';
import { stateQuery } from '../../../src/workflows/shared/contract';
import { catalogDriver } from '../../helpers/catalog-driver';
import { deliverOktaEvent } from '../../helpers/okta-events';
import { peopleMaker, uniqueEmail } from '../../helpers/people';
import { sandboxPost, startTestStack, type TestStack } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';

const BUDGET = 50;
/**
 * A run hands over at its first safe point past the budget; the longest stretch between two safe points is
 * a catalog flow's approval decision through the grant to its first wait (about a dozen activities), a
 * fixed number of events whatever the wait lasts.
 */
const SLACK = 60;

describe('long waits continue as new with one state', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack({ WORKFLOW_HISTORY_MAX_EVENTS: String(BUDGET) });
  });
  after(async () => {
    await stack.stop();
  });
  const d = catalogDriver(() => stack);
  const people = peopleMaker(() => stack);

  const query = async <T>(workflowId: string) =>
    (await stack.client.workflow.getHandle(workflowId).query(stateQuery)) as T;

  /** Every run of the workflow (visibility), with its history length. */
  async function runsOf(workflowId: string, expected: number) {
    let runs: { runId: string; status: string; events: number }[] = [];
    await waitFor(async () => {
      runs = [];
      for await (const w of stack.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
        const history = await stack.client.workflow.getHandle(workflowId, w.runId).fetchHistory();
        runs.push({ runId: w.runId, status: w.status.name, events: history.events?.length ?? 0 });
      }
      return runs.length >= expected;
    }, `${expected} runs of ${workflowId} in visibility`);
    return runs;
  }
  function assertBounded(runs: { status: string; events: number }[], what: string) {
    for (const r of runs) assert.ok(r.events <= BUDGET + SLACK, `${what}: a run of ${r.events} events`);
    assert.equal(runs.filter((r) => r.status === 'CONTINUED_AS_NEW').length, runs.length - 1, what);
  }

  const okHook = (requestId: string, uuid?: string, eventType = 'access.request.update') =>
    deliverOktaEvent(stack, requestId, eventType, uuid);
  async function entryId(name: string): Promise<string> {
    for await (const e of stack.vendors.okta.client.listCatalogEntries(`name eq "${name}"`)) return e.id;
    throw new Error(`no catalog entry ${name}`);
  }

  it('given an open OIG request and many events, when it is finally approved, then each run stayed short and nothing was noted twice', async () => {
    const r = await sandboxPost<{ id: string }>(stack.okta.url, '/__sandbox/actor/requests', {
      requesterLogin: 'alan.turing@acme.example',
      entryId: await entryId('GitHub Admins'),
      justification: 'on-call',
    });
    const wfId = oktaRequestWorkflowId(r.id);
    const first = await okHook(r.id, `create-${r.id}`, 'access.request.create');
    await waitFor(async () => (await query<OktaAccessRequestState>(wfId)).phase === 'open', 'the ticket');
    let sent = 1;
    while (sent < 12 || ((await query<OktaAccessRequestState>(wfId)).runs ?? 1) < 3) {
      await okHook(r.id);
      sent += 1;
      await waitFor(
        async () => (await query<OktaAccessRequestState>(wfId)).eventsApplied >= sent,
        `event ${sent} applied`,
      );
      assert.ok(sent < 200, 'the workflow should have continued as new by now');
    }
    await okHook(r.id, first, 'access.request.create'); // a redelivery from the first run
    await waitFor(
      async () => (await query<OktaAccessRequestState>(wfId)).duplicateEvents >= 1,
      'the duplicate',
    );
    await sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${r.id}/approve`, {
      approverLogin: 'margaret.hamilton@acme.example',
    });
    await okHook(r.id, randomUUID(), 'access.request.resolve');
    const done = (await stack.client.workflow.getHandle(wfId).result()) as OktaAccessRequestState;
    assert.equal(done.outcome, 'approved');
    assert.equal(done.eventsApplied, sent + 1, 'every distinct event applied once, across runs');
    assert.equal(done.duplicateEvents, 1);
    const runs = await runsOf(wfId, done.runs ?? 1);
    assert.ok(runs.length >= 3, `${runs.length} runs`);
    assertBounded(runs, 'OIG request');
    const notes = await d.notes(done.ticketId!);
    assert.equal(notes.filter((n) => /waiting for approval in Okta/.test(n)).length, 1);
    assert.equal(notes.filter((n) => /was approved/.test(n)).length, 1);
  });

  it('given a catalog request nudged while its approval waits and extended while granted, when cancelled, then one approval, one grant, every extension once, and short runs throughout', async () => {
    const email = uniqueEmail('long-wait');
    await people.requester(email);
    await people.oktaAccount({ login: email, email });
    const ticketId = await d.raise({ resource_type: 'app', resource_name: 'Salesforce Temporary' }, email);
    const flowId = catalogAccessWorkflowId(ticketId);
    await d.nudge(ticketId);
    const requested = await d.waitForRequestedLevel(ticketId, 1);

    let nudges = 0;
    while (nudges < 10 || (await d.state(ticketId)).runs < 3) {
      await d.nudge(ticketId, 'approval_changed', new Date(Date.now() + nudges).toISOString());
      nudges += 1;
      await waitFor(
        async () => (await d.state(ticketId)).eventsReceived >= nudges + 1,
        `nudge ${nudges} received`,
      );
      assert.ok(nudges < 200, 'the approval wait should have continued as new by now');
    }
    await d.decide(ticketId, requested.levels[0]!.approvalIds[0]!, 'approve');
    const granted = await d.waitForPhase(ticketId, 'granted');
    const runsAtGrant = granted.runs;

    let extensions = 0;
    let endAt = Date.parse(granted.grant.endAt!);
    while (extensions < 6 || (await d.state(ticketId)).runs < runsAtGrant + 2) {
      endAt += 60_000;
      const res = await d.accessFlow(ticketId).executeUpdate(extendAccessUpdate, {
        args: [{ endAt: new Date(endAt).toISOString(), requestedBy: 'radia.perlman@acme.example' }],
      });
      assert.equal(res.status, 'extended');
      extensions += 1;
      await waitFor(async () => (await d.state(ticketId)).phase === 'granted', 'the flow back in granted');
      assert.ok(extensions < 100, 'the granted phase should have continued as new by now');
    }
    const cancelled = await d.accessFlow(ticketId).executeUpdate(cancelAccessUpdate, {
      args: [{ requestedBy: 'radia.perlman@acme.example' }],
    });
    assert.equal(cancelled.status, 'revoked');

    const done = await d.result(ticketId);
    assert.equal(done.outcome, 'granted-then-revoked');
    assert.equal(done.grant.extensions.length, extensions);
    assert.deepEqual(
      done.decisions.map((x) => x.decision),
      ['approved', ...Array<string>(extensions).fill('extended'), 'revoked'],
    );
    assert.equal(done.eventsReceived, nudges + 2, 'the created, every nudge and the approval event');
    assert.equal((await stack.vendors.freshservice.client.listApprovals(ticketId)).length, 1);
    const notes = await d.notes(ticketId);
    assert.equal(notes.filter((n) => /requested from/.test(n)).length, 1);
    assert.equal(notes.filter((n) => /Access granted in Okta/.test(n)).length, 1);
    assert.equal(notes.filter((n) => /Access extended to/.test(n)).length, extensions);
    assertBounded(await runsOf(flowId, done.runs), 'catalog flow');

    const router = await query<FreshserviceTicketState>(ticketWorkflowId(ticketId));
    assert.equal(router.forwarded, nudges + 2, 'the router forwarded every event once, across its runs');
    const routerRuns = await runsOf(ticketWorkflowId(ticketId), router.runs ?? 1);
    assert.ok(routerRuns.length >= 2, `${routerRuns.length} router runs`);
    assert.ok(
      routerRuns.every((r) => r.events <= BUDGET + SLACK),
      'router runs stay short',
    );
  });

  it('given an OIG request raised on a user’s behalf, when many events reach its forwarder, then forwarder and flow hand over and the grant happens once', async () => {
    const email = uniqueEmail('okta-channel');
    await people.requester(email);
    await people.oktaAccount({ login: email, email });
    const ticketId = await d.raise({ resource_type: 'group', resource_name: 'Sales via Okta' }, email);
    await d.nudge(ticketId);
    await waitFor(async () => Boolean((await d.state(ticketId)).oktaRequestId), 'the OIG request');
    const requestId = (await d.state(ticketId)).oktaRequestId!;
    const forwarderId = oktaRequestWorkflowId(requestId);

    let events = 0;
    const forwarderRuns = async () => (await query<OktaAccessRequestState>(forwarderId)).runs ?? 1;
    while (events < 10 || (await forwarderRuns()) < 2 || (await d.state(ticketId)).runs < 2) {
      await okHook(requestId);
      events += 1;
      await waitFor(async () => (await d.state(ticketId)).eventsReceived >= events + 1, `event ${events}`);
      assert.ok(events < 200, 'forwarder and flow should have continued as new by now');
    }
    await sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${requestId}/approve`, {
      approverLogin: 'mary.jackson@acme.example',
    });
    await okHook(requestId, randomUUID(), 'access.request.resolve');
    const done = await d.result(ticketId);
    assert.equal(done.outcome, 'granted');
    assert.equal(done.decisions.length, 1);
    assert.equal(done.eventsReceived, events + 2);
    assert.ok(await d.inGroup(email, 'Sales'));
    assert.equal((await d.notes(ticketId)).filter((n) => /Approval runs in Okta/.test(n)).length, 1);
    assertBounded(await runsOf(catalogAccessWorkflowId(ticketId), done.runs), 'catalog flow (Okta channel)');
    const fwdRuns = await runsOf(forwarderId, await forwarderRuns());
    assert.ok(fwdRuns.length >= 2);
    assert.ok(
      fwdRuns.every((r) => r.events <= BUDGET + SLACK),
      'forwarder runs stay short',
    );
  });
});
