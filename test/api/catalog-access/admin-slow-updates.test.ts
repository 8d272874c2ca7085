// Proves that a slow but healthy admin operation is not an outage (issue #10): an update the workflow
// accepted whose handler outlives the API's wait answers 202 with where to follow it, the update route
// answers 202 until the handler finishes and then its result, and a resent Idempotency-Key attaches to
// the same update; 503 stays for a Temporal (or worker) that does not answer. The admin router runs over
// real HTTP with waits of a few hundred ms, against the fixture workflow whose handlers wait for a signal.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pinoHttp } from 'pino-http';
import type { Client } from '@temporalio/client';
import { createAdminRouter, type AdminUpdateWaits } from '../../../src/api/admin';
import { createErrorMiddleware } from '../../../src/api/errors';
import { createTemporalGateway } from '../../../src/api/temporal-gateway';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logging';
import { catalogAccessWorkflowId } from '../../../src/workflows/catalog-access/contract';
import { stateQuery } from '../../../src/workflows/shared/contract';
import {
  adminFixtureAccess,
  releaseUpdatesSignal,
  type AdminFixtureState,
} from '../../fixtures/admin-fixture-workflows';
import { TEST_SECRETS } from '../../helpers/api';
import { getFreePort } from '../../helpers/ports';
import {
  startTestWorker,
  TEST_NAMESPACE,
  testEnv,
  uniqueId,
  uniqueTaskQueues,
  type TestWorker,
} from '../../helpers/temporal';
import { waitFor } from '../../helpers/wait';

const AUTH = { authorization: `Bearer ${TEST_SECRETS.ADMIN_API_TOKEN}` };
const END = '2030-01-31T17:00:00.000Z';
/**
 * A POST waits 300 ms for the result, which a held handler outlives; acceptance and the update route's
 * poll keep the API's own waits, so a loaded machine cannot turn a 404 or a 503 into a 202.
 */
const SHORT_WAITS: Partial<AdminUpdateWaits> = { resultMs: 300 };

let nextTicket = 700_000_000 + Math.floor(Math.random() * 100_000_000);
const newTicketId = () => ++nextTicket;

type ErrorBody = { error: { code: string; message: string } };
type Follow = { state: string; update: string; temporalUi?: string };
type Accepted = { status: string; workflowId: string; update?: string; updateId: string; follow: Follow };
type Done = { workflowId: string; update?: string; updateId?: string; result: unknown };

type AdminApi = { url: string; close(): Promise<void> };

/** The admin router alone over real HTTP, with the waits a test chooses. */
async function startAdminApi(
  temporalAddress: string,
  updateWaits: Partial<AdminUpdateWaits>,
): Promise<AdminApi> {
  const config = loadConfig({ ...TEST_SECRETS, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
  const logger = createLogger({ level: config.logLevel });
  const temporal = createTemporalGateway({ address: temporalAddress, namespace: TEST_NAMESPACE });
  const app = express();
  app.use(pinoHttp({ logger }));
  app.use('/admin', createAdminRouter({ temporal, config, logger, updateWaits }));
  app.use(createErrorMiddleware(logger));
  const server = createServer(app);
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((res) => {
        server.close(() => res());
        server.closeAllConnections();
      });
      await temporal.close();
    },
  };
}

describe('admin updates that outlive the API wait', () => {
  let client: Client;
  let api: AdminApi;
  let worker: TestWorker;
  const taskQueues = uniqueTaskQueues('admin-slow');
  const started: string[] = [];

  // `get` takes the paths the API answers with (follow links, under /admin); `post` a route under /admin.
  const get = (api: AdminApi, path: string) => fetch(`${api.url}${path}`, { headers: AUTH });
  const post = (api: AdminApi, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api.url}/admin${path}`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  async function startHeldFixture(ticketId: number, opts: { pendingLevels?: number } = {}) {
    const workflowId = catalogAccessWorkflowId(ticketId);
    const handle = await client.workflow.start(adminFixtureAccess, {
      workflowId,
      taskQueue: taskQueues.workflows,
      args: [{ ticketId, endAt: END, pendingLevels: opts.pendingLevels ?? 0, holdUpdates: true }],
    });
    started.push(workflowId);
    return handle;
  }

  /** Polls the update route until it stops answering 202, and returns that answer. */
  async function followUntilDone(path: string): Promise<Response> {
    let last: Response | undefined;
    await waitFor(async () => {
      last = await get(api, path);
      if (last.status === 202) {
        await last.body?.cancel();
        return false;
      }
      return true;
    }, `${path} to finish`);
    assert.ok(last);
    return last;
  }

  before(async () => {
    const env = await testEnv();
    client = env.client;
    worker = await startTestWorker({ taskQueues, activities: {}, env });
    api = await startAdminApi(env.address, SHORT_WAITS);
  });
  after(async () => {
    await Promise.allSettled(started.map((id) => client.workflow.getHandle(id).terminate('test done')));
    await api.close();
    await worker.stop();
  });

  it('given a cancel whose handler outlives the wait, when posted, then 202 says where to follow it, and the update route answers 202 until it finishes, then 200 with the result', async () => {
    const ticketId = newTicketId();
    const handle = await startHeldFixture(ticketId);
    const workflowId = `fs-ticket:${ticketId}:access`;

    const res = await post(api, `/requests/tickets/SR-${ticketId}/cancel`, {
      requestedBy: 'it-admin@example.com',
      reason: 'left the project',
    });
    assert.equal(res.status, 202);
    const accepted = (await res.json()) as Accepted;
    assert.equal(accepted.status, 'accepted');
    assert.equal(accepted.workflowId, workflowId);
    assert.equal(accepted.update, 'cancelAccess');
    assert.match(accepted.updateId, /^[0-9a-f-]{36}$/);
    assert.equal(accepted.follow.state, `/admin/requests/tickets/${ticketId}`);
    assert.ok(
      accepted.follow.update.startsWith(`/admin/requests/tickets/${ticketId}/updates/${accepted.updateId}`),
      accepted.follow.update,
    );
    assert.equal(res.headers.get('location'), accepted.follow.update);
    // TEMPORAL_ADDRESS is unset here: the link is to the UI of the dev server `npm start` runs.
    assert.equal(
      accepted.follow.temporalUi,
      `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(workflowId)}`,
    );

    const running = await get(api, accepted.follow.update);
    assert.equal(running.status, 202);
    assert.deepEqual(await running.json(), {
      status: 'accepted',
      workflowId,
      updateId: accepted.updateId,
      follow: accepted.follow,
    });
    const state = (await (await get(api, accepted.follow.state)).json()) as { state: AdminFixtureState };
    assert.equal(state.state.status, 'granted', 'not revoked before the handler finishes');

    await handle.signal(releaseUpdatesSignal, {});
    const done = await followUntilDone(accepted.follow.update);
    assert.equal(done.status, 200);
    assert.deepEqual(await done.json(), {
      workflowId,
      updateId: accepted.updateId,
      result: { status: 'revoked', at: END },
    });
    const final = await handle.result();
    assert.equal(final.status, 'revoked');
    // The outcome survives the close: the update route and a resent POST (the updateId as its key) answer it.
    const afterClose = await get(api, accepted.follow.update);
    assert.equal(afterClose.status, 200);
    assert.deepEqual(((await afterClose.json()) as Done).result, { status: 'revoked', at: END });
    const resent = await post(
      api,
      `/requests/tickets/${ticketId}/cancel`,
      { requestedBy: 'it-admin@example.com', reason: 'left the project' },
      { 'idempotency-key': accepted.updateId },
    );
    assert.equal(resent.status, 200);
    assert.deepEqual(await resent.json(), {
      workflowId,
      update: 'cancelAccess',
      result: { status: 'revoked', at: END },
    });
    assert.deepEqual(
      final.decisions.map((d) => [d.decision, d.by, d.reason]),
      [['revoked', 'it-admin@example.com', 'left the project']],
    );
  });

  it('given the same Idempotency-Key, when a held extension is posted while it runs and after it finished, then every answer is the one update and it applied once', async () => {
    const ticketId = newTicketId();
    const handle = await startHeldFixture(ticketId);
    const key = uniqueId('extend');
    const body = { endAt: '2030-06-30T17:00:00Z', requestedBy: 'it-admin@example.com' };

    const first = await post(api, `/requests/tickets/${ticketId}/extend`, body, { 'idempotency-key': key });
    assert.equal(first.status, 202);
    const accepted = (await first.json()) as Accepted;
    assert.equal(accepted.updateId, key);

    const again = await post(api, `/requests/tickets/${ticketId}/extend`, body, { 'idempotency-key': key });
    assert.equal(again.status, 202);
    assert.deepEqual(await again.json(), accepted);

    await handle.signal(releaseUpdatesSignal, {});
    const done = await followUntilDone(accepted.follow.update);
    assert.equal(done.status, 200);
    const expected = { status: 'extended', endAt: '2030-06-30T17:00:00Z' };
    assert.deepEqual(((await done.json()) as Done).result, expected);

    const late = await post(api, `/requests/tickets/${ticketId}/extend`, body, { 'idempotency-key': key });
    assert.equal(late.status, 200);
    assert.deepEqual(await late.json(), {
      workflowId: accepted.workflowId,
      update: 'extendAccess',
      result: expected,
    });
    const state = (await handle.query(stateQuery)) as AdminFixtureState;
    assert.equal(state.endAt, '2030-06-30T17:00:00Z');
    assert.equal(state.decisions.filter((d) => d.decision === 'extended').length, 1, 'applied once');
  });

  it('given a held decision that then fails, when followed, then the update route answers 409 with the reason', async () => {
    const ticketId = newTicketId();
    const handle = await startHeldFixture(ticketId, { pendingLevels: 1 });
    const res = await post(api, `/requests/tickets/${ticketId}/decision`, {
      decision: 'approved',
      approver: 'manager@example.com',
    });
    assert.equal(res.status, 202);
    const accepted = (await res.json()) as Accepted;
    assert.equal(accepted.update, 'recordDecision');

    await handle.signal(releaseUpdatesSignal, { failWith: 'the approval was withdrawn in Freshservice' });
    const failed = await followUntilDone(accepted.follow.update);
    assert.equal(failed.status, 409);
    const err = (await failed.json()) as ErrorBody;
    assert.equal(err.error.code, 'CONFLICT');
    assert.match(err.error.message, /approval was withdrawn/);
    assert.equal(((await handle.query(stateQuery)) as AdminFixtureState).status, 'pending-approval');
  });

  it('given a validator that refuses, when posted with the short wait, then it is still 409 at once, not 202', async () => {
    const ticketId = newTicketId();
    await startHeldFixture(ticketId);
    const res = await post(api, `/requests/tickets/${ticketId}/extend`, {
      endAt: '2029-01-01T00:00:00Z',
      requestedBy: 'it-admin@example.com',
    });
    assert.equal(res.status, 409);
    assert.match(((await res.json()) as ErrorBody).error.message, /endAt must be later/);
  });

  it('given an update id the workflow never accepted, or no workflow, when followed, then 404', async () => {
    const ticketId = newTicketId();
    await startHeldFixture(ticketId);
    const unknown = await get(api, `/admin/requests/tickets/${ticketId}/updates/${uniqueId('never')}`);
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as ErrorBody).error.message, /No update never-\w+ on the access/);

    const none = await get(api, `/admin/requests/tickets/${newTicketId()}/updates/any-id`);
    assert.equal(none.status, 404);
    assert.match(((await none.json()) as ErrorBody).error.message, /No access workflow for ticket/);

    const bad = await get(api, `/admin/requests/tickets/${ticketId}/updates/${'x'.repeat(129)}`);
    assert.equal(bad.status, 400);
  });

  it('given no worker serves the workflow, when an update is posted, then 503 as nothing accepted it, and a retry with the same key once a worker runs applies it once', async () => {
    const env = await testEnv();
    const strict = await startAdminApi(env.address, {
      ...SHORT_WAITS,
      accept: { rpcMs: 500, budgetMs: 1000 },
    });
    const lateQueues = uniqueTaskQueues('admin-late');
    let lateWorker: TestWorker | undefined;
    try {
      const ticketId = newTicketId();
      const workflowId = catalogAccessWorkflowId(ticketId);
      const handle = await client.workflow.start(adminFixtureAccess, {
        workflowId,
        taskQueue: lateQueues.workflows,
        args: [{ ticketId, endAt: END, pendingLevels: 0 }],
      });
      started.push(workflowId);
      const key = uniqueId('cancel');
      const res = await post(
        strict,
        `/requests/tickets/${ticketId}/cancel`,
        { requestedBy: 'a@example.com' },
        {
          'idempotency-key': key,
        },
      );
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '5');
      assert.match(((await res.json()) as ErrorBody).error.message, /not accepted within 1000 ms/);

      lateWorker = await startTestWorker({ taskQueues: lateQueues, activities: {}, env });
      // The retry waits as long as the API does by default: a worker just started may take seconds.
      const retried = await post(
        api,
        `/requests/tickets/${ticketId}/cancel`,
        { requestedBy: 'a@example.com' },
        {
          'idempotency-key': key,
        },
      );
      assert.equal(retried.status, 200);
      assert.deepEqual(((await retried.json()) as Done).result, { status: 'revoked', at: END });
      const final = await handle.result();
      assert.equal(final.decisions.filter((d) => d.decision === 'revoked').length, 1, 'applied once');
    } finally {
      await strict.close();
      await lateWorker?.stop();
    }
  });

  it('given Temporal is unreachable, when an update is posted or followed, then 503 with Retry-After, not 202', async () => {
    const down = await startAdminApi(`127.0.0.1:${await getFreePort()}`, {
      ...SHORT_WAITS,
      accept: { rpcMs: 500, budgetMs: 1000 },
    });
    try {
      const res = await post(down, '/requests/tickets/42/cancel', { requestedBy: 'a@example.com' });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '5');
      assert.equal(((await res.json()) as ErrorBody).error.code, 'TEMPORAL_UNAVAILABLE');

      const follow = await get(down, '/admin/requests/tickets/42/updates/some-update');
      assert.equal(follow.status, 503);
      assert.equal(follow.headers.get('retry-after'), '5');
    } finally {
      await down.close();
    }
  });
});
