// Lost responses after commit: the vendor applies the change and the answer never reaches the worker (the
// sandboxes' `drop-response` fault), so the activity retries a call that already happened. Ticket
// creation (OIG flow), notes, approval requests and the Okta group-membership grant (catalog flow) must
// each happen once. The sandboxes record a drop only once the change was committed (a 2xx lost on the
// wire), with the body it would have carried, and every such drop is matched to its artifact: the ticket,
// note, approval or membership it created exists exactly once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FS_TICKET_STATUS } from '../../src/integrations/freshservice';
import type { AppliedFault } from '../../src/sandbox/common/faults';
import {
  oktaRequestWorkflowId,
  oktaRequestTicketTag,
} from '../../src/workflows/okta-access-request/contract';
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
  read,
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
const OKTA_REQUEST_TAG = oktaRequestTicketTag('');

/** A fault a sandbox applied (the injector's own record, so it can be remembered as checked) and where. */
type Drop = { fault: AppliedFault; vendor: 'freshservice' | 'okta' };

describe('reliability: responses lost after the vendor committed', () => {
  let stack: WiredStack;
  let injected = 0;
  /** Drops whose artifact has been checked (each is checked once, by the test that caused it). */
  const checked = new Set<AppliedFault>();
  before(async () => {
    stack = await startWiredStack();
  });
  after(async () => {
    await stack.stop();
    reportCoverage('lost-responses', {
      faultsInjected: injected,
      freshserviceApplied: JSON.stringify(appliedByKind(stack.fsSandbox.faults.applied)),
      oktaApplied: JSON.stringify(appliedByKind(stack.oktaSandbox.runtime.faults.applied)),
      committedDropsMatchedToArtifacts: checked.size,
      oktaRequests: OKTA_REQUESTERS.length,
      catalogRequests: CATALOG_REQUESTERS.length,
    });
  });

  const drops = (): Drop[] => [
    ...stack.fsSandbox.faults.applied.map((fault) => ({ fault, vendor: 'freshservice' as const })),
    ...stack.oktaSandbox.runtime.faults.applied.map((fault) => ({ fault, vendor: 'okta' as const })),
  ];
  const dropped = (path: string) =>
    drops().filter(
      ({ fault }) => fault.kind === 'drop-response' && new RegExp(path.slice(1, -1)).test(fault.path),
    ).length;

  /** Okta System Log `group.user_membership.add` events naming both the user and the group. */
  async function membershipAddsById(userId: string, groupId: string): Promise<number> {
    const page = await read(() =>
      stack.okta.listLogs({
        filter: 'eventType eq "group.user_membership.add"',
        since: new Date(Date.now() - 3_600_000).toISOString(),
        limit: 1000,
      }),
    );
    return page.events.filter((e) => {
      const ids = (e.target ?? []).map((x) => x.id);
      return ids.includes(userId) && ids.includes(groupId);
    }).length;
  }

  /**
   * Every committed drop not yet checked left exactly one artifact: the change the lost answer described,
   * which a blind retry would have made twice. Returns how many drops it checked.
   */
  async function assertEachDropLeftOneArtifact(): Promise<number> {
    const fresh = drops().filter(({ fault }) => fault.kind === 'drop-response' && !checked.has(fault));
    for (const { fault: d, vendor } of fresh) {
      const where = `${vendor} ${d.method} ${d.path}`;
      assert.ok(
        d.status !== undefined && d.status >= 200 && d.status < 300,
        `${where}: committed (${d.status})`,
      );
      let m: RegExpExecArray | null;
      if (new RegExp(TICKET_CREATE.slice(1, -1)).test(d.path)) {
        const ticket = (d.response as { ticket: { id: number; tags: string[] } }).ticket;
        const tag = ticket.tags.find((t) => t.startsWith(OKTA_REQUEST_TAG));
        assert.ok(tag, `${where}: the lost ticket carries its request's tag`);
        const requestId = tag.slice(OKTA_REQUEST_TAG.length);
        assert.deepEqual(ticketsForOktaRequest(stack, requestId), [ticket.id], `${where}: one ticket`);
      } else if ((m = /^\/api\/v2\/tickets\/(\d+)\/notes$/.exec(d.path))) {
        const note = (d.response as { conversation: { id: number; body: string } }).conversation;
        const same = stack.fsSandbox.store.conversationsOf(Number(m[1])).filter((c) => c.body === note.body);
        assert.deepEqual(
          same.map((c) => c.id),
          [note.id],
          `${where}: the lost note exists once: ${note.body.slice(0, 120)}`,
        );
      } else if ((m = /^\/api\/v2\/tickets\/(\d+)\/approvals$/.exec(d.path))) {
        const [approval] = (d.response as { approvals: { id: number }[] }).approvals;
        assert.deepEqual(
          stack.fsSandbox.store.approvalsOf(Number(m[1])).map((a) => a.id),
          [approval!.id],
          `${where}: the lost approval is the ticket's only one`,
        );
      } else if ((m = /^\/api\/v1\/groups\/([^/]+)\/users\/([^/]+)$/.exec(d.path))) {
        assert.equal(await membershipAddsById(m[2]!, m[1]!), 1, `${where}: one membership add`);
      } else {
        assert.fail(`${where}: a drop this test does not know how to match to its artifact`);
      }
      checked.add(d);
    }
    return fresh.length;
  }

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
    assert.equal(dropped(NOTES), OKTA_REQUESTERS.length, 'every note fault lost one committed note');
    assert.equal(await assertEachDropLeftOneArtifact(), OKTA_REQUESTERS.length * 2);
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
    assert.equal(
      dropped(NOTES),
      OKTA_REQUESTERS.length + CATALOG_REQUESTERS.length,
      'every note fault of this scenario lost one committed note',
    );
    assert.equal(await assertEachDropLeftOneArtifact(), CATALOG_REQUESTERS.length * 3);
  });
});
