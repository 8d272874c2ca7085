// Okta-initiated access requests that must fail closed (issue #11 C and E) on the real Temporal server and
// both sandboxes: an approval whose grant fails leaves the ticket open for an agent, a v1 request resolved
// without a decision ends, one request keeps one ticket whichever of its ids names it, and a routing marker
// typed by a requester is data, never routing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FS_TICKET_STATUS, type TFsTicket } from '../../../src/integrations/freshservice';
import { catalogRequestMarker } from '../../../src/workflows/catalog-access/contract';
import {
  type OktaAccessRequestState,
  oktaRequestTicketTag,
  oktaRequestWorkflowId,
} from '../../../src/workflows/okta-access-request/contract';
import { stateQuery } from '../../../src/workflows/shared/contract';
// Okta's status lookup table (the words the flow reads), proved here beside the flow it steers.
import { grantStanding, requestStanding } from '../../../src/integrations/okta/codes';
import { deliverOktaEvent } from '../../helpers/okta-events';
import { peopleMaker, uniqueEmail } from '../../helpers/people';
import { sandboxGet, sandboxPost, startTestStack, type TestStack } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';

describe('Okta-initiated access request, failing closed', () => {
  let stack: TestStack;
  const people = peopleMaker(() => stack);
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack.stop();
  });

  /** A fresh person in both sandboxes, so deactivating them touches no other test. */
  async function person(prefix: string) {
    const email = uniqueEmail(prefix);
    await people.requester(email);
    const user = await people.oktaAccount({ login: email, email });
    return { email, userId: user.id };
  }

  async function entryId(name: string): Promise<string> {
    for await (const e of stack.vendors.okta.client.listCatalogEntries(`name eq "${name}"`)) return e.id;
    throw new Error(`no catalog entry ${name}`);
  }

  /** Raises a request as the person in Okta; returns its v2 id and the v1 id of the same request. */
  async function raise(requester: string, resource: string, justification = `needed for ${resource}`) {
    const r = await sandboxPost<{ id: string }>(stack.okta.url, '/__sandbox/actor/requests', {
      requesterLogin: requester,
      entryId: await entryId(resource),
      justification,
    });
    const v1Id = stack.okta.store.requests.get(r.id)?.v1Id;
    assert.ok(v1Id, 'the sandbox shows the request under a v1 id too');
    return { v2: r.id, v1: v1Id };
  }

  /** What POST /webhooks/okta does for one access.request.* event naming `requestId`. */
  async function hook(requestId: string, eventType: string) {
    await deliverOktaEvent(stack, requestId, eventType);
  }

  const handle = (requestId: string) => stack.client.workflow.getHandle(oktaRequestWorkflowId(requestId));
  const state = async (requestId: string) =>
    (await handle(requestId).query(stateQuery)) as OktaAccessRequestState;
  /** The run's end, bounded: a run that would wait forever fails the test instead of hanging it. */
  async function ended(requestId: string): Promise<OktaAccessRequestState> {
    await waitFor(async () => (await state(requestId)).phase === 'done', `${requestId} to end`, {
      timeoutMs: 30_000,
    });
    return (await handle(requestId).result()) as OktaAccessRequestState;
  }
  const decide = (requestId: string, decision: 'approve' | 'cancel') =>
    sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${requestId}/${decision}`, {
      ...(decision === 'approve' ? { approverLogin: 'margaret.hamilton@acme.example' } : {}),
    });
  async function openedTicket(requestId: string): Promise<TFsTicket> {
    await waitFor(async () => (await state(requestId)).phase === 'open', `a ticket for ${requestId}`);
    return stack.vendors.freshservice.client.getTicket((await state(requestId)).ticketId!);
  }
  async function notes(ticketId: number): Promise<string> {
    const out: string[] = [];
    for await (const c of stack.vendors.freshservice.client.listConversations(ticketId))
      out.push(c.body_text ?? '');
    return out.join('\n');
  }
  const messages = (requestId: string) =>
    sandboxGet<{ message: string }[]>(stack.okta.url, `/__sandbox/requests/${requestId}/messages`);
  /** Tickets of `email` that carry any of `tags`. */
  async function ticketsTagged(email: string, tags: string[]): Promise<TFsTicket[]> {
    const out: TFsTicket[] = [];
    for await (const t of stack.vendors.freshservice.client.listTickets({
      email,
      updatedSince: new Date(Date.now() - 3_600_000),
    })) {
      if (t.tags.some((tag) => tags.includes(tag))) out.push(t);
    }
    return out;
  }

  for (const idKind of ['v2', 'v1'] as const) {
    it(`given an OIG request named by its ${idKind} id, when Okta approves but the grant fails because the person was deactivated, then the ticket stays open with the grant status and what to do`, async () => {
      const p = await person(`grantfail-${idKind}`);
      const ids = await raise(p.email, 'Finance Approvers');
      const id = ids[idKind];
      await hook(id, 'access.request.create');
      const t = await openedTicket(id);
      await stack.vendors.okta.client.deactivateUser(p.userId);
      await decide(ids.v2, 'approve');
      assert.equal(stack.okta.store.requests.get(ids.v2)?.grantStatus, 'FAILED', 'Okta could not grant');
      await hook(id, 'access.request.update');

      const done = await ended(id);
      assert.equal(done.outcome, 'approved-grant-failed');
      assert.equal(done.grantStatus, 'FAILED');
      assert.equal((await stack.vendors.freshservice.client.getTicket(t.id)).status, FS_TICKET_STATUS.OPEN);
      const text = await notes(t.id);
      assert.match(text, /could not grant the access \(grant status FAILED\)/);
      assert.match(text, /What to do:/);
      assert.ok(
        (await messages(id)).some((m) => /could not grant the access/.test(m.message)),
        'the OIG request is told nothing was granted',
      );
    });
  }

  it('given an OIG request named by its v1 id, when it is cancelled in Okta (v1 shows RESOLVED with no decision), then the run ends and the ticket is resolved saying so', async () => {
    const p = await person('v1cancel');
    const { v1, v2 } = await raise(p.email, 'Salesforce');
    await hook(v1, 'access.request.create');
    const t = await openedTicket(v1);
    await decide(v2, 'cancel');
    await hook(v1, 'access.request.cancel');

    const done = await ended(v1);
    assert.equal(done.outcome, 'cancelled');
    assert.equal((await stack.vendors.freshservice.client.getTicket(t.id)).status, FS_TICKET_STATUS.RESOLVED);
    assert.match(await notes(t.id), /was cancelled[\s\S]*RESOLVED with no decision/);
  });

  it('given one OIG request, when events name it by its v1 id and then by its v2 id, then one ticket follows it and the v2 events reach that workflow', async () => {
    const p = await person('twoids');
    const { v1, v2 } = await raise(p.email, 'Engineering');
    await hook(v1, 'access.request.create');
    const t = await openedTicket(v1);
    await hook(v2, 'access.request.create');

    await waitFor(async () => (await state(v2)).phase === 'forwarding', `${v2} to forward its events`);
    assert.equal((await state(v2)).forwardedTo, oktaRequestWorkflowId(v1));
    const tickets = await ticketsTagged(p.email, [oktaRequestTicketTag(v1), oktaRequestTicketTag(v2)]);
    assert.deepEqual(
      tickets.map((x) => x.id),
      [t.id],
      'one request, one ticket',
    );
    assert.equal((await messages(v2)).filter((m) => /tracks this request/.test(m.message)).length, 1);

    await decide(v2, 'cancel');
    await hook(v2, 'access.request.cancel');
    assert.equal((await ended(v1)).outcome, 'cancelled');
    assert.equal((await stack.vendors.freshservice.client.getTicket(t.id)).status, FS_TICKET_STATUS.RESOLVED);
  });

  it('given a requester who types our routing marker for some ticket into the justification, when the request arrives, then it gets its own ticket with the marker shown as text', async () => {
    const p = await person('marker');
    const justification = `<b>urgent</b> ${catalogRequestMarker(424242)}`;
    const { v2 } = await raise(p.email, 'Sales', justification);
    await hook(v2, 'access.request.create');

    const t = await openedTicket(v2);
    const s = await state(v2);
    assert.equal(s.forwardedTo, null, 'nothing is forwarded on text a requester controls');
    assert.ok(t.tags.includes(oktaRequestTicketTag(v2)));
    const html = t.description ?? '';
    assert.ok(html.includes('&lt;b&gt;urgent&lt;/b&gt; [access-bridge fs-ticket:424242]'), html);
    assert.ok(!html.includes('<b>urgent</b>'), 'the justification is escaped, not markup');

    await decide(v2, 'cancel');
    await hook(v2, 'access.request.cancel');
    assert.equal((await ended(v2)).outcome, 'cancelled');
  });

  it('given each status Okta may report, then it keeps the request open, ends it, or is unknown (a note, never a wait)', () => {
    assert.deepEqual(requestStanding('PENDING'), { kind: 'open' });
    assert.deepEqual(requestStanding('APPROVED'), { kind: 'ended', outcome: 'approved' });
    assert.deepEqual(requestStanding('REJECTED'), { kind: 'ended', outcome: 'denied' });
    assert.deepEqual(requestStanding('RESOLVED'), { kind: 'ended', outcome: 'cancelled' });
    assert.deepEqual(requestStanding('ARCHIVED'), { kind: 'unknown' });
    assert.equal(grantStanding({ version: 'v2', grantStatus: 'FAILED' }), 'failed');
    assert.equal(grantStanding({ version: 'v2', grantStatus: 'MANUAL_REQUIRED' }), 'manual');
    assert.equal(grantStanding({ version: 'v2', grantStatus: null }), 'pending');
    assert.equal(grantStanding({ version: 'v1', grantStatus: null }), 'none');
    assert.equal(grantStanding({ version: 'v2', grantStatus: 'PARTIALLY_GRANTED' }), 'unknown');
  });
});
