// Proves that a slow but healthy admin operation is not an outage (issue #10): an update the workflow
// accepted whose handler outlives the API's wait answers 202 with where to follow it, the update route
// answers 202 until the handler finishes and then its result, and a resent Idempotency-Key attaches to
// the same update; 503 stays for a Temporal (or worker) that does not answer. The admin router runs over
// real HTTP with waits of a few hundred ms, against the fixture workflow whose handlers wait for a signal.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminUpdateWaits } from '../../../src/api/admin';
import { stateQuery } from '../../../src/workflows/shared/contract';
import { releaseUpdatesSignal, type AdminFixtureState } from '../../fixtures/admin-fixture-workflows';
import {
  adminHttp,
  adminOverFixture,
  FIXTURE_END as END,
  startAdminRouter,
  type ErrorBody,
} from '../../helpers/admin-driver';
import { getFreePort } from '../../helpers/ports';
import {
  startTestWorker,
  testEnv,
  uniqueId,
  uniqueTaskQueues,
  type TestWorker,
} from '../../helpers/temporal';

/**
 * A POST waits 300 ms for the result, which a held handler outlives; acceptance and the update route's
 * poll keep the API's own waits, so a loaded machine cannot turn a 404 or a 503 into a 202.
 */
const SHORT_WAITS: Partial<AdminUpdateWaits> = { resultMs: 300 };

type Follow = { state: string; update: string; temporalUi?: string };
type Accepted = { status: string; workflowId: string; update?: string; updateId: string; follow: Follow };
type Done = { workflowId: string; update?: string; updateId?: string; result: unknown };

describe('admin updates that outlive the API wait', () => {
  // The admin router alone, so the POST's wait can be short.
  const { post, follow, untilDone, newTicketId, startFixture } = adminOverFixture({
    queuePrefix: 'admin-slow',
    updateWaits: SHORT_WAITS,
  });
  const startHeldFixture = (ticketId: number, opts: { pendingLevels?: number } = {}) =>
    startFixture(ticketId, { ...opts, holdUpdates: true });

  it('given a cancel whose handler outlives the wait, when posted, then 202 says where to follow it, and the update route answers 202 until it finishes, then 200 with the result', async () => {
    const ticketId = newTicketId();
    const handle = await startHeldFixture(ticketId);
    const workflowId = `fs-ticket:${ticketId}:access`;

    const res = await post(`/requests/tickets/SR-${ticketId}/cancel`, {
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

    const running = await follow(accepted.follow.update);
    assert.equal(running.status, 202);
    assert.deepEqual(await running.json(), {
      status: 'accepted',
      workflowId,
      updateId: accepted.updateId,
      follow: accepted.follow,
    });
    const state = (await (await follow(accepted.follow.state)).json()) as { state: AdminFixtureState };
    assert.equal(state.state.status, 'granted', 'not revoked before the handler finishes');

    await handle.signal(releaseUpdatesSignal, {});
    const done = await untilDone(accepted.follow.update);
    assert.equal(done.status, 200);
    assert.deepEqual(await done.json(), {
      workflowId,
      updateId: accepted.updateId,
      result: { status: 'revoked', at: END },
    });
    const final = await handle.result();
    assert.equal(final.status, 'revoked');
    // The outcome survives the close: the update route and a resent POST (the updateId as its key) answer it.
    const afterClose = await follow(accepted.follow.update);
    assert.equal(afterClose.status, 200);
    assert.deepEqual(((await afterClose.json()) as Done).result, { status: 'revoked', at: END });
    const resent = await post(
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

    const first = await post(`/requests/tickets/${ticketId}/extend`, body, { 'idempotency-key': key });
    assert.equal(first.status, 202);
    const accepted = (await first.json()) as Accepted;
    assert.equal(accepted.updateId, key);

    const again = await post(`/requests/tickets/${ticketId}/extend`, body, { 'idempotency-key': key });
    assert.equal(again.status, 202);
    assert.deepEqual(await again.json(), accepted);

    await handle.signal(releaseUpdatesSignal, {});
    const done = await untilDone(accepted.follow.update);
    assert.equal(done.status, 200);
    const expected = { status: 'extended', endAt: '2030-06-30T17:00:00Z' };
    assert.deepEqual(((await done.json()) as Done).result, expected);

    const late = await post(`/requests/tickets/${ticketId}/extend`, body, { 'idempotency-key': key });
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
    const res = await post(`/requests/tickets/${ticketId}/decision`, {
      decision: 'approved',
      approver: 'manager@example.com',
    });
    assert.equal(res.status, 202);
    const accepted = (await res.json()) as Accepted;
    assert.equal(accepted.update, 'recordDecision');

    await handle.signal(releaseUpdatesSignal, { failWith: 'the approval was withdrawn in Freshservice' });
    const failed = await untilDone(accepted.follow.update);
    assert.equal(failed.status, 409);
    const err = (await failed.json()) as ErrorBody;
    assert.equal(err.error.code, 'CONFLICT');
    assert.match(err.error.message, /approval was withdrawn/);
    assert.equal(((await handle.query(stateQuery)) as AdminFixtureState).status, 'pending-approval');
  });

  it('given a validator that refuses, when posted with the short wait, then it is still 409 at once, not 202', async () => {
    const ticketId = newTicketId();
    await startHeldFixture(ticketId);
    const res = await post(`/requests/tickets/${ticketId}/extend`, {
      endAt: '2029-01-01T00:00:00Z',
      requestedBy: 'it-admin@example.com',
    });
    assert.equal(res.status, 409);
    assert.match(((await res.json()) as ErrorBody).error.message, /endAt must be later/);
  });

  it('given an update id the workflow never accepted, or no workflow, when followed, then 404', async () => {
    const ticketId = newTicketId();
    await startHeldFixture(ticketId);
    const unknown = await follow(`/admin/requests/tickets/${ticketId}/updates/${uniqueId('never')}`);
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as ErrorBody).error.message, /No update never-\w+ on the access/);

    const none = await follow(`/admin/requests/tickets/${newTicketId()}/updates/any-id`);
    assert.equal(none.status, 404);
    assert.match(((await none.json()) as ErrorBody).error.message, /No access workflow for ticket/);

    const bad = await follow(`/admin/requests/tickets/${ticketId}/updates/${'x'.repeat(129)}`);
    assert.equal(bad.status, 400);
  });

  it('given no worker serves the workflow, when an update is posted, then 503 as nothing accepted it, and a retry with the same key once a worker runs applies it once', async () => {
    const env = await testEnv();
    const strict = await startAdminRouter(env.address, {
      ...SHORT_WAITS,
      accept: { rpcMs: 500, budgetMs: 1000 },
    });
    const lateQueues = uniqueTaskQueues('admin-late');
    let lateWorker: TestWorker | undefined;
    try {
      const ticketId = newTicketId();
      const handle = await startFixture(ticketId, { taskQueue: lateQueues.workflows });
      const key = uniqueId('cancel');
      const res = await adminHttp(() => strict).post(
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
    const down = await startAdminRouter(`127.0.0.1:${await getFreePort()}`, {
      ...SHORT_WAITS,
      accept: { rpcMs: 500, budgetMs: 1000 },
    });
    try {
      const res = await adminHttp(() => down).post('/requests/tickets/42/cancel', {
        requestedBy: 'a@example.com',
      });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '5');
      assert.equal(((await res.json()) as ErrorBody).error.code, 'TEMPORAL_UNAVAILABLE');

      const follow = await adminHttp(() => down).follow('/admin/requests/tickets/42/updates/some-update');
      assert.equal(follow.status, 503);
      assert.equal(follow.headers.get('retry-after'), '5');
    } finally {
      await down.close();
    }
  });
});
