// The admin API's reads and actions as an operator uses them (README's API table): the real API over HTTP
// in front of the product's own workflows, run by a product worker over both sandboxes. A ticket's access
// flow and an OIG request's workflow are read with their state; a decision on the approver's behalf, an
// extension and a cancel each answer the documented result and act in the vendors; a retried update with
// the same Idempotency-Key answers the first result without acting twice. (The refusals are in
// test/api/catalog-access/admin-product-conflicts.test.ts.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  type CatalogAccessState,
  catalogAccessWorkflowId,
} from '../../../src/workflows/catalog-access/contract';
import {
  type OktaAccessRequestState,
  oktaRequestWorkflowId,
} from '../../../src/workflows/okta-access-request/contract';
import { adminOverProduct, type AdminView as View } from '../../helpers/admin-driver';
import { deliverOktaEvent, raiseOigRequest } from '../../helpers/okta-events';
import { waitFor } from '../../helpers/wait';

const MARGARET = 'margaret.hamilton@acme.example';

describe('admin API actions on the product workflows', () => {
  const admin = adminOverProduct();
  // `get` reads a request's view, `post` applies an action (both expect 200).
  const { d, person, read: get, update: post } = admin;

  it('given a catalog request awaiting approval, when an operator reads it, decides it, extends and cancels the grant, then each answers as documented and Okta follows', async () => {
    const requester = await person('operated');
    const id = await d.raise({ resource_type: 'group', resource_name: 'Engineering' }, requester);
    await d.nudge(id);
    await d.waitForRequestedLevel(id, 1);

    const waiting = await get<CatalogAccessState>(`tickets/${id}`);
    assert.equal(waiting.workflowId, catalogAccessWorkflowId(id));
    assert.equal(waiting.status, 'RUNNING');
    assert.equal(waiting.state.phase, 'awaiting-approval');
    assert.equal(waiting.state.levels[0]?.status, 'requested');

    // A decision on the manager's behalf, retried with its Idempotency-Key: one decision, one answer.
    const key = `decide-${id}`;
    const decided = await post(id, 'decision', { decision: 'approved', approver: MARGARET, level: 1 }, key);
    assert.equal(decided.update, 'recordDecision');
    assert.deepEqual(decided.result, { status: 'recorded', level: 1 });
    const again = await post(id, 'decision', { decision: 'approved', approver: MARGARET, level: 1 }, key);
    assert.deepEqual(again.result, decided.result, 'the retried update answers the first result');

    await d.waitForPhase(id, 'granted');
    assert.equal(await d.inGroup(requester, 'Engineering'), true);
    const granted = await get<CatalogAccessState>(`tickets/${id}`);
    assert.equal(granted.state.decisions.length, 1, 'one decision, however often it was posted');
    assert.equal(granted.state.decisions[0]?.channel, 'admin-api');

    // Engineering wants an extension approved by the first level: the answer says so.
    const endAt = new Date(Date.parse(granted.state.grant.endAt!) + 15 * 60_000).toISOString();
    const extended = await post(id, 'extend', { endAt, requestedBy: 'it1@acme.example', reason: 'release' });
    assert.deepEqual(extended.result, { status: 'awaiting-approval', endAt });

    const cancelled = await post(id, 'cancel', { requestedBy: 'it1@acme.example', reason: 'left the team' });
    assert.equal(cancelled.result.status, 'revoked');
    assert.equal(await d.inGroup(requester, 'Engineering'), false, 'the cancel revoked the access in Okta');
    const done = await d.result(id);
    assert.equal(done.outcome, 'granted-then-revoked');
  });

  it('given a time-bound grant without extension approval, when an operator extends it, then the answer is extended and the end moves', async () => {
    const requester = await person('extended');
    const id = await d.raise({ resource_type: 'group', resource_name: 'AWS Production' }, requester);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    const granted = await d.waitForPhase(id, 'granted');
    const endAt = new Date(Date.parse(granted.grant.endAt!) + 30 * 60_000).toISOString();
    const extended = await post(id, 'extend', { endAt, requestedBy: 'it1@acme.example' });
    assert.deepEqual(extended.result, { status: 'extended', endAt });
    assert.equal((await get<CatalogAccessState>(`tickets/${id}`)).state.grant.endAt, endAt);
    assert.equal((await post(id, 'cancel', { requestedBy: 'it1@acme.example' })).result.status, 'revoked');
  });

  it('given an OIG request with its ticket, when an operator reads it by request id, then the workflow and its state answer', async () => {
    const requestId = await raiseOigRequest(admin.stack, {
      requesterLogin: 'alan.turing@acme.example',
      entryName: 'Salesforce',
      justification: 'read by an operator',
    });
    await deliverOktaEvent(admin.stack, requestId, 'access.request.create');
    let view: View<OktaAccessRequestState> | undefined;
    await waitFor(async () => {
      view = await get<OktaAccessRequestState>(`okta/${requestId}`);
      return view.state.ticketId !== null;
    }, `the ticket of ${requestId} in the admin view`);
    assert.equal(view!.workflowId, oktaRequestWorkflowId(requestId));
    assert.equal(view!.status, 'RUNNING');
    assert.equal(view!.state.requester?.email, 'alan.turing@acme.example');
    const ticket = await admin.stack.vendors.freshservice.client.getTicket(view!.state.ticketId!);
    assert.ok(
      ticket.tags.some((t) => t.includes(requestId)),
      'the ticket it names is the request’s',
    );
  });
});
