// A request raised in Okta and read through OIG's legacy v1 API (a 24-hex id), end to end through the real
// OIG-request workflow on the real Temporal server with both sandboxes (issue #12 B.7): the ticket is opened
// from what the v1 read says (who, what, why) with the policy's ticket priority, and resolved with the
// decision, who made it and when, once Okta has granted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FS_PRIORITY, FS_TICKET_STATUS, type TFsTicket } from '../../../src/integrations/freshservice';
import {
  type OktaAccessRequestState,
  oktaRequestTicketTag,
  oktaRequestWorkflowId,
} from '../../../src/workflows/okta-access-request/contract';
import { stateQuery } from '../../../src/workflows/shared/contract';
import { deliverOktaEvent } from '../../helpers/okta-events';
import { sandboxGet, sandboxPost, startTestStack, type TestStack } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';

describe('access policy features on a v1 OIG request', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack.stop();
  });

  async function entryId(name: string): Promise<string> {
    for await (const e of stack.vendors.okta.client.listCatalogEntries(`name eq "${name}"`)) return e.id;
    throw new Error(`no catalog entry ${name}`);
  }
  const handle = (requestId: string) => stack.client.workflow.getHandle(oktaRequestWorkflowId(requestId));
  const state = async (requestId: string) =>
    (await handle(requestId).query(stateQuery)) as OktaAccessRequestState;
  async function notes(ticketId: number): Promise<string> {
    const out: string[] = [];
    for await (const c of stack.vendors.freshservice.client.listConversations(ticketId))
      out.push(c.body_text ?? '');
    return out.join('\n');
  }

  it('given a request named by its v1 id, when Okta approves and grants it, then the ticket carries what v1 says and is resolved with who decided', async () => {
    const email = 'alan.turing@acme.example';
    const user = await stack.vendors.okta.client.getUser(email);
    const raised = await sandboxPost<{ id: string }>(stack.okta.url, '/__sandbox/actor/requests', {
      requesterLogin: email,
      entryId: await entryId('Salesforce'),
      justification: 'quarterly pipeline review',
    });
    const v1 = stack.okta.store.requests.get(raised.id)?.v1Id;
    assert.ok(v1 && /^[0-9a-f]{24}$/.test(v1), 'the request has a v1 id');

    await deliverOktaEvent(stack, v1, 'access.request.create');
    await waitFor(async () => (await state(v1)).phase === 'open', `a ticket for ${v1}`);
    const opened = await state(v1);
    assert.equal(opened.version, 'v1');
    assert.equal(opened.requester?.email, email);
    const t: TFsTicket = await stack.vendors.freshservice.client.getTicket(opened.ticketId!, ['requester']);
    assert.equal(t.requester?.email, email);
    assert.ok(t.tags.includes(oktaRequestTicketTag(v1)));
    assert.match(t.subject ?? '', /for Alan Turing$/);
    const description = t.description_text ?? t.description ?? '';
    // A pending v1 request names its resource only in its subject (its actions come with the approval).
    assert.match(description, /Subject: Access to Salesforce/);
    assert.match(description, /Justification: quarterly pipeline review/);
    assert.match(description, /Manager: Margaret Hamilton/);
    assert.equal(t.priority, FS_PRIORITY.MEDIUM, 'the policy’s ticketPriority (medium)');
    const messages = await sandboxGet<{ message: string; api: string }[]>(
      stack.okta.url,
      `/__sandbox/requests/${raised.id}/messages`,
    );
    assert.ok(
      messages.some((m) => m.api === 'v1' && m.message.includes(`ticket #${t.id}`)),
      'the ticket reference is posted through the v1 API',
    );

    await sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${raised.id}/approve`, {
      approverLogin: 'margaret.hamilton@acme.example',
    });
    await deliverOktaEvent(stack, v1, 'access.request.resolve');
    const done = (await handle(v1).result()) as OktaAccessRequestState;
    assert.equal(done.outcome, 'approved');
    assert.equal(done.grantStatus, 'GRANTED');
    assert.deepEqual(
      done.decisions.map((d) => [d.decision, d.by, d.channel]),
      [['approved', 'Margaret Hamilton', 'okta']],
    );
    assert.ok(done.decisions[0]!.at, 'when it was decided');
    assert.equal((await stack.vendors.freshservice.client.getTicket(t.id)).status, FS_TICKET_STATUS.RESOLVED);
    const text = await notes(t.id);
    assert.match(text, /was approved[\s\S]*Decided by: Margaret Hamilton \(APPROVED, \d{4}-\d{2}-\d{2} /);
    const app = await stack.vendors.okta.client.findAppByLabelOrName('Salesforce');
    assert.ok(await stack.vendors.okta.client.getAppUser(app!.id, user.id), 'Okta granted it');
  });
});
