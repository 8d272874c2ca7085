// The ends of an OIG request that need a person, at the workflow layer (README "Raised in Okta"): Okta
// approves but leaves the grant to a person (MANUAL_REQUIRED), Okta fails to take time-bound access away
// (revocation FAILED), or Okta reports a status this product does not know. Each ends the flow with its
// own outcome and a note saying what to do, and the ticket stays open for an agent; none is a wait that
// never ends. The sandbox reports these statuses on request (`/__sandbox/actor/requests/:id/report`),
// with the access.request.update event Okta would log, delivered as the event hook would.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FS_TICKET_STATUS } from '../../../src/integrations/freshservice';
import {
  type OktaAccessRequestState,
  oktaRequestWorkflowId,
} from '../../../src/workflows/okta-access-request/contract';
import { stateQuery } from '../../../src/workflows/shared/contract';
import { deliverOktaEvent } from '../../helpers/okta-events';
import { sandboxPost, startTestStack, type TestStack } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';

describe('OIG requests that end with an agent', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack.stop();
  });

  async function raise(resource: string, requester: string, accessDuration?: string): Promise<string> {
    let entryId = '';
    for await (const e of stack.vendors.okta.client.listCatalogEntries(`name eq "${resource}"`))
      entryId = e.id;
    const r = await sandboxPost<{ id: string }>(stack.okta.url, '/__sandbox/actor/requests', {
      requesterLogin: requester,
      entryId,
      justification: `needs ${resource}`,
      ...(accessDuration ? { accessDuration } : {}),
    });
    await deliverOktaEvent(stack, r.id, 'access.request.create');
    return r.id;
  }
  const handle = (id: string) => stack.client.workflow.getHandle(oktaRequestWorkflowId(id));
  const state = async (id: string) => (await handle(id).query(stateQuery)) as OktaAccessRequestState;
  async function ticketOf(id: string): Promise<number> {
    await waitFor(async () => (await state(id)).phase === 'open', `a ticket for ${id}`);
    return (await state(id)).ticketId!;
  }
  /** Okta reports `change` on the request, and its event hook delivers the update. */
  async function report(id: string, change: Record<string, string>) {
    await sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${id}/report`, change);
    await deliverOktaEvent(stack, id, 'access.request.update');
  }
  async function notes(ticketId: number): Promise<string> {
    const out: string[] = [];
    for await (const c of stack.vendors.freshservice.client.listConversations(ticketId))
      out.push(c.body_text ?? '');
    return out.join('\n');
  }
  async function assertLeftToAnAgent(ticketId: number, done: OktaAccessRequestState, outcome: string) {
    assert.equal(done.outcome, outcome);
    assert.equal((await handle(done.requestId).describe()).status.name, 'COMPLETED');
    assert.equal((await stack.vendors.freshservice.client.getTicket(ticketId)).status, FS_TICKET_STATUS.OPEN);
    assert.match(await notes(ticketId), /What to do/);
  }

  it('given an approved request whose grant Okta leaves to a person, when reported, then approved-grant-manual and the ticket stays open', async () => {
    const id = await raise('Salesforce', 'ken.thompson@acme.example');
    const ticketId = await ticketOf(id);
    await report(id, { status: 'APPROVED', grantStatus: 'MANUAL_REQUIRED' });
    const done = (await handle(id).result()) as OktaAccessRequestState;
    await assertLeftToAnAgent(ticketId, done, 'approved-grant-manual');
    assert.equal(done.grantStatus, 'MANUAL_REQUIRED');
    assert.match(await notes(ticketId), /must be granted by hand/);
  });

  it('given granted time-bound access, when Okta reports its revocation FAILED, then revocation-failed and the ticket stays open', async () => {
    const id = await raise('AWS Production', 'hedy.lamarr@acme.example', 'PT1H');
    const ticketId = await ticketOf(id);
    await sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${id}/approve`, {
      approverLogin: 'mary.jackson@acme.example',
    });
    await deliverOktaEvent(stack, id, 'access.request.resolve');
    await waitFor(async () => (await state(id)).phase === 'awaiting-revocation', `${id} to await revocation`);
    await report(id, { revocationStatus: 'FAILED' });
    const done = (await handle(id).result()) as OktaAccessRequestState;
    await assertLeftToAnAgent(ticketId, done, 'revocation-failed');
    assert.match(await notes(ticketId), /could not revoke the time-bound access/);
  });

  it('given an open request, when Okta reports a status this product does not know, then unknown-status and the ticket stays open', async () => {
    const id = await raise('Salesforce', 'radia.perlman@acme.example');
    const ticketId = await ticketOf(id);
    await report(id, { status: 'ARCHIVED' });
    const done = (await handle(id).result()) as OktaAccessRequestState;
    await assertLeftToAnAgent(ticketId, done, 'unknown-status');
    assert.match(await notes(ticketId), /ARCHIVED/);
  });
});
