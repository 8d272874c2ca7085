// Proves how a batch of Okta events becomes signals: each event read on its own (one odd event never costs
// the rest), the reason logged for every event left out, events grouped per request in `published` order,
// and, through a fake Temporal client, which events count as routed and which came after the request's
// workflow completed. The same planning serves the event hook and the System Log reconciler.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import {
  ACCESS_REQUEST_LOG_FILTER,
  accessRequestIdOf,
  isAccessRequestEvent,
  nudgeTicket,
  planOktaEvents,
  routeOktaEvents,
} from '../../src/intake';
import { oktaRequestEventSignal, ticketEventSignal } from '../../src/workflows/shared/contract';

const event = (uuid: string, requestId: string, published: string, eventType = 'access.request.update') => ({
  uuid,
  eventType,
  published,
  target: [{ id: requestId, type: 'AccessRequest' }],
});

describe('isAccessRequestEvent', () => {
  it('given event types, then only access.request.* ones concern a request', () => {
    assert.equal(isAccessRequestEvent('access.request.create'), true);
    assert.equal(isAccessRequestEvent('access.request.'), true);
    assert.equal(isAccessRequestEvent('user.session.start'), false);
    assert.equal(isAccessRequestEvent('xaccess.request.create'), false);
    assert.equal(ACCESS_REQUEST_LOG_FILTER, 'eventType sw "access.request."');
  });
});

describe('accessRequestIdOf order and shape', () => {
  const base = { uuid: 'u', eventType: 'access.request.update', published: '2026-11-29T10:00:00.000Z' };

  it('given a typed target, debugData and a first target, then the typed target wins, then debugData', () => {
    const all = {
      ...base,
      target: [
        { id: 'reqFirst', type: 'GovernanceObject' },
        { id: 'reqTyped', type: 'access_request' },
      ],
      debugContext: { debugData: { accessRequestId: 'reqDebug' } },
    };
    assert.equal(accessRequestIdOf(all), 'reqTyped');
    assert.equal(
      accessRequestIdOf({ ...all, target: [{ id: 'reqFirst', type: 'GovernanceObject' }] }),
      'reqDebug',
    );
  });

  it('given request type spellings, then separators and case do not matter', () => {
    for (const type of ['AccessRequest', 'access_request', 'ACCESS-REQUEST', 'Access Request', 'request']) {
      const e = {
        ...base,
        target: [
          { id: 'x0', type: 'User' },
          { id: 'reqT', type },
        ],
        debugContext: null,
      };
      assert.equal(accessRequestIdOf(e), 'reqT', type);
    }
  });

  it('given a first target without a type, then its id counts', () => {
    assert.equal(
      accessRequestIdOf({ ...base, target: [{ id: 'reqUntyped' }], debugContext: null }),
      'reqUntyped',
    );
  });

  it('given principal target types in any case, then the first target is never a request', () => {
    for (const type of [
      'user',
      'APPLICATION',
      'GroupMembership',
      'CatalogEntry',
      'Entitlement',
      'PolicyEntity',
      'PolicyRule',
    ]) {
      assert.equal(
        accessRequestIdOf({ ...base, target: [{ id: 'x1', type }], debugContext: null }),
        undefined,
        type,
      );
    }
    // Only a whole principal type counts: a type that merely starts or ends like one may be a request.
    for (const type of ['UserProfileChange', 'ServiceUser']) {
      assert.equal(
        accessRequestIdOf({ ...base, target: [{ id: 'reqOk', type }], debugContext: null }),
        'reqOk',
        type,
      );
    }
  });

  it('given ids that are not usable, then the next candidate, or none', () => {
    const bad = (id: string) => ({ ...base, target: [{ id, type: 'AccessRequest' }], debugContext: null });
    assert.equal(accessRequestIdOf(bad('has space')), undefined);
    assert.equal(accessRequestIdOf(bad('')), undefined);
    assert.equal(accessRequestIdOf(bad('a'.repeat(129))), undefined);
    assert.equal(accessRequestIdOf(bad('a'.repeat(128))), 'a'.repeat(128));
    assert.equal(accessRequestIdOf(bad('req_A-9')), 'req_A-9');
    assert.equal(accessRequestIdOf(bad('x/../y')), undefined);
    assert.equal(
      accessRequestIdOf({
        ...base,
        target: [{ id: 'bad id', type: 'AccessRequest' }],
        debugContext: { debugData: { accessRequestId: 'reqGood' } },
      }),
      'reqGood',
    );
    assert.equal(
      accessRequestIdOf({ ...base, target: [], debugContext: { debugData: { accessRequestId: 42 } } }),
      undefined,
    );
  });
});

describe('planOktaEvents', () => {
  it('given events of two requests out of order, then one route per request, oldest first, with every field', () => {
    const plan = planOktaEvents(
      [
        event('u3', 'reqA', '2026-11-29T10:03:00.000Z', 'access.request.resolve'),
        event('u1', 'reqB', '2026-11-29T10:01:00.000Z'),
        event('u2', 'reqA', '2026-11-29T10:02:00.000Z', 'access.request.create'),
      ],
      'system-log',
    );
    assert.deepEqual(plan.ignored, []);
    assert.deepEqual(plan.routes, [
      {
        workflowId: 'okta-request:reqB',
        requestId: 'reqB',
        events: [
          {
            uuid: 'u1',
            eventType: 'access.request.update',
            published: '2026-11-29T10:01:00.000Z',
            requestId: 'reqB',
            source: 'system-log',
          },
        ],
      },
      {
        workflowId: 'okta-request:reqA',
        requestId: 'reqA',
        events: [
          {
            uuid: 'u2',
            eventType: 'access.request.create',
            published: '2026-11-29T10:02:00.000Z',
            requestId: 'reqA',
            source: 'system-log',
          },
          {
            uuid: 'u3',
            eventType: 'access.request.resolve',
            published: '2026-11-29T10:03:00.000Z',
            requestId: 'reqA',
            source: 'system-log',
          },
        ],
      },
    ]);
  });

  it('given events that are not about a request, then each is ignored as such, never as unusable', () => {
    const plan = planOktaEvents(
      [
        { uuid: 'c1', eventType: 'access.request.condition.update' },
        { uuid: 'c2', eventType: 'access.request.sequence.create' },
        { uuid: 'c3', eventType: 'access.request.settings.update' },
        { uuid: 'o1', eventType: 'user.session.start' },
      ],
      'event-hook',
    );
    assert.deepEqual(plan.routes, []);
    assert.deepEqual(
      plan.ignored,
      ['c1', 'c2', 'c3', 'o1'].map((uuid, i) => ({
        uuid,
        eventType: [
          'access.request.condition.update',
          'access.request.sequence.create',
          'access.request.settings.update',
          'user.session.start',
        ][i],
        reason: 'not an event about an access request',
        unusable: false,
      })),
    );
  });

  it('given a request event named like a configuration event elsewhere, then it is still routed', () => {
    const plan = planOktaEvents(
      [event('u1', 'reqA', '2026-11-29T10:00:00.000Z', 'access.request.update.condition')],
      'event-hook',
    );
    assert.equal(plan.routes.length, 1);
  });

  it('given things that are not LogEvents, then each is ignored with the failing field', () => {
    const plan = planOktaEvents([null, 'text', { uuid: 'n1' }, { uuid: 'n2', eventType: '' }], 'event-hook');
    assert.deepEqual(plan.routes, []);
    assert.deepEqual(
      plan.ignored.map((i) => [i.uuid, i.eventType, i.unusable]),
      [
        [undefined, undefined, false],
        [undefined, undefined, false],
        ['n1', undefined, false],
        ['n2', undefined, false],
      ],
    );
    for (const i of plan.ignored) assert.match(i.reason, /^not a LogEvent with an eventType \(/);
    assert.match(plan.ignored[2]?.reason ?? '', /\(eventType: /);
  });

  it('given request events without routing fields, then each is unusable with its reason', () => {
    const plan = planOktaEvents(
      [
        { uuid: 'm1', eventType: 'access.request.update', published: '2026-11-29T10:00:00.000Z' },
        { uuid: 'm2', eventType: 'access.request.update', target: [{ id: 'reqA', type: 'AccessRequest' }] },
        { eventType: 'access.request.update', published: 'p', target: [{ id: 'reqA' }] },
      ],
      'event-hook',
    );
    assert.deepEqual(plan.routes, []);
    assert.deepEqual(plan.ignored, [
      {
        uuid: 'm1',
        eventType: 'access.request.update',
        reason: 'no usable access request id',
        unusable: true,
      },
      {
        uuid: 'm2',
        eventType: 'access.request.update',
        reason: plan.ignored[1]?.reason,
        unusable: true,
      },
      {
        uuid: undefined,
        eventType: 'access.request.update',
        reason: plan.ignored[2]?.reason,
        unusable: true,
      },
    ]);
    assert.match(plan.ignored[1]?.reason ?? '', /^published: /);
    assert.match(plan.ignored[2]?.reason ?? '', /^uuid: /);
  });

  it('given odd targets and debug context, then they count as absent, not as a refusal', () => {
    const plan = planOktaEvents(
      [
        {
          uuid: 'odd1',
          eventType: 'access.request.update',
          published: '2026-11-29T10:00:00.000Z',
          target: [42, { id: 7, type: ['x'] }, { id: 'reqZ', type: 'AccessRequest' }],
          debugContext: 'nope',
        },
        {
          uuid: 'odd2',
          eventType: 'access.request.update',
          published: '2026-11-29T10:00:01.000Z',
          target: 'not a list',
          debugContext: { debugData: 'nope' },
        },
      ],
      'event-hook',
    );
    assert.deepEqual(
      plan.routes.map((r) => r.requestId),
      ['reqZ'],
    );
    assert.deepEqual(plan.ignored, [
      {
        uuid: 'odd2',
        eventType: 'access.request.update',
        reason: 'no usable access request id',
        unusable: true,
      },
    ]);
  });

  it('given a huge uuid and event type, then the log gets them clipped to 120 characters', () => {
    const long = 'x'.repeat(500);
    const plan = planOktaEvents(
      [{ uuid: long, eventType: `access.request.${long}`, published: 'p' }],
      'event-hook',
    );
    assert.equal(plan.ignored[0]?.uuid, `${'x'.repeat(120)}…`);
    assert.equal(plan.ignored[0]?.eventType, `${`access.request.${long}`.slice(0, 120)}…`);
    const exact = 'y'.repeat(120);
    assert.equal(planOktaEvents([{ uuid: exact, eventType: 'a.b' }], 'event-hook').ignored[0]?.uuid, exact);
  });
});

type Call = { workflowType: string; options: Record<string, unknown> };

/** A Temporal client whose signalWithStart records each call and answers with `answer`. */
function fakeClient(answer: (workflowId: string, uuid: string) => Error | undefined): {
  client: Client;
  calls: Call[];
} {
  const calls: Call[] = [];
  const workflow = {
    signalWithStart: (
      workflowType: string,
      options: { workflowId: string; signalArgs: [{ uuid?: string }] },
    ) => {
      calls.push({ workflowType, options });
      const err = answer(options.workflowId, options.signalArgs[0].uuid ?? '');
      return err ? Promise.reject(err) : Promise.resolve({ workflowId: options.workflowId });
    },
  };
  return { client: { workflow } as unknown as Client, calls };
}

const uuidsSentTo = (calls: Call[], workflowId: string) =>
  calls
    .filter((c) => c.options.workflowId === workflowId)
    .map((c) => (c.options.signalArgs as [{ uuid: string }])[0].uuid);

describe('routeOktaEvents', () => {
  it('given events of two requests, then each is signalled in order, starting its workflow if needed', async () => {
    const { client, calls } = fakeClient(() => undefined);
    const result = await routeOktaEvents(
      client,
      'workflows-q',
      [
        event('u2', 'reqA', '2026-11-29T10:02:00.000Z'),
        event('u1', 'reqA', '2026-11-29T10:01:00.000Z'),
        event('u3', 'reqB', '2026-11-29T10:03:00.000Z'),
        { uuid: 'o1', eventType: 'user.session.start' },
      ],
      'event-hook',
    );
    assert.deepEqual(result, {
      received: 4,
      routed: 3,
      ignored: 1,
      ignoredEvents: [
        {
          uuid: 'o1',
          eventType: 'user.session.start',
          reason: 'not an event about an access request',
          unusable: false,
        },
      ],
      workflowIds: ['okta-request:reqA', 'okta-request:reqB'],
    });
    assert.deepEqual(calls[0], {
      workflowType: 'oktaAccessRequest',
      options: {
        workflowId: 'okta-request:reqA',
        taskQueue: 'workflows-q',
        args: [{ requestId: 'reqA' }],
        signal: oktaRequestEventSignal,
        signalArgs: [
          {
            uuid: 'u1',
            eventType: 'access.request.update',
            published: '2026-11-29T10:01:00.000Z',
            requestId: 'reqA',
            source: 'event-hook',
          },
        ],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      },
    });
    // In order within a workflow; workflows proceed in parallel.
    assert.deepEqual(uuidsSentTo(calls, 'okta-request:reqA'), ['u1', 'u2']);
    assert.deepEqual(uuidsSentTo(calls, 'okta-request:reqB'), ['u3']);
  });

  it('given a completed request, then its events from the refused one on are ignored as late, the rest routed', async () => {
    const { client, calls } = fakeClient((workflowId, uuid) =>
      workflowId === 'okta-request:reqA' && uuid === 'u2'
        ? new WorkflowExecutionAlreadyStartedError('done', workflowId, 'oktaAccessRequest')
        : undefined,
    );
    const result = await routeOktaEvents(
      client,
      'q',
      [
        event('u1', 'reqA', '2026-11-29T10:01:00.000Z'),
        event('u2', 'reqA', '2026-11-29T10:02:00.000Z'),
        event('u3', 'reqA', '2026-11-29T10:03:00.000Z'),
        event('u4', 'reqB', '2026-11-29T10:04:00.000Z'),
      ],
      'system-log',
    );
    assert.equal(result.received, 4);
    assert.equal(result.routed, 2);
    assert.equal(result.ignored, 2);
    assert.deepEqual(result.ignoredEvents, [
      {
        uuid: 'u2',
        eventType: 'access.request.update',
        reason: 'the request workflow has completed',
        unusable: false,
      },
      {
        uuid: 'u3',
        eventType: 'access.request.update',
        reason: 'the request workflow has completed',
        unusable: false,
      },
    ]);
    // u3 was never sent: the workflow had completed.
    assert.deepEqual(uuidsSentTo(calls, 'okta-request:reqA'), ['u1', 'u2']);
    assert.deepEqual(uuidsSentTo(calls, 'okta-request:reqB'), ['u4']);
  });

  it('given a Temporal failure on one route, then the batch rejects with it (a retry is safe)', async () => {
    const down = new Error('Temporal unavailable');
    const { client } = fakeClient((workflowId) => (workflowId === 'okta-request:reqB' ? down : undefined));
    await assert.rejects(
      routeOktaEvents(
        client,
        'q',
        [event('u1', 'reqA', '2026-11-29T10:01:00.000Z'), event('u2', 'reqB', '2026-11-29T10:02:00.000Z')],
        'event-hook',
      ),
      (err) => err === down,
    );
  });

  it('given an empty batch, then nothing is signalled and nothing counted', async () => {
    const { client, calls } = fakeClient(() => undefined);
    assert.deepEqual(await routeOktaEvents(client, 'q', [], 'event-hook'), {
      received: 0,
      routed: 0,
      ignored: 0,
      ignoredEvents: [],
      workflowIds: [],
    });
    assert.deepEqual(calls, []);
  });
});

describe('nudgeTicket', () => {
  it('given a ticket event, then the ticket router is signalled, started if needed, and its ID returned', async () => {
    const { client, calls } = fakeClient(() => undefined);
    const ev = {
      event: 'ticket_updated',
      ticketId: 42,
      updatedAt: '2026-11-29T10:00:00Z',
      source: 'webhook',
    } as const;
    assert.equal(await nudgeTicket(client, 'workflows-q', ev), 'fs-ticket:42');
    assert.deepEqual(calls, [
      {
        workflowType: 'freshserviceTicket',
        options: {
          workflowId: 'fs-ticket:42',
          taskQueue: 'workflows-q',
          args: [{ ticketId: 42 }],
          signal: ticketEventSignal,
          signalArgs: [ev],
        },
      },
    ]);
  });
});
