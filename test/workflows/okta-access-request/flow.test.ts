// Okta-initiated access requests (OIG → Freshservice) at the workflow layer: the real Temporal server,
// activities and clients over both sandboxes. Requests are raised and decided through the Okta sandbox's
// actor endpoints; each change reaches the workflow as the signal the event hook would send (or not at
// all, to prove the polling safety net). Outcomes are asserted on the ticket and the OIG request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { FS_TICKET_STATUS, type TFsTicket } from '../../../src/integrations/freshservice';
import {
  type OktaAccessRequestState,
  oktaRequestTicketTag,
  oktaRequestWorkflowId,
} from '../../../src/workflows/okta-access-request/contract';
import {
  type FreshserviceTicketState,
  TICKET_ROUTER_WORKFLOW_TYPE,
  type TicketEvent,
  type TicketRouterWorkflow,
  ticketWorkflowId,
} from '../../../src/workflows/ticket-router/contract';
import { stateQuery, ticketEventSignal } from '../../../src/workflows/shared/contract';
import { deliverOktaEvent } from '../../helpers/okta-events';
import { sandboxGet, sandboxPost, startTestStack, type TestStack } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';

const ada = 'ada.lovelace@acme.example';

describe('Okta-initiated access request', () => {
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

  async function raise(resource: string, requester = ada, accessDuration?: string): Promise<string> {
    const r = await sandboxPost<{ id: string }>(stack.okta.url, '/__sandbox/actor/requests', {
      requesterLogin: requester,
      entryId: await entryId(resource),
      justification: `on-call rotation for ${resource}`,
      ...(accessDuration ? { accessDuration } : {}),
    });
    return r.id;
  }

  /** What POST /webhooks/okta does for one access.request.* event. */
  async function hook(requestId: string, eventType: string, uuid: string = randomUUID()) {
    await deliverOktaEvent(stack, requestId, eventType, uuid);
  }

  const handle = (requestId: string) => stack.client.workflow.getHandle(oktaRequestWorkflowId(requestId));
  const state = async (requestId: string) =>
    (await handle(requestId).query(stateQuery)) as OktaAccessRequestState;
  const decide = (requestId: string, decision: 'approve' | 'deny' | 'cancel' | 'expire') =>
    sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${requestId}/${decision}`, {
      ...(decision === 'approve' || decision === 'deny'
        ? { approverLogin: 'margaret.hamilton@acme.example' }
        : {}),
    });

  async function openedTicket(requestId: string): Promise<TFsTicket> {
    await waitFor(async () => (await state(requestId)).phase === 'open', `a ticket for ${requestId}`);
    return stack.vendors.freshservice.client.getTicket((await state(requestId)).ticketId!, ['requester']);
  }
  async function notes(ticketId: number): Promise<string> {
    const out: string[] = [];
    for await (const c of stack.vendors.freshservice.client.listConversations(ticketId))
      out.push(c.body_text ?? '');
    return out.join('\n');
  }
  const messages = (requestId: string) =>
    sandboxGet<{ message: string }[]>(stack.okta.url, `/__sandbox/requests/${requestId}/messages`);
  async function ticketsTagged(tag: string): Promise<number> {
    let n = 0;
    for await (const t of stack.vendors.freshservice.client.listTickets({
      email: ada,
      updatedSince: new Date(Date.now() - 3_600_000),
    })) {
      if (t.tags.includes(tag)) n += 1;
    }
    return n;
  }

  it('given a new OIG request, when approved in Okta, then a ticket is opened with the details and resolved with the decision', async () => {
    const id = await raise('GitHub Admins');
    await hook(id, 'access.request.create');
    const t = await openedTicket(id);
    assert.equal(t.requester?.email, ada);
    assert.ok(t.tags.includes(oktaRequestTicketTag(id)));
    assert.match(t.subject ?? '', /GitHub Admins for Ada Lovelace/);
    assert.match(t.description_text ?? t.description ?? '', /Margaret Hamilton/);
    assert.match(t.description_text ?? t.description ?? '', /on-call rotation/);
    assert.ok(
      (await messages(id)).some((m) => m.message.includes(`ticket #${t.id}`)),
      'the OIG request points to the ticket',
    );

    await decide(id, 'approve');
    await hook(id, 'access.request.resolve');
    const done = (await handle(id).result()) as OktaAccessRequestState;
    assert.equal(done.outcome, 'approved');
    assert.equal(done.decisions[0]?.channel, 'okta');
    assert.match(done.decisions[0]?.by ?? '', /Margaret Hamilton/);
    const after = await stack.vendors.freshservice.client.getTicket(t.id);
    assert.equal(after.status, FS_TICKET_STATUS.RESOLVED);
    assert.match(await notes(t.id), /was approved[\s\S]*Decided by: Margaret Hamilton/);
  });

  for (const [decision, outcome, eventType] of [
    ['deny', 'denied', 'access.request.reject'],
    ['cancel', 'cancelled', 'access.request.cancel'],
    ['expire', 'expired', 'access.request.expire'],
  ] as const) {
    it(`given an OIG request, when it is ${outcome} in Okta, then the ticket is resolved saying so`, async () => {
      const id = await raise('Salesforce', 'alan.turing@acme.example');
      await hook(id, 'access.request.create');
      const t = await openedTicket(id);
      await decide(id, decision);
      await hook(id, eventType);
      const done = (await handle(id).result()) as OktaAccessRequestState;
      assert.equal(done.outcome, outcome);
      assert.equal(
        (await stack.vendors.freshservice.client.getTicket(t.id)).status,
        FS_TICKET_STATUS.RESOLVED,
      );
      // A whole sentence for every ending: an expired request "expired", it never "was expired".
      const headline =
        outcome === 'expired'
          ? /The Okta access request expired before anyone decided it\./
          : new RegExp(`The Okta access request was ${outcome}\\.`);
      assert.match(await notes(t.id), headline);
    });
  }

  it('given time-bound access, when Okta revokes it at the end, then the ticket records the schedule and the revocation', async () => {
    const id = await raise('AWS Production', ada, 'PT3S');
    await hook(id, 'access.request.create');
    const t = await openedTicket(id);
    await decide(id, 'approve');
    await hook(id, 'access.request.resolve');
    const done = (await handle(id).result()) as OktaAccessRequestState;
    assert.equal(done.outcome, 'approved');
    assert.ok(done.revoked, 'revocation observed');
    const text = await notes(t.id);
    assert.match(text, /Okta will revoke it at/);
    assert.match(text, /Access was revoked by Okta at/);
  });

  it('given a missed webhook, when the decision is made, then the polling safety net still closes the ticket', async () => {
    const id = await raise('Salesforce', 'hedy.lamarr@acme.example');
    await hook(id, 'access.request.create');
    const t = await openedTicket(id);
    await decide(id, 'deny'); // no hook delivery for the decision
    const done = (await handle(id).result()) as OktaAccessRequestState;
    assert.equal(done.outcome, 'denied');
    assert.equal((await stack.vendors.freshservice.client.getTicket(t.id)).status, FS_TICKET_STATUS.RESOLVED);
  });

  it('given duplicate and reordered events, when delivered, then one ticket, one message and one decision note', async () => {
    const id = await raise('Sales');
    const created = randomUUID();
    const resolved = randomUUID();
    await decide(id, 'approve');
    await hook(id, 'access.request.resolve', resolved); // arrives before the create
    await hook(id, 'access.request.create', created);
    await hook(id, 'access.request.create', created);
    await hook(id, 'access.request.resolve', resolved);
    const done = (await handle(id).result()) as OktaAccessRequestState;
    assert.equal(done.outcome, 'approved');
    assert.ok(done.duplicateEvents >= 1);
    assert.equal(await ticketsTagged(oktaRequestTicketTag(id)), 1);
    assert.equal((await messages(id)).length, 1);
    assert.equal((await notes(done.ticketId!)).match(/was approved/g)?.length, 1);
  });

  it('given Freshservice commits the ticket but the response is lost, when retried, then exactly one ticket exists', async () => {
    await sandboxPost(stack.freshservice.publicUrl, '/__sandbox/faults', {
      method: 'POST',
      path: '/api/v2/tickets',
      kind: 'drop-response',
      times: 1,
    });
    const id = await raise('Engineering', ada);
    await hook(id, 'access.request.create');
    const t = await openedTicket(id);
    const s = await state(id);
    assert.equal(s.ticketCreated, false, 'the retry found the ticket the lost call created');
    assert.equal(await ticketsTagged(oktaRequestTicketTag(id)), 1);
    assert.ok(t.id > 0);
    await decide(id, 'cancel');
    await hook(id, 'access.request.cancel');
    assert.equal(((await handle(id).result()) as OktaAccessRequestState).outcome, 'cancelled');
  });

  it('given an event for a request Okta does not know, when delivered, then the run ends without a ticket', async () => {
    await hook('reqDoesNotExist00001', 'access.request.create');
    const done = (await handle('reqDoesNotExist00001').result()) as OktaAccessRequestState;
    assert.equal(done.outcome, 'not-found');
    assert.equal(done.ticketId, null);
  });

  it('given the ticket an OIG request opened, when the service desk resolves it early, then the event reaches the request’s workflow and Okta is told', async () => {
    const id = await raise('Finance Approvers', 'dorothy.vaughan@acme.example');
    await hook(id, 'access.request.create');
    const t = await openedTicket(id);
    await sandboxPost(stack.freshservice.publicUrl, `/__sandbox/actor/tickets/${t.id}/resolve`);
    // What POST /webhooks/freshservice does for the automator's ticket_updated call.
    await stack.client.workflow.signalWithStart<TicketRouterWorkflow, [TicketEvent]>(
      TICKET_ROUTER_WORKFLOW_TYPE,
      {
        workflowId: ticketWorkflowId(t.id),
        taskQueue: stack.taskQueues.workflows,
        args: [{ ticketId: t.id }],
        signal: ticketEventSignal,
        signalArgs: [
          { event: 'ticket_updated', ticketId: t.id, updatedAt: new Date().toISOString(), source: 'webhook' },
        ],
      },
    );
    await waitFor(
      async () => (await messages(id)).some((m) => /set to Resolved by the service desk/.test(m.message)),
      'the OIG request to be told',
    );
    const router = (await stack.client.workflow
      .getHandle(ticketWorkflowId(t.id))
      .query(stateQuery)) as FreshserviceTicketState;
    assert.equal(router.route, 'okta-request');
    assert.equal(router.target, oktaRequestWorkflowId(id));
    assert.equal(router.forwarded, 1);
    await decide(id, 'cancel');
    await hook(id, 'access.request.cancel');
    assert.equal(((await handle(id).result()) as OktaAccessRequestState).outcome, 'cancelled');
  });
});
