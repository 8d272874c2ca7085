// Proves POST/GET /webhooks/okta over real HTTP against the real Temporal server: verification, auth,
// limits, a 400 only for an unusable envelope (odd events are ignored and logged, never refused), and
// that each access.request.* event reaches `okta-request:<id>` as a signal (no worker runs: the
// workflow's existence, type and signal history are the evidence).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { oktaRequestWorkflowId } from '../../../src/workflows/okta-access-request/contract';
import type { OktaRequestEvent } from '../../../src/workflows/shared/contract';
import { TEST_SECRETS } from '../../helpers/api';
import { startCapturingApi, type CapturingApi } from '../../helpers/api-capture';
import { testEnv, uniqueId } from '../../helpers/temporal';

const SECRET = TEST_SECRETS.OKTA_WEBHOOK_SECRET;

type LogEvent = {
  uuid: string;
  eventType: string;
  published: string;
  target: { id: string; type: string; alternateId: string | null; displayName: string | null }[] | null;
  debugContext?: { debugData: Record<string, unknown> };
};

function accessEvent(
  requestId: string,
  eventType = 'access.request.create',
  published = new Date().toISOString(),
): LogEvent {
  return {
    uuid: uniqueId('evt'),
    eventType,
    published,
    target: [
      { id: '00uSomeUser', type: 'User', alternateId: 'ann@example.com', displayName: 'Ann' },
      {
        id: requestId,
        type: 'AccessRequest',
        alternateId: 'Salesforce',
        displayName: 'Access request for Salesforce',
      },
    ],
    debugContext: { debugData: { requestId: 'http-request-id' } },
  };
}

/** Events as Okta might send them: odd ones included, so not typed as LogEvent. */
function envelope(events: unknown[]) {
  return {
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'https://example.okta.com/api/v1/eventHooks/who1',
    eventId: uniqueId('hook'),
    eventTime: new Date().toISOString(),
    contentType: 'application/json',
    data: { events },
  };
}

type LogLine = { level: string; msg: string; events?: unknown[]; ignoredEvents?: unknown[] };

/** The API's log lines with this message, parsed. */
const logged = (api: CapturingApi, msg: string): LogLine[] =>
  api.lines.map((l) => JSON.parse(l) as LogLine).filter((l) => l.msg === msg);

async function signalsOf(client: Client, workflowId: string): Promise<OktaRequestEvent[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const payload = e.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0];
    return payload ? [defaultPayloadConverter.fromPayload<OktaRequestEvent>(payload)] : [];
  });
}

describe('Okta event hook webhook', () => {
  let client: Client;
  let api: CapturingApi;
  const taskQueue = uniqueId('okta-hook-tq');
  const started: string[] = [];

  const post = (body: unknown, headers: Record<string, string> = { authorization: SECRET }) =>
    fetch(`${api.url}/webhooks/okta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  before(async () => {
    const env = await testEnv();
    client = env.client;
    api = await startCapturingApi(env.address, {
      TEMPORAL_TASK_QUEUE: taskQueue,
      WEBHOOK_MAX_BODY_BYTES: '4096',
    });
  });
  after(async () => {
    await Promise.allSettled(started.map((id) => client.workflow.getHandle(id).terminate('test done')));
    await api.close();
  });

  it('given the right secret, when Okta sends the verification GET, then the challenge is echoed', async () => {
    const res = await fetch(`${api.url}/webhooks/okta`, {
      headers: { authorization: SECRET, 'x-okta-verification-challenge': 'chal-123' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { verification: 'chal-123' });
  });

  it('given a wrong or missing secret, when the verification GET arrives, then it answers 401', async () => {
    for (const headers of [{ authorization: `${SECRET}x` }, {}] as Record<string, string>[]) {
      const res = await fetch(`${api.url}/webhooks/okta`, {
        headers: { ...headers, 'x-okta-verification-challenge': 'chal-123' },
      });
      assert.equal(res.status, 401);
      const body = (await res.json()) as { error: { code: string }; verification?: string };
      assert.equal(body.error.code, 'UNAUTHORIZED');
      assert.equal(body.verification, undefined);
    }
  });

  it('given an access.request.create event, when delivered, then okta-request:<id> starts with the event as a signal', async () => {
    const requestId = uniqueId('req');
    const event = accessEvent(requestId);
    const res = await post(envelope([event]));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: 1, routed: 1, ignored: 0 });

    const workflowId = oktaRequestWorkflowId(requestId);
    started.push(workflowId);
    const description = await client.workflow.getHandle(workflowId).describe();
    assert.equal(description.type, 'oktaAccessRequest');
    assert.equal(description.taskQueue, taskQueue);
    assert.equal(description.status.name, 'RUNNING');
    assert.deepEqual(await signalsOf(client, workflowId), [
      {
        uuid: event.uuid,
        eventType: 'access.request.create',
        published: event.published,
        requestId,
        source: 'event-hook',
      },
    ]);
  });

  it('given two events for one request in one delivery, when delivered, then one workflow gets both, oldest first', async () => {
    const requestId = uniqueId('req');
    const later = accessEvent(requestId, 'access.request.resolve', '2030-01-01T10:00:05.000Z');
    const earlier = accessEvent(requestId, 'access.request.create', '2030-01-01T10:00:00.000Z');
    const res = await post(envelope([later, earlier]));
    assert.deepEqual(await res.json(), { received: 2, routed: 2, ignored: 0 });

    const workflowId = oktaRequestWorkflowId(requestId);
    started.push(workflowId);
    const runs = await client.workflow.getHandle(workflowId).describe();
    assert.equal(runs.type, 'oktaAccessRequest');
    const signals = await signalsOf(client, workflowId);
    assert.deepEqual(
      signals.map((s) => s.uuid),
      [earlier.uuid, later.uuid],
    );
  });

  it('given a redelivered event, when it arrives again, then the same run gets one more signal and no second workflow starts', async () => {
    const requestId = uniqueId('req');
    const body = envelope([accessEvent(requestId)]);
    assert.equal((await post(body)).status, 200);
    const workflowId = oktaRequestWorkflowId(requestId);
    started.push(workflowId);
    const firstRun = (await client.workflow.getHandle(workflowId).describe()).runId;

    assert.equal((await post(body)).status, 200);
    const second = await client.workflow.getHandle(workflowId).describe();
    assert.equal(second.runId, firstRun);
    const signals = await signalsOf(client, workflowId);
    assert.equal(signals.length, 2);
    assert.equal(signals[0]?.uuid, signals[1]?.uuid);
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const startedEvents = (history.events ?? []).filter((e) => e.workflowExecutionStartedEventAttributes);
    assert.equal(startedEvents.length, 1);
  });

  it('given an event whose only request id is in debugData.accessRequestId, when delivered, then it is routed by that id', async () => {
    const requestId = uniqueId('req');
    const event: LogEvent = {
      ...accessEvent(requestId),
      target: null,
      debugContext: { debugData: { accessRequestId: requestId } },
    };
    const res = await post(envelope([event]));
    assert.deepEqual(await res.json(), { received: 1, routed: 1, ignored: 0 });
    started.push(oktaRequestWorkflowId(requestId));
    assert.equal((await signalsOf(client, oktaRequestWorkflowId(requestId))).length, 1);
  });

  it('given events of other types, when delivered, then they are ignored with 200 and start nothing', async () => {
    const userEvent: LogEvent = {
      uuid: uniqueId('evt'),
      eventType: 'user.session.start',
      published: new Date().toISOString(),
      target: null,
    };
    const conditionEvent = { ...accessEvent(uniqueId('cond')), eventType: 'access.request.condition.update' };
    const res = await post(envelope([userEvent, conditionEvent]));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: 2, routed: 0, ignored: 2 });
  });

  it('given a wrong or missing secret, when a delivery arrives, then it answers 401 and starts nothing', async () => {
    const requestId = uniqueId('req');
    for (const headers of [{ authorization: 'wrong' }, {}] as Record<string, string>[]) {
      const res = await post(envelope([accessEvent(requestId)]), headers);
      assert.equal(res.status, 401);
    }
    await assert.rejects(client.workflow.getHandle(oktaRequestWorkflowId(requestId)).describe(), {
      name: 'WorkflowNotFoundError',
    });
  });

  it('given malformed JSON, when delivered, then it answers 400 INVALID_JSON', async () => {
    const res = await post('{"eventType": "com.okta.event_hook", "data": {');
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'INVALID_JSON');
  });

  it('given an access event for a known request and a profile update whose target has a type but no id, when delivered, then 200 routes the access event and ignores the other', async () => {
    // Issue #10's input: the strict event schema used to answer 400 data.events.1.target.0.id, and Okta
    // never retries a 4xx, so the access event was lost until the next reconciler pass.
    const requestId = uniqueId('req');
    const workflowId = oktaRequestWorkflowId(requestId);
    started.push(workflowId);
    assert.equal((await post(envelope([accessEvent(requestId)]))).status, 200);

    const update = accessEvent(requestId, 'access.request.update');
    const profile = {
      uuid: uniqueId('evt'),
      eventType: 'user.account.update_profile',
      published: new Date().toISOString(),
      target: [{ type: 'User', alternateId: 'ann@example.com', displayName: 'Ann' }],
    };
    const res = await post(envelope([update, profile]));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: 2, routed: 1, ignored: 1 });
    const signals = await signalsOf(client, workflowId);
    assert.deepEqual(signals.at(-1), {
      uuid: update.uuid,
      eventType: 'access.request.update',
      published: update.published,
      requestId,
      source: 'event-hook',
    });
    const line = logged(api, 'Okta event hook delivery routed').find((l) =>
      JSON.stringify(l.ignoredEvents ?? []).includes(profile.uuid),
    );
    assert.deepEqual(line?.ignoredEvents, [
      {
        uuid: profile.uuid,
        eventType: 'user.account.update_profile',
        reason: 'not an event about an access request',
        unusable: false,
      },
    ]);
  });

  it('given odd events next to a good one (no uuid, no published, a target without type, junk), when delivered, then 200 routes the good one and ignores each odd one', async () => {
    const requestId = uniqueId('req');
    const good = accessEvent(requestId);
    const { uuid: _uuid, ...noUuid } = accessEvent(uniqueId('req'));
    const { published: _published, ...noPublished } = accessEvent(uniqueId('req'));
    const noRequestId = {
      ...accessEvent(uniqueId('req')),
      target: [{ type: 'AccessRequest' }],
      debugContext: null,
    };
    const odd = [noUuid, noPublished, noRequestId, 'not an event', null, { eventType: 42 }];
    // A target without a type is passed over; the request id still comes from debugData.
    const untypedTarget = {
      ...accessEvent(uniqueId('req')),
      target: [{ id: 'x y' }],
      debugContext: { debugData: { accessRequestId: uniqueId('req') } },
    };
    const res = await post(envelope([...odd, good, untypedTarget]));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: 8, routed: 2, ignored: 6 });

    const workflowId = oktaRequestWorkflowId(requestId);
    started.push(workflowId, oktaRequestWorkflowId(untypedTarget.debugContext.debugData.accessRequestId));
    assert.deepEqual(
      (await signalsOf(client, workflowId)).map((s) => s.uuid),
      [good.uuid],
    );
    // The access events Okta sent but intake could not use are a warning with each one's reason.
    const warning = logged(api, 'access request events without usable routing fields ignored').find((l) =>
      JSON.stringify(l.events ?? []).includes(noRequestId.uuid),
    );
    assert.equal(warning?.level, 'warn');
    assert.deepEqual(
      (warning?.events as { uuid?: string; reason: string }[]).map((e) => [e.uuid, e.reason]),
      [
        [undefined, 'uuid: Invalid input: expected string, received undefined'],
        [noPublished.uuid, 'published: Invalid input: expected string, received undefined'],
        [noRequestId.uuid, 'no usable access request id'],
      ],
    );
  });

  for (const [label, body, field] of [
    ['a body that is a list', [], '(body)'],
    [
      'another envelope type',
      { ...envelope([]), eventType: 'com.okta.oauth2.tokens.transform' },
      'eventType',
    ],
    ['no data', { ...envelope([]), data: undefined }, 'data'],
    ['data.events that is not a list', { ...envelope([]), data: { events: { 0: {} } } }, 'data.events'],
  ] as const) {
    it(`given ${label}, when delivered, then the 400 names ${field}`, async () => {
      const res = await post(body);
      assert.equal(res.status, 400);
      const error = ((await res.json()) as { error: { code: string; field: string; message: string } }).error;
      assert.equal(error.code, 'BAD_REQUEST');
      assert.equal(error.field, field);
      assert.ok(error.message.startsWith(`${field}: `), error.message);
    });
  }

  it('given a body over the limit, when delivered, then it answers 413', async () => {
    const event = { ...accessEvent(uniqueId('req')), padding: 'x'.repeat(5000) };
    const res = await post(envelope([event]));
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'PAYLOAD_TOO_LARGE');
  });

  it('given a non-JSON content type, when delivered, then it answers 415', async () => {
    const res = await fetch(`${api.url}/webhooks/okta`, {
      method: 'POST',
      headers: { authorization: SECRET, 'content-type': 'text/plain' },
      body: JSON.stringify(envelope([])),
    });
    assert.equal(res.status, 415);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });
});
