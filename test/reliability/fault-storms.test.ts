// Storms of transient vendor faults: runs of 5xx and 429 answers on the vendors' paths, on top of rate
// limits tightened to a few calls per two-second window. Every flow must still complete, and no transient
// fault may ever surface as a non-retryable activity failure in any workflow's history.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FS_TICKET_STATUS } from '../../src/integrations/freshservice';
import type { FaultRuleInput } from '../../src/sandbox/common/faults';
import { SANDBOX_FRESHSERVICE_API_KEY, SANDBOX_OKTA_API_TOKEN } from '../../src/sandbox/credentials';
import { catalogAccessWorkflowId, oktaRequestWorkflowId, ticketWorkflowId } from '../../src/workflows/ids';
import {
  appliedByKind,
  approveInFreshservice,
  approveInOkta,
  awaitApprovalRequested,
  awaitTicketsForOktaRequests,
  awaitTicketStatus,
  catalogOutcome,
  FINANCE_APPROVER_CANDIDATES,
  inGroup,
  MANAGER_OF,
  nonRetryableFailures,
  raiseCatalogRequest,
  raiseOktaRequests,
  reportCoverage,
  SLOW,
  startWiredStack,
  type WiredStack,
} from './harness';

const STORM = SLOW ? 30 : 10;
/** Exponential activity backoff (1 s doubling) after a run of faults on a busy machine. */
const STORM_TIMEOUT_MS = SLOW ? 300_000 : 180_000;
const CATALOG_REQUESTERS = FINANCE_APPROVER_CANDIDATES.slice(0, SLOW ? 5 : 2);
const OKTA_REQUESTERS = SLOW
  ? ['ada.lovelace@acme.example', 'alan.turing@acme.example']
  : ['ada.lovelace@acme.example'];

const storm = (path: string, statuses: number[]): FaultRuleInput[] =>
  statuses.map((status) => ({ path, kind: 'status', status, times: STORM }));

async function put(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`PUT ${url} → ${res.status}: ${await res.text()}`);
}

/**
 * A vendor storm is an outage in time, shared by every caller; a count of faults taken by one lone
 * activity would instead measure its exponential backoff (1 s doubling up to 1 min). This neighbour calls
 * the stormy paths twice a second until every storm has blown over, as other tenants' traffic would.
 */
function startNeighbour(stack: WiredStack): { calls: () => number; stop: () => Promise<void> } {
  let calls = 0;
  let stopped = false;
  const fsAuth = `Basic ${Buffer.from(`${SANDBOX_FRESHSERVICE_API_KEY}:X`).toString('base64')}`;
  const targets = [
    ...['/api/v2/tickets?per_page=1', '/api/v2/requesters?per_page=1', '/api/v2/agents?per_page=1'].map(
      (p) => ({
        url: `${stack.fsUrl}${p}`,
        auth: fsAuth,
      }),
    ),
    ...['/api/v1/users?limit=1', '/api/v1/groups?limit=1', '/governance/api/v2/requests?limit=1'].map(
      (p) => ({
        url: `${stack.oktaUrl}${p}`,
        auth: `SSWS ${SANDBOX_OKTA_API_TOKEN}`,
      }),
    ),
  ];
  const stormy = () =>
    stack.fsSandbox.faults.list().length > 0 || stack.oktaSandbox.runtime.faults.list().length > 0;
  const loop = (async () => {
    while (!stopped && stormy()) {
      await Promise.all(
        targets.map(async (t) => {
          calls += 1;
          await fetch(t.url, { headers: { authorization: t.auth } })
            .then((r) => r.arrayBuffer())
            .catch(() => undefined);
        }),
      );
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  return {
    calls: () => calls,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

const NEIGHBOUR_PATHS = new Set([
  '/api/v2/tickets',
  '/api/v2/requesters',
  '/api/v2/agents',
  '/api/v1/users',
  '/api/v1/groups',
  '/governance/api/v2/requests',
]);

describe('reliability: 5xx and 429 storms with tightened rate limits', () => {
  let stack: WiredStack;
  let injected = 0;
  let neighbour: ReturnType<typeof startNeighbour> | undefined;
  /** Faults that product calls (not the neighbour's) met; the requester lookup shares a path, so a floor. */
  const productFaults = () =>
    [...stack.fsSandbox.faults.applied, ...stack.oktaSandbox.runtime.faults.applied].filter(
      (a) => !NEIGHBOUR_PATHS.has(a.path),
    ).length;
  const workflowIds: string[] = [];

  before(async () => {
    stack = await startWiredStack({ rateWindowMs: 2000 });
    await put(`${stack.fsUrl}/__sandbox/rate-limits`, { overall: 25, viewTicket: 10, listTickets: 8 });
    await put(`${stack.oktaUrl}/__sandbox/rate-limits`, {
      limits: { 'users.get': 8, 'users.list': 8, groups: 8, 'groups.id': 8, governance: 8, apps: 8 },
      concurrency: 10,
    });
    // One storm per path, so each call path sees a run of STORM failures (with exponential activity
    // backoff, one path failing 4 × STORM times in a row would only measure the backoff).
    const fsRules = [
      ...storm('/api/v2/tickets', [503]),
      ...storm('/api/v2/requesters', [429]),
      ...storm('/api/v2/agents', [500]),
    ];
    const oktaRules = [
      ...storm('/api/v1/users', [500]),
      ...storm('/api/v1/groups', [429]),
      ...storm('/governance', [503]),
    ];
    for (const r of fsRules) stack.fsSandbox.faults.add(r);
    for (const r of oktaRules) stack.oktaSandbox.runtime.faults.add(r);
    injected = (fsRules.length + oktaRules.length) * STORM;
    neighbour = startNeighbour(stack);
  });
  after(async () => {
    await neighbour?.stop();
    await stack.stop();
    reportCoverage('fault-storms', {
      faultsInjected: injected,
      freshserviceApplied: stack.fsSandbox.faults.applied.length,
      oktaApplied: stack.oktaSandbox.runtime.faults.applied.length,
      byKind: JSON.stringify(
        appliedByKind([...stack.fsSandbox.faults.applied, ...stack.oktaSandbox.runtime.faults.applied]),
      ),
      catalogRequests: CATALOG_REQUESTERS.length,
      oktaRequests: OKTA_REQUESTERS.length,
      workflowsChecked: workflowIds.length,
      neighbourCalls: neighbour?.calls() ?? 0,
      productCallFaults: productFaults(),
    });
  });

  it('given fault storms on both vendors, when catalog and OIG requests run, then all complete without a non-retryable failure', async () => {
    const [tickets, requests] = await Promise.all([
      Promise.all(
        CATALOG_REQUESTERS.map((email) =>
          raiseCatalogRequest(stack, email, { type: 'group', name: 'Finance Approvers' }),
        ),
      ),
      raiseOktaRequests(stack, OKTA_REQUESTERS, 'Salesforce'),
    ]);

    const approvals = await Promise.all(
      tickets.map((id) => awaitApprovalRequested(stack, id, STORM_TIMEOUT_MS)),
    );
    await Promise.all(approvals.map((a) => approveInFreshservice(stack, a[0]!.id)));
    await awaitTicketsForOktaRequests(stack, requests, STORM_TIMEOUT_MS);
    await Promise.all(requests.map((r) => approveInOkta(stack, r.id, MANAGER_OF[r.email]!)));

    await Promise.all(
      tickets.map((id) => awaitTicketStatus(stack, id, FS_TICKET_STATUS.RESOLVED, STORM_TIMEOUT_MS)),
    );
    for (const [i, id] of tickets.entries()) {
      assert.equal(await catalogOutcome(stack.client, id), 'granted');
      assert.equal(await inGroup(stack, CATALOG_REQUESTERS[i]!, 'Finance Approvers'), true);
      workflowIds.push(ticketWorkflowId(id), catalogAccessWorkflowId(id));
    }
    for (const r of requests) {
      const done = (await stack.client.workflow.getHandle(oktaRequestWorkflowId(r.id)).result()) as {
        outcome: string;
      };
      assert.equal(done.outcome, 'approved');
      workflowIds.push(oktaRequestWorkflowId(r.id));
    }
    for (const id of workflowIds) {
      assert.deepEqual(await nonRetryableFailures(stack.client, id), [], `no non-retryable failure in ${id}`);
    }
    assert.ok(productFaults() > 0, 'the product itself met the storm');
  });
});
