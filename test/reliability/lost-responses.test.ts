// Lost responses after commit: the vendor applies the change and the answer never reaches the worker (the
// sandboxes' `drop-response` fault), so the activity retries a call that already happened. Ticket
// creation (OIG flow), notes, approval requests and the Okta group-membership grant (catalog flow) must
// each happen once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FS_TICKET_STATUS } from '../../src/integrations/freshservice';
import { oktaRequestWorkflowId } from '../../src/workflows/ids';
import {
  appliedByKind,
  approveInFreshservice,
  approveInOkta,
  assertGrantedOnce,
  awaitApprovalRequested,
  awaitTicketsForOktaRequests,
  awaitTicketStatus,
  countMatching,
  FINANCE_APPROVER_CANDIDATES,
  MANAGER_OF,
  raiseCatalogRequest,
  raiseOktaRequests,
  reportCoverage,
  SLOW,
  startWiredStack,
  ticketNotes,
  ticketsForOktaRequest,
  type WiredStack,
} from './harness';

const TICKET_CREATE = '/^\\/api\\/v2\\/tickets$/';
const NOTES = '/^\\/api\\/v2\\/tickets\\/\\d+\\/notes$/';
const APPROVALS = '/^\\/api\\/v2\\/tickets\\/\\d+\\/approvals$/';
const GROUP_MEMBERSHIP = '/^\\/api\\/v1\\/groups\\/[^/]+\\/users\\/[^/]+$/';

const OKTA_REQUESTERS = SLOW
  ? ['ada.lovelace@acme.example', 'alan.turing@acme.example', 'ken.thompson@acme.example']
  : ['ada.lovelace@acme.example'];
const CATALOG_REQUESTERS = FINANCE_APPROVER_CANDIDATES.slice(0, SLOW ? 5 : 2);

describe('reliability: responses lost after the vendor committed', () => {
  let stack: WiredStack;
  let injected = 0;
  before(async () => {
    stack = await startWiredStack();
  });
  after(async () => {
    await stack.stop();
    reportCoverage('lost-responses', {
      faultsInjected: injected,
      freshserviceApplied: JSON.stringify(appliedByKind(stack.fsSandbox.faults.applied)),
      oktaApplied: JSON.stringify(appliedByKind(stack.oktaSandbox.runtime.faults.applied)),
      oktaRequests: OKTA_REQUESTERS.length,
      catalogRequests: CATALOG_REQUESTERS.length,
    });
  });

  const dropped = (path: string) =>
    [...stack.fsSandbox.faults.applied, ...stack.oktaSandbox.runtime.faults.applied].filter(
      (a) => a.kind === 'drop-response' && new RegExp(path.slice(1, -1)).test(a.path),
    ).length;

  it('given ticket creation and note responses lost, when OIG requests are raised and approved, then each has one ticket and one decision note', async () => {
    stack.fsSandbox.faults.add({
      method: 'POST',
      path: TICKET_CREATE,
      kind: 'drop-response',
      times: OKTA_REQUESTERS.length,
    });
    stack.fsSandbox.faults.add({
      method: 'POST',
      path: NOTES,
      kind: 'drop-response',
      times: OKTA_REQUESTERS.length,
    });
    injected += OKTA_REQUESTERS.length * 2;

    const requests = await raiseOktaRequests(stack, OKTA_REQUESTERS, 'Salesforce');
    const ticketOf = await awaitTicketsForOktaRequests(stack, requests);
    await Promise.all(requests.map((r) => approveInOkta(stack, r.id, MANAGER_OF[r.email]!)));
    for (const r of requests) {
      const done = (await stack.client.workflow.getHandle(oktaRequestWorkflowId(r.id)).result()) as {
        outcome: string;
      };
      assert.equal(done.outcome, 'approved');
      const ticketId = ticketOf.get(r.id)!;
      await awaitTicketStatus(stack, ticketId, FS_TICKET_STATUS.RESOLVED);
      assert.deepEqual(ticketsForOktaRequest(stack, r.id), [ticketId], 'exactly one ticket');
      assert.equal(countMatching(ticketNotes(stack, ticketId), /was approved/), 1, 'one decision note');
    }
    assert.equal(
      dropped(TICKET_CREATE),
      OKTA_REQUESTERS.length,
      'every ticket-create response was lost once',
    );
    assert.equal(dropped(NOTES), OKTA_REQUESTERS.length, 'note responses were lost');
  });

  it('given approval-request, grant and note responses lost, when catalog requests are approved, then each has one approval, one grant and one grant note', async () => {
    // The approver may decide before the lost approval request is retried: the retry must adopt it.
    stack.fsSandbox.faults.add({
      method: 'POST',
      path: APPROVALS,
      kind: 'drop-response',
      times: CATALOG_REQUESTERS.length,
    });
    stack.oktaSandbox.runtime.faults.add({
      method: 'PUT',
      path: GROUP_MEMBERSHIP,
      kind: 'drop-response',
      times: CATALOG_REQUESTERS.length,
    });
    const tickets = await Promise.all(
      CATALOG_REQUESTERS.map((email) =>
        raiseCatalogRequest(stack, email, { type: 'group', name: 'Finance Approvers' }),
      ),
    );
    const approvals = await Promise.all(tickets.map((id) => awaitApprovalRequested(stack, id)));
    // The grant note is among the notes whose responses are lost from here on.
    stack.fsSandbox.faults.add({
      method: 'POST',
      path: NOTES,
      kind: 'drop-response',
      times: CATALOG_REQUESTERS.length,
    });
    injected += CATALOG_REQUESTERS.length * 3;
    await Promise.all(approvals.map((a) => approveInFreshservice(stack, a[0]!.id)));
    await Promise.all(tickets.map((id) => awaitTicketStatus(stack, id, FS_TICKET_STATUS.RESOLVED)));

    for (const [i, id] of tickets.entries()) {
      await assertGrantedOnce(stack, id, CATALOG_REQUESTERS[i]!, 'Finance Approvers');
    }
    assert.equal(dropped(GROUP_MEMBERSHIP), CATALOG_REQUESTERS.length, 'every grant response was lost once');
    assert.equal(
      dropped(APPROVALS),
      CATALOG_REQUESTERS.length,
      'every approval-request response was lost once',
    );
  });
});
