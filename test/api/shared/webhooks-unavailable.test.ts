// Proves that while Temporal is unreachable the webhooks answer 503 with Retry-After, so senders retry
// instead of losing the event; admin routes answer the same way. Uses a Temporal server of its own, stopped
// mid-test. That the answer comes before Okta's 3 s timeout is a bound proven on a mocked clock
// (test/unit/temporal-deadline.test.ts), and against a hung server in test/api/shared/temporal-hang.test.ts,
// never by timing a loaded machine here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { RunningApi } from '../../../src/api/server';
import { FRESHSERVICE_WEBHOOK_SECRET_HEADER } from '../../../src/integrations/freshservice/webhook-template';
import { startTestApi, TEST_SECRETS } from '../../helpers/api';
import { createLocalTestEnv, uniqueId } from '../../helpers/temporal';

const oktaDelivery = (requestId: string) => ({
  eventType: 'com.okta.event_hook',
  eventId: uniqueId('hook'),
  data: {
    events: [
      {
        uuid: uniqueId('evt'),
        eventType: 'access.request.create',
        published: new Date().toISOString(),
        target: [{ id: requestId, type: 'AccessRequest', alternateId: null, displayName: null }],
      },
    ],
  },
});

describe('webhooks while Temporal is unreachable', () => {
  let env: TestWorkflowEnvironment;
  let api: RunningApi;
  let stopped = false;

  const postOkta = () =>
    fetch(`${api.url}/webhooks/okta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: TEST_SECRETS.OKTA_WEBHOOK_SECRET },
      body: JSON.stringify(oktaDelivery(uniqueId('req'))),
    });

  before(async () => {
    env = await createLocalTestEnv();
    api = await startTestApi(env.address, { TEMPORAL_TASK_QUEUE: uniqueId('down-tq') });
  });
  after(async () => {
    await api.close();
    if (!stopped) await env.teardown();
  });

  it('given Temporal is up, when Okta delivers, then it answers 200', async () => {
    const res = await postOkta();
    assert.equal(res.status, 200);
  });

  it('given Temporal is stopped, when Okta delivers, then it answers 503 with Retry-After', async () => {
    await env.teardown();
    stopped = true;
    const res = await postOkta();
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'TEMPORAL_UNAVAILABLE');
  });

  it('given Temporal is stopped, when Freshservice delivers, then it answers 503 with Retry-After', async () => {
    const res = await fetch(`${api.url}/webhooks/freshservice`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [FRESHSERVICE_WEBHOOK_SECRET_HEADER]: TEST_SECRETS.FRESHSERVICE_WEBHOOK_SECRET,
      },
      body: JSON.stringify({
        event: 'ticket_updated',
        ticket_id: 'SR-42',
        updated_at: '2030-01-01T00:00:00Z',
      }),
    });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
  });

  it('given Temporal is stopped, when an admin reads a request, then it answers 503 with Retry-After', async () => {
    const res = await fetch(`${api.url}/admin/requests/tickets/42`, {
      headers: { authorization: `Bearer ${TEST_SECRETS.ADMIN_API_TOKEN}` },
    });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
  });

  it('given Temporal is stopped, when a delivery fails auth or validation, then it still answers 4xx', async () => {
    const unauth = await fetch(`${api.url}/webhooks/okta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(oktaDelivery('r1')),
    });
    assert.equal(unauth.status, 401);
    const invalid = await fetch(`${api.url}/webhooks/okta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: TEST_SECRETS.OKTA_WEBHOOK_SECRET },
      body: JSON.stringify({ eventType: 'com.okta.event_hook', data: {} }),
    });
    assert.equal(invalid.status, 400);
    assert.equal(((await invalid.json()) as { error: { field: string } }).error.field, 'data.events');
  });
});
