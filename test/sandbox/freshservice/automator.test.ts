// The sandbox's Workflow Automator emulation: rules fire on ticket and approval changes, render the
// webhook template from the ticket, send custom headers, deliver asynchronously, and the delivery knobs
// produce the duplicates and reordering a receiver must survive.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FRESHSERVICE_WEBHOOK_SECRET_HEADER,
  freshserviceWebhookTemplate,
  type FreshserviceWebhookEvent,
} from '../../../src/integrations/freshservice';
import { waitFor } from '../../helpers/wait';
import { startHarness, type Harness } from '../../integrations/freshservice/harness';

type Received = { headers: Record<string, string | string[] | undefined>; body: Record<string, string> };

const ADA = 'ada.lovelace@acme.example';
const SECRET = 'automator-test-secret-0001';

describe('sandbox Workflow Automator', () => {
  let h: Harness;
  let receiver: Server;
  let receiverUrl: string;
  let received: Received[] = [];

  const rule = (event: FreshserviceWebhookEvent, extra: Record<string, unknown> = {}) => ({
    event,
    url: `${receiverUrl}/webhooks/freshservice`,
    headers: { [FRESHSERVICE_WEBHOOK_SECRET_HEADER]: SECRET },
    body: freshserviceWebhookTemplate(event),
    ...extra,
  });

  before(async () => {
    receiver = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(data) as Record<string, string> });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    h = await startHarness({ seed: 'demo' });
  });
  after(async () => {
    await h.close();
    await new Promise<void>((r) => receiver.close(() => r()));
  });
  beforeEach(async () => {
    received = [];
    await h.admin('PUT', '/automator/delivery', {});
    await h.admin('DELETE', '/webhook-deliveries');
  });

  it('given rules for created and updated tickets, when a ticket is created and updated through the API, then both webhooks arrive rendered with the custom header', async () => {
    const set = await h.admin('PUT', '/automator/rules', [rule('ticket_created'), rule('ticket_updated')]);
    assert.equal(set.status, 200);
    const t = await h.client.createTicket({
      email: ADA,
      subject: 'VPN',
      description: 'x',
      status: 2,
      priority: 2,
    });
    await h.client.updateTicket(t.id, { status: 4 });
    await waitFor(() => received.length >= 2, 'two webhook deliveries');
    const created = received.find((r) => r.body.event === 'ticket_created');
    const updated = received.find((r) => r.body.event === 'ticket_updated');
    assert.deepEqual(created?.body, {
      event: 'ticket_created',
      ticket_id: String(t.id),
      ticket_type: 'Incident',
      status: '2',
      approval_status: '4',
      requester_email: ADA,
      updated_at: t.created_at,
    });
    assert.equal(updated?.body.status, '4', 'numbers render as strings');
    assert.equal(created?.headers[FRESHSERVICE_WEBHOOK_SECRET_HEADER.toLowerCase()], SECRET);
    assert.equal(created?.headers['content-type'], 'application/json');

    const log = await h.admin<{ deliveries: { state: string; headers: Record<string, string> }[] }>(
      'GET',
      `/webhook-deliveries?ticketId=${t.id}`,
    );
    assert.equal(log.body.deliveries.length, 2);
    assert.ok(log.body.deliveries.every((d) => d.state === 'delivered'));
    assert.equal(
      log.body.deliveries[0]?.headers[FRESHSERVICE_WEBHOOK_SECRET_HEADER],
      '[redacted]',
      'the log never shows secrets',
    );
  });

  it('given an approval rule, when an approver decides through the actor endpoint, then approval_changed carries the new ticket approval status', async () => {
    await h.admin('PUT', '/automator/rules', [rule('approval_changed')]);
    const t = await h.client.createTicket({ email: ADA, description: 'needs ok', status: 2, priority: 1 });
    const manager = (await h.client.findRequesterByEmail('margaret.hamilton@acme.example'))!;
    const [a] = await h.client.requestApproval(t.id, { approver_id: manager.id, approval_type: 2 });
    await h.admin('POST', `/actor/approvals/${a!.id}/approve`, {});
    await waitFor(() => received.length >= 2, 'approval requested and approved deliveries');
    assert.deepEqual(
      received.map((r) => [r.body.event, r.body.approval_status]),
      [
        ['approval_changed', '0'],
        ['approval_changed', '1'],
      ],
    );
  });

  it('given a condition on the ticket type and the kind of change, when other tickets change, then only matching events fire', async () => {
    await h.admin('PUT', '/automator/rules', [
      rule('ticket_updated', { conditions: { type: 'Service Request', changes: ['properties'] } }),
    ]);
    const incident = await h.client.createTicket({
      email: ADA,
      description: 'incident',
      status: 2,
      priority: 1,
    });
    await h.client.updateTicket(incident.id, { priority: 3 });
    const sr = await h.client.placeRequest(1001, {
      email: ADA,
      custom_fields: { resource_type: 'group', resource_name: 'Finance', justification: 'audit' },
    });
    await h.client.addNote(sr.id, { body: 'a note is not a property change' });
    await h.admin('POST', `/actor/tickets/${sr.id}/resolve`, {});
    await waitFor(() => received.length >= 1, 'the service request resolution');
    const log = await h.admin<{ deliveries: unknown[] }>('GET', '/webhook-deliveries');
    assert.equal(log.body.deliveries.length, 1);
    assert.equal(received[0]?.body.ticket_id, String(sr.id));
    assert.equal(received[0]?.body.status, '4');
  });

  it('given the duplicate knob at 1, when a ticket changes, then every webhook arrives twice with the same body', async () => {
    await h.admin('PUT', '/automator/rules', [rule('ticket_updated')]);
    await h.admin('PUT', '/automator/delivery', { duplicateRate: 1 });
    const t = await h.client.createTicket({ email: ADA, description: 'dup', status: 2, priority: 1 });
    await h.client.updateTicket(t.id, { status: 3 });
    await waitFor(() => received.length >= 2, 'duplicate deliveries');
    assert.equal(received.length, 2);
    assert.deepEqual(received[0]?.body, received[1]?.body);
    const log = await h.admin<{ deliveries: { duplicate: boolean }[] }>(
      'GET',
      `/webhook-deliveries?ticketId=${t.id}`,
    );
    assert.deepEqual(
      log.body.deliveries.map((d) => d.duplicate),
      [false, true],
    );
  });

  it('given a reorder window, when a ticket changes twice, then the later change arrives first', async () => {
    await h.admin('PUT', '/automator/rules', [rule('ticket_updated')]);
    // Wide enough that two back-to-back local updates always fall in one window, even on a loaded machine;
    // the test still ends as soon as both deliveries arrive.
    await h.admin('PUT', '/automator/delivery', { reorderWindowMs: 3000 });
    const t = await h.client.createTicket({ email: ADA, description: 'order', status: 2, priority: 1 });
    await h.client.updateTicket(t.id, { status: 3 });
    await h.client.updateTicket(t.id, { status: 4 });
    await waitFor(() => received.length >= 2, 'both deliveries');
    assert.deepEqual(
      received.map((r) => r.body.status),
      ['4', '3'],
    );
  });

  it('given an unreachable receiver, when a webhook fires, then it is retried once and recorded as failed', async () => {
    await h.admin('PUT', '/automator/rules', [
      rule('ticket_created', { url: `${receiverUrl.replace(/:\d+$/, ':1')}/closed` }),
    ]);
    await h.admin('PUT', '/automator/delivery', { retryDelayMs: 0, timeoutMs: 1000 });
    const t = await h.client.createTicket({ email: ADA, description: 'unreachable', status: 2, priority: 1 });
    let attempts = 0;
    await waitFor(async () => {
      const log = await h.admin<{ deliveries: { state: string; attempts: unknown[] }[] }>(
        'GET',
        `/webhook-deliveries?ticketId=${t.id}`,
      );
      attempts = log.body.deliveries[0]?.attempts.length ?? 0;
      return log.body.deliveries[0]?.state === 'failed';
    }, 'the failed delivery');
    assert.equal(attempts, 2);
  });

  it('given a body template that is not JSON, when the rules are set, then 400 names the rule body', async () => {
    const res = await h.admin<{ errors: { field: string }[] }>('PUT', '/automator/rules', [
      { ...rule('ticket_created'), body: '{"id": {{ticket.id}' },
    ]);
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0]?.field, '0.body');
  });
});
