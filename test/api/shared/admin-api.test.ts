// Proves the /admin routes over real HTTP against the real Temporal server: bearer auth, the disabled
// state, reading a request's workflow and state, and updates on a ticket's access workflow (a fixture
// workflow registering the product's update definitions): 200 with the result, 409 with the validator's
// reason, 409 once the workflow has closed, 404 when there is none. The refusals the product's own
// workflows give are proven in test/api/catalog-access/admin-product-conflicts.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ticketWorkflowId } from '../../../src/workflows/ticket-router/contract';
import { stateQuery } from '../../../src/workflows/shared/contract';
import { type AdminFixtureState } from '../../fixtures/admin-fixture-workflows';
import {
  ADMIN_AUTH as AUTH,
  adminOverFixture,
  FIXTURE_END as END,
  type ErrorBody,
} from '../../helpers/admin-driver';
import { startTestApi, TEST_SECRETS } from '../../helpers/api';
import { testEnv, uniqueId } from '../../helpers/temporal';

describe('admin API', () => {
  const { get, post, newTicketId, startFixture } = adminOverFixture({
    queuePrefix: 'admin',
    firstTicket: 800_000_000,
  });

  it('given no, a wrong or a non-bearer token, when an admin route is called, then it answers 401', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-0000000000000' },
      { authorization: TEST_SECRETS.ADMIN_API_TOKEN },
      { authorization: `Basic ${Buffer.from(`admin:${TEST_SECRETS.ADMIN_API_TOKEN}`).toString('base64')}` },
    ] as Record<string, string>[]) {
      const res = await get('/requests/okta/req1', headers);
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as ErrorBody).error.code, 'UNAUTHORIZED');
    }
    const update = await post(
      '/requests/tickets/1/cancel',
      { requestedBy: 'x' },
      { authorization: 'Bearer nope' },
    );
    assert.equal(update.status, 401);
  });

  it('given ADMIN_API_TOKEN is unset, when an admin route is called, then it answers 404 even with a token', async () => {
    const env = await testEnv();
    const disabled = await startTestApi(env.address, { ADMIN_API_TOKEN: '' });
    try {
      const res = await fetch(`${disabled.url}/admin/requests/okta/req1`, { headers: AUTH });
      assert.equal(res.status, 404);
      assert.match(((await res.json()) as ErrorBody).error.message, /admin API is not enabled/);
    } finally {
      await disabled.close();
    }
  });

  it('given no workflow for a request or ticket, when its state is read, then it answers 404', async () => {
    const okta = await get(`/requests/okta/${uniqueId('req')}`);
    assert.equal(okta.status, 404);
    const ticket = await get(`/requests/tickets/${newTicketId()}`);
    assert.equal(ticket.status, 404);
    assert.match(((await ticket.json()) as ErrorBody).error.message, /No workflow for ticket \d+/);
  });

  it('given a malformed ticket id, when its state is read, then the 400 names ticketId', async () => {
    const res = await get('/requests/tickets/not-a-ticket');
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as ErrorBody).error.field, 'ticketId');
  });

  it('given a running access workflow, when the ticket is read by its SR- id, then its id, run, status and state answer', async () => {
    const ticketId = newTicketId();
    const handle = await startFixture(ticketId);
    const res = await get(`/requests/tickets/SR-${ticketId}`);
    assert.equal(res.status, 200);
    const view = (await res.json()) as {
      workflowId: string;
      runId: string;
      type: string;
      status: string;
      state: AdminFixtureState;
    };
    assert.equal(view.workflowId, `fs-ticket:${ticketId}:access`);
    assert.equal(view.runId, handle.firstExecutionRunId);
    assert.equal(view.type, 'adminFixtureAccess');
    assert.equal(view.status, 'RUNNING');
    assert.equal(view.state.status, 'granted');
    assert.equal(view.state.endAt, END);
  });

  it('given only the ticket router workflow, when the ticket is read, then the router answers', async () => {
    const ticketId = newTicketId();
    await startFixture(ticketId, { workflowId: ticketWorkflowId(ticketId) });
    const res = await get(`/requests/tickets/${ticketId}`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { workflowId: string }).workflowId, `fs-ticket:${ticketId}`);
  });

  it('given an Okta request workflow, when it is read, then its state answers', async () => {
    const requestId = uniqueId('req');
    await startFixture(1, { workflowId: `okta-request:${requestId}` });
    const res = await get(`/requests/okta/${requestId}`);
    assert.equal(res.status, 200);
    const view = (await res.json()) as { workflowId: string; state: AdminFixtureState };
    assert.equal(view.workflowId, `okta-request:${requestId}`);
    assert.equal(view.state.status, 'granted');
  });

  it('given granted access, when an admin extends it, then 200 answers the new end and the workflow holds it', async () => {
    const ticketId = newTicketId();
    const handle = await startFixture(ticketId);
    const res = await post(`/requests/tickets/${ticketId}/extend`, {
      endAt: '2030-03-01T17:00:00Z',
      requestedBy: 'it-admin@example.com',
      reason: 'project extended',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      workflowId: `fs-ticket:${ticketId}:access`,
      update: 'extendAccess',
      result: { status: 'extended', endAt: '2030-03-01T17:00:00Z' },
    });
    const state = (await handle.query(stateQuery)) as AdminFixtureState;
    assert.equal(state.endAt, '2030-03-01T17:00:00Z');
    assert.equal(state.decisions[0]?.by, 'it-admin@example.com');
  });

  it('given an extension the validator refuses, when requested, then 409 carries its reason and nothing changes', async () => {
    const ticketId = newTicketId();
    const handle = await startFixture(ticketId);
    const res = await post(`/requests/tickets/${ticketId}/extend`, {
      endAt: '2029-01-01T00:00:00Z',
      requestedBy: 'it-admin@example.com',
    });
    assert.equal(res.status, 409);
    const body = (await res.json()) as ErrorBody;
    assert.equal(body.error.code, 'CONFLICT');
    assert.match(body.error.message, /endAt must be later than the current end/);
    assert.equal(((await handle.query(stateQuery)) as AdminFixtureState).endAt, END);

    const decision = await post(`/requests/tickets/${ticketId}/decision`, {
      decision: 'approved',
      approver: 'mgr@example.com',
    });
    assert.equal(decision.status, 409);
    assert.match(((await decision.json()) as ErrorBody).error.message, /no approval is pending/);
  });

  it('given a pending approval, when an admin records a decision, then 200 answers the level decided', async () => {
    const ticketId = newTicketId();
    const handle = await startFixture(ticketId, { pendingLevels: 1 });
    const res = await post(`/requests/tickets/INC-${ticketId}/decision`, {
      decision: 'approved',
      approver: 'manager@example.com',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as { result: unknown }).result, { status: 'recorded', level: 1 });
    assert.equal(((await handle.query(stateQuery)) as AdminFixtureState).status, 'granted');
  });

  it('given the same Idempotency-Key twice, when extending, then the second call answers the first result', async () => {
    const ticketId = newTicketId();
    await startFixture(ticketId);
    const key = uniqueId('extend');
    const first = await post(
      `/requests/tickets/${ticketId}/extend`,
      { endAt: '2030-02-01T00:00:00Z', requestedBy: 'a@example.com' },
      { 'idempotency-key': key },
    );
    assert.equal(first.status, 200);
    const second = await post(
      `/requests/tickets/${ticketId}/extend`,
      { endAt: '2030-02-01T00:00:00Z', requestedBy: 'a@example.com' },
      { 'idempotency-key': key },
    );
    assert.equal(second.status, 200);
    assert.deepEqual(((await second.json()) as { result: unknown }).result, {
      status: 'extended',
      endAt: '2030-02-01T00:00:00Z',
    });
  });

  it('given granted access, when cancelled, then 200 answers revoked and later updates are 409 as the workflow closed', async () => {
    const ticketId = newTicketId();
    const handle = await startFixture(ticketId);
    const res = await post(`/requests/tickets/${ticketId}/cancel`, { requestedBy: 'it-admin@example.com' });
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as { result: unknown }).result, { status: 'revoked', at: END });
    assert.equal((await handle.result()).status, 'revoked');

    const late = await post(`/requests/tickets/${ticketId}/extend`, {
      endAt: '2031-01-01T00:00:00Z',
      requestedBy: 'a@example.com',
    });
    assert.equal(late.status, 409);
    assert.match(((await late.json()) as ErrorBody).error.message, /is COMPLETED/);
  });

  it('given no access workflow, when an update is requested, then it answers 404', async () => {
    const res = await post(`/requests/tickets/${newTicketId()}/cancel`, {
      requestedBy: 'it-admin@example.com',
    });
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as ErrorBody).error.message, /No access workflow for ticket/);
  });

  it('given invalid update bodies, when posted, then the 400 names the field', async () => {
    const ticketId = newTicketId();
    for (const [path, body, field] of [
      ['extend', { endAt: 'next tuesday', requestedBy: 'a@example.com' }, 'endAt'],
      ['extend', { endAt: END }, 'requestedBy'],
      ['decision', { decision: 'maybe', approver: 'a' }, 'decision'],
      ['cancel', { requestedBy: '  ' }, 'requestedBy'],
      ['cancel', { requestedBy: 'a@example.com', extra: 1 }, '(body)'],
    ] as const) {
      const res = await post(`/requests/tickets/${ticketId}/${path}`, body);
      assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}`);
      assert.equal(((await res.json()) as ErrorBody).error.field, field);
    }
  });
});
