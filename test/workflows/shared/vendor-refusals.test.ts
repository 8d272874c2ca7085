// A permanent vendor refusal never fails a run silently. Salesforce is also granted through a group here,
// so Okta refuses to unassign it per user (403 E0000046), and the refusal is triggered the three ways the
// field reported: an admin cancel (over the real admin API), the access window ending, and a denial after
// the access appeared while approval waited. Each must end COMPLETED with outcome `revocation-refused`, a
// note naming Okta's code, summary and the granting group, the ticket open, and the access left in place.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningApi } from '../../../src/api/server';
import { FS_TICKET_STATUS } from '../../../src/integrations/freshservice';
import { cancelAccessUpdate, type CatalogAccessState } from '../../../src/workflows/catalog-access/contract';
import {
  type OktaAccessRequestState,
  oktaRequestWorkflowId,
} from '../../../src/workflows/okta-access-request/contract';
import { OutcomeKey } from '../../../src/workflows/shared/contract';
import { startTestApi, TEST_SECRETS } from '../../helpers/api';
import { catalogDriver } from '../../helpers/catalog-driver';
import { deliverOktaEvent } from '../../helpers/okta-events';
import { peopleMaker, uniqueEmail } from '../../helpers/people';
import { sandboxGet, sandboxPost, startTestStack, type TestStack } from '../../helpers/stack';
import { testEnv } from '../../helpers/temporal';
import { waitFor } from '../../helpers/wait';

/** The seeded group this file assigns to Salesforce, so members hold the app with scope GROUP. */
const GRANTING_GROUP = 'Finance';

describe('catalog request: a revocation Okta refuses', () => {
  let stack: TestStack;
  let api: RunningApi;
  before(async () => {
    stack = await startTestStack();
    api = await startTestApi((await testEnv()).address, { TEMPORAL_TASK_QUEUE: stack.taskQueues.workflows });
    const okta = stack.vendors.okta.client;
    const app = await okta.findAppByLabelOrName('Salesforce');
    const group = await okta.findGroupByName(GRANTING_GROUP);
    await okta.assignGroupToApp(app!.id, group!.id);
  });
  after(async () => {
    await api.close();
    await stack.stop();
  });
  const d = catalogDriver(() => stack);
  const people = peopleMaker(() => stack);

  async function salesforceUser(userId: string) {
    const okta = stack.vendors.okta.client;
    const app = await okta.findAppByLabelOrName('Salesforce');
    return okta.getAppUser(app!.id, userId);
  }
  async function joinGrantingGroup(userId: string) {
    const okta = stack.vendors.okta.client;
    const group = await okta.findGroupByName(GRANTING_GROUP);
    await okta.addUserToGroup(group!.id, userId);
  }
  /** A new person asks for `resource` and the manager approves; resolves once the flow holds the grant. */
  async function grantTo(resource: string) {
    const email = uniqueEmail('refused');
    await people.requester(email);
    const user = await people.oktaAccount({ login: email, email });
    const ticketId = await d.raise({ resource_type: 'app', resource_name: resource }, email);
    await d.nudge(ticketId);
    const s = await d.waitForRequestedLevel(ticketId, 1);
    return { ticketId, user, approvalId: s.levels[0]!.approvalIds[0]! };
  }
  /** What every refusal must leave behind, wherever it happened. */
  async function assertRefusalRecorded(ticketId: number, done: CatalogAccessState, userId: string) {
    assert.equal(done.outcome, 'revocation-refused');
    assert.equal(done.refusal?.vendorCode, 'E0000046');
    const described = await d.accessFlow(ticketId).describe();
    assert.equal(described.status.name, 'COMPLETED');
    assert.deepEqual(described.typedSearchAttributes.get(OutcomeKey), 'revocation-refused');
    assert.equal((await d.ticket(ticketId)).status, FS_TICKET_STATUS.OPEN, 'left open for an agent');
    const text = (await d.notes(ticketId)).join('\n');
    assert.match(text, /Okta refused to revoke Salesforce/);
    assert.match(text, /E0000046 Deactivate application for user forbidden/);
    assert.match(text, /through group "Finance"/, 'the note says which group grants the app');
    assert.ok(await salesforceUser(userId), 'the access stays until an agent acts');
  }

  it('given granted time-bound access also granted by a group, when an admin cancels over the API, then the call answers the refusal and the run completes with it', async () => {
    const { ticketId, user, approvalId } = await grantTo('Salesforce Temporary');
    await d.decide(ticketId, approvalId, 'approve');
    await d.waitForPhase(ticketId, 'granted');
    await joinGrantingGroup(user.id);

    const res = await fetch(`${api.url}/admin/requests/tickets/${ticketId}/cancel`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_SECRETS.ADMIN_API_TOKEN}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ requestedBy: 'radia.perlman@acme.example', reason: 'left the project' }),
    });
    const body = (await res.json()) as { result: { status: string; reason: string } };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.result.status, 'revocation-refused');
    assert.match(body.result.reason, /E0000046/);
    await assertRefusalRecorded(ticketId, await d.result(ticketId), user.id);
  });

  it('given granted time-bound access also granted by a group, when the access window ends, then the run completes with the refusal', async () => {
    const { ticketId, user, approvalId } = await grantTo('Salesforce Brief');
    // The group joins while approval waits, not after the grant: the brief window may not outlive a
    // loaded machine, and either way the app is granted twice over when the window ends.
    await joinGrantingGroup(user.id);
    await d.decide(ticketId, approvalId, 'approve');
    const done = await d.result(ticketId);
    assert.ok(done.grant.grantedAt, 'the flow granted before the window ran out');
    await assertRefusalRecorded(ticketId, done, user.id);
  });

  it('given access that appeared through a group while approval waited, when the request is denied, then the run completes with the refusal', async () => {
    const { ticketId, user, approvalId } = await grantTo('Salesforce');
    await joinGrantingGroup(user.id);
    await d.decide(ticketId, approvalId, 'reject', 'not for contractors');
    const done = await d.result(ticketId);
    assert.equal(done.decisions[0]?.decision, 'denied');
    await assertRefusalRecorded(ticketId, done, user.id);
  });

  /** An OIG request raised by a seeded employee, and its first event-hook delivery. */
  async function raiseOktaRequest(requesterLogin: string): Promise<string> {
    let entryId: string | undefined;
    for await (const e of stack.vendors.okta.client.listCatalogEntries('name eq "GitHub Admins"'))
      entryId = e.id;
    const r = await sandboxPost<{ id: string }>(stack.okta.url, '/__sandbox/actor/requests', {
      requesterLogin,
      entryId,
      justification: 'release duty',
    });
    await deliverOktaEvent(stack, r.id, 'access.request.create', `create-${r.id}`);
    return r.id;
  }
  const oktaFlowResult = (requestId: string) =>
    stack.client.workflow
      .getHandle(oktaRequestWorkflowId(requestId))
      .result() as Promise<OktaAccessRequestState>;

  it('given Freshservice refuses the OIG request’s ticket, when the flow opens it, then the OIG request is told why and the run completes vendor-refused', async () => {
    await sandboxPost(stack.freshservice.publicUrl, '/__sandbox/faults', {
      method: 'POST',
      path: '/api/v2/tickets',
      kind: 'status',
      status: 403,
    });
    const requestId = await raiseOktaRequest('alan.turing@acme.example');
    const done = await oktaFlowResult(requestId);
    assert.equal(done.outcome, 'vendor-refused');
    assert.equal(done.refusal?.vendor, 'freshservice');
    assert.equal(done.refusal?.type, 'FORBIDDEN');
    const messages = await sandboxGet<{ message: string }[]>(
      stack.okta.url,
      `/__sandbox/requests/${requestId}/messages`,
    );
    assert.ok(
      messages.some((m) =>
        /could not open a Freshservice ticket: Freshservice answered 403 FORBIDDEN access_denied: Access denied/.test(
          m.message,
        ),
      ),
      JSON.stringify(messages),
    );
  });

  it('given Freshservice refuses a note on the OIG request’s ticket, when the flow writes it, then the ticket says why and stays open', async () => {
    await sandboxPost(stack.freshservice.publicUrl, '/__sandbox/faults', {
      method: 'POST',
      path: '/^\\/api\\/v2\\/tickets\\/\\d+\\/notes$/',
      kind: 'status',
      status: 400,
    });
    const requestId = await raiseOktaRequest('ken.thompson@acme.example');
    const done = await oktaFlowResult(requestId);
    assert.equal(done.outcome, 'vendor-refused');
    assert.equal(done.refusal?.activity, 'addNoteOnce');
    assert.equal((await d.ticket(done.ticketId!)).status, FS_TICKET_STATUS.OPEN);
    const text = (await d.notes(done.ticketId!)).join('\n');
    assert.match(text, /Freshservice refused to follow the request on the ticket/);
    assert.match(text, /What to do: /);
  });

  it('given Freshservice refuses the ticket status after a time-bound grant, when the window ends, then the access is still revoked on time', async () => {
    const { ticketId, user, approvalId } = await grantTo('Salesforce Brief');
    await sandboxPost(stack.freshservice.publicUrl, '/__sandbox/faults', {
      method: 'PUT',
      path: '/^\\/api\\/v2\\/tickets\\/\\d+$/',
      kind: 'status',
      status: 403,
    });
    await d.decide(ticketId, approvalId, 'approve');
    const done = await d.result(ticketId);
    assert.equal(done.outcome, 'granted-then-revoked');
    assert.ok(done.grant.revokedAt, 'revoked at the end of the window');
    assert.equal(await salesforceUser(user.id), undefined, 'no access left behind');
    assert.deepEqual(
      done.bookkeepingRefused.map((b) => [b.what, b.type]),
      [['the ticket status', 'FORBIDDEN']],
    );
  });

  it('given Freshservice refuses the revocation note after Okta revoked, when an admin cancels, then the answer is revoked, not a refused revocation', async () => {
    const { ticketId, user, approvalId } = await grantTo('Salesforce Temporary');
    await d.decide(ticketId, approvalId, 'approve');
    await d.waitForPhase(ticketId, 'granted');
    // The grant's own bookkeeping is done once the ticket is resolved.
    await waitFor(async () => (await d.ticket(ticketId)).status === FS_TICKET_STATUS.RESOLVED, 'resolved');
    await sandboxPost(stack.freshservice.publicUrl, '/__sandbox/faults', {
      method: 'POST',
      path: '/^\\/api\\/v2\\/tickets\\/\\d+\\/notes$/',
      kind: 'status',
      status: 403,
    });
    const answer = await d
      .accessFlow(ticketId)
      .executeUpdate(cancelAccessUpdate, { args: [{ requestedBy: 'radia.perlman@acme.example' }] });
    assert.equal(answer.status, 'revoked');
    const done = await d.result(ticketId);
    assert.equal(done.outcome, 'granted-then-revoked');
    assert.equal(await salesforceUser(user.id), undefined);
    assert.deepEqual(
      done.bookkeepingRefused.map((b) => b.what),
      ['the revocation note'],
    );
  });
});
