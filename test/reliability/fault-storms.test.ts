// Storms of transient vendor faults: runs of 5xx and 429 answers on the vendors' paths, on top of rate
// limits tightened to a few calls per two-second window, and short bursts of 5xx, 429 and timeouts aimed
// at calls only the product makes. Every flow must still complete, no transient fault may ever surface as
// a non-retryable activity failure, and the product's own calls (counted by a proxy in front of each
// sandbox) must have met every kind of trouble on both vendors, the rate limiters' own 429s included.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FS_TICKET_STATUS } from '../../src/integrations/freshservice';
import type { FaultRuleInput } from '../../src/sandbox/common/faults';
import { SANDBOX_FRESHSERVICE_API_KEY, SANDBOX_OKTA_API_TOKEN } from '../../src/sandbox/credentials';
import { catalogAccessWorkflowId } from '../../src/workflows/catalog-access/contract';
import { oktaRequestWorkflowId } from '../../src/workflows/okta-access-request/contract';
import { ticketWorkflowId } from '../../src/workflows/ticket-router/contract';
import {
  appliedByKind,
  FAULTS_OFF,
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
import { troubleCounts, type TroubleKind, type VendorCall } from './vendor-proxy';

const STORM = SLOW ? 30 : 10;
/** Exponential activity backoff (1 s doubling) after a run of faults on a busy machine. */
const STORM_TIMEOUT_MS = SLOW ? 300_000 : 180_000;
const CATALOG_REQUESTERS = FINANCE_APPROVER_CANDIDATES.slice(0, SLOW ? 5 : 2);
const OKTA_REQUESTERS = SLOW
  ? ['ada.lovelace@acme.example', 'alan.turing@acme.example']
  : ['ada.lovelace@acme.example'];

const storm = (path: string, statuses: number[]): FaultRuleInput[] =>
  statuses.map((status) => ({ path, kind: 'status', status, times: STORM }));

/** Faults per kind aimed at each vendor's product-only calls: the floor the product's calls must meet. */
const BURST = 2;
/** A timeout fault holds the call this long, then drops the connection unanswered. */
const HOLD_MS = 300;

/**
 * Bursts on calls the neighbour and the test never make (writes, and reads of one record), added before
 * the storms so they match first: each kind is certain to reach the product however the storms fall.
 */
const FS_BURSTS: FaultRuleInput[] = [
  {
    method: 'POST',
    path: '/^\\/api\\/v2\\/tickets\\/\\d+\\/notes$/',
    kind: 'status',
    status: 502,
    times: BURST,
  },
  {
    method: 'POST',
    path: '/^\\/api\\/v2\\/tickets\\/\\d+\\/approvals$/',
    kind: 'status',
    status: 429,
    headers: { 'Retry-After': '1' },
    times: BURST,
  },
  {
    method: 'PUT',
    path: '/^\\/api\\/v2\\/tickets\\/\\d+$/',
    kind: 'timeout',
    latencyMs: HOLD_MS,
    times: BURST,
  },
];
const OKTA_BURSTS: FaultRuleInput[] = [
  {
    method: 'PUT',
    path: '/^\\/api\\/v1\\/groups\\/[^/]+\\/users\\/[^/]+$/',
    kind: 'status',
    status: 500,
    times: BURST,
  },
  {
    method: 'GET',
    path: '/^\\/governance\\/api\\/v2\\/requests\\/[^/]+$/',
    kind: 'status',
    status: 429,
    times: BURST,
  },
  {
    // The requester and manager reads by id or login (the neighbour lists users; the test reads later).
    method: 'GET',
    path: '/^\\/api\\/v1\\/users\\/[^/]+$/',
    kind: 'timeout',
    latencyMs: HOLD_MS,
    times: BURST,
  },
];

/**
 * The product's calls to one vendor by trouble kind, the 429s the sandbox's own rate limiter gave, and the
 * answers that spent the last of a budget. The Okta client pauses a bucket once an answer says nothing is
 * left, so against Okta the tightened limits may show as spent budgets rather than as 429s.
 */
function tally(
  calls: readonly VendorCall[],
): Record<TroubleKind | 'limiter429' | 'budgetSpent' | 'calls', number> {
  return {
    calls: calls.length,
    ...troubleCounts(calls),
    limiter429: calls.filter((c) => c.outcome === 429 && !c.injected).length,
    budgetSpent: calls.filter((c) => c.outcome !== 429 && !c.injected && c.rateRemaining === 0).length,
  };
}

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

describe('reliability: 5xx and 429 storms with tightened rate limits', () => {
  let stack: WiredStack;
  let injected = 0;
  let neighbour: ReturnType<typeof startNeighbour> | undefined;
  /** What the product's own calls met, per vendor (the proxies see no neighbour or test call). */
  const productTrouble = () => ({
    freshservice: tally(stack.vendorProxies!.freshservice.calls),
    okta: tally(stack.vendorProxies!.okta.calls),
  });
  const workflowIds: string[] = [];

  before(async () => {
    stack = await startWiredStack({ rateWindowMs: 2000, countVendorCalls: true });
    // With the faults switched off the limits stay the defaults too, so no floor below can be met.
    if (!FAULTS_OFF) {
      // Tight enough that, with the neighbour spending most of each window, the product is refused too.
      await put(`${stack.fsUrl}/__sandbox/rate-limits`, { overall: 16, viewTicket: 6, listTickets: 5 });
      await put(`${stack.oktaUrl}/__sandbox/rate-limits`, {
        // Two person reads a window: the flows starting together read more than that, whoever else calls.
        limits: { 'users.get': 2, 'users.list': 5, groups: 5, 'groups.id': 5, governance: 4, apps: 5 },
        concurrency: 10,
      });
    }
    // One storm per path, so each call path sees a run of STORM failures (with exponential activity
    // backoff, one path failing 4 × STORM times in a row would only measure the backoff).
    const fsRules = [
      ...FS_BURSTS,
      ...storm('/api/v2/tickets', [503]),
      ...storm('/api/v2/requesters', [429]),
      ...storm('/api/v2/agents', [500]),
    ];
    const oktaRules = [
      ...OKTA_BURSTS,
      ...storm('/api/v1/users', [500]),
      ...storm('/api/v1/groups', [429]),
      ...storm('/governance', [503]),
    ];
    for (const r of fsRules) stack.fsSandbox.faults.add(r);
    for (const r of oktaRules) stack.oktaSandbox.runtime.faults.add(r);
    injected = [...fsRules, ...oktaRules].reduce((n, r) => n + (r.times ?? 1), 0);
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
      productTrouble: JSON.stringify(productTrouble()),
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
    // Floors on what the product's own calls met, per vendor and kind: a storm that missed the product
    // (or faults switched off) fails here, however well the flows ended.
    const trouble = productTrouble();
    for (const vendor of ['freshservice', 'okta'] as const) {
      for (const kind of ['5xx', '429', 'timeout'] as const) {
        assert.ok(
          trouble[vendor][kind] >= BURST,
          `${vendor}: the product met ${trouble[vendor][kind]} ${kind} answers, fewer than ${BURST}: ${JSON.stringify(trouble)}`,
        );
      }
      assert.ok(
        trouble[vendor].limiter429 + trouble[vendor].budgetSpent >= 1,
        `${vendor}: the tightened rate limits never reached the product's calls: ${JSON.stringify(trouble)}`,
      );
    }
  });
});
