// The Temporal server stopped while both tenants deliver webhooks: the API must answer 503 (with
// Retry-After) so senders know nothing was taken, and after the server is back every refused event must
// reach its workflow anyway. Okta retries a delivery once and Freshservice's automator not at all, so here
// the refused events are recovered by the reconcilers (Okta System Log, Freshservice updated_since), which
// the worker process (`npm run worker`, its own Temporal server with a SQLite file that survives the
// restart) runs every few seconds. Nothing may be lost and nothing done twice.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { FS_APPROVAL_STATUS } from '../../src/integrations/freshservice';
import { startDevServer, resolveTemporalCli, type DevServer } from '../../src/temporal/dev-server';
import { catalogAccessWorkflowId } from '../../src/workflows/catalog-access/contract';
import { oktaRequestWorkflowId } from '../../src/workflows/okta-access-request/contract';
import { reconcileNowUpdate, reconcilerWorkflowId } from '../../src/workflows/reconcilers/contract';
import { ticketWorkflowId } from '../../src/workflows/ticket-router/contract';
import { TEST_SECRETS } from '../helpers/api';
import { getFreePort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';
import { waitForWorkflowIdle } from '../helpers/workflow-idle';
import {
  FINANCE_APPROVER_CANDIDATES,
  raiseCatalogRequest,
  raiseOktaRequest,
  reportCoverage,
  SLOW,
  spawnWorkerProcess,
  startWiredStack,
  ticketsForOktaRequest,
  type WiredStack,
  type WorkerProcess,
} from './harness';

const OKTA_REQUESTERS = ['ada.lovelace@acme.example', 'alan.turing@acme.example', 'hedy.lamarr@acme.example'];
const CATALOG_REQUESTERS = FINANCE_APPROVER_CANDIDATES.slice(0, SLOW ? 5 : 3);
const RECOVERY_TIMEOUT_MS = 120_000;

/** `source` of the first signal in a workflow's first run (the event that started it). */
async function firstSignalSource(client: Client, workflowId: string): Promise<string | undefined> {
  const { runId } = await client.workflow.getHandle(workflowId).describe();
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  for (const e of history.events ?? []) {
    const data = e.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0]?.data;
    if (data) return (JSON.parse(Buffer.from(data).toString('utf8')) as { source?: string }).source;
  }
  return undefined;
}

describe('reliability: Temporal server stopped during deliveries', () => {
  let scratch: string;
  let port: number;
  let server: DevServer | undefined;
  let connection: Connection;
  let stack: WiredStack;
  let worker: WorkerProcess | undefined;
  const counts: Record<string, number> = { refused503: 0, oktaRequests: 0, catalogRequests: 0, recovered: 0 };

  const startServer = async () => {
    server = await startDevServer({
      cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI_PATH),
      port,
      namespace: 'default',
      dbFile: join(scratch, 'temporal.db'),
    });
  };

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'access-bridge-outage-'));
    port = await getFreePort();
    await startServer();
    connection = await Connection.connect({ address: server!.address });
    const client = new Client({ connection, namespace: 'default' });
    stack = await startWiredStack({
      noWorker: true,
      fixedPorts: true,
      temporal: { address: server!.address, client },
      // One copy, no delay: the relay only counts what the API answered.
      relay: { copies: 1, maxDelayMs: 0 },
    });
    worker = spawnWorkerProcess(stack, { RECONCILE_INTERVAL_SECONDS: '3', RECONCILE_LOOKBACK_MINUTES: '10' });
  });

  after(async () => {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGTERM');
      await Promise.race([worker.exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    }
    await stack?.stop();
    await connection?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
    reportCoverage('temporal-outage', {
      ...counts,
      relayStatuses: JSON.stringify(stack?.relay?.statuses ?? {}),
    });
  });

  it('given Temporal stopped while requests are raised in both tenants, when it is back, then every refused event reaches its workflow exactly once (sender retry or reconciler)', async () => {
    const diagnose = (err: Error) => {
      throw new Error(`${err.message}\nworker output:\n${worker?.output.join('').slice(-3000)}`);
    };
    // The worker is up and its reconcilers run before the outage.
    await waitFor(
      async () => {
        const list = stack.client.workflow.list({ query: `WorkflowId STARTS_WITH "reconciler:"` });
        let n = 0;
        for await (const w of list) if (w.status.name === 'RUNNING') n += 1;
        return n === 2;
      },
      'both reconcilers running',
      { timeoutMs: 60_000 },
    ).catch(diagnose);

    await server!.stop();
    server = undefined;

    // A delivery now is refused with 503 and Retry-After: the sender keeps it.
    const refused = await fetch(`${stack.api.url}/webhooks/freshservice`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-access-bridge-secret': TEST_SECRETS.FRESHSERVICE_WEBHOOK_SECRET,
      },
      body: JSON.stringify({ event: 'ticket_created', ticket_id: 1 }),
    });
    assert.equal(refused.status, 503);
    assert.ok(refused.headers.get('retry-after'), 'Retry-After tells the sender when to come back');

    const oktaRequests = await Promise.all(
      OKTA_REQUESTERS.map((login) => raiseOktaRequest(stack, login, 'GitHub Admins')),
    );
    const tickets = await Promise.all(
      CATALOG_REQUESTERS.map((email) =>
        raiseCatalogRequest(stack, email, { type: 'group', name: 'Finance Approvers' }),
      ),
    );
    counts.oktaRequests = oktaRequests.length;
    counts.catalogRequests = tickets.length;
    // Every webhook of those requests reached the API and was refused.
    await waitFor(
      () => (stack.relay!.statuses[503] ?? 0) >= oktaRequests.length + tickets.length,
      'the deliveries refused with 503',
      { timeoutMs: 30_000 },
    );
    assert.equal(stack.relay!.statuses[200] ?? 0, 0, 'nothing was accepted while Temporal was down');
    counts.refused503 = stack.relay!.statuses[503] ?? 0;

    await startServer();

    // Recovered: each OIG request has its one ticket; each catalog request asks its approver once.
    await Promise.all([
      ...oktaRequests.map((id) =>
        waitFor(() => ticketsForOktaRequest(stack, id).length >= 1, `a ticket for OIG request ${id}`, {
          timeoutMs: RECOVERY_TIMEOUT_MS,
          intervalMs: 250,
        }),
      ),
      ...tickets.map((id) =>
        waitFor(
          () => stack.fsSandbox.store.approvalsOf(id).some((a) => a.status === FS_APPROVAL_STATUS.REQUESTED),
          `an approval requested on ticket ${id}`,
          { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 250 },
        ),
      ),
    ]).catch(diagnose);
    counts.recovered = oktaRequests.length + tickets.length;
    // Recovered by whoever came first after the restart: a sender's retry or a later webhook of the same
    // ticket, or a reconciler pass. At least some must be the reconcilers' (Okta retries once, at once).
    const sources: string[] = [];
    for (const id of oktaRequests)
      sources.push(`okta:${await firstSignalSource(stack.client, oktaRequestWorkflowId(id))}`);
    for (const id of tickets)
      sources.push(`fs:${await firstSignalSource(stack.client, ticketWorkflowId(id))}`);
    for (const src of sources) {
      assert.ok(['okta:system-log', 'okta:event-hook', 'fs:reconciler', 'fs:webhook'].includes(src), src);
      counts[src] = (counts[src] ?? 0) + 1;
    }
    assert.ok(
      sources.some((x) => x === 'okta:system-log' || x === 'fs:reconciler'),
      `some events recovered by a reconciler: ${sources.join(', ')}`,
    );

    // Two more passes of each reconciler replay what they read again; once every flow has acted on what
    // those passes sent (idle: no workflow task, no activity pending), there is still one of each.
    for (const source of ['okta-system-log', 'freshservice-tickets'] as const) {
      const reconciler = stack.client.workflow.getHandle(
        reconcilerWorkflowId(source, stack.taskQueues.workflows),
      );
      for (let i = 0; i < 2; i++) {
        const pass = await reconciler.executeUpdate(reconcileNowUpdate);
        assert.equal(pass.error, null, `${source} pass: ${JSON.stringify(pass)}`);
      }
    }
    for (const id of oktaRequests) await waitForWorkflowIdle(stack.client, oktaRequestWorkflowId(id));
    for (const id of tickets) {
      await waitForWorkflowIdle(stack.client, ticketWorkflowId(id));
      await waitForWorkflowIdle(stack.client, catalogAccessWorkflowId(id));
    }
    for (const id of oktaRequests)
      assert.equal(ticketsForOktaRequest(stack, id).length, 1, `one ticket for ${id}`);
    for (const id of tickets) {
      assert.equal(stack.fsSandbox.store.approvalsOf(id).length, 1, `one approval on ticket ${id}`);
    }
  });
});
