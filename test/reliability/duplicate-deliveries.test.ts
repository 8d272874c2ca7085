// Every webhook of a scenario delivered three times in a shuffled order (through a relay between the
// tenants and the API): the product must still open exactly one ticket, request one approval, make one
// grant and write one note per step, in both directions (catalog → Okta and OIG → Freshservice).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FS_TICKET_STATUS } from '../../src/integrations/freshservice';
import {
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

const COPIES = 3;
const CATALOG_REQUESTS = SLOW ? 6 : 2;
const OKTA_REQUESTERS = SLOW
  ? ['ada.lovelace@acme.example', 'alan.turing@acme.example', 'ken.thompson@acme.example']
  : ['ada.lovelace@acme.example'];

describe('reliability: every webhook delivered three times, shuffled', () => {
  let stack: WiredStack;
  before(async () => {
    stack = await startWiredStack({ relay: { copies: COPIES, maxDelayMs: 1500 } });
  });
  after(async () => {
    await stack.stop();
    const relay = stack.relay!;
    reportCoverage('duplicate-deliveries', {
      webhooksSent: relay.received,
      deliveries: relay.forwarded,
      duplicates: relay.forwarded - relay.received,
      statuses: JSON.stringify(relay.statuses),
      catalogRequests: CATALOG_REQUESTS,
      oktaRequests: OKTA_REQUESTERS.length,
    });
  });

  it('given catalog requests whose webhooks all arrive three times, when approved, then each has one approval, one grant and one note', async () => {
    const requesters = FINANCE_APPROVER_CANDIDATES.slice(0, CATALOG_REQUESTS);
    const tickets = await Promise.all(
      requesters.map((email) =>
        raiseCatalogRequest(stack, email, { type: 'group', name: 'Finance Approvers' }),
      ),
    );
    const approvals = await Promise.all(tickets.map((id) => awaitApprovalRequested(stack, id)));
    await Promise.all(approvals.map((a) => approveInFreshservice(stack, a[0]!.id)));
    await Promise.all(tickets.map((id) => awaitTicketStatus(stack, id, FS_TICKET_STATUS.RESOLVED)));

    for (const [i, id] of tickets.entries()) {
      await assertGrantedOnce(stack, id, requesters[i]!, 'Finance Approvers');
    }
  });

  it('given OIG requests whose event hooks all arrive three times, when approved in Okta, then each has exactly one ticket resolved once', async () => {
    const requests = await raiseOktaRequests(stack, OKTA_REQUESTERS, 'Salesforce');
    const ticketOf = await awaitTicketsForOktaRequests(stack, requests);
    await Promise.all(requests.map((r) => approveInOkta(stack, r.id, MANAGER_OF[r.email]!)));
    await Promise.all(
      requests.map((r) => awaitTicketStatus(stack, ticketOf.get(r.id)!, FS_TICKET_STATUS.RESOLVED)),
    );
    for (const r of requests) {
      assert.deepEqual(ticketsForOktaRequest(stack, r.id), [ticketOf.get(r.id)], 'one ticket');
      const notes = ticketNotes(stack, ticketOf.get(r.id)!);
      assert.equal(countMatching(notes, /was approved/), 1, `one decision note for ${r.id}`);
    }
  });
});
