// Proves what the webhook body schemas accept before any routing: the Okta event-hook envelope refuses only
// what makes a delivery unusable, and the Freshservice template body treats unrendered placeholders, blanks,
// nulls and odd types as absent, so a half-rendered automator body still nudges its ticket.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ZFreshserviceWebhook } from '../../src/api/webhooks/freshservice';
import { ZOktaEventHook } from '../../src/api/webhooks/okta';

describe('Okta event-hook envelope', () => {
  it('given a delivery, then events are kept unread and the envelope fields parsed', () => {
    const parsed = ZOktaEventHook.parse({
      eventType: 'com.okta.event_hook',
      eventId: 'evt1',
      data: { events: [{ anything: 1 }, 'odd'] },
      extra: true,
    });
    assert.deepEqual(parsed, {
      eventType: 'com.okta.event_hook',
      eventId: 'evt1',
      data: { events: [{ anything: 1 }, 'odd'] },
      extra: true,
    });
  });

  it('given an odd or missing eventId, then it counts as absent', () => {
    const odd = ZOktaEventHook.parse({ eventType: 'com.okta.event_hook', eventId: 7, data: { events: [] } });
    assert.equal(odd.eventId, undefined);
    assert.equal(
      ZOktaEventHook.parse({ eventType: 'com.okta.event_hook', data: { events: [] } }).eventId,
      undefined,
    );
  });

  it('given another envelope or events that are not a list, then the delivery is refused at that field', () => {
    const pathOf = (body: unknown) => ZOktaEventHook.safeParse(body).error?.issues[0]?.path.join('.');
    assert.equal(pathOf({ eventType: 'com.okta.other', data: { events: [] } }), 'eventType');
    assert.equal(pathOf({ data: { events: [] } }), 'eventType');
    assert.equal(pathOf({ eventType: 'com.okta.event_hook', data: { events: {} } }), 'data.events');
    assert.equal(pathOf({ eventType: 'com.okta.event_hook', data: {} }), 'data.events');
    assert.equal(pathOf({ eventType: 'com.okta.event_hook' }), 'data');
  });
});

describe('Freshservice template body', () => {
  it('given a fully rendered body, then every field is kept', () => {
    assert.deepEqual(
      ZFreshserviceWebhook.parse({
        event: 'ticket_updated',
        ticket_id: 'SR-42',
        updated_at: '2026-11-29T10:00:00Z',
        ticket_type: 'Service Request',
        status: 2,
        approval_status: 'Approved',
        requester_email: 'ada@acme.example',
      }),
      {
        event: 'ticket_updated',
        ticket_id: 'SR-42',
        updated_at: '2026-11-29T10:00:00Z',
        ticket_type: 'Service Request',
        status: 2,
        approval_status: 'Approved',
        requester_email: 'ada@acme.example',
      },
    );
  });

  it('given placeholders Freshservice did not render, blanks and nulls, then those fields are absent', () => {
    const parsed = ZFreshserviceWebhook.parse({
      event: 'approval_changed',
      ticket_id: 42,
      updated_at: ' {{ticket.updated_at}} ',
      ticket_type: '',
      status: '   ',
      approval_status: null,
      requester_email: '{{ticket.requester.email}}',
    });
    assert.deepEqual(parsed, {
      event: 'approval_changed',
      ticket_id: 42,
      updated_at: undefined,
      ticket_type: undefined,
      status: undefined,
      approval_status: undefined,
      requester_email: undefined,
    });
  });

  it('given text that only contains braces, then it is a value, not a placeholder', () => {
    const parsed = ZFreshserviceWebhook.parse({
      event: 'ticket_updated',
      ticket_type: 'type {{x}}',
      status: '{{a}} {{b}}',
      updated_at: '{{}}x',
    });
    assert.equal(parsed.ticket_type, 'type {{x}}');
    assert.equal(parsed.status, '{{a}} {{b}}');
    assert.equal(parsed.updated_at, '{{}}x');
    assert.equal(ZFreshserviceWebhook.parse({ event: 'e', status: '{{}}' }).status, undefined);
  });

  it('given fields of another type, then they count as absent, never a refusal', () => {
    const parsed = ZFreshserviceWebhook.parse({
      event: 'ticket_created',
      updated_at: 1_700_000_000,
      ticket_type: { name: 'SR' },
      status: true,
      approval_status: ['x'],
      requester_email: 0,
    });
    assert.equal(parsed.updated_at, undefined);
    assert.equal(parsed.ticket_type, undefined);
    assert.equal(parsed.status, undefined);
    assert.equal(parsed.approval_status, undefined);
    assert.equal(parsed.requester_email, 0);
  });

  it('given no event or an empty one, then the delivery is refused at event', () => {
    assert.equal(ZFreshserviceWebhook.safeParse({ ticket_id: 1 }).error?.issues[0]?.path.join('.'), 'event');
    assert.equal(ZFreshserviceWebhook.safeParse({ event: '' }).error?.issues[0]?.path.join('.'), 'event');
  });
});
