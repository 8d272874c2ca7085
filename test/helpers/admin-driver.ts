// One setup and one set of operator calls for the admin API tests, so each file states only its options and
// its assertions: the API over real HTTP with the admin token, in front of either the product's workflows
// (both sandboxes and a product worker) or the fixture workflow that registers the product's updates.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pinoHttp } from 'pino-http';
import type { Client } from '@temporalio/client';
import { createAdminRouter, type AdminUpdateWaits } from '../../src/api/admin';
import { createErrorMiddleware } from '../../src/api/errors';
import { createTemporalGateway } from '../../src/api/temporal-gateway';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { catalogAccessWorkflowId } from '../../src/workflows/catalog-access/contract';
import { adminFixtureAccess } from '../fixtures/admin-fixture-workflows';
import { startTestApi, TEST_SECRETS } from './api';
import { catalogDriver } from './catalog-driver';
import { peopleMaker, uniqueEmail } from './people';
import { startTestStack, type TestStack } from './stack';
import { startTestWorker, TEST_NAMESPACE, testEnv, uniqueTaskQueues, type TestWorker } from './temporal';
import { waitFor } from './wait';

export const ADMIN_AUTH = { authorization: `Bearer ${TEST_SECRETS.ADMIN_API_TOKEN}` };
/** The end of the fixture workflow's grant. */
export const FIXTURE_END = '2030-01-31T17:00:00.000Z';

export type AdminAction = 'decision' | 'cancel' | 'extend';
export type ErrorBody = { error: { code: string; message: string; field?: string; documentation?: string } };
export type Applied = { workflowId: string; update: string; result: Record<string, unknown> };
export type AdminView<S> = { workflowId: string; type: string; status: string; state: S };
type Accepted = { follow: { update: string } };

/** Anything serving the admin routes under `/admin`: the whole API or the admin router alone. */
export type AdminEndpoint = { url: string; close(): Promise<void> };

/** The calls an operator makes; `getApi` is read on each call, so it can be made before the API starts. */
export function adminHttp(getApi: () => AdminEndpoint) {
  /** GET a route under /admin; `headers` replace the admin token (for the auth checks). */
  const get = (path: string, headers: Record<string, string> = ADMIN_AUTH) =>
    fetch(`${getApi().url}/admin${path}`, { headers });
  /** GET a link the API answered with (`follow.update`, `follow.state`: already under /admin). */
  const follow = (link: string) => fetch(new URL(link, getApi().url), { headers: ADMIN_AUTH });
  /** POST a JSON body to a route under /admin; `headers` add to (or replace) the admin token's. */
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${getApi().url}/admin${path}`, {
      method: 'POST',
      headers: { ...ADMIN_AUTH, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  /** POST an action on a ticket's access, with an Idempotency-Key when given. */
  const act = (ticketId: number, action: AdminAction, body: unknown, idempotencyKey?: string) =>
    post(
      `/requests/tickets/${ticketId}/${action}`,
      body,
      idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
    );

  /** Reads `/admin/requests/<path>` and expects 200. */
  async function read<S>(path: string): Promise<AdminView<S>> {
    const res = await get(`/requests/${path}`);
    const text = await res.text();
    assert.equal(res.status, 200, `GET ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as AdminView<S>;
  }
  /** Posts an action and expects 200; answers the whole body. */
  async function update(
    ticketId: number,
    action: AdminAction,
    body: unknown,
    idempotencyKey?: string,
  ): Promise<Applied> {
    const res = await act(ticketId, action, body, idempotencyKey);
    const text = await res.text();
    assert.equal(res.status, 200, `${action} ${JSON.stringify(body)} answered ${res.status}: ${text}`);
    return JSON.parse(text) as Applied;
  }
  /** Posts an action and expects 200; answers the update's result. */
  const applied = async (ticketId: number, action: AdminAction, body: unknown) =>
    (await update(ticketId, action, body)).result;
  /** Posts an action and expects 409 CONFLICT; answers the reason. */
  async function refused(ticketId: number, action: AdminAction, body: unknown): Promise<string> {
    const res = await act(ticketId, action, body);
    const text = await res.text();
    assert.equal(res.status, 409, `${action} ${JSON.stringify(body)} answered ${res.status}: ${text}`);
    const parsed = JSON.parse(text) as ErrorBody;
    assert.equal(parsed.error.code, 'CONFLICT');
    return parsed.error.message;
  }
  /** Posts an action; the update's result, following a 202 until the handler has finished. */
  async function settled<R>(ticketId: number, action: AdminAction, body: unknown): Promise<R> {
    const res = await act(ticketId, action, body);
    const text = await res.text();
    if (res.status === 200) return (JSON.parse(text) as { result: R }).result;
    assert.equal(res.status, 202, `${action} answered ${res.status}: ${text}`);
    const link = (JSON.parse(text) as Accepted).follow.update;
    let result: R | undefined;
    await waitFor(async () => {
      const r = await follow(link);
      if (r.status === 202) return false;
      const t = await r.text();
      assert.equal(r.status, 200, `following the ${action} answered ${r.status}: ${t}`);
      result = (JSON.parse(t) as { result: R }).result;
      return true;
    }, `the ${action} update to finish`);
    return result!;
  }
  /** Polls an update link until it stops answering 202, and returns that answer. */
  async function untilDone(link: string): Promise<Response> {
    let last: Response | undefined;
    await waitFor(async () => {
      last = await follow(link);
      if (last.status === 202) {
        await last.body?.cancel();
        return false;
      }
      return true;
    }, `${link} to finish`);
    assert.ok(last);
    return last;
  }

  return { get, follow, post, act, read, update, applied, refused, settled, untilDone };
}

/** The admin router alone over real HTTP, with the update waits a test chooses. */
export async function startAdminRouter(
  temporalAddress: string,
  updateWaits: Partial<AdminUpdateWaits>,
): Promise<AdminEndpoint> {
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

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not started: use it inside a test`);
  return value;
}

/**
 * Call inside `describe`: the real API in front of the product's workflows (both sandboxes, a product
 * worker), started before the suite and stopped after it. `stackEnv` tweaks the stack's config (policy
 * file, tenant), `apiEnv` the API's.
 */
export function adminOverProduct(
  opts: { stackEnv?: Record<string, string>; apiEnv?: Record<string, string> } = {},
) {
  let stack: TestStack | undefined;
  let api: AdminEndpoint | undefined;
  const getStack = () => started(stack, 'the test stack');
  const people = peopleMaker(getStack);

  before(async () => {
    stack = await startTestStack(opts.stackEnv);
    api = await startTestApi((await testEnv()).address, {
      TEMPORAL_TASK_QUEUE: stack.taskQueues.workflows,
      ...opts.apiEnv,
    });
  });
  after(async () => {
    await api?.close();
    await stack?.stop();
  });

  /** A fresh person in both sandboxes, reporting to Margaret Hamilton. */
  async function person(prefix: string) {
    const email = uniqueEmail(prefix);
    await people.requester(email);
    await people.oktaAccount({ login: email, email });
    return email;
  }

  return {
    get stack() {
      return getStack();
    },
    d: catalogDriver(getStack),
    people,
    person,
    ...adminHttp(() => started(api, 'the admin API')),
  };
}

export type FixtureOptions = {
  /** Approval levels still pending (0: granted). */
  pendingLevels?: number;
  /** Handlers, once accepted, wait for `releaseUpdatesSignal`. */
  holdUpdates?: boolean;
  /** Defaults to the ticket's access workflow id. */
  workflowId?: string;
  /** Defaults to the suite worker's queue; another queue has no worker until the test starts one. */
  taskQueue?: string;
};

/**
 * Call inside `describe`: the API in front of the fixture workflow (a worker with no activities), started
 * before the suite and stopped after it, terminating every fixture it started. With `updateWaits` the API
 * is the admin router alone with those waits. Ticket ids start at a random point above `firstTicket`, as
 * workflow ids are business keys on the server all test files share.
 */
export function adminOverFixture(opts: {
  queuePrefix: string;
  firstTicket?: number;
  updateWaits?: Partial<AdminUpdateWaits>;
}) {
  let client: Client | undefined;
  let api: AdminEndpoint | undefined;
  let worker: TestWorker | undefined;
  const taskQueues = uniqueTaskQueues(opts.queuePrefix);
  const workflowIds: string[] = [];
  let nextTicket = (opts.firstTicket ?? 700_000_000) + Math.floor(Math.random() * 100_000_000);
  const getClient = () => started(client, 'the Temporal client');

  before(async () => {
    const env = await testEnv();
    client = env.client;
    worker = await startTestWorker({ taskQueues, activities: {}, env });
    api = opts.updateWaits
      ? await startAdminRouter(env.address, opts.updateWaits)
      : await startTestApi(env.address, { TEMPORAL_TASK_QUEUE: taskQueues.workflows });
  });
  after(async () => {
    await Promise.allSettled(
      workflowIds.map((id) => getClient().workflow.getHandle(id).terminate('test done')),
    );
    await api?.close();
    await worker?.stop();
  });

  /** Starts the fixture access workflow for a ticket, granted until FIXTURE_END unless levels are pending. */
  async function startFixture(ticketId: number, fixture: FixtureOptions = {}) {
    const workflowId = fixture.workflowId ?? catalogAccessWorkflowId(ticketId);
    const handle = await getClient().workflow.start(adminFixtureAccess, {
      workflowId,
      taskQueue: fixture.taskQueue ?? taskQueues.workflows,
      args: [
        {
          ticketId,
          endAt: FIXTURE_END,
          pendingLevels: fixture.pendingLevels ?? 0,
          ...(fixture.holdUpdates ? { holdUpdates: true } : {}),
        },
      ],
    });
    workflowIds.push(workflowId);
    return handle;
  }

  return {
    get api() {
      return started(api, 'the admin API');
    },
    newTicketId: () => ++nextTicket,
    startFixture,
    ...adminHttp(() => started(api, 'the admin API')),
  };
}
