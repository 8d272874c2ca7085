// The reliability suite's wiring: both sandboxes, the real API (with a log-capturing logger) and, unless a
// test runs its own worker process, an in-process worker; the tenants' webhooks point at the API exactly
// as `npm start` wires them, optionally through a relay that delivers every webhook several times in a
// shuffled order. Scenario helpers act as people through the sandboxes and read outcomes back through the
// vendors' APIs (retrying reads, since faults and tightened rate limits hit them too).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { createActivitySets, createVendorClients } from '../../src/worker';
import { loadConfig, type Config } from '../../src/config';
import {
  createFreshserviceClient,
  FS_APPROVAL_STATUS,
  type FreshserviceClient,
} from '../../src/integrations/freshservice';
import { createOktaClient, type OktaClient } from '../../src/integrations/okta';
import { createLogger } from '../../src/logging';
import { sandboxPost } from '../../src/sandbox/actor-client';
import { SANDBOX_FRESHSERVICE_API_KEY, SANDBOX_OKTA_API_TOKEN } from '../../src/sandbox/credentials';
import { startFreshserviceSandbox, type RunningFreshserviceSandbox } from '../../src/sandbox/freshservice';
import { startOktaSandbox, type RunningOktaSandbox } from '../../src/sandbox/okta';
import { setSandboxAutomatorRules } from '../../src/sandbox/start';
import { ensureOktaEventHook, freshserviceAutomatorRules } from '../../src/setup/webhooks';
import { ensureReconcilers } from '../../src/temporal/reconcilers';
import { catalogAccessWorkflowId } from '../../src/workflows/catalog-access/contract';
import { oktaRequestTicketTag } from '../../src/workflows/okta-access-request/contract';
import { TEST_SECRETS } from '../helpers/api';
import { startCapturingApi, type CapturingApi } from '../helpers/api-capture';
import { getFreePort } from '../helpers/ports';
import { TEST_POLICY_FILE } from '../helpers/stack';
import { startTestWorker, testEnv, uniqueTaskQueues, type TestWorker } from '../helpers/temporal';
import { waitFor } from '../helpers/wait';
import { startVendorProxy, type VendorProxy } from './vendor-proxy';

/** `RELIABILITY_SLOW=1` raises every size (requests per scenario, fuzz runs, storm lengths). */
export const SLOW = process.env.RELIABILITY_SLOW === '1';

/**
 * `RELIABILITY_FAULTS=off` switches every injected fault off (scripts/prove-faults.sh): the sandboxes'
 * injectors are paused, the relay delivers each webhook once, the storm keeps the default rate limits and
 * the fuzzer sends its envelopes unmutated. Every fault test must then fail on its counts, which is how
 * the suite shows that its faults, not luck, are what the tests assert on.
 */
export const FAULTS_OFF = process.env.RELIABILITY_FAULTS === 'off';

/** Seconds between reconciler passes in every reliability stack. */
export const RECONCILE_INTERVAL_SECONDS = 5;

/** Flows under faults on a shared 2-core machine: generous, never a reason to fail. */
export const FLOW_TIMEOUT_MS = SLOW ? 240_000 : 60_000;

export const MANAGER_OF: Record<string, string> = {
  'linus.torvalds@acme.example': 'grace.hopper@acme.example',
  'margaret.hamilton@acme.example': 'linus.torvalds@acme.example',
  'ada.lovelace@acme.example': 'margaret.hamilton@acme.example',
  'alan.turing@acme.example': 'margaret.hamilton@acme.example',
  'mary.jackson@acme.example': 'grace.hopper@acme.example',
  'hedy.lamarr@acme.example': 'mary.jackson@acme.example',
  'radia.perlman@acme.example': 'linus.torvalds@acme.example',
  'ken.thompson@acme.example': 'radia.perlman@acme.example',
  'whitfield.diffie@acme.example': 'radia.perlman@acme.example',
};

/** People who do not hold Finance Approvers (nor Payments Submitters) in the demo tenant. */
export const FINANCE_APPROVER_CANDIDATES = [
  'margaret.hamilton@acme.example',
  'mary.jackson@acme.example',
  'hedy.lamarr@acme.example',
  'ken.thompson@acme.example',
  'whitfield.diffie@acme.example',
  'radia.perlman@acme.example',
  'linus.torvalds@acme.example',
];

/** The vendors' APIs as the test reads them. */
export type Tenant = { oktaUrl: string; fsUrl: string; okta: OktaClient; fs: FreshserviceClient };

export type WiredStack = Tenant & {
  oktaSandbox: RunningOktaSandbox;
  fsSandbox: RunningFreshserviceSandbox;
  client: Client;
  temporalAddress: string;
  taskQueues: ReturnType<typeof uniqueTaskQueues>;
  config: Config;
  api: CapturingApi;
  relay: Relay | undefined;
  /** Hops in front of the sandboxes that saw every call the in-process worker made (`countVendorCalls`). */
  vendorProxies: { okta: VendorProxy; freshservice: VendorProxy } | undefined;
  worker: TestWorker | undefined;
  stop(): Promise<void>;
};

export type WiredStackOptions = {
  /**
   * Deliver every webhook `copies` times, each after a random delay up to `maxDelayMs`; with
   * `redeliverRefused`, a copy answered 503 is delivered again after its Retry-After, as the vendors do.
   */
  relay?: { copies: number; maxDelayMs: number; redeliverRefused?: boolean };
  /** Run no worker here (the test runs its own worker process). */
  noWorker?: boolean;
  /** Listen on fixed free ports (for a worker process configured by SANDBOX_* ports). */
  fixedPorts?: boolean;
  /** Rate-limit window of both sandboxes (default a minute). */
  rateWindowMs?: number;
  /** A Temporal server of the test's own (default: the run's shared one). */
  temporal?: { address: string; client: Client };
  /** Start no reconcilers, so only webhook deliveries (and the flows' own re-reads) move the flows. */
  noReconcilers?: boolean;
  /** Route the worker's vendor calls through counting proxies (`vendorProxies`). */
  countVendorCalls?: boolean;
};

export async function startWiredStack(opts: WiredStackOptions = {}): Promise<WiredStack> {
  const temporal = opts.temporal ?? (await testEnv());
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name: 'reliability' });
  const [oktaPort, fsPort] = opts.fixedPorts ? [await getFreePort(), await getFreePort()] : [0, 0];
  const oktaSandbox = await startOktaSandbox({
    apiTokens: [SANDBOX_OKTA_API_TOKEN],
    seed: 'demo',
    logger,
    port: oktaPort,
    rateWindowMs: opts.rateWindowMs,
  });
  // Ticket ids of its own: workflow IDs are business keys (fs-ticket:<id>) on the shared server.
  const fsSandbox = await startFreshserviceSandbox({
    apiKeys: [SANDBOX_FRESHSERVICE_API_KEY],
    seed: 'demo',
    port: fsPort,
    firstTicketId: 100_000 + Math.floor(Math.random() * 900_000_000),
    rateWindowMs: opts.rateWindowMs,
    logger,
  });
  oktaSandbox.runtime.faults.paused = FAULTS_OFF;
  fsSandbox.faults.paused = FAULTS_OFF;
  const vendorProxies = opts.countVendorCalls
    ? {
        okta: await startVendorProxy(oktaSandbox.url),
        freshservice: await startVendorProxy(fsSandbox.publicUrl),
      }
    : undefined;
  const taskQueues = uniqueTaskQueues('rel');
  const env = {
    ...TEST_SECRETS,
    LOG_LEVEL: 'silent',
    ACCESS_POLICY_FILE: TEST_POLICY_FILE,
    TEMPORAL_TASK_QUEUE: taskQueues.workflows,
    OKTA_TASK_QUEUE: taskQueues.okta,
    FRESHSERVICE_TASK_QUEUE: taskQueues.freshservice,
    // As in production, the reconcilers back the webhooks up (a delivery refused with 503 under load is
    // recovered at the next pass); a short interval keeps that inside the tests' flow timeouts.
    RECONCILE_INTERVAL_SECONDS: opts.noReconcilers ? '0' : String(RECONCILE_INTERVAL_SECONDS),
  };
  const config = loadConfig(env);
  const worker = opts.noWorker
    ? undefined
    : await startTestWorker({
        taskQueues,
        activities: createActivitySets(
          config,
          createVendorClients(config, logger, {
            okta: vendorProxies?.okta.url ?? oktaSandbox.url,
            freshservice: vendorProxies?.freshservice.url ?? fsSandbox.publicUrl,
          }),
          () => temporal.client,
        ),
      });
  if (worker) await ensureReconcilers(temporal.client, config);
  const api = await startCapturingApi(temporal.address, env);
  const relay = opts.relay
    ? await startRelay(api.url, FAULTS_OFF ? 1 : opts.relay.copies, opts.relay.maxDelayMs, {
        redeliverRefused: opts.relay.redeliverRefused ?? false,
      })
    : undefined;
  const hookBase = relay?.url ?? api.url;

  const okta = createOktaClient({
    orgUrl: oktaSandbox.url,
    auth: { kind: 'ssws', token: SANDBOX_OKTA_API_TOKEN },
  });
  const fs = createFreshserviceClient({ baseUrl: fsSandbox.publicUrl, apiKey: SANDBOX_FRESHSERVICE_API_KEY });
  await ensureOktaEventHook(okta, {
    uri: `${hookBase}/webhooks/okta`,
    secret: TEST_SECRETS.OKTA_WEBHOOK_SECRET,
  });
  await setSandboxAutomatorRules(
    fsSandbox.publicUrl,
    freshserviceAutomatorRules({
      uri: `${hookBase}/webhooks/freshservice`,
      secret: TEST_SECRETS.FRESHSERVICE_WEBHOOK_SECRET,
    }),
  );

  return {
    oktaUrl: oktaSandbox.url,
    fsUrl: fsSandbox.publicUrl,
    okta,
    fs,
    oktaSandbox,
    fsSandbox,
    client: temporal.client,
    temporalAddress: temporal.address,
    taskQueues,
    config,
    api,
    relay,
    vendorProxies,
    worker,
    stop: async () => {
      await worker?.stop();
      await relay?.close();
      await Promise.all([vendorProxies?.okta.close(), vendorProxies?.freshservice.close()]);
      await api.close();
      await Promise.all([oktaSandbox.close(), fsSandbox.close()]);
    },
  };
}

export type WorkerProcess = { child: ChildProcess; output: string[]; exited: Promise<number | null> };

/** `npm run worker` as a separate process (so it can be SIGKILLed) on the stack's queues and sandboxes. */
export function spawnWorkerProcess(stack: WiredStack, extraEnv: Record<string, string> = {}): WorkerProcess {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_TASK_QUEUE: stack.taskQueues.workflows,
    OKTA_TASK_QUEUE: stack.taskQueues.okta,
    FRESHSERVICE_TASK_QUEUE: stack.taskQueues.freshservice,
    ACCESS_POLICY_FILE: TEST_POLICY_FILE,
    SANDBOX_HOST: '127.0.0.1',
    SANDBOX_OKTA_PORT: String(stack.oktaSandbox.port),
    SANDBOX_FRESHSERVICE_PORT: String(stack.fsSandbox.port),
    OKTA_ACTIVITIES_PER_SECOND: '100',
    FRESHSERVICE_ACTIVITIES_PER_SECOND: '100',
    FRESHSERVICE_MAX_CONCURRENT: '50',
    RECONCILE_INTERVAL_SECONDS: String(RECONCILE_INTERVAL_SECONDS),
    ...extraEnv,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: join(__dirname, '..', '..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output, exited };
}

export type RelayedWebhook = { body: string; settled: number; accepted: number };

export type Relay = {
  url: string;
  /** Webhook POSTs the tenants sent. */
  received: number;
  /** Delivery attempts made to the API (redeliveries included), and their statuses. */
  forwarded: number;
  statuses: Record<number, number>;
  /** Copies done with (accepted, refused for good, or out of redeliveries), and their last statuses. */
  settled: number;
  settledStatuses: Record<number, number>;
  /** Attempts that redelivered a copy the API had refused with 503. */
  redelivered: number;
  /** Every webhook the tenants sent: its body, and how many of its copies settled and were accepted (200). */
  webhooks: RelayedWebhook[];
  /** Copies scheduled or on the wire, not yet answered. */
  inFlight(): number;
  close(): Promise<void>;
};

/**
 * A hop between the tenants and the API that delivers every webhook POST `copies` times, each after its
 * own random delay, so copies of different events overtake each other. The sender gets the first copy's
 * answer; verification GETs pass through once.
 */
export async function startRelay(
  target: string,
  copies: number,
  maxDelayMs: number,
  opts: { redeliverRefused?: boolean } = {},
): Promise<Relay> {
  const pending = new Set<Promise<void>>();
  const relay: Relay = {
    url: '',
    received: 0,
    forwarded: 0,
    statuses: {},
    settled: 0,
    settledStatuses: {},
    redelivered: 0,
    webhooks: [],
    inFlight: () => pending.size,
    close: () => Promise.resolve(),
  };

  type Answer = { status: number; text: string; retryAfterMs: number };
  const forward = async (req: IncomingMessage, body: Buffer): Promise<Answer> => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
    }
    const res = await fetch(`${target}${req.url ?? '/'}`, {
      method: req.method,
      headers,
      body: req.method === 'POST' ? body : undefined,
    });
    const text = await res.text();
    if (req.method === 'POST') {
      relay.forwarded += 1;
      relay.statuses[res.status] = (relay.statuses[res.status] ?? 0) + 1;
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    return { status: res.status, text, retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : 1000 };
  };
  const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const track = (p: Promise<unknown>) => {
    const done = p.then(
      () => undefined,
      () => undefined,
    );
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };

  /**
   * One copy: its first answer goes to `onAnswer` (the sender's, for the first copy); a 503 is then
   * redelivered in the background (Retry-After, at most 5 s, up to 8 attempts) when the relay does that.
   */
  const deliver = async (
    req: IncomingMessage,
    body: Buffer,
    webhook: RelayedWebhook | undefined,
    onAnswer?: (a: Answer) => void,
  ) => {
    let answer = await forward(req, body);
    onAnswer?.(answer);
    for (let attempt = 1; opts.redeliverRefused && answer.status === 503 && attempt < 8; attempt++) {
      await later(Math.min(answer.retryAfterMs, 5000));
      relay.redelivered += 1;
      answer = await forward(req, body);
    }
    if (req.method === 'POST') {
      relay.settled += 1;
      relay.settledStatuses[answer.status] = (relay.settledStatuses[answer.status] ?? 0) + 1;
    }
    if (webhook) {
      webhook.settled += 1;
      if (answer.status === 200) webhook.accepted += 1;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const webhook = req.method === 'POST' ? { body: body.toString(), settled: 0, accepted: 0 } : undefined;
    if (webhook) {
      relay.received += 1;
      relay.webhooks.push(webhook);
      for (let i = 1; i < copies; i++) {
        track(later(Math.random() * maxDelayMs).then(() => deliver(req, body, webhook)));
      }
      // The first copy is shuffled too, within what the sender waits for (Okta: 3 s).
      await later(Math.random() * Math.min(maxDelayMs, 500));
    }
    const first = await new Promise<Answer>((resolve, reject) => {
      track(deliver(req, body, webhook, resolve).catch(reject));
    });
    res.writeHead(first.status, { 'content-type': 'application/json' }).end(first.text);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(502).end(String(err));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  relay.close = async () => {
    await Promise.all([...pending]);
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  };
  return relay;
}

/** Retries a read that a fault or a tightened rate limit may refuse. */
export async function read<T>(fn: () => Promise<T>, attempts = 30): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw last;
}

/** An employee requests a group or app through the Freshservice catalog; returns the ticket id. */
export async function raiseCatalogRequest(
  t: Tenant,
  requesterEmail: string,
  resource: { type: 'group' | 'app'; name: string },
): Promise<number> {
  const res = await sandboxPost<{ service_request: { id: number } }>(
    t.fsUrl,
    `/__sandbox/actor/catalog/1001/request`,
    {
      requesterEmail,
      custom_fields: {
        resource_type: resource.type,
        resource_name: resource.name,
        justification: 'reliability',
      },
    },
  );
  return res.service_request.id;
}

/**
 * Waits for the approval the product requested on a ticket; returns the ticket's approvals. Progress is
 * read from the sandbox's store: it is what the API serves, and reading it spends no rate budget and
 * meets no injected fault, so watching never perturbs what is watched.
 */
export async function awaitApprovalRequested(s: WiredStack, ticketId: number, timeoutMs = FLOW_TIMEOUT_MS) {
  await waitFor(
    () => s.fsSandbox.store.approvalsOf(ticketId).some((a) => a.status === FS_APPROVAL_STATUS.REQUESTED),
    `an approval requested on ticket ${ticketId}`,
    { timeoutMs, intervalMs: 200 },
  );
  return s.fsSandbox.store.approvalsOf(ticketId);
}

/** The approver decides in Freshservice; the automator webhook carries it to the product. */
export async function approveInFreshservice(t: Tenant, approvalId: number): Promise<void> {
  await sandboxPost(t.fsUrl, `/__sandbox/actor/approvals/${approvalId}/approve`, { remark: 'ok' });
}

export async function awaitTicketStatus(
  s: WiredStack,
  ticketId: number,
  status: number,
  timeoutMs = FLOW_TIMEOUT_MS,
) {
  await waitFor(
    () => s.fsSandbox.store.getTicket(ticketId)?.status === status,
    `ticket ${ticketId} status ${status}`,
    { timeoutMs, intervalMs: 200 },
  );
}

export function ticketNotes(s: WiredStack, ticketId: number): string[] {
  return s.fsSandbox.store.conversationsOf(ticketId).map((c) => c.body_text || c.body);
}

export const countMatching = (texts: string[], re: RegExp) => texts.filter((x) => re.test(x)).length;

/** `group.user_membership.add` events in the Okta System Log for one person and group. */
export async function membershipAdds(t: Tenant, email: string, groupName: string): Promise<number> {
  return read(async () => {
    const user = (await t.okta.findUserByLogin(email))!;
    const group = (await t.okta.findGroupByName(groupName))!;
    const page = await t.okta.listLogs({
      filter: 'eventType eq "group.user_membership.add"',
      since: new Date(Date.now() - 3_600_000).toISOString(),
      limit: 1000,
    });
    return page.events.filter((e) => {
      const ids = (e.target ?? []).map((x) => x.id);
      return ids.includes(user.id) && ids.includes(group.id);
    }).length;
  });
}

export async function inGroup(t: Tenant, email: string, groupName: string): Promise<boolean> {
  return read(async () => {
    const user = (await t.okta.findUserByLogin(email))!;
    return (await t.okta.listUserGroups(user.id)).some((g) => g.profile.name === groupName);
  });
}

/** An employee requests a catalog entry in Okta (OIG); returns the request id. */
export async function raiseOktaRequest(
  t: Tenant,
  requesterLogin: string,
  entryName: string,
): Promise<string> {
  const entryId = await read(async () => {
    for await (const e of t.okta.listCatalogEntries(`name eq "${entryName}"`)) return e.id;
    return undefined;
  });
  if (!entryId) throw new Error(`no catalog entry ${entryName}`);
  const r = await sandboxPost<{ id: string }>(t.oktaUrl, `/__sandbox/actor/requests`, {
    requesterLogin,
    entryId,
    justification: 'reliability',
  });
  return r.id;
}

export type RaisedOktaRequest = { email: string; id: string };

/** Each of `requesterLogins` requests `entryName` in Okta (OIG) at once. */
export async function raiseOktaRequests(
  t: Tenant,
  requesterLogins: readonly string[],
  entryName: string,
): Promise<RaisedOktaRequest[]> {
  return Promise.all(
    requesterLogins.map(async (email) => ({ email, id: await raiseOktaRequest(t, email, entryName) })),
  );
}

/** Waits until every OIG request has its ticket; returns the first ticket of each, by request id. */
export async function awaitTicketsForOktaRequests(
  s: WiredStack,
  requests: readonly RaisedOktaRequest[],
  timeoutMs = FLOW_TIMEOUT_MS,
): Promise<Map<string, number>> {
  const ticketOf = new Map<string, number>();
  await waitFor(
    () => {
      for (const r of requests) {
        const ids = ticketsForOktaRequest(s, r.id);
        if (ids[0]) ticketOf.set(r.id, ids[0]);
      }
      return ticketOf.size === requests.length;
    },
    'a ticket for every OIG request',
    { timeoutMs, intervalMs: 500 },
  );
  return ticketOf;
}

export async function approveInOkta(t: Tenant, requestId: string, approverLogin: string): Promise<void> {
  await sandboxPost(t.oktaUrl, `/__sandbox/actor/requests/${requestId}/approve`, { approverLogin });
}

/** Tickets carrying an OIG request's marker tag. */
export function ticketsForOktaRequest(s: WiredStack, requestId: string): number[] {
  const tag = oktaRequestTicketTag(requestId);
  return s.fsSandbox.store
    .listTickets()
    .filter((t) => t.tags.includes(tag))
    .map((t) => t.id);
}

/** Activity failures marked non-retryable in a workflow's history (a transient fault must never become one). */
export async function nonRetryableFailures(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const f = e.activityTaskFailedEventAttributes?.failure;
    return f?.applicationFailureInfo?.nonRetryable
      ? [`${f.applicationFailureInfo.type ?? '?'}: ${f.message ?? ''}`]
      : [];
  });
}

/** A signal in a workflow's history: its name and the `source` its argument carries (webhook, reconciler…). */
export type ReceivedSignal = { name: string; source: string; arg: Record<string, unknown> };

/** Every signal a workflow received, in order, with the message's source read back from the history. */
export async function signalsReceived(client: Client, workflowId: string): Promise<ReceivedSignal[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const s = e.workflowExecutionSignaledEventAttributes;
    const payload = s?.input?.payloads?.[0];
    if (!s || !payload) return [];
    const arg = defaultPayloadConverter.fromPayload<Record<string, unknown>>(payload);
    return [{ name: s.signalName ?? '', source: typeof arg.source === 'string' ? arg.source : '', arg }];
  });
}

export async function catalogOutcome(client: Client, ticketId: number): Promise<string | null | undefined> {
  const h = client.workflow.getHandle(catalogAccessWorkflowId(ticketId));
  const result = (await h.result()) as { outcome?: string | null };
  return result.outcome;
}

/**
 * The exactly-once check every catalog scenario ends with: the request was granted, the person is in the
 * group, and Okta saw one membership add while the ticket holds one approval, one approval note and one
 * grant note.
 */
export async function assertGrantedOnce(
  stack: WiredStack,
  ticketId: number,
  email: string,
  groupName: string,
): Promise<void> {
  assert.equal(await catalogOutcome(stack.client, ticketId), 'granted');
  assert.equal(await inGroup(stack, email, groupName), true);
  assert.equal(await membershipAdds(stack, email, groupName), 1, `one grant for ${email}`);
  assert.equal(stack.fsSandbox.store.approvalsOf(ticketId).length, 1, `one approval on ticket ${ticketId}`);
  const notes = ticketNotes(stack, ticketId);
  assert.equal(
    countMatching(notes, /Access granted in Okta and verified/),
    1,
    `one grant note on ${ticketId}`,
  );
  assert.equal(countMatching(notes, /Approval 1 .*requested from/), 1, `one approval note on ${ticketId}`);
}

/** One line in the CI output saying what a file covered. */
export function reportCoverage(file: string, counts: Record<string, number | string>): void {
  const parts = Object.entries(counts).map(([k, v]) => `${k}=${v}`);
  process.stdout.write(`[reliability] ${file}: ${parts.join(' ')}\n`);
}

/** Faults a sandbox applied, by kind. */
export function appliedByKind(applied: { kind: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of applied) out[a.kind] = (out[a.kind] ?? 0) + 1;
  return out;
}
