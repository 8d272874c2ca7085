// Temporal that hangs rather than stops (issue #12 B.8): the real API talks to the shared dev server through
// a TCP proxy that, paused, keeps every connection open and forwards nothing, so calls get no answer at all
// (a stopped server refuses at once; webhooks-unavailable.test.ts covers that). Webhooks, readiness and the
// admin routes must still answer 503 with Retry-After within their deadlines (webhooks inside Okta's 3 s),
// never wait on a call that will not return, and recover once Temporal answers again. Bounds are each
// deadline plus a margin for a loaded two-core machine: they prove no call waited unbounded, not speed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import type { RunningApi } from '../../../src/api/server';
import {
  ADMIN_READ_DEADLINE,
  ADMIN_UPDATE_DEADLINE,
  WEBHOOK_DEADLINE,
} from '../../../src/api/temporal-errors';
import { FRESHSERVICE_WEBHOOK_SECRET_HEADER } from '../../../src/integrations/freshservice/webhook-template';
import { oktaRequestWorkflowId } from '../../../src/workflows/okta-access-request/contract';
import { startTestApi, TEST_SECRETS } from '../../helpers/api';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy';
import { testEnv, uniqueId } from '../../helpers/temporal';
import { waitFor } from '../../helpers/wait';

/** What a busy machine may add to a deadline before the answer is on the wire. */
const MARGIN_MS = 2500;
/** Readiness pings with its own 1.5 s deadline (src/api/temporal-gateway.ts). */
const READY_PING_MS = 1500;

const ADMIN = { authorization: `Bearer ${TEST_SECRETS.ADMIN_API_TOKEN}` };

type ErrorBody = { error: { code: string; message: string } };

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

/** A test that would otherwise wait on a call that never returns fails instead. */
const BOUNDED = { timeout: 30_000 };

/** The answer and how long it took. */
async function timed(call: () => Promise<Response>): Promise<{ res: Response; ms: number }> {
  const t0 = Date.now();
  const res = await call();
  return { res, ms: Date.now() - t0 };
}

describe('the API while Temporal hangs', () => {
  let client: Client;
  let proxy: TcpProxy;
  let api: RunningApi;
  const started: string[] = [];

  /** Every delivery may start its workflow (even one answered 503: the hung call can land later). */
  const postOkta = (requestId: string) => {
    started.push(oktaRequestWorkflowId(requestId));
    return fetch(`${api.url}/webhooks/okta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: TEST_SECRETS.OKTA_WEBHOOK_SECRET },
      body: JSON.stringify(oktaDelivery(requestId)),
    });
  };

  /** Asserts a 503 for an unavailable Temporal, answered within `deadlineMs` plus the margin. */
  async function assertUnavailable(what: string, answer: { res: Response; ms: number }, deadlineMs: number) {
    const { res, ms } = answer;
    const text = await res.text();
    assert.equal(res.status, 503, `${what}: ${res.status} ${text}`);
    assert.equal(res.headers.get('retry-after'), '5', what);
    assert.ok(ms < deadlineMs + MARGIN_MS, `${what} answered after ${ms} ms (deadline ${deadlineMs} ms)`);
    return text;
  }

  before(async () => {
    const env = await testEnv();
    client = env.client;
    proxy = await startTcpProxy(env.address);
    api = await startTestApi(proxy.address, { TEMPORAL_TASK_QUEUE: uniqueId('hang-tq') });
  });
  after(async () => {
    proxy.resume();
    await Promise.allSettled(started.map((id) => client.workflow.getHandle(id).terminate('test done')));
    await api.close();
    await proxy.close();
  });

  it('given Temporal answers through the proxy, when Okta delivers, then it answers 200 and the workflow starts', async () => {
    const requestId = uniqueId('req');
    const res = await postOkta(requestId);
    assert.equal(res.status, 200, await res.text());
    await client.workflow.getHandle(oktaRequestWorkflowId(requestId)).describe();
    assert.equal((await fetch(`${api.url}/readyz`)).status, 200);
  });

  it(
    'given Temporal hangs, when Okta delivers, then it answers 503 with Retry-After before Okta’s 3 s',
    BOUNDED,
    async () => {
      proxy.pause();
      const answer = await timed(() => postOkta(uniqueId('req')));
      const body = JSON.parse(
        await assertUnavailable('Okta webhook', answer, WEBHOOK_DEADLINE.budgetMs),
      ) as ErrorBody;
      assert.equal(body.error.code, 'TEMPORAL_UNAVAILABLE');
      assert.match(body.error.message, /Temporal/);
      assert.ok(proxy.heldBytes() > 0, 'the call reached the hung server and got no answer (not refused)');
    },
  );

  it(
    'given Temporal hangs, when Freshservice delivers, then it answers 503 with Retry-After in time',
    BOUNDED,
    async () => {
      const answer = await timed(() =>
        fetch(`${api.url}/webhooks/freshservice`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [FRESHSERVICE_WEBHOOK_SECRET_HEADER]: TEST_SECRETS.FRESHSERVICE_WEBHOOK_SECRET,
          },
          body: JSON.stringify({
            event: 'ticket_updated',
            ticket_id: 'SR-42',
            updated_at: new Date().toISOString(),
          }),
        }),
      );
      await assertUnavailable('Freshservice webhook', answer, WEBHOOK_DEADLINE.budgetMs);
    },
  );

  it('given Temporal hangs, when readiness is probed, then it answers 503 unreachable', BOUNDED, async () => {
    const answer = await timed(() => fetch(`${api.url}/readyz`));
    const body = JSON.parse(await assertUnavailable('readyz', answer, READY_PING_MS)) as { temporal: string };
    assert.equal(body.temporal, 'unreachable');
  });

  it(
    'given Temporal hangs, when an admin reads a request or asks for a decision, then each answers 503 with a reason within its deadline',
    BOUNDED,
    async () => {
      const read = await timed(() => fetch(`${api.url}/admin/requests/tickets/42`, { headers: ADMIN }));
      const readBody = JSON.parse(
        await assertUnavailable('admin read', read, ADMIN_READ_DEADLINE.budgetMs),
      ) as ErrorBody;
      assert.equal(readBody.error.code, 'TEMPORAL_UNAVAILABLE');

      const update = await timed(() =>
        fetch(`${api.url}/admin/requests/tickets/42/decision`, {
          method: 'POST',
          headers: { ...ADMIN, 'content-type': 'application/json' },
          body: JSON.stringify({ decision: 'approved', approver: 'radia.perlman@acme.example' }),
        }),
      );
      const updateBody = JSON.parse(
        await assertUnavailable('admin decision', update, ADMIN_UPDATE_DEADLINE.budgetMs),
      ) as ErrorBody;
      assert.equal(updateBody.error.code, 'TEMPORAL_UNAVAILABLE');
      assert.match(
        updateBody.error.message,
        /^The recordDecision update was not accepted within 8000 ms: Temporal or the workflow's worker did not answer; retry later with the same Idempotency-Key$/,
      );
    },
  );

  it(
    'given Temporal answers again, when Okta delivers, then the API is ready and the delivery starts its workflow',
    BOUNDED,
    async () => {
      proxy.resume();
      await waitFor(
        async () => (await fetch(`${api.url}/readyz`)).status === 200,
        'readiness after the hang',
      );
      const requestId = uniqueId('req');
      const res = await postOkta(requestId);
      assert.equal(res.status, 200, await res.text());
      const d = await client.workflow.getHandle(oktaRequestWorkflowId(requestId)).describe();
      assert.equal(d.status.name, 'RUNNING');
    },
  );
});
