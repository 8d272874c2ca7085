// Scenario 4: many open requests. The product's own worker, in a child process against the bench's
// sandboxes, holds N catalog access requests (the product's catalogAccessRequest) in the state a continued
// run resumes into while a Freshservice approval is pending. A few real catalog requests are raised and
// brought to that wait by the product first; the bench reads the process's RSS and CPU from /proc with only
// those waiting (the reference) and again with the N held open. Then the real requests are approved in
// Freshservice and each is timed from the approval to its ticket resolved with the grant in Okta: only such
// verified outcomes count as resumed.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { FS_TICKET_STATUS } from '../../src/integrations/freshservice/codes';
import { SANDBOX_FRESHSERVICE_API_KEY, SANDBOX_OKTA_API_TOKEN } from '../../src/sandbox/credentials';
import { DEMO_PEOPLE } from '../../src/sandbox/demo-tenant';
import {
  type CarriedCatalogRun,
  type CatalogAccessInput,
  type CatalogAccessState,
  type CatalogAccessWorkflow,
  catalogAccessWorkflowId,
} from '../../src/workflows/catalog-access/contract';
import {
  TICKET_ROUTER_WORKFLOW_TYPE,
  type TicketRouterWorkflow,
  ticketWorkflowId,
} from '../../src/workflows/ticket-router/contract';
import { stateQuery, ticketEventSignal, type TicketEvent } from '../../src/workflows/shared/contract';
import { RequesterEmailKey, ResourceNameKey, TicketIdKey } from '../../src/workflows/shared/contract';
import {
  BENCH_SECRETS,
  benchTaskQueues,
  sandboxPost,
  startBenchSandboxes,
  type BenchSandboxes,
} from '../lib/stack';
import { percentile, pool, round, sleep, waitUntil } from '../lib/stats';

export type ManyOpenOptions = {
  temporalAddress: string;
  bundlePath: string;
  scratchDir: string;
  workflows: number;
  concurrency: number;
  resumes: number;
};

export type ProcessSample = { rssMb: number; cpuPercent: number };

export type ManyOpenResult = {
  workflows: number;
  startSeconds: number;
  /** The worker's CPU while the held-open flows were started (100 = one core busy throughout). */
  startCpuPercent: number;
  idle: ProcessSample;
  waiting: ProcessSample;
  rssPerWorkflowKb: number;
  /** Size of the carried run each held-open flow is started with (its JSON), in KB. */
  carriedKb: number;
  resumeP50Ms: number;
  resumeMaxMs: number;
  /** Catalog flows RUNNING in visibility before the approvals: the N held open and the real requests. */
  running: number;
  /** Held-open flows whose state query answered phase `awaiting-approval`. */
  awaitingApproval: number;
  /** Okta calls while the held-open flows were started and held (a resumed run calls nothing before it waits). */
  heldOpenOktaCalls: number;
  /** Real requests approved and verified: ticket resolved, membership in the sandbox Okta, outcome granted. */
  resumed: number;
  correct: boolean;
};

const CLOCK_TICKS = 100; // USER_HZ on Linux
const ACCESS_ITEM = 1001;
/** Ticket ids of the held-open flows: above any the sandbox Freshservice hands out (it starts below 1e9). */
const HELD_TICKET_BASE = 2_000_000_000;
const requesters = DEMO_PEOPLE.filter((p) => p.manager);
const groupName = (k: number) => `Bench Waiting Group ${k + 1}`;

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : 0;
}

function cpuSeconds(pid: number): number {
  // Fields after the ")" of the command name: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

async function sample(pid: number, windowMs: number): Promise<ProcessSample> {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(windowMs);
  const cpu = cpuSeconds(pid) - cpu0;
  return {
    rssMb: round(rssMb(pid), 1),
    cpuPercent: round((cpu / ((performance.now() - t0) / 1000)) * 100, 1),
  };
}

/**
 * The policy of the scenario: one permanent group per real request (a distinct grant each), the manager
 * approving in Freshservice with a reminder an hour out, as an operator would write it.
 */
function writePolicy(opts: ManyOpenOptions): string {
  const file = join(opts.scratchDir, 'waiting-policy.yaml');
  const policy = {
    defaults: {
      approvalChain: ['manager'],
      approvalChannel: 'freshservice',
      finalTicketStatus: 'resolved',
      reminderInterval: '1h',
      expiry: '7d',
    },
    resources: Array.from({ length: opts.resumes }, (_, k) => ({
      name: groupName(k),
      okta: { type: 'group', name: groupName(k) },
    })),
  };
  writeFileSync(file, stringify(policy));
  return file;
}

function startWorkerProcess(bundlePath: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(__dirname, '..', 'lib', 'worker-process.ts'), bundlePath],
    // Only what the product's config reads, as a deployment sets it: nothing of the bench's own environment.
    { stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: process.env.PATH ?? '', ...env } },
  );
  return new Promise((res, rej) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', () => res(child));
    child.once('exit', (code) => rej(new Error(`bench worker exited with ${code} before it was ready`)));
  });
}

/** The run a held-open flow resumes into: the real request's hand-over, as another ticket's, not nudged. */
export function heldOpenRun(template: CarriedCatalogRun, ticketId: number, nowMs: number): CarriedCatalogRun {
  if (template.resume.at !== 'freshservice-approval') {
    throw new Error(`the real request handed over at ${template.resume.at}, not a Freshservice approval`);
  }
  const carried = structuredClone(template);
  carried.state.ticketId = ticketId;
  carried.nudges = { approval: false, ticket: false, okta: false };
  carried.resume = {
    at: 'freshservice-approval',
    level: template.resume.level,
    nextReminderAt: nowMs + 3_600_000,
    escalateAt: null,
  };
  return carried;
}

export async function runManyOpen(opts: ManyOpenOptions): Promise<ManyOpenResult> {
  // The held-open flows are built from a real request's hand-over, and a resume is only ever a real one.
  if (opts.resumes < 1) throw new Error('scenario 4 needs at least one resume');
  const sandboxes = await startBenchSandboxes({ name: 'waiting' });
  const { okta, oktaProxy, freshservice } = sandboxes;
  await sandboxPost(okta.url, '/__sandbox/seed', {
    groups: Array.from({ length: opts.resumes }, (_, k) => ({ name: groupName(k) })),
  });
  const taskQueues = benchTaskQueues('waiting');
  const worker = await startWorkerProcess(opts.bundlePath, {
    ...BENCH_SECRETS,
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: opts.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueues.workflows,
    OKTA_TASK_QUEUE: taskQueues.okta,
    FRESHSERVICE_TASK_QUEUE: taskQueues.freshservice,
    ACCESS_POLICY_FILE: writePolicy(opts),
    // Real-tenant configuration, pointed at the sandboxes (Okta through the counting proxy).
    OKTA_ORG_URL: oktaProxy.url,
    OKTA_API_TOKEN: SANDBOX_OKTA_API_TOKEN,
    FRESHSERVICE_BASE_URL: freshservice.publicUrl,
    FRESHSERVICE_API_KEY: SANDBOX_FRESHSERVICE_API_KEY,
    OKTA_ACTIVITIES_PER_SECOND: '100',
    FRESHSERVICE_ACTIVITIES_PER_SECOND: '1000',
    // The reconcilers would read the sandboxes every interval: noise in the process being measured.
    RECONCILE_INTERVAL_SECONDS: '0',
    // The smallest history budget: a real request hands over to a continued run at its approval wait,
    // which is the state the held-open flows are started in (and the one the timed resumes leave).
    WORKFLOW_HISTORY_MAX_EVENTS: '50',
  });
  const pid = worker.pid!;
  const exited = new Promise<void>((res) => worker.once('exit', () => res()));
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  try {
    return await measure(client, pid, opts, {
      sandboxes,
      workflowsQueue: taskQueues.workflows,
    });
  } finally {
    worker.kill('SIGTERM');
    await exited;
    await connection.close();
    await sandboxes.close();
  }
}

type Real = { k: number; email: string; ticketId: number; approvalId: number };

async function measure(
  client: Client,
  pid: number,
  opts: ManyOpenOptions,
  ctx: { sandboxes: BenchSandboxes; workflowsQueue: string },
): Promise<ManyOpenResult> {
  const { okta, oktaProxy, freshservice } = ctx.sandboxes;
  const flow = (ticketId: number): WorkflowHandle<CatalogAccessWorkflow> =>
    client.workflow.getHandle(catalogAccessWorkflowId(ticketId));
  const state = async (ticketId: number) => (await flow(ticketId).query(stateQuery)) as CatalogAccessState;
  // What POST /webhooks/freshservice does for a ticket event: signal-with-start the ticket's router.
  const nudge = (ticketId: number, event: TicketEvent['event']) =>
    client.workflow.signalWithStart<TicketRouterWorkflow, [TicketEvent]>(TICKET_ROUTER_WORKFLOW_TYPE, {
      workflowId: ticketWorkflowId(ticketId),
      taskQueue: ctx.workflowsQueue,
      args: [{ ticketId }],
      signal: ticketEventSignal,
      signalArgs: [{ event, ticketId, updatedAt: new Date().toISOString(), source: 'webhook' }],
    });

  // Real catalog requests, raised as employees, brought by the product to a continued run's approval wait.
  const reals: Real[] = await pool(
    Array.from({ length: opts.resumes }, (_, k) => k),
    opts.concurrency,
    async (k) => {
      const email = requesters[k % requesters.length]!.email;
      const raised = await sandboxPost<{ service_request: { id: number } }>(
        freshservice.publicUrl,
        `/__sandbox/actor/catalog/${ACCESS_ITEM}/request`,
        {
          requesterEmail: email,
          custom_fields: { resource_type: 'group', resource_name: groupName(k), justification: 'bench' },
        },
      );
      const ticketId = raised.service_request.id;
      await nudge(ticketId, 'ticket_created');
      return { k, email, ticketId, approvalId: 0 };
    },
  );
  await waitUntil(
    async () => {
      await pool(
        reals.filter((r) => r.approvalId === 0),
        opts.concurrency,
        async (r) => {
          const s = await state(r.ticketId).catch(() => undefined);
          const id = s?.levels[0]?.approvalIds[0];
          if (s?.phase === 'awaiting-approval' && s.runs >= 2 && id !== undefined) r.approvalId = id;
        },
      );
      return reals.every((r) => r.approvalId !== 0);
    },
    'every real request to wait on its approval in a continued run',
    120_000,
    500,
  );

  // The reference: the same worker with the bundle loaded and its clients warm, only the real requests
  // waiting, so the difference is the held-open flows' alone. Short windows at smoke sizes; ten seconds of
  // steady state at real sizes.
  const windowMs = opts.workflows >= 1000 ? 10_000 : 3000;
  await sleep(2000);
  const idle = await sample(pid, windowMs);

  // What that continued run was started with: the product's own hand-over at the approval wait.
  const history = await flow(reals[0]!.ticketId).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  const template = payload
    ? defaultPayloadConverter.fromPayload<CatalogAccessInput>(payload).carried
    : undefined;
  if (!template) throw new Error('the continued run of the real request carries no state');

  const heldIds = Array.from({ length: opts.workflows }, (_, i) => HELD_TICKET_BASE + i);
  oktaProxy.reset();
  const t0 = performance.now();
  const startCpu0 = cpuSeconds(pid);
  await pool(heldIds, opts.concurrency, async (ticketId) => {
    await client.workflow.start<CatalogAccessWorkflow>('catalogAccessRequest', {
      workflowId: catalogAccessWorkflowId(ticketId),
      taskQueue: ctx.workflowsQueue,
      args: [{ ticketId, carried: heldOpenRun(template, ticketId, Date.now()) }],
      // A continued run keeps its search attributes; the held-open ones carry the same.
      typedSearchAttributes: [
        { key: TicketIdKey, value: String(ticketId) },
        { key: RequesterEmailKey, value: template.state.requestedFor.email ?? '' },
        { key: ResourceNameKey, value: template.state.resource.name },
      ],
    });
  });
  // A query needs the workflow's first task done; the last ones started are the last to be run. Under a
  // backlog a query can time out before the worker reaches it: that only means "not yet".
  await pool(heldIds.slice(-20), 20, async (ticketId) => {
    await waitUntil(
      () =>
        state(ticketId)
          .then(() => true)
          .catch(() => false),
      `held-open flow ${ticketId} to run its first task`,
      600_000,
      1000,
    );
  });
  const startSeconds = round((performance.now() - t0) / 1000, 1);
  const startCpuPercent = round(((cpuSeconds(pid) - startCpu0) / startSeconds) * 100, 0);
  await sleep(3000);
  const waiting = await sample(pid, windowMs);

  // Visibility is eventually consistent: give the count a few seconds to settle.
  const expectedRunning = opts.workflows + opts.resumes;
  let running = 0;
  for (let tries = 0; tries < 30 && running !== expectedRunning; tries++) {
    if (tries > 0) await sleep(500);
    running = (
      await client.workflow.count(
        `TaskQueue = '${ctx.workflowsQueue}' AND WorkflowType = 'catalogAccessRequest' AND ExecutionStatus = 'Running'`,
      )
    ).count;
  }
  const phases = await pool(heldIds, opts.concurrency, async (ticketId) =>
    state(ticketId)
      .then((s) => s.phase)
      .catch(() => undefined),
  );
  const awaitingApproval = phases.filter((p) => p === 'awaiting-approval').length;
  const heldOpenOktaCalls = oktaProxy.counts().calls;

  // The resumes: approve in Freshservice as the manager does, delivered as the webhook would; timed until
  // the ticket is resolved with the membership in Okta, then the flow's own outcome is read.
  const groupId = (r: Real) => okta.store.groupByExactName(groupName(r.k))!.id;
  const userId = (r: Real) => okta.store.userByLogin(r.email)!.id;
  const resumeMs: number[] = [];
  let resumed = 0;
  for (const r of reals) {
    const s0 = performance.now();
    await sandboxPost(freshservice.publicUrl, `/__sandbox/actor/approvals/${r.approvalId}/approve`, {
      remark: 'bench',
    });
    await nudge(r.ticketId, 'approval_changed');
    const done = () =>
      freshservice.store.getTicket(r.ticketId)?.status === FS_TICKET_STATUS.RESOLVED &&
      okta.store.isMember(groupId(r), userId(r));
    const settled = await waitUntil(done, `ticket ${r.ticketId} resolved with its grant`, 60_000, 10).then(
      () => true,
      () => false,
    );
    resumeMs.push(performance.now() - s0);
    const final = settled ? await flow(r.ticketId).result() : undefined;
    if (settled && final?.outcome === 'granted' && final.grant.grantedAt) resumed += 1;
  }
  const rssPerWorkflowKb = round(((waiting.rssMb - idle.rssMb) * 1024) / opts.workflows, 1);
  return {
    workflows: opts.workflows,
    startSeconds,
    startCpuPercent,
    idle,
    waiting,
    rssPerWorkflowKb,
    carriedKb: round(Buffer.byteLength(JSON.stringify(template)) / 1024, 1),
    resumeP50Ms: round(percentile(resumeMs, 50), 1),
    resumeMaxMs: round(Math.max(...resumeMs), 1),
    running,
    awaitingApproval,
    heldOpenOktaCalls,
    resumed,
    correct: running === expectedRunning && awaitingApproval === opts.workflows && resumed === opts.resumes,
  };
}
