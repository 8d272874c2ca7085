// Scenarios 2 and 3: bulk grants and bulk expiry against the sandbox Okta under a configured call budget.
// N catalog requests (one Okta group each, spread over the demo people who have managers) are raised and
// brought to their pending approval; then all are approved at once and timed until every grant is made
// and verified. The same grants are then moved (the admin extend update) to end at one moment and timed
// from that moment until every revocation is made and verified. Each is set against its reference, the
// lower bound "Okta calls needed ÷ budget", with the calls, 429s and failed calls counted on the wire.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { WorkflowHandle } from '@temporalio/client';
import { DEMO_PEOPLE } from '../../src/sandbox/demo-tenant';
import {
  type CatalogAccessState,
  catalogAccessWorkflowId,
  extendAccessUpdate,
} from '../../src/workflows/catalog-access/contract';
import {
  TICKET_ROUTER_WORKFLOW_TYPE,
  type TicketRouterWorkflow,
  ticketWorkflowId,
} from '../../src/workflows/ticket-router/contract';
import { stateQuery, ticketEventSignal, type TicketEvent } from '../../src/workflows/shared/contract';
import type { CallCounts } from '../lib/counting-proxy';
import { sandboxPost, startBenchStack, type BenchStack } from '../lib/stack';
import { pool, round, sleep, waitUntil } from '../lib/stats';

export type BulkOptions = {
  temporalAddress: string;
  bundlePath: string;
  scratchDir: string;
  grants: number;
  /** Okta calls per minute, per bucket in the sandbox and overall for the product's Okta task queue. */
  budgetPerMinute: number;
  /** How long each grant lasts before the bench moves all ends to one moment (must outlast the grant phase). */
  grantDurationSeconds: number;
  concurrency: number;
};

export type BulkPhaseResult = {
  items: number;
  wallSeconds: number;
  oktaCalls: number;
  lowerBoundSeconds: number;
  ratioToLowerBound: number;
  rateLimited429: number;
  failedCalls: number;
  verified: number;
  correct: boolean;
};

export type BulkResult = { budgetPerMinute: number; grants: BulkPhaseResult; expiry: BulkPhaseResult };

const ACCESS_ITEM = 1001;
const requesters = DEMO_PEOPLE.filter((p) => p.manager);
const groupName = (i: number) => `Bench Group ${String(i + 1).padStart(5, '0')}`;

type Request = { index: number; email: string; group: string; ticketId: number; approvalId: number };

function writePolicy(opts: BulkOptions): string {
  const file = join(opts.scratchDir, 'bulk-policy.yaml');
  const policy = {
    defaults: {
      approvalChain: ['manager'],
      approvalChannel: 'freshservice',
      finalTicketStatus: 'resolved',
      reminderInterval: '1d',
      escalationDelay: '3d',
      expiry: '7d',
      extensionRequiresApproval: false,
    },
    resources: Array.from({ length: opts.grants }, (_, i) => ({
      name: groupName(i),
      okta: { type: 'group', name: groupName(i) },
      defaultDuration: `${opts.grantDurationSeconds}s`,
      maxDuration: '1d',
    })),
  };
  writeFileSync(file, stringify(policy));
  return file;
}

function phaseResult(
  items: number,
  wallMs: number,
  counts: CallCounts,
  budgetPerMinute: number,
  verified: number,
): BulkPhaseResult {
  const lowerBoundSeconds = (counts.calls - counts.rateLimited) / (budgetPerMinute / 60);
  return {
    items,
    wallSeconds: round(wallMs / 1000, 1),
    oktaCalls: counts.calls - counts.rateLimited,
    lowerBoundSeconds: round(lowerBoundSeconds, 1),
    ratioToLowerBound: lowerBoundSeconds > 0 ? round(wallMs / 1000 / lowerBoundSeconds, 2) : 0,
    rateLimited429: counts.rateLimited,
    failedCalls: counts.failed,
    verified,
    correct: verified === items && counts.failed === 0,
  };
}

export async function runBulkAccess(
  opts: BulkOptions,
  progress: (line: string) => void,
): Promise<BulkResult> {
  const stack = await startBenchStack({
    temporalAddress: opts.temporalAddress,
    bundlePath: opts.bundlePath,
    policyFile: writePolicy(opts),
    name: 'bulk',
    // Setup runs under Okta's published Workforce limits and a generous product rate (it is not measured);
    // the configured budget is put in force just before the timed phases.
    okta: { activitiesPerSecond: 100, maxConcurrent: 20 },
  });
  try {
    return await runPhases(stack, opts, progress);
  } finally {
    await stack.stop();
  }
}

async function runPhases(
  stack: BenchStack,
  opts: BulkOptions,
  progress: (line: string) => void,
): Promise<BulkResult> {
  const { client, okta, oktaProxy, freshservice } = stack;
  await sandboxPost(okta.url, '/__sandbox/seed', {
    groups: Array.from({ length: opts.grants }, (_, i) => ({ name: groupName(i) })),
  });

  const nudge = (ticketId: number, event: TicketEvent['event']) =>
    client.workflow.signalWithStart<TicketRouterWorkflow, [TicketEvent]>(TICKET_ROUTER_WORKFLOW_TYPE, {
      workflowId: ticketWorkflowId(ticketId),
      taskQueue: stack.config.temporal.taskQueues.workflows,
      args: [{ ticketId }],
      signal: ticketEventSignal,
      signalArgs: [{ event, ticketId, updatedAt: new Date().toISOString(), source: 'webhook' }],
    });
  const flow = (ticketId: number): WorkflowHandle =>
    client.workflow.getHandle(catalogAccessWorkflowId(ticketId));
  const state = async (ticketId: number) => (await flow(ticketId).query(stateQuery)) as CatalogAccessState;

  // Setup (not timed): raise every request as its employee and let the product bring it to approval.
  const requests: Request[] = await pool(
    Array.from({ length: opts.grants }, (_, i) => i),
    opts.concurrency,
    async (index) => {
      const email = requesters[index % requesters.length]!.email;
      const raised = await sandboxPost<{ service_request: { id: number } }>(
        freshservice.publicUrl,
        `/__sandbox/actor/catalog/${ACCESS_ITEM}/request`,
        {
          requesterEmail: email,
          custom_fields: { resource_type: 'group', resource_name: groupName(index), justification: 'bench' },
        },
      );
      const ticketId = raised.service_request.id;
      await nudge(ticketId, 'ticket_created');
      return { index, email, group: groupName(index), ticketId, approvalId: 0 };
    },
  );
  progress(`bulk: ${requests.length} requests raised; waiting for their approvals to be requested`);
  const pending = new Set(requests);
  await waitUntil(
    async () => {
      await pool([...pending], opts.concurrency, async (r) => {
        const s = await state(r.ticketId).catch(() => undefined);
        const id = s?.phase === 'awaiting-approval' ? s.levels[0]?.approvalIds[0] : undefined;
        if (id !== undefined) {
          r.approvalId = id;
          pending.delete(r);
        }
      });
      return pending.size === 0;
    },
    'every request to await approval',
    120_000 + opts.grants * 600,
    // Queries cost the worker and the server CPU that the product's own setup work needs.
    3000,
  );

  // Scenario 2: approve everything at once; done when every grant is in Okta and its workflow verified it.
  const groupIds = new Map(requests.map((r) => [r, okta.store.groupByExactName(r.group)!.id]));
  const userIds = new Map(requesters.map((p) => [p.email, okta.store.userByLogin(p.email)!.id]));
  const member = (r: Request) => okta.store.isMember(groupIds.get(r)!, userIds.get(r.email)!);
  await stack.setOktaBudget(opts.budgetPerMinute);
  progress(`bulk: approving ${requests.length} requests at once`);
  oktaProxy.reset();
  const grantStart = Date.now();
  await pool(requests, opts.concurrency, async (r) => {
    await sandboxPost(freshservice.publicUrl, `/__sandbox/actor/approvals/${r.approvalId}/approve`, {
      remark: 'bench',
    });
    await nudge(r.ticketId, 'approval_changed');
  });
  const timeout = 120_000 + (opts.grants * 30 * 60_000) / opts.budgetPerMinute;
  await waitUntil(() => requests.every(member), 'every grant to reach Okta', timeout, 100);
  const grantStates = new Map<Request, CatalogAccessState>();
  await waitUntil(
    async () => {
      await pool(
        requests.filter((r) => !grantStates.has(r)),
        opts.concurrency,
        async (r) => {
          const s = await state(r.ticketId);
          if (s.grant.grantedAt) grantStates.set(r, s);
        },
      );
      return grantStates.size === requests.length;
    },
    'every workflow to verify its grant',
    timeout,
    100,
  );
  const grantWall = Date.now() - grantStart;
  const grantCounts = oktaProxy.counts();
  // grantedAt is only set once the workflow has read the grant back from Okta.
  const grantsVerified = requests.filter((r) => member(r) && grantStates.get(r)?.grant.grantedAt).length;
  const grants = phaseResult(requests.length, grantWall, grantCounts, opts.budgetPerMinute, grantsVerified);
  progress(`bulk: grants done in ${grants.wallSeconds} s (${grantCounts.calls} Okta calls)`);

  // Scenario 3: every grant is moved to end at one moment, a little after the latest current end.
  const latestEnd = Math.max(...[...grantStates.values()].map((s) => Date.parse(s.grant.endAt!)));
  const endAt = new Date(latestEnd + 5_000).toISOString();
  const earliestEnd = Math.min(...[...grantStates.values()].map((s) => Date.parse(s.grant.endAt!)));
  await pool(requests, opts.concurrency, async (r) => {
    await flow(r.ticketId).executeUpdate(extendAccessUpdate, {
      args: [{ endAt, requestedBy: 'bench@acme.example', reason: 'bench: one common end' }],
    });
  });
  if (Date.now() >= earliestEnd) {
    throw new Error('a grant ended before all were moved: raise --grant-duration');
  }
  progress(`bulk: all ${requests.length} grants end at ${endAt}; waiting for that moment`);
  while (Date.now() < Date.parse(endAt)) await sleep(Math.min(1000, Date.parse(endAt) - Date.now()));
  oktaProxy.reset();
  const expiryStart = Date.parse(endAt);
  await waitUntil(() => requests.every((r) => !member(r)), 'every revocation to reach Okta', timeout, 100);
  const finals = await pool(
    requests,
    opts.concurrency,
    async (r) => (await flow(r.ticketId).result()) as CatalogAccessState,
  );
  const expiryWall = Date.now() - expiryStart;
  const expiryCounts = oktaProxy.counts();
  const revokedVerified = requests.filter(
    (r, i) => !member(r) && finals[i]!.outcome === 'granted-then-revoked' && finals[i]!.grant.revokedAt,
  ).length;
  const expiry = phaseResult(
    requests.length,
    expiryWall,
    expiryCounts,
    opts.budgetPerMinute,
    revokedVerified,
  );
  progress(`bulk: expiry done in ${expiry.wallSeconds} s (${expiryCounts.calls} Okta calls)`);
  return { budgetPerMinute: opts.budgetPerMinute, grants, expiry };
}
