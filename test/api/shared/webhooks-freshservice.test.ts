// Proves POST /webhooks/freshservice over real HTTP against the real Temporal server: the template body
// with ids as numbers, strings or prefixed strings lands on `fs-ticket:<id>` as a ticketEvent signal;
// both secret styles authenticate; unknown events are ignored; optional fields of odd types count as
// absent; a missing event, or a bad id on a routed event, is a 400 naming the field.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { createApp } from '../../../src/api/app';
import type { RunningApi } from '../../../src/api/server';
import { createTemporalGateway } from '../../../src/api/temporal-gateway';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logging';
import { FRESHSERVICE_WEBHOOK_SECRET_HEADER } from '../../../src/integrations/freshservice/webhook-template';
import { ticketWorkflowId } from '../../../src/workflows/ticket-router/contract';
import type { TicketEvent } from '../../../src/workflows/shared/contract';
import { startTestApi, TEST_SECRETS } from '../../helpers/api';
import { testEnv, uniqueId } from '../../helpers/temporal';

const SECRET = TEST_SECRETS.FRESHSERVICE_WEBHOOK_SECRET;

// Ticket ids unique to this run, so reruns against a long-lived server never meet old workflows.
let nextTicket = 700_000_000 + Math.floor(Math.random() * 100_000_000);
const newTicketId = () => ++nextTicket;

function templateBody(overrides: Record<string, unknown>) {
  return {
    event: 'ticket_updated',
    ticket_type: 'Service Request',
    status: 'Open',
    approval_status: '{{ticket.approval_status}}',
    requester_email: 'ann@example.com',
    updated_at: '2030-01-01T10:00:00Z',
    ...overrides,
  };
}

async function signalsOf(client: Client, workflowId: string): Promise<TicketEvent[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const payload = e.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0];
    return payload ? [defaultPayloadConverter.fromPayload<TicketEvent>(payload)] : [];
  });
}

describe('Freshservice webhook', () => {
  let client: Client;
  let api: RunningApi;
  const taskQueue = uniqueId('fs-hook-tq');
  const started: string[] = [];

  const post = (
    body: unknown,
    headers: Record<string, string> = { [FRESHSERVICE_WEBHOOK_SECRET_HEADER]: SECRET },
  ) =>
    fetch(`${api.url}/webhooks/freshservice`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  before(async () => {
    const env = await testEnv();
    client = env.client;
    api = await startTestApi(env.address, { TEMPORAL_TASK_QUEUE: taskQueue });
  });
  after(async () => {
    await Promise.allSettled(started.map((id) => client.workflow.getHandle(id).terminate('test done')));
    await api.close();
  });

  for (const [label, render] of [
    ['a number', (id: number) => id],
    ['a string', (id: number) => String(id)],
    ['an SR- prefixed string', (id: number) => `SR-${id}`],
    ['an INC- prefixed string', (id: number) => `INC-${id}`],
  ] as const) {
    it(`given ticket_id as ${label}, when the webhook arrives, then fs-ticket:<id> starts with the event`, async () => {
      const ticketId = newTicketId();
      const res = await post(templateBody({ ticket_id: render(ticketId) }));
      assert.equal(res.status, 200);
      const workflowId = ticketWorkflowId(ticketId);
      started.push(workflowId);
      assert.deepEqual(await res.json(), { received: 1, routed: 1, ignored: 0, workflowId });

      const description = await client.workflow.getHandle(workflowId).describe();
      assert.equal(description.type, 'freshserviceTicket');
      assert.equal(description.taskQueue, taskQueue);
      assert.deepEqual(await signalsOf(client, workflowId), [
        { event: 'ticket_updated', ticketId, updatedAt: '2030-01-01T10:00:00Z', source: 'webhook' },
      ]);
    });
  }

  it('given Basic auth carrying the secret and an unrendered updated_at, when the webhook arrives, then it is routed with updatedAt null', async () => {
    const ticketId = newTicketId();
    const basic = `Basic ${Buffer.from(`freshservice:${SECRET}`).toString('base64')}`;
    const res = await post(
      templateBody({ event: 'ticket_created', ticket_id: ticketId, updated_at: '{{ticket.updated_at}}' }),
      {
        authorization: basic,
      },
    );
    assert.equal(res.status, 200);
    started.push(ticketWorkflowId(ticketId));
    assert.deepEqual(await signalsOf(client, ticketWorkflowId(ticketId)), [
      { event: 'ticket_created', ticketId, updatedAt: null, source: 'webhook' },
    ]);
  });

  it('given a second delivery for the same ticket, when it arrives, then the same run gets another signal', async () => {
    const ticketId = newTicketId();
    const workflowId = ticketWorkflowId(ticketId);
    started.push(workflowId);
    assert.equal((await post(templateBody({ ticket_id: ticketId }))).status, 200);
    const firstRun = (await client.workflow.getHandle(workflowId).describe()).runId;
    assert.equal(
      (await post(templateBody({ ticket_id: `SR-${ticketId}`, event: 'approval_changed' }))).status,
      200,
    );
    assert.equal((await client.workflow.getHandle(workflowId).describe()).runId, firstRun);
    assert.deepEqual(
      (await signalsOf(client, workflowId)).map((s) => s.event),
      ['ticket_updated', 'approval_changed'],
    );
  });

  it('given an unknown event, when the webhook arrives, then it answers 200 ignored and starts nothing', async () => {
    const ticketId = newTicketId();
    const res = await post(templateBody({ event: 'ticket_deleted', ticket_id: ticketId }));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: 1, routed: 0, ignored: 1 });
    await assert.rejects(client.workflow.getHandle(ticketWorkflowId(ticketId)).describe(), {
      name: 'WorkflowNotFoundError',
    });
  });

  it('given a known event whose optional fields are of odd types, when the webhook arrives, then it is routed and the odd fields count as absent', async () => {
    const ticketId = newTicketId();
    const res = await post(
      templateBody({
        ticket_id: ticketId,
        status: { name: 'Open' },
        ticket_type: ['Service Request'],
        approval_status: true,
        requester_email: null,
        updated_at: 1767225600,
      }),
    );
    assert.equal(res.status, 200);
    const workflowId = ticketWorkflowId(ticketId);
    started.push(workflowId);
    assert.deepEqual(await res.json(), { received: 1, routed: 1, ignored: 0, workflowId });
    assert.deepEqual(await signalsOf(client, workflowId), [
      { event: 'ticket_updated', ticketId, updatedAt: null, source: 'webhook' },
    ]);
  });

  it('given an unknown event with odd or missing fields, when the webhook arrives, then it answers 200 ignored', async () => {
    for (const body of [
      { event: 'ticket_deleted' },
      { event: 'ticket_deleted', ticket_id: 'forty-two', status: [], updated_at: {} },
      templateBody({ event: '{{ticket.event}}', ticket_id: { id: 1 } }),
    ]) {
      const res = await post(body);
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.deepEqual(await res.json(), { received: 1, routed: 0, ignored: 1 });
    }
  });

  for (const [label, body, field] of [
    ['a body that is a list', [], '(body)'],
    ['no event', { ticket_id: 42 }, 'event'],
    ['an event that is not a string', { event: 7, ticket_id: 42 }, 'event'],
  ] as const) {
    it(`given ${label}, when the webhook arrives, then the 400 names ${field}`, async () => {
      const res = await post(body);
      assert.equal(res.status, 400);
      const error = ((await res.json()) as { error: { code: string; field: string } }).error;
      assert.equal(error.code, 'BAD_REQUEST');
      assert.equal(error.field, field);
    });
  }

  it('given a wrong, missing or Basic-but-wrong secret, when the webhook arrives, then it answers 401', async () => {
    const ticketId = newTicketId();
    for (const headers of [
      { [FRESHSERVICE_WEBHOOK_SECRET_HEADER]: 'nope' },
      {},
      { authorization: `Basic ${Buffer.from('freshservice:nope').toString('base64')}` },
      { authorization: SECRET },
    ] as Record<string, string>[]) {
      const res = await post(templateBody({ ticket_id: ticketId }), headers);
      assert.equal(res.status, 401, JSON.stringify(Object.keys(headers)));
    }
    await assert.rejects(client.workflow.getHandle(ticketWorkflowId(ticketId)).describe(), {
      name: 'WorkflowNotFoundError',
    });
  });

  for (const [label, ticketId] of [
    ['an unrendered placeholder', '{{ticket.id}}'],
    ['a word', 'forty-two'],
    ['zero', 0],
    ['an object', { id: 42 }],
    ['missing', undefined],
  ] as const) {
    it(`given a known event with ticket_id ${label}, when the webhook arrives, then the 400 names ticket_id`, async () => {
      const res = await post(templateBody({ ticket_id: ticketId }));
      assert.equal(res.status, 400);
      const body = (await res.json()) as { error: { code: string; field: string } };
      assert.equal(body.error.code, 'BAD_REQUEST');
      assert.equal(body.error.field, 'ticket_id');
    });
  }

  it('given a non-JSON content type, when the webhook arrives, then it answers 415', async () => {
    const res = await fetch(`${api.url}/webhooks/freshservice`, {
      method: 'POST',
      headers: {
        [FRESHSERVICE_WEBHOOK_SECRET_HEADER]: SECRET,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'event=ticket_updated&ticket_id=1',
    });
    assert.equal(res.status, 415);
  });

  it('given both secret styles, when requests are logged, then no log line carries the secret', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const env = await testEnv();
    const config = loadConfig({ ...TEST_SECRETS, LOG_LEVEL: 'info', TEMPORAL_TASK_QUEUE: taskQueue });
    const temporal = createTemporalGateway({ address: env.address, namespace: 'default' });
    const server = createServer(
      createApp({ config, logger: createLogger({ level: 'info' }, sink), temporal }),
    );
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/freshservice`;
    try {
      const ticketId = newTicketId();
      started.push(ticketWorkflowId(ticketId));
      for (const headers of [
        { [FRESHSERVICE_WEBHOOK_SECRET_HEADER]: SECRET },
        { authorization: `Basic ${Buffer.from(`fs:${SECRET}`).toString('base64')}` },
      ] as Record<string, string>[]) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(templateBody({ ticket_id: ticketId })),
        });
        assert.equal(res.status, 200);
      }
    } finally {
      await new Promise<void>((res) => server.close(() => res()));
      await temporal.close();
    }
    const log = lines.join('');
    assert.match(log, /Freshservice webhook routed/);
    assert.match(log, /x-access-bridge-secret/);
    assert.doesNotMatch(log, new RegExp(SECRET));
    assert.doesNotMatch(log, new RegExp(Buffer.from(`fs:${SECRET}`).toString('base64')));
  });
});
