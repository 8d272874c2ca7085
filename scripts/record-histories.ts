// Records the workflow histories that test/workflows/shared/replay-histories.test.ts replays against the
// current workflow code, so a refactor of the workflows (files moved, functions split) is proven
// behaviour-neutral: a change to the commands a recorded run issued (or to what they carry) fails that test.
//
// It starts its own Temporal dev server (in memory) and, for every scenario below, a test stack of its own
// (both sandboxes, real clients and activities, a worker on unique task queues running the PRODUCTION
// workflow bundle built from src/workflows/index.ts), drives one path of one workflow type the way the
// vendors' webhooks and actors would, checks the run ended the way the path says (status and outcome), and
// writes each recorded run to test/fixtures/histories/<name>.json: what it proves, where it came from, and
// `history` in Temporal's JSON history form (what `temporal workflow show --output json` and the Temporal
// UI's download give). Every written history is replayed once against the same bundle before it is kept.
//
//   npx tsx scripts/record-histories.ts                  # every scenario (about 5 minutes on 2 cores)
//   npx tsx scripts/record-histories.ts okta-approve ... # only the scenarios recording these fixtures
//                                                        (a full run replaces every *.json in the folder)
//   options: --out DIR (default test/fixtures/histories), --concurrency N (default 3), --allow-dirty
//
// Record from a clean checkout of the commit the fixtures should pin: the script refuses when src/, config/
// or the lockfile differ from HEAD (unless --allow-dirty) and writes the commit into every fixture.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import * as prettier from 'prettier';
import { FS_PRIORITY, FS_TICKET_STATUS } from '../src/integrations/freshservice';
import { pinnedCliVersion, resolveTemporalCli, startDevServer } from '../src/temporal/dev-server';
import {
  cancelAccessUpdate,
  catalogAccessWorkflowId,
  extendAccessUpdate,
  recordDecisionUpdate,
  type CatalogAccessState,
} from '../src/workflows/catalog-access/contract';
import {
  oktaRequestWorkflowId,
  type OktaAccessRequestState,
} from '../src/workflows/okta-access-request/contract';
import {
  RECONCILER_WORKFLOW_TYPE,
  reconcileNowUpdate,
  reconcilerWorkflowId,
  type ReconcilerSource,
  type ReconcilerState,
  type ReconcilerWorkflow,
} from '../src/workflows/reconcilers/contract';
import { stateQuery, ticketEventSignal, type TicketEvent } from '../src/workflows/shared/contract';
import {
  TICKET_ROUTER_WORKFLOW_TYPE,
  ticketWorkflowId,
  type FreshserviceTicketState,
  type TicketRouterWorkflow,
} from '../src/workflows/ticket-router/contract';
import { catalogDriver } from '../test/helpers/catalog-driver';
import { deliverOktaEvent } from '../test/helpers/okta-events';
import { peopleMaker, uniqueEmail } from '../test/helpers/people';
import { getFreePort } from '../test/helpers/ports';
import { sandboxGet, sandboxPost, startTestStack, type TestStack } from '../test/helpers/stack';
import { testEnv } from '../test/helpers/temporal';
import { waitFor } from '../test/helpers/wait';
import { bundleTo } from './bundle-workflows';

const root = resolve(__dirname, '..');

const ada = 'ada.lovelace@acme.example';
const alan = 'alan.turing@acme.example';
const dorothy = 'dorothy.vaughan@acme.example'; // holds Payments Submitters
const margaret = 'margaret.hamilton@acme.example'; // Ada's and Alan's manager
const linus = 'linus.torvalds@acme.example'; // Margaret's manager
const radia = 'radia.perlman@acme.example';

type Expect = {
  /** Temporal's close status of the recorded run. */
  status: 'COMPLETED' | 'CONTINUED_AS_NEW' | 'TERMINATED';
  /** The result's `outcome` (access flows), `route` (ticket router) or `stopped` (reconciler). */
  outcome?: string;
  route?: string;
};

type Recording = {
  name: string;
  proves: string;
  workflowId: string;
  runId: string;
  expect: Expect;
};

type Ctx = {
  stack: TestStack;
  d: ReturnType<typeof catalogDriver>;
  people: ReturnType<typeof peopleMaker>;
  /** Records a run of `workflowId` (its latest run unless `runId`) once it has closed. */
  record: (name: string, proves: string, workflowId: string, expect: Expect, runId?: string) => Promise<void>;
};

type Scenario = {
  /** The fixtures this scenario writes (for the command line filter and the summary). */
  fixtures: string[];
  env?: Record<string, string>;
  run: (ctx: Ctx) => Promise<void>;
};

// ---- driving helpers -------------------------------------------------------------------------------

async function entryId(stack: TestStack, name: string): Promise<string> {
  for await (const e of stack.vendors.okta.client.listCatalogEntries(`name eq "${name}"`)) return e.id;
  throw new Error(`no catalog entry ${name}`);
}

/** Raises an OIG request as `requester` through the Okta sandbox's actor endpoint; answers its v2 id. */
async function raiseOkta(stack: TestStack, resource: string, requester: string, accessDuration?: string) {
  const r = await sandboxPost<{ id: string }>(stack.okta.url, '/__sandbox/actor/requests', {
    requesterLogin: requester,
    entryId: await entryId(stack, resource),
    justification: `needed for ${resource}`,
    ...(accessDuration ? { accessDuration } : {}),
  });
  return r.id;
}

const oktaHandle = (stack: TestStack, requestId: string) =>
  stack.client.workflow.getHandle(oktaRequestWorkflowId(requestId));
const oktaState = async (stack: TestStack, requestId: string) =>
  (await oktaHandle(stack, requestId).query(stateQuery)) as OktaAccessRequestState;
async function oktaTicket(stack: TestStack, requestId: string): Promise<number> {
  await waitFor(
    async () => (await oktaState(stack, requestId)).phase === 'open',
    `a ticket for ${requestId}`,
  );
  return (await oktaState(stack, requestId)).ticketId!;
}
const oktaDecide = (
  stack: TestStack,
  requestId: string,
  decision: 'approve' | 'deny' | 'cancel' | 'expire',
  approverLogin = margaret,
) =>
  sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${requestId}/${decision}`, {
    ...(decision === 'approve' || decision === 'deny' ? { approverLogin } : {}),
  });

/** What POST /webhooks/freshservice does; answers the run the signal reached. */
async function ticketWebhook(
  stack: TestStack,
  ticketId: number,
  event: 'ticket_created' | 'ticket_updated' | 'approval_changed',
): Promise<string> {
  const h = await stack.client.workflow.signalWithStart<TicketRouterWorkflow, [TicketEvent]>(
    TICKET_ROUTER_WORKFLOW_TYPE,
    {
      workflowId: ticketWorkflowId(ticketId),
      taskQueue: stack.taskQueues.workflows,
      args: [{ ticketId }],
      signal: ticketEventSignal,
      signalArgs: [{ event, ticketId, updatedAt: new Date().toISOString(), source: 'webhook' }],
    },
  );
  return h.signaledRunId;
}

/** Every run of a workflow ID, oldest first. */
async function runsOf(stack: TestStack, workflowId: string): Promise<string[]> {
  const runs: { runId: string; start: number }[] = [];
  for await (const w of stack.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    runs.push({ runId: w.runId, start: w.startTime.getTime() });
  }
  return runs.sort((a, b) => a.start - b.start).map((r) => r.runId);
}

/** Waits until visibility lists `n` runs of the workflow ID. */
async function waitForRuns(stack: TestStack, workflowId: string, n: number): Promise<string[]> {
  let runs: string[] = [];
  await waitFor(
    async () => (runs = await runsOf(stack, workflowId)).length >= n,
    `${n} runs of ${workflowId}`,
    { timeoutMs: 30_000 },
  );
  return runs;
}

type ChainRun = { runId: string; status: string; resumeAt: string | null };

/**
 * Every run of a workflow ID, oldest first, with the resume point its input carries (catalog flows); waits
 * until visibility lists as many runs as the last run's state counts.
 */
async function chainOf(stack: TestStack, workflowId: string): Promise<ChainRun[]> {
  const last = (await stack.client.workflow.getHandle(workflowId).query(stateQuery)) as { runs?: number };
  const out: ChainRun[] = [];
  for (const runId of await waitForRuns(stack, workflowId, last.runs ?? 1)) {
    const handle = stack.client.workflow.getHandle(workflowId, runId);
    const history = await handle.fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const input = payload
      ? defaultPayloadConverter.fromPayload<{ carried?: { resume?: { at?: string } } }>(payload)
      : undefined;
    out.push({
      runId,
      status: (await handle.describe()).status.name,
      resumeAt: input?.carried ? (input.carried.resume?.at ?? 'carried') : null,
    });
  }
  return out;
}

/** The last run of a chain resumed at `at`; throws when no run was. */
function lastResumedAt(chain: ChainRun[], at: string): string {
  const run = chain.filter((r) => r.resumeAt === at).at(-1);
  if (!run) throw new Error(`no run resumed at ${at}: ${chain.map((r) => r.resumeAt ?? 'first').join(', ')}`);
  return run.runId;
}

// ---- the scenarios ---------------------------------------------------------------------------------

const S = (fixtures: string[], run: Scenario['run'], env?: Record<string, string>): Scenario => ({
  fixtures,
  run,
  ...(env ? { env } : {}),
});

const scenarios: Scenario[] = [
  // Catalog requests (Freshservice → Okta), Freshservice approvals.
  S(['catalog-approve', 'router-forward-catalog', 'router-already-handled'], async ({ stack, d, record }) => {
    const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce' }, ada);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve', 'ok for the Q3 pipeline');
    await d.result(id);
    await record(
      'catalog-approve',
      'catalog request, one Freshservice approval level: the manager approves, access granted and verified, ticket resolved',
      catalogAccessWorkflowId(id),
      { status: 'COMPLETED', outcome: 'granted' },
    );
    await record(
      'router-forward-catalog',
      'ticket router: reads the ticket, starts the catalog access flow as a child, forwards the approval webhook to it, ends when the child ends',
      ticketWorkflowId(id),
      { status: 'COMPLETED', route: 'catalog-access' },
    );
    // A webhook after everything finished starts a new router run: the child exists, so it forwards (and stops).
    const late = await ticketWebhook(stack, id, 'ticket_updated');
    await record(
      'router-already-handled',
      'ticket router run started by a late webhook: the access flow already exists (REJECT_DUPLICATE child), so it forwards to it by workflow ID and ends when the flow no longer accepts signals',
      ticketWorkflowId(id),
      { status: 'COMPLETED', route: 'already-handled' },
      late,
    );
  }),

  S(['catalog-approve-two-levels'], async ({ d, record }) => {
    const id = await d.raise({ resource_type: 'group', resource_name: 'GitHub Admins' }, ada);
    await d.nudge(id);
    let s = await d.waitForRequestedLevel(id, 1);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    s = await d.waitForRequestedLevel(id, 2);
    await d.decide(id, s.levels[1]!.approvalIds[1]!, 'approve');
    await d.result(id);
    await record(
      'catalog-approve-two-levels',
      'catalog request, two approval levels (manager, then the owner agent group): granted after both',
      catalogAccessWorkflowId(id),
      { status: 'COMPLETED', outcome: 'granted' },
    );
  }),

  S(['catalog-deny'], async ({ d, record }) => {
    const id = await d.raise({ resource_type: 'group', resource_name: 'GitHub Admins' }, alan);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'reject', 'use the read-only role');
    await d.result(id);
    await record(
      'catalog-deny',
      'catalog request rejected by the manager in Freshservice: no access (checked), items cancelled, ticket resolved',
      catalogAccessWorkflowId(id),
      { status: 'COMPLETED', outcome: 'denied' },
    );
  }),

  S(['catalog-escalate'], async ({ d, record }) => {
    const id = await d.raise({ resource_type: 'app', resource_name: 'NetSuite' }, ada);
    await d.nudge(id);
    await d.waitForRequestedLevel(id, 1);
    await waitFor(
      async () => {
        const level = (await d.state(id)).levels[0];
        return level?.escalated === true && level.approvers[0]?.email === linus;
      },
      'escalation',
      { timeoutMs: 30_000 },
    );
    const s = await d.state(id);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    await d.result(id);
    await record(
      'catalog-escalate',
      "catalog request whose manager stays silent: reminders, escalation to the manager's manager after escalationDelay, who approves",
      catalogAccessWorkflowId(id),
      { status: 'COMPLETED', outcome: 'granted' },
    );
  }),

  S(['catalog-expire'], async ({ d, record }) => {
    const id = await d.raise({ resource_type: 'group', resource_name: 'Sales' }, ada);
    await d.nudge(id);
    await d.result(id);
    await record(
      'catalog-expire',
      "catalog request with no decision before the policy's expiry: reminders, then expired, approvals cancelled",
      catalogAccessWorkflowId(id),
      { status: 'COMPLETED', outcome: 'expired' },
    );
  }),

  S(['catalog-time-bound-revoke'], async ({ d, record }) => {
    const id = await d.raise({ resource_type: 'group', resource_name: 'AWS Production' }, ada);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    await d.result(id);
    await record(
      'catalog-time-bound-revoke',
      'catalog request for time-bound access: granted, end-of-access notice (reply) before the end, revoked and verified at the end',
      catalogAccessWorkflowId(id),
      { status: 'COMPLETED', outcome: 'granted-then-revoked' },
    );
  }),

  S(['catalog-extend-update'], async ({ d, record }) => {
    const id = await d.raise({ resource_type: 'group', resource_name: 'AWS Production' }, ada);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    const granted = await d.waitForPhase(id, 'granted');
    const newEnd = new Date(Date.parse(granted.grant.endAt!) + 4000).toISOString();
    const res = await d.accessFlow(id).executeUpdate(extendAccessUpdate, {
      args: [{ endAt: newEnd, requestedBy: 'it1@acme.example', reason: 'incident still open' }],
    });
    if (res.status !== 'extended') throw new Error(`extension answered ${JSON.stringify(res)}`);
    await d.result(id);
    await record(
      'catalog-extend-update',
      'time-bound catalog access extended by an operator through the extendAccess update (no approval needed), then revoked at the new end',
      catalogAccessWorkflowId(id),
      { status: 'COMPLETED', outcome: 'granted-then-revoked' },
    );
  }),

  S(['catalog-extension-approval-cancel-update'], async ({ d, record }) => {
    const hedy = 'hedy.lamarr@acme.example';
    const id = await d.raise({ resource_type: 'group', resource_name: 'Engineering' }, hedy);
    await d.nudge(id);
    let s = await d.waitForRequestedLevel(id, 1);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    const granted = await d.waitForPhase(id, 'granted');
    const newEnd = new Date(Date.parse(granted.grant.endAt!) + 30 * 60_000).toISOString();
    const res = await d.accessFlow(id).executeUpdate(extendAccessUpdate, {
      args: [{ endAt: newEnd, requestedBy: hedy }],
    });
    if (res.status !== 'awaiting-approval') throw new Error(`extension answered ${JSON.stringify(res)}`);
    s = await d.waitForRequestedLevel(id, 2);
    await d.decide(id, s.levels[1]!.approvalIds[0]!, 'approve');
    await waitFor(async () => (await d.state(id)).grant.endAt === newEnd, 'the new end');
    const cancelled = await d.accessFlow(id).executeUpdate(cancelAccessUpdate, {
      args: [{ requestedBy: radia, reason: 'project over' }],
    });
    if (cancelled.status !== 'revoked') throw new Error(`cancel answered ${JSON.stringify(cancelled)}`);
    await d.result(id);
    await record(
      'catalog-extension-approval-cancel-update',
      'time-bound catalog access: an extension the policy wants approved (extendAccess update, then the manager approves it as a new level), then revoked early by the cancelAccess update',
      catalogAccessWorkflowId(id),
      { status: 'COMPLETED', outcome: 'granted-then-revoked' },
    );
  }),

  S(['catalog-admin-decision-update'], async ({ d, record }) => {
    const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce' }, alan);
    await d.nudge(id);
    await d.waitForRequestedLevel(id, 1);
    await d.accessFlow(id).executeUpdate(recordDecisionUpdate, {
      args: [{ decision: 'approved', approver: margaret, reason: 'approved by phone' }],
    });
    await d.result(id);
    await record(
      'catalog-admin-decision-update',
      "catalog request approved by an operator on the approver's behalf through the recordDecision update: the open Freshservice approval is cancelled, access granted",
      catalogAccessWorkflowId(id),
      { status: 'COMPLETED', outcome: 'granted' },
    );
  }),

  S(['catalog-sod-blocked'], async ({ d, record }) => {
    const id = await d.raise({ resource_type: 'group', resource_name: 'Finance Approvers' }, dorothy);
    await d.nudge(id);
    await d.result(id);
    await record(
      'catalog-sod-blocked',
      'catalog request that breaks a separation-of-duties rule (action block): ended before anyone is asked',
      catalogAccessWorkflowId(id),
      { status: 'COMPLETED', outcome: 'blocked-by-sod' },
    );
  }),

  S(['catalog-unknown-resource'], async ({ d, record }) => {
    const id = await d.raise({ resource_type: 'app', resource_name: 'Jira' }, ada);
    await d.nudge(id);
    await d.result(id);
    await record(
      'catalog-unknown-resource',
      'catalog request for a resource the policy does not list: a note, nobody asked',
      catalogAccessWorkflowId(id),
      { status: 'COMPLETED', outcome: 'unknown-resource' },
    );
  }),

  S(['catalog-closed-by-agent'], async ({ stack, d, record }) => {
    const id = await d.raise({ resource_type: 'group', resource_name: 'GitHub Admins' }, ada);
    await d.nudge(id);
    await d.waitForRequestedLevel(id, 1);
    await stack.vendors.freshservice.client.updateTicket(id, { status: FS_TICKET_STATUS.RESOLVED });
    await d.nudge(id, 'ticket_updated');
    await d.result(id);
    await record(
      'catalog-closed-by-agent',
      'catalog request whose ticket an agent resolves by hand while approval waits: approvals cancelled, nothing granted',
      catalogAccessWorkflowId(id),
      { status: 'COMPLETED', outcome: 'closed-by-agent' },
    );
  }),

  S(['catalog-revocation-refused'], async ({ stack, d, people, record }) => {
    // Salesforce also granted through a group: Okta refuses to unassign it per user (403 E0000046).
    const okta = stack.vendors.okta.client;
    const app = await okta.findAppByLabelOrName('Salesforce');
    const group = await okta.findGroupByName('Finance');
    await okta.assignGroupToApp(app!.id, group!.id);
    const email = uniqueEmail('refused');
    await people.requester(email);
    const user = await people.oktaAccount({ login: email, email });
    const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce' }, email);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await okta.addUserToGroup(group!.id, user.id);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'reject', 'not for contractors');
    await d.result(id);
    await record(
      'catalog-revocation-refused',
      'catalog request denied while the access appeared through a group: the revocation Okta refuses for good ends the run with a note and the ticket open (vendor-refusal path)',
      catalogAccessWorkflowId(id),
      { status: 'COMPLETED', outcome: 'revocation-refused' },
    );
  }),

  // Catalog requests approved in Okta (approvalChannel: okta): an OIG request raised on the person's behalf.
  ...(['approve', 'deny', 'expire'] as const).map((decision) =>
    S(
      decision === 'approve'
        ? ['catalog-oig-approve', 'okta-forward-to-catalog']
        : [`catalog-oig-${decision}`],
      async ({ stack, d, record }) => {
        const id = await d.raise({ resource_type: 'group', resource_name: 'Sales via Okta' }, dorothy);
        await d.nudge(id);
        await waitFor(async () => Boolean((await d.state(id)).oktaRequestId), 'the OIG request to be raised');
        const requestId = (await d.state(id)).oktaRequestId!;
        await oktaDecide(stack, requestId, decision, 'katherine.johnson@acme.example');
        const eventType = { approve: 'resolve', deny: 'reject', expire: 'expire' }[decision];
        // The event hook's delivery: the request's own workflow sees our marker and forwards it to the flow.
        await deliverOktaEvent(stack, requestId, `access.request.${eventType}`);
        await d.result(id);
        const outcome = { approve: 'granted', deny: 'denied', expire: 'expired' }[decision];
        await record(
          `catalog-oig-${decision}`,
          `catalog request on the Okta channel: raises an OIG request for the person, follows it (forwarded events, polling), and OIG ${decision === 'approve' ? 'approves: access granted and verified' : decision === 'deny' ? 'denies: no access, ticket resolved' : 'expires it: no access, ticket resolved'}`,
          catalogAccessWorkflowId(id),
          { status: 'COMPLETED', outcome },
        );
        if (decision !== 'approve') return;
        // The forwarder runs while its owner may; the next event after the flow ended stops it.
        await deliverOktaEvent(stack, requestId, 'access.request.update');
        await record(
          'okta-forward-to-catalog',
          'OIG request workflow for a request access-bridge raised for a catalog ticket: recognises its own principal and marker, forwards every event to the catalog flow, ends when the flow no longer accepts them',
          oktaRequestWorkflowId(requestId),
          { status: 'COMPLETED', outcome: 'forwarded' },
        );
      },
    ),
  ),

  // OIG requests raised in Okta (Okta → Freshservice).
  S(['okta-approve'], async ({ stack, record }) => {
    const id = await raiseOkta(stack, 'GitHub Admins', ada);
    await deliverOktaEvent(stack, id, 'access.request.create');
    await oktaTicket(stack, id);
    await oktaDecide(stack, id, 'approve');
    await deliverOktaEvent(stack, id, 'access.request.resolve');
    await oktaHandle(stack, id).result();
    await record(
      'okta-approve',
      'OIG request approved in Okta: a ticket opened with the details, the OIG request messaged with its link, the decision noted and the ticket resolved',
      oktaRequestWorkflowId(id),
      { status: 'COMPLETED', outcome: 'approved' },
    );
  }),

  ...(
    [
      ['deny', 'denied', 'access.request.reject'],
      ['cancel', 'cancelled', 'access.request.cancel'],
      ['expire', 'expired', 'access.request.expire'],
    ] as const
  ).map(([decision, outcome, eventType]) =>
    S([`okta-${decision}`], async ({ stack, record }) => {
      const id = await raiseOkta(stack, 'Salesforce', alan);
      await deliverOktaEvent(stack, id, 'access.request.create');
      await oktaTicket(stack, id);
      await oktaDecide(stack, id, decision);
      await deliverOktaEvent(stack, id, eventType);
      await oktaHandle(stack, id).result();
      await record(
        `okta-${decision}`,
        `OIG request ${outcome} in Okta: ticket opened, then resolved saying so`,
        oktaRequestWorkflowId(id),
        { status: 'COMPLETED', outcome },
      );
    }),
  ),

  S(['okta-time-bound-revoke'], async ({ stack, record }) => {
    const id = await raiseOkta(stack, 'AWS Production', ada, 'PT3S');
    await deliverOktaEvent(stack, id, 'access.request.create');
    await oktaTicket(stack, id);
    await oktaDecide(stack, id, 'approve');
    await deliverOktaEvent(stack, id, 'access.request.resolve');
    const done = (await oktaHandle(stack, id).result()) as OktaAccessRequestState;
    if (!done.revoked) throw new Error('the revocation was not observed');
    await record(
      'okta-time-bound-revoke',
      "OIG request for time-bound access: approved, the scheduled revocation noted, a timer until it is due, Okta's revocation noted",
      oktaRequestWorkflowId(id),
      { status: 'COMPLETED', outcome: 'approved' },
    );
  }),

  S(['okta-deny-by-poll'], async ({ stack, record }) => {
    const id = await raiseOkta(stack, 'Salesforce', 'hedy.lamarr@acme.example');
    await deliverOktaEvent(stack, id, 'access.request.create');
    await oktaTicket(stack, id);
    await oktaDecide(stack, id, 'deny'); // no event-hook delivery for the decision
    await oktaHandle(stack, id).result();
    await record(
      'okta-deny-by-poll',
      'OIG request whose decision webhook never arrives: the pollInterval re-read (timer) finds the denial and resolves the ticket',
      oktaRequestWorkflowId(id),
      { status: 'COMPLETED', outcome: 'denied' },
    );
  }),

  S(['okta-v1-approve'], async ({ stack, record }) => {
    const raised = await raiseOkta(stack, 'Salesforce', alan);
    const v1 = stack.okta.store.requests.get(raised)?.v1Id;
    if (!v1) throw new Error('the sandbox request has no v1 id');
    await deliverOktaEvent(stack, v1, 'access.request.create');
    await oktaTicket(stack, v1);
    await oktaDecide(stack, raised, 'approve');
    await deliverOktaEvent(stack, v1, 'access.request.resolve');
    await oktaHandle(stack, v1).result();
    await record(
      'okta-v1-approve',
      'OIG request named by its v1 (24-hex) id: read and messaged through the v1 API, approved and granted',
      oktaRequestWorkflowId(v1),
      { status: 'COMPLETED', outcome: 'approved' },
    );
  }),

  S(['okta-forward-to-okta'], async ({ stack, people, record }) => {
    const email = uniqueEmail('twoids');
    await people.requester(email);
    await people.oktaAccount({ login: email, email });
    const v2 = await raiseOkta(stack, 'Engineering', email);
    const v1 = stack.okta.store.requests.get(v2)?.v1Id;
    if (!v1) throw new Error('the sandbox request has no v1 id');
    await deliverOktaEvent(stack, v1, 'access.request.create');
    await oktaTicket(stack, v1);
    await deliverOktaEvent(stack, v2, 'access.request.create');
    await waitFor(async () => (await oktaState(stack, v2)).phase === 'forwarding', `${v2} to forward`);
    await oktaDecide(stack, v2, 'cancel');
    await deliverOktaEvent(stack, v2, 'access.request.cancel');
    await oktaHandle(stack, v1).result();
    await deliverOktaEvent(stack, v2, 'access.request.update');
    await record(
      'okta-forward-to-okta',
      "OIG request named by its v2 id after its v1 id opened the ticket: finds the ticket by the permalink tag, forwards its events to the v1 id's workflow, ends when that one no longer accepts them",
      oktaRequestWorkflowId(v2),
      { status: 'COMPLETED', outcome: 'forwarded' },
    );
  }),

  S(['router-forward-okta', 'okta-ticket-resolved-by-agent'], async ({ stack, record }) => {
    const id = await raiseOkta(stack, 'Finance Approvers', dorothy);
    await deliverOktaEvent(stack, id, 'access.request.create');
    const ticketId = await oktaTicket(stack, id);
    await sandboxPost(stack.freshservice.publicUrl, `/__sandbox/actor/tickets/${ticketId}/resolve`);
    await ticketWebhook(stack, ticketId, 'ticket_updated');
    await waitFor(
      async () =>
        (await sandboxGet<{ message: string }[]>(stack.okta.url, `/__sandbox/requests/${id}/messages`)).some(
          (m) => /set to Resolved by the service desk/.test(m.message),
        ),
      'the OIG request to be told',
    );
    await oktaDecide(stack, id, 'cancel');
    await deliverOktaEvent(stack, id, 'access.request.cancel');
    await oktaHandle(stack, id).result();
    await record(
      'okta-ticket-resolved-by-agent',
      "OIG request whose ticket the service desk resolves early: the router's forwarded ticket event makes it read the ticket and tell Okta; later cancelled in Okta",
      oktaRequestWorkflowId(id),
      { status: 'COMPLETED', outcome: 'cancelled' },
    );
    // The router forwards until its target no longer accepts events (or 10 idle minutes).
    await ticketWebhook(stack, ticketId, 'ticket_updated');
    await record(
      'router-forward-okta',
      "ticket router of a ticket an OIG request opened: the marker tag routes it to the request's workflow, events forwarded by workflow ID, ends when the target no longer accepts them",
      ticketWorkflowId(ticketId),
      { status: 'COMPLETED', route: 'okta-request' },
    );
  }),

  S(['router-ignored', 'router-not-found'], async ({ stack, record }) => {
    const t = await stack.vendors.freshservice.client.createTicket({
      subject: 'Printer on floor 3 jams',
      description: '<p>It jams on every second page.</p>',
      status: FS_TICKET_STATUS.OPEN,
      priority: FS_PRIORITY.LOW,
      email: ada,
    });
    await ticketWebhook(stack, t.id, 'ticket_created');
    await record(
      'router-ignored',
      'ticket router of a ticket that is neither an access request nor ours: read once, ignored',
      ticketWorkflowId(t.id),
      { status: 'COMPLETED', route: 'ignored' },
    );
    const missing = 990_000_000 + Math.floor(Math.random() * 9_000_000);
    await ticketWebhook(stack, missing, 'ticket_created');
    await record(
      'router-not-found',
      'ticket router of a ticket Freshservice does not know: the NOT_FOUND read ends it',
      ticketWorkflowId(missing),
      { status: 'COMPLETED', route: 'not-found' },
    );
  }),

  // The ends of an OIG request that need a person, and the refusals (patched paths).
  S(['okta-grant-manual'], async ({ stack, record }) => {
    const id = await raiseOkta(stack, 'Salesforce', 'ken.thompson@acme.example');
    await deliverOktaEvent(stack, id, 'access.request.create');
    await oktaTicket(stack, id);
    await sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${id}/report`, {
      status: 'APPROVED',
      grantStatus: 'MANUAL_REQUIRED',
    });
    await deliverOktaEvent(stack, id, 'access.request.update');
    await oktaHandle(stack, id).result();
    await record(
      'okta-grant-manual',
      'OIG request approved with a grant Okta leaves to a person (MANUAL_REQUIRED): noted, ticket left open',
      oktaRequestWorkflowId(id),
      { status: 'COMPLETED', outcome: 'approved-grant-manual' },
    );
  }),

  S(['okta-revocation-failed'], async ({ stack, record }) => {
    const id = await raiseOkta(stack, 'AWS Production', 'hedy.lamarr@acme.example', 'PT1H');
    await deliverOktaEvent(stack, id, 'access.request.create');
    await oktaTicket(stack, id);
    await oktaDecide(stack, id, 'approve', 'mary.jackson@acme.example');
    await deliverOktaEvent(stack, id, 'access.request.resolve');
    await waitFor(
      async () => (await oktaState(stack, id)).phase === 'awaiting-revocation',
      'revocation wait',
    );
    await sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${id}/report`, {
      revocationStatus: 'FAILED',
    });
    await deliverOktaEvent(stack, id, 'access.request.update');
    await oktaHandle(stack, id).result();
    await record(
      'okta-revocation-failed',
      'OIG request with time-bound access whose revocation Okta reports FAILED: noted, ticket reopened for an agent',
      oktaRequestWorkflowId(id),
      { status: 'COMPLETED', outcome: 'revocation-failed' },
    );
  }),

  S(['okta-unknown-status'], async ({ stack, record }) => {
    const id = await raiseOkta(stack, 'Salesforce', radia);
    await deliverOktaEvent(stack, id, 'access.request.create');
    await oktaTicket(stack, id);
    await sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${id}/report`, { status: 'ARCHIVED' });
    await deliverOktaEvent(stack, id, 'access.request.update');
    await oktaHandle(stack, id).result();
    await record(
      'okta-unknown-status',
      'OIG request reporting a status the product does not know: a note, the ticket open, the run ends',
      oktaRequestWorkflowId(id),
      { status: 'COMPLETED', outcome: 'unknown-status' },
    );
  }),

  S(['okta-grant-failed'], async ({ stack, people, record }) => {
    const email = uniqueEmail('grantfail');
    await people.requester(email);
    const user = await people.oktaAccount({ login: email, email });
    const id = await raiseOkta(stack, 'Finance Approvers', email);
    await deliverOktaEvent(stack, id, 'access.request.create');
    await oktaTicket(stack, id);
    await stack.vendors.okta.client.deactivateUser(user.id);
    await oktaDecide(stack, id, 'approve');
    await deliverOktaEvent(stack, id, 'access.request.update');
    await oktaHandle(stack, id).result();
    await record(
      'okta-grant-failed',
      'OIG request approved but the grant fails (the person was deactivated): noted, ticket reopened, the OIG request told',
      oktaRequestWorkflowId(id),
      { status: 'COMPLETED', outcome: 'approved-grant-failed' },
    );
  }),

  S(['okta-not-found'], async ({ stack, record }) => {
    const id = `reqNotInOkta${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    await deliverOktaEvent(stack, id, 'access.request.create');
    await oktaHandle(stack, id).result();
    await record(
      'okta-not-found',
      'an event for an OIG request Okta does not know: the run ends without a ticket',
      oktaRequestWorkflowId(id),
      { status: 'COMPLETED', outcome: 'not-found' },
    );
  }),

  S(['okta-vendor-refused'], async ({ stack, record }) => {
    await sandboxPost(stack.freshservice.publicUrl, '/__sandbox/faults', {
      method: 'POST',
      path: '/api/v2/tickets',
      kind: 'status',
      status: 403,
    });
    const id = await raiseOkta(stack, 'GitHub Admins', alan);
    await deliverOktaEvent(stack, id, 'access.request.create');
    await oktaHandle(stack, id).result();
    await record(
      'okta-vendor-refused',
      'OIG request whose ticket Freshservice refuses to open (403): the OIG request is told why and the run ends vendor-refused',
      oktaRequestWorkflowId(id),
      { status: 'COMPLETED', outcome: 'vendor-refused' },
    );
  }),

  // Long waits: runs that continue as new (a tiny event budget) and the runs that resume from them, picked by
  // what each run carries (the resume point), not by their number, which depends on how many events it took.
  S(
    [
      'catalog-can-first-run',
      'catalog-can-resumed-at-freshservice-approval',
      'catalog-can-resumed-at-granted',
      'router-can-first-run',
      'router-can-carried-run',
    ],
    async ({ stack, d, people, record }) => {
      const email = uniqueEmail('long-wait');
      await people.requester(email);
      await people.oktaAccount({ login: email, email });
      const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce Temporary' }, email);
      const flowId = catalogAccessWorkflowId(id);
      const routerId = ticketWorkflowId(id);
      await d.nudge(id);
      const requested = await d.waitForRequestedLevel(id, 1);
      // Nudges while the approval waits, until both the flow and its router have handed over at least once.
      const routerRuns = async () =>
        ((await stack.client.workflow.getHandle(routerId).query(stateQuery)) as FreshserviceTicketState)
          .runs ?? 1;
      let nudges = 0;
      while ((await d.state(id)).runs < 2 || (await routerRuns()) < 2) {
        await d.nudge(id, 'approval_changed', new Date(Date.now() + nudges).toISOString());
        nudges += 1;
        await waitFor(async () => (await d.state(id)).eventsReceived >= nudges + 1, `nudge ${nudges}`);
        if (nudges > 200) throw new Error('the approval wait should have continued as new by now');
      }
      await d.decide(id, requested.levels[0]!.approvalIds[0]!, 'approve');
      const granted = await d.waitForPhase(id, 'granted');
      // Extensions while granted, until a run has resumed in the granted phase.
      const runsAtGrant = granted.runs;
      let endAt = Date.parse(granted.grant.endAt!);
      while ((await d.state(id)).runs <= runsAtGrant) {
        endAt += 60_000;
        await d.accessFlow(id).executeUpdate(extendAccessUpdate, {
          args: [{ endAt: new Date(endAt).toISOString(), requestedBy: radia }],
        });
        await waitFor(async () => (await d.state(id)).phase === 'granted', 'the flow back in granted');
        if (endAt - Date.parse(granted.grant.endAt!) > 100 * 60_000) {
          throw new Error('the granted phase should have continued as new by now');
        }
      }
      await d.accessFlow(id).executeUpdate(cancelAccessUpdate, { args: [{ requestedBy: radia }] });
      await d.result(id);
      const flow = await chainOf(stack, flowId);
      await record(
        'catalog-can-first-run',
        'first run of a catalog flow past its event budget (WORKFLOW_HISTORY_MAX_EVENTS=50): reads, checks, asks for approval, then hands its whole state over with continue-as-new at the first safe point',
        flowId,
        { status: 'CONTINUED_AS_NEW' },
        flow[0]!.runId,
      );
      await record(
        'catalog-can-resumed-at-freshservice-approval',
        'the carried catalog run that was waiting on the Freshservice approval when the approver decided (carried level, timers and dedupe keys; no re-read of the request): approvals closed, access granted and verified, ticket settled, then (after the first extendAccess updates) hands over in the granted phase',
        flowId,
        { status: 'CONTINUED_AS_NEW' },
        lastResumedAt(flow, 'freshservice-approval'),
      );
      const grant = flow.filter((r) => r.resumeAt === 'grant').at(-1);
      if (grant) {
        await record(
          'catalog-can-resumed-at-grant',
          'a carried catalog run resumed at the grant (approved in the previous run): grants, verifies and settles the ticket',
          flowId,
          { status: 'CONTINUED_AS_NEW' },
          grant.runId,
        );
      }
      await record(
        'catalog-can-resumed-at-granted',
        'the last carried catalog run, resumed in the granted phase from the carried grant, end and notice: revoked early by the cancelAccess update (after any extendAccess updates still in this run)',
        flowId,
        { status: 'COMPLETED', outcome: 'granted-then-revoked' },
        lastResumedAt(flow, 'granted'),
      );
      // The router's forwarding run ends at the next event once the flow no longer accepts them.
      await ticketWebhook(stack, id, 'ticket_updated');
      await waitFor(
        async () => (await stack.client.workflow.getHandle(routerId).describe()).status.name !== 'RUNNING',
        'the router to end',
      );
      const router = await chainOf(stack, routerId);
      await record(
        'router-can-first-run',
        'first run of a ticket router past its event budget: started the child, forwarded nudges to it, continued as new with its dedupe keys and queue',
        routerId,
        { status: 'CONTINUED_AS_NEW' },
        router[0]!.runId,
      );
      await record(
        'router-can-carried-run',
        'a carried ticket router run: forwards by workflow ID only (no ticket read, no child handle), ends when the flow no longer accepts events',
        routerId,
        { status: 'COMPLETED', route: 'catalog-access' },
        router.at(-1)!.runId,
      );
    },
    { WORKFLOW_HISTORY_MAX_EVENTS: '50' },
  ),

  S(
    ['catalog-can-resumed-at-okta-approval', 'okta-forward-can-carried-run'],
    async ({ stack, d, people, record }) => {
      const email = uniqueEmail('okta-channel');
      await people.requester(email);
      await people.oktaAccount({ login: email, email });
      const id = await d.raise({ resource_type: 'group', resource_name: 'Sales via Okta' }, email);
      const flowId = catalogAccessWorkflowId(id);
      await d.nudge(id);
      await waitFor(async () => Boolean((await d.state(id)).oktaRequestId), 'the OIG request');
      const requestId = (await d.state(id)).oktaRequestId!;
      const forwarderId = oktaRequestWorkflowId(requestId);
      let events = 0;
      // The forwarder starts with the first event the hook delivers.
      const forwarderRuns = async () => (await oktaState(stack, requestId).catch(() => undefined))?.runs ?? 0;
      while ((await d.state(id)).runs < 2 || (await forwarderRuns()) < 2) {
        await deliverOktaEvent(stack, requestId);
        events += 1;
        await waitFor(async () => (await d.state(id)).eventsReceived >= events + 1, `event ${events}`);
        if (events > 200) throw new Error('forwarder and flow should have continued as new by now');
      }
      await oktaDecide(stack, requestId, 'approve', 'mary.jackson@acme.example');
      await deliverOktaEvent(stack, requestId, 'access.request.resolve');
      await d.result(id);
      const flow = await chainOf(stack, flowId);
      await record(
        'catalog-can-resumed-at-okta-approval',
        'a carried catalog run on the Okta channel resumed at the OIG approval wait (the request already raised): forwarded events, then OIG approves and access is granted',
        flowId,
        { status: 'COMPLETED', outcome: 'granted' },
        lastResumedAt(flow, 'okta-approval'),
      );
      await deliverOktaEvent(stack, requestId, 'access.request.update');
      await waitFor(
        async () => (await oktaHandle(stack, requestId).describe()).status.name !== 'RUNNING',
        'the forwarder to end',
      );
      const forwarder = await chainOf(stack, forwarderId);
      await record(
        'okta-forward-can-carried-run',
        'a carried run of the forwarder of an OIG request raised for a catalog ticket: resumes forwarding (carried queue and dedupe keys) without reading the request, ends when the flow no longer accepts events',
        forwarderId,
        { status: 'COMPLETED', outcome: 'forwarded' },
        forwarder.at(-1)!.runId,
      );
    },
    { WORKFLOW_HISTORY_MAX_EVENTS: '50' },
  ),

  S(
    ['okta-can-first-run', 'okta-can-carried-run'],
    async ({ stack, record }) => {
      const id = await raiseOkta(stack, 'GitHub Admins', alan);
      const wfId = oktaRequestWorkflowId(id);
      await deliverOktaEvent(stack, id, 'access.request.create');
      await oktaTicket(stack, id);
      let sent = 1;
      while (((await oktaState(stack, id)).runs ?? 1) < 2) {
        await deliverOktaEvent(stack, id);
        sent += 1;
        await waitFor(async () => (await oktaState(stack, id)).eventsApplied >= sent, `event ${sent}`);
        if (sent > 200) throw new Error('the OIG request should have continued as new by now');
      }
      await oktaDecide(stack, id, 'approve');
      await deliverOktaEvent(stack, id, 'access.request.resolve');
      await oktaHandle(stack, id).result();
      const chain = await chainOf(stack, wfId);
      await record(
        'okta-can-first-run',
        'first run of an open OIG request past its event budget: opens the ticket, re-reads on every event, then continues as new carrying dedupe keys, notes written and settings',
        wfId,
        { status: 'CONTINUED_AS_NEW' },
        chain[0]!.runId,
      );
      await record(
        'okta-can-carried-run',
        'a carried OIG request run: follows the request from the carried state (no new ticket), approved, ticket resolved',
        wfId,
        { status: 'COMPLETED', outcome: 'approved' },
        chain.at(-1)!.runId,
      );
    },
    { WORKFLOW_HISTORY_MAX_EVENTS: '50' },
  ),

  // The reconcilers: one pass at start, one on the reconcileNow update, then continue-as-new (2 per run).
  ...(['okta-system-log', 'freshservice-tickets'] as ReconcilerSource[]).map((source) =>
    S(
      [`reconciler-${source}-pass`],
      async ({ stack, d, record }) => {
        // Something the webhooks missed, for the pass to find.
        if (source === 'okta-system-log') await raiseOkta(stack, 'Salesforce', 'mary.jackson@acme.example');
        else await d.raise({ resource_type: 'app', resource_name: 'Salesforce' }, ada);
        const workflowId = reconcilerWorkflowId(source, stack.taskQueues.workflows);
        const handle = await stack.client.workflow.start<ReconcilerWorkflow>(RECONCILER_WORKFLOW_TYPE, {
          workflowId,
          taskQueue: stack.taskQueues.workflows,
          args: [{ source, passesPerRun: 2 }],
        });
        await waitFor(
          async () => ((await handle.query(stateQuery)) as ReconcilerState).passes >= 1,
          'the first pass',
        );
        const pass = await handle.executeUpdate(reconcileNowUpdate);
        if (pass.error) throw new Error(`the pass failed: ${pass.error}`);
        await record(
          `reconciler-${source}-pass`,
          `${source} reconciler run: a pass at start that routes what the webhooks missed, a second pass on the reconcileNow update, then continue-as-new with its cursor`,
          workflowId,
          { status: 'CONTINUED_AS_NEW' },
          handle.firstExecutionRunId,
        );
        await handle.terminate('recorded');
      },
      { RECONCILE_INTERVAL_SECONDS: '3600', RECONCILE_LOOKBACK_MINUTES: '10' },
    ),
  ),

  S(
    ['reconciler-switched-off'],
    async ({ stack, record }) => {
      const workflowId = reconcilerWorkflowId('okta-system-log', stack.taskQueues.workflows);
      await stack.client.workflow.start<ReconcilerWorkflow>(RECONCILER_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: stack.taskQueues.workflows,
        args: [{ source: 'okta-system-log' }],
      });
      await record(
        'reconciler-switched-off',
        'reconciler started while RECONCILE_INTERVAL_SECONDS=0: reads its settings and ends stopped',
        workflowId,
        { status: 'COMPLETED', outcome: 'stopped' },
      );
    },
    { RECONCILE_INTERVAL_SECONDS: '0' },
  ),
];

// ---- recording -------------------------------------------------------------------------------------

/** Temporal's JSON history form. historyToJSON may hit the duplicate protobufjs copies (see history-json). */
function historyToJson(history: History): unknown {
  try {
    return JSON.parse(historyToJSON(history)) as unknown;
  } catch (err) {
    if (!(err instanceof TypeError && /must be a Type/.test(err.message))) throw err;
  }
  const fromProto = createRequire(
    require.resolve('@temporalio/proto', { paths: [dirname(require.resolve('@temporalio/common'))] }),
  );
  const protojson = fromProto('protobufjs/ext/protojson') as { toJson(type: unknown, msg: unknown): unknown };
  const proto = fromProto('./index.js') as {
    temporal: { api: { history: { v1: { History: { fromObject(o: unknown): unknown } } } } };
  };
  const { patchProtobufRoot } = fromProto('../lib/patch-protobuf-root') as {
    patchProtobufRoot: (root: unknown) => { lookupType(name: string): unknown };
  };
  const type = patchProtobufRoot(proto).lookupType('temporal.api.history.v1.History');
  return protojson.toJson(type, proto.temporal.api.history.v1.History.fromObject(history));
}

type Closed = { status: string; type: string; result: unknown; events: number };

/** Waits for the run to close; answers its status, type and decoded result (if it completed). */
async function closedRun(handle: WorkflowHandle, timeoutMs = 90_000): Promise<Closed> {
  let status = 'RUNNING';
  await waitFor(
    async () => (status = (await handle.describe()).status.name) !== 'RUNNING',
    `${handle.workflowId} to close`,
    { timeoutMs },
  );
  const d = await handle.describe();
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const completed = events.at(-1)?.workflowExecutionCompletedEventAttributes;
  const payload = completed?.result?.payloads?.[0];
  return {
    status,
    type: d.type,
    result: payload ? defaultPayloadConverter.fromPayload(payload) : undefined,
    events: events.length,
  };
}

function outcomeOf(result: unknown): string | undefined {
  if (!result || typeof result !== 'object') return undefined;
  const r = result as Partial<CatalogAccessState & OktaAccessRequestState & FreshserviceTicketState> & {
    stopped?: boolean;
  };
  if (typeof r.stopped === 'boolean') return r.stopped ? 'stopped' : 'running';
  return r.outcome ?? undefined;
}

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string', default: join(root, 'test', 'fixtures', 'histories') },
      concurrency: { type: 'string', default: '3' },
      'allow-dirty': { type: 'boolean', default: false },
    },
  });
  const outDir = resolve(values.out);
  const commit = git(['rev-parse', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--', 'src', 'config', 'package.json', 'package-lock.json']);
  if (dirty && !values['allow-dirty']) {
    console.error(`[record] src/, config/ or the lockfile differ from ${commit}:\n${dirty}\n(--allow-dirty)`);
    return 2;
  }
  const selected = positionals.length
    ? scenarios.filter((s) => s.fixtures.some((f) => positionals.includes(f)))
    : scenarios;
  if (selected.length === 0) {
    console.error(`[record] no scenario records ${positionals.join(' ')}`);
    return 2;
  }

  const scratch = mkdtempSync(join(tmpdir(), 'access-bridge-record-'));
  const bundle = join(scratch, 'workflow-bundle.js');
  console.log('[record] bundling the production workflows (src/workflows/index.ts)');
  await bundleTo(join(root, 'src', 'workflows', 'index.ts'), bundle);
  // The test stacks' workers load this bundle (test/helpers/temporal.ts reads it per worker).
  process.env.TEST_WORKFLOW_BUNDLE = bundle;
  process.env.LOG_LEVEL ??= 'silent';

  const server = await startDevServer({
    cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI_PATH),
    port: await getFreePort(),
    namespace: 'default',
  });
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  console.log(`[record] Temporal at ${server.address}; ${selected.length} scenarios`);

  const recordings: Recording[] = [];
  const failures: string[] = [];
  const started = Date.now();
  try {
    const queue = [...selected];
    const runOne = async (scenario: Scenario) => {
      const label = scenario.fixtures.join(', ');
      const t0 = Date.now();
      let stack: TestStack | undefined;
      const mine: Recording[] = [];
      try {
        stack = await startTestStack(scenario.env ?? {});
        const s = stack;
        await scenario.run({
          stack: s,
          d: catalogDriver(() => s),
          people: peopleMaker(() => s),
          record: async (name, proves, workflowId, expect, runId) => {
            const rid = runId ?? (await s.client.workflow.getHandle(workflowId).describe()).runId;
            const closed = await closedRun(s.client.workflow.getHandle(workflowId, rid));
            const got = expect.route
              ? (closed.result as FreshserviceTicketState | undefined)?.route
              : outcomeOf(closed.result);
            const want = expect.route ?? expect.outcome;
            if (closed.status !== expect.status || (want !== undefined && got !== want)) {
              throw new Error(
                `${name}: expected ${expect.status} ${want ?? ''}, got ${closed.status} ${got ?? ''}`,
              );
            }
            mine.push({ name, proves, workflowId, runId: rid, expect });
          },
        });
        recordings.push(...mine);
        console.log(`[record] ok   ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      } catch (err) {
        failures.push(`${label}: ${err instanceof Error ? err.message : String(err)}`);
        console.error(`[record] FAIL ${label}: ${err instanceof Error ? err.stack : String(err)}`);
      } finally {
        await stack?.stop();
      }
    };
    const concurrency = Math.max(1, Number(values.concurrency) || 1);
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let s = queue.shift(); s; s = queue.shift()) await runOne(s);
      }),
    );

    // Fetch, check by replaying against the same bundle, and write.
    const env = await testEnv();
    const sdkVersion = (
      JSON.parse(readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    const prettierOptions = { ...(await prettier.resolveConfig(join(outDir, 'x.json'))), parser: 'json' };
    mkdirSync(outDir, { recursive: true });
    // A full recording replaces the set: a fixture no scenario writes any more must not linger.
    if (positionals.length === 0 && failures.length === 0) {
      for (const f of readdirSync(outDir).filter((x) => x.endsWith('.json'))) rmSync(join(outDir, f));
    }
    for (const r of recordings.sort((a, b) => a.name.localeCompare(b.name))) {
      const handle = env.client.workflow.getHandle(r.workflowId, r.runId);
      const history = await handle.fetchHistory();
      const closed = await closedRun(handle);
      const historyJson = historyToJson(history);
      for await (const replay of Worker.runReplayHistories({ workflowBundle: { codePath: bundle } }, [
        { workflowId: r.workflowId, history },
      ])) {
        if (replay.error)
          throw new Error(`${r.name} does not replay on the code it came from: ${replay.error}`);
      }
      const fixture = {
        name: r.name,
        proves: r.proves,
        workflowType: closed.type,
        workflowId: r.workflowId,
        runId: r.runId,
        status: closed.status,
        ...(r.expect.route ? { route: r.expect.route } : {}),
        ...(r.expect.outcome ? { outcome: r.expect.outcome } : {}),
        events: closed.events,
        recordedFrom: {
          commit,
          ...(dirty ? { uncommittedChanges: dirty.split('\n') } : {}),
          at: new Date().toISOString(),
          temporalCli: pinnedCliVersion(),
          sdk: sdkVersion,
        },
        history: historyJson,
      };
      const text = await prettier.format(JSON.stringify(fixture), prettierOptions);
      const file = join(outDir, `${r.name}.json`);
      writeFileSync(file, text);
      console.log(
        `[record] wrote ${file} (${closed.type}, ${closed.events} events, ${(text.length / 1024).toFixed(0)} KB)`,
      );
    }
    await env.teardown();
  } finally {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  const wanted = new Set(selected.flatMap((s) => s.fixtures));
  const missing = [...wanted].filter((f) => !recordings.some((r) => r.name === f));
  const present = readdirSync(outDir).filter((f) => f.endsWith('.json')).length;
  console.log(
    `[record] ${recordings.length} fixtures written in ${((Date.now() - started) / 1000).toFixed(0)} s; ${present} in ${outDir}`,
  );
  if (failures.length) console.error(`[record] failed scenarios:\n  ${failures.join('\n  ')}`);
  if (missing.length) console.error(`[record] not recorded: ${missing.join(', ')}`);
  return failures.length || missing.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
