// Approval integrity on the real Temporal server, the real admin API and both sandboxes: decisions that race
// are applied or refused (never answered `recorded` and dropped), nobody approves their own request, an
// end date that passed while approval waited grants nothing, an agent's close ends the request, and what a
// requester types reaches the approver's email escaped. Latency faults in the Freshservice sandbox hold a
// request in flight so a second actor can act inside the window, as in the field reports.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningApi } from '../../../src/api/server';
import { FS_TICKET_STATUS } from '../../../src/integrations/freshservice';
import {
  type OktaAccessRequestState,
  oktaRequestWorkflowId,
} from '../../../src/workflows/okta-access-request/contract';
import { stateQuery } from '../../../src/workflows/shared/contract';
import { OutcomeKey } from '../../../src/workflows/shared/contract';
import { startTestApi, TEST_SECRETS } from '../../helpers/api';
import { catalogDriver } from '../../helpers/catalog-driver';
import { deliverOktaEvent } from '../../helpers/okta-events';
import { peopleMaker, uniqueEmail } from '../../helpers/people';
import { sandboxGet, sandboxPost, startTestStack, type TestStack } from '../../helpers/stack';
import { testEnv } from '../../helpers/temporal';
import { waitFor } from '../../helpers/wait';

const ada = 'ada.lovelace@acme.example';
const alan = 'alan.turing@acme.example';
const margaret = 'margaret.hamilton@acme.example';
const linus = 'linus.torvalds@acme.example';

type Applied = { applied: { id: number; method: string; path: string }[] };

describe('approval integrity', () => {
  let stack: TestStack;
  let api: RunningApi;
  before(async () => {
    stack = await startTestStack();
    api = await startTestApi((await testEnv()).address, { TEMPORAL_TASK_QUEUE: stack.taskQueues.workflows });
  });
  after(async () => {
    await api.close();
    await stack.stop();
  });
  const d = catalogDriver(() => stack);
  const people = peopleMaker(() => stack);
  /** A new employee reporting to Margaret, in both systems, holding nothing yet. */
  async function newEmployee(prefix: string): Promise<string> {
    const email = uniqueEmail(prefix);
    await people.requester(email);
    await people.oktaAccount({ login: email, email });
    return email;
  }
  const message = (body: Record<string, unknown>) => String((body.error as { message?: string })?.message);

  const admin = (ticketId: number, body: Record<string, unknown>) =>
    fetch(`${api.url}/admin/requests/tickets/${ticketId}/decision`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_SECRETS.ADMIN_API_TOKEN}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }));

  /** Adds a latency fault and resolves a function that waits until a request has hit it. */
  async function holdNext(method: string, path: string, latencyMs = 3000) {
    const { id } = await sandboxPost<{ id: number }>(stack.freshservice.publicUrl, '/__sandbox/faults', {
      method,
      path,
      kind: 'latency',
      latencyMs,
    });
    return () =>
      waitFor(async () => {
        const f = await sandboxGet<Applied>(stack.freshservice.publicUrl, '/__sandbox/faults');
        return f.applied.some((a) => a.id === id);
      }, `a ${method} ${path} in flight`);
  }
  const approvalsPath = (ticketId: number) => `/api/v2/tickets/${ticketId}/approvals`;

  async function assertAgree(ticketId: number, outcome: string) {
    const done = await d.result(ticketId);
    assert.equal(done.outcome, outcome);
    const described = await d.accessFlow(ticketId).describe();
    assert.equal(described.status.name, 'COMPLETED');
    assert.deepEqual(described.typedSearchAttributes.get(OutcomeKey), outcome);
    return done;
  }

  it('given an admin approval being applied, when a second admin decision (a denial) arrives, then it is refused at once naming the first and the approval alone is recorded', async () => {
    const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce' }, await newEmployee('a1'));
    await d.nudge(id);
    await d.waitForRequestedLevel(id, 1);
    const inFlight = await holdNext('GET', approvalsPath(id));
    const first = admin(id, { decision: 'approved', approver: 'radia.perlman@acme.example' });
    await inFlight(); // the flow is closing the level's approvals for the first decision
    const second = await admin(id, { decision: 'denied', approver: 'ken.thompson@acme.example' });
    assert.equal(second.status, 409, JSON.stringify(second.body));
    assert.match(message(second.body), /already has a decision being applied: approved by radia/);
    assert.equal((await first).status, 200);
    const done = await assertAgree(id, 'granted');
    assert.deepEqual(
      done.decisions.map((x) => [x.decision, x.by, x.channel, x.level]),
      [['approved', 'radia.perlman@acme.example', 'admin-api', 1]],
    );
  });

  it('given the manager’s approval being read, when an admin denial arrives, then the denial is refused naming the manager, and the approval is the one decision', async () => {
    const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce' }, await newEmployee('a2'));
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    const inFlight = await holdNext('GET', approvalsPath(id));
    await sandboxPost(
      stack.freshservice.publicUrl,
      `/__sandbox/actor/approvals/${s.levels[0]!.approvalIds[0]}/approve`,
    );
    await d.nudge(id, 'approval_changed');
    await inFlight(); // the flow is reading the manager's approval
    const denial = await admin(id, { decision: 'denied', approver: 'radia.perlman@acme.example' });
    assert.equal(denial.status, 409, JSON.stringify(denial.body));
    assert.match(message(denial.body), /approval 1 was already approved by Margaret Hamilton/);
    const done = await assertAgree(id, 'granted');
    assert.deepEqual(
      done.decisions.map((x) => [x.decision, x.channel]),
      [['approved', 'freshservice-approval']],
    );
  });

  it('given an admin approval closing the level, when the approver rejects in Freshservice meanwhile, then the rejection stands, the admin is told, and the run completes denied', async () => {
    const hedy = await newEmployee('a3');
    const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce' }, hedy);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    const approvalId = s.levels[0]!.approvalIds[0]!;
    const inFlight = await holdNext('PUT', `${approvalsPath(id)}/${approvalId}`);
    const adminApproval = admin(id, { decision: 'approved', approver: 'radia.perlman@acme.example' });
    await inFlight(); // the cancel of the open approval is on its way
    await sandboxPost(stack.freshservice.publicUrl, `/__sandbox/actor/approvals/${approvalId}/reject`, {
      remark: 'not for this quarter',
    });
    const answer = await adminApproval;
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.match(message(answer.body), /approval 1 was already denied by Margaret Hamilton/);
    const done = await assertAgree(id, 'denied');
    assert.equal(await d.hasApp(hedy, 'Salesforce'), false, 'no access after the rejection');
    assert.deepEqual(
      done.decisions.map((x) => [x.decision, x.channel]),
      [['denied', 'freshservice-approval']],
    );
  });

  it('given a manager who requests for her report, when the chain names the manager, then the approval goes to the escalation target and the note says why', async () => {
    const id = await d.raise(
      { resource_type: 'app', resource_name: 'NetSuite', requested_for_email: ada },
      margaret,
    );
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    assert.deepEqual(
      s.levels[0]!.approvers.map((a) => a.email),
      [linus],
    );
    await waitFor(
      async () => /went to Linus Torvalds instead of Margaret Hamilton/.test((await d.notes(id)).join('\n')),
      'the note saying why the approval went elsewhere',
    );
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    assert.equal((await d.result(id)).outcome, 'granted');
    const approvals = await stack.vendors.freshservice.client.listApprovals(id);
    const margaretId = (await stack.vendors.freshservice.client.findRequesterByEmail(margaret))!.id;
    assert.ok(!approvals.some((a) => a.approver_id === margaretId), 'never asked to approve her own request');
  });

  it('given a manager who requests for her report and no escalation target, then nobody is asked and the note says why', async () => {
    const id = await d.raise(
      { resource_type: 'app', resource_name: 'Salesforce', requested_for_email: alan },
      margaret,
    );
    await d.nudge(id);
    const done = await assertAgree(id, 'no-approver');
    assert.equal((await stack.vendors.freshservice.client.listApprovals(id)).length, 0);
    assert.match((await d.notes(id)).join('\n'), /nobody may approve their own request/);
    assert.equal(done.grant.grantedAt, null);
  });

  it('given a requested end that passes while approval waits, when approved, then nothing is granted (never permanent access)', async () => {
    const ken = await newEmployee('c5');
    const endAt = new Date(Date.now() + 4000).toISOString();
    const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce Temporary' }, ken);
    // A tenant whose end field is a date-time (a catalog date field ends at midnight UTC, too far for a test).
    for (const item of stack.freshservice.store.requestedItemsOf(id)) item.custom_fields.end_date = endAt;
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await waitFor(() => Date.now() > Date.parse(endAt) + 500, 'the requested end to pass', {
      timeoutMs: 10_000,
    });
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    const done = await assertAgree(id, 'access-window-passed');
    assert.equal(done.grant.grantedAt, null);
    assert.equal(await d.hasApp(ken, 'Salesforce'), false);
    assert.match(
      (await d.notes(id)).join('\n'),
      /approved, but nothing was granted: end date .* is in the past/,
    );
  });

  it('given an agent who closes the ticket while approval waits, when the manager approves afterwards, then nothing is granted and the ticket stays Closed', async () => {
    const id = await d.raise({ resource_type: 'group', resource_name: 'GitHub Admins' }, alan);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await stack.vendors.freshservice.client.updateTicket(id, { status: FS_TICKET_STATUS.CLOSED });
    // The manager acts from the approval email; the close's own webhook comes later (or never).
    await sandboxPost(
      stack.freshservice.publicUrl,
      `/__sandbox/actor/approvals/${s.levels[0]!.approvalIds[0]}/approve`,
    );
    await d.nudge(id, 'approval_changed');
    await d.nudge(id, 'ticket_updated');
    await assertAgree(id, 'closed-by-agent');
    assert.equal(await d.inGroup(alan, 'GitHub Admins'), false);
    assert.equal(
      (await d.ticket(id)).status,
      FS_TICKET_STATUS.CLOSED,
      'never moved out of the agent’s status',
    );
    assert.match((await d.notes(id)).join('\n'), /the service desk set the ticket to Closed/);
  });

  it('given an agent who closes the ticket while approval waits, when its webhook arrives, then the open approval is cancelled and the request ends', async () => {
    const id = await d.raise({ resource_type: 'group', resource_name: 'GitHub Admins' }, ada);
    await d.nudge(id);
    await d.waitForRequestedLevel(id, 1);
    await stack.vendors.freshservice.client.updateTicket(id, { status: FS_TICKET_STATUS.RESOLVED });
    await d.nudge(id, 'ticket_updated');
    await assertAgree(id, 'closed-by-agent');
    const approvals = await stack.vendors.freshservice.client.listApprovals(id);
    assert.ok(approvals.length > 0 && approvals.every((a) => a.approval_status.id === 3), 'all cancelled');
    assert.equal((await d.ticket(id)).status, FS_TICKET_STATUS.RESOLVED);
  });

  it('given a justification with markup and a link, when the approver is asked, then the approval email carries it escaped', async () => {
    const payload = '<img src=x onerror=alert(1)> see <a href="https://evil.example">this</a>';
    const id = await d.raise(
      { resource_type: 'app', resource_name: 'Salesforce', justification: payload },
      alan,
    );
    await d.nudge(id);
    await d.waitForRequestedLevel(id, 1);
    // The API does not return email_content; the sandbox keeps what Freshservice would mail.
    const [approval] = stack.freshservice.store.approvalsOf(id);
    const email = String(approval?.email_content);
    assert.ok(!email.includes('<img') && !email.includes('<a '), email);
    assert.ok(email.includes('&lt;img src=x onerror=alert(1)&gt;'), email);
    await d.accessFlow(id).cancel();
  });

  it('given an operator who names the requester as `Name <email>`, when approving, then it is refused (nobody approves their own request)', async () => {
    const e = await newEmployee('b3');
    const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce' }, e);
    await d.nudge(id);
    await d.waitForRequestedLevel(id, 1);
    const answer = await admin(id, { decision: 'approved', approver: `Test Person <${e.toUpperCase()}>` });
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.match(message(answer.body), /nobody approves their own request/);
    await d.accessFlow(id).cancel();
  });

  it('given a request for a person named by their secondary email, when that person is in the approving group, then they are not asked and cannot approve through the API', async () => {
    const ken = 'ken.thompson@acme.example'; // an IT Admin: a member of the owner group of GitHub Admins
    const alias = uniqueEmail('ken-alias');
    const kenInOkta = await stack.vendors.okta.client.findUserByLogin(ken);
    await stack.vendors.okta.client.updateUserProfile(kenInOkta!.id, { secondEmail: alias });
    const id = await d.raise(
      { resource_type: 'group', resource_name: 'GitHub Admins' },
      'whitfield.diffie@acme.example',
    );
    for (const item of stack.freshservice.store.requestedItemsOf(id))
      item.custom_fields.requested_for_email = alias;
    await d.nudge(id);
    let s = await d.waitForRequestedLevel(id, 1);
    assert.equal(s.requestedFor.oktaUserId, kenInOkta!.id);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    s = await d.waitForRequestedLevel(id, 2);
    assert.ok(s.levels[1]!.approvers.length > 0);
    assert.ok(
      !s.levels[1]!.approvers.some((a) => a.email === ken),
      'the person the access is for is not asked',
    );
    const answer = await admin(id, { decision: 'approved', approver: `Ken Thompson <${ken}>` });
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.match(message(answer.body), /nobody approves their own request/);
    await d.accessFlow(id).cancel();
  });

  it('given a decision meant for level 1, when level 1 is already decided, then it is refused instead of landing on level 2', async () => {
    const id = await d.raise(
      { resource_type: 'group', resource_name: 'GitHub Admins' },
      await newEmployee('a5'),
    );
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    await d.waitForRequestedLevel(id, 2);
    const answer = await admin(id, {
      decision: 'approved',
      approver: 'radia.perlman@acme.example',
      level: 1,
    });
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.match(
      message(answer.body),
      /decision is for approval 1, but approval 2 is the one pending \(approval 1 was already approved by Margaret Hamilton/,
    );
    assert.equal((await d.state(id)).levels[1]!.status, 'requested', 'level 2 untouched');
    await d.accessFlow(id).cancel();
  });

  it('given an Okta-channel request the service desk denied, when Okta approves it afterwards, then the access Okta grants is removed', async () => {
    const e = await newEmployee('okta-denied');
    const id = await d.raise({ resource_type: 'group', resource_name: 'Sales via Okta' }, e);
    await d.nudge(id);
    await waitFor(async () => Boolean((await d.state(id)).oktaRequestId), 'the OIG request');
    const requestId = (await d.state(id)).oktaRequestId!;
    const denial = await admin(id, { decision: 'denied', approver: 'radia.perlman@acme.example' });
    assert.equal(denial.status, 200, JSON.stringify(denial.body));
    await waitFor(async () => (await d.state(id)).oktaRequestWatched === true, 'the OIG request followed');
    await sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${requestId}/approve`, {
      approverLogin: 'mary.jackson@acme.example',
    });
    await deliverOktaEvent(stack, requestId, 'access.request.resolve');
    const done = await assertAgree(id, 'denied');
    assert.equal(done.oktaRequestWatched, false);
    assert.equal(await d.inGroup(e, 'Sales'), false, 'what Okta granted late was removed');
    assert.match(
      (await d.notes(id)).join('\n'),
      /Okta approved request .* after the service desk had ended it/,
    );
    const messages = await sandboxGet<{ message: string }[]>(
      stack.okta.url,
      `/__sandbox/requests/${requestId}/messages`,
    );
    assert.ok(
      messages.some((m) => /Please cancel this request in Okta/.test(m.message)),
      JSON.stringify(messages),
    );
  });

  it('given an OIG request whose ticket an agent closed, when Okta approves, then the ticket stays Closed', async () => {
    let entryId: string | undefined;
    for await (const e of stack.vendors.okta.client.listCatalogEntries('name eq "Salesforce"'))
      entryId = e.id;
    const r = await sandboxPost<{ id: string }>(stack.okta.url, '/__sandbox/actor/requests', {
      requesterLogin: await newEmployee('oig-closed'),
      entryId,
      justification: 'pipeline review',
    });
    await deliverOktaEvent(stack, r.id, 'access.request.create');
    const flow = stack.client.workflow.getHandle(oktaRequestWorkflowId(r.id));
    await waitFor(
      async () => ((await flow.query(stateQuery)) as OktaAccessRequestState).phase === 'open',
      'the ticket',
    );
    const ticketId = ((await flow.query(stateQuery)) as OktaAccessRequestState).ticketId!;
    await stack.vendors.freshservice.client.updateTicket(ticketId, { status: FS_TICKET_STATUS.CLOSED });
    await sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${r.id}/approve`, {
      approverLogin: 'margaret.hamilton@acme.example',
    });
    await deliverOktaEvent(stack, r.id, 'access.request.resolve');
    const done = (await flow.result()) as OktaAccessRequestState;
    assert.equal(done.outcome, 'approved');
    assert.equal(
      (await d.ticket(ticketId)).status,
      FS_TICKET_STATUS.CLOSED,
      'never moved out of the agent’s status',
    );
  });
});
