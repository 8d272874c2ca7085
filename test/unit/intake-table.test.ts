// Proves the intake table is the one source of the three things that must agree: which Okta events intake
// routes, which the event hook subscribes to, and which the System Log reconciler reads. Each hook type is
// routed by its own row, the derived System Log filter (evaluated by the sandbox's SCIM filter, as Okta
// evaluates it) selects every hook type and nothing outside the table's families, and each row's workflow
// ID is its capability contract's.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  OKTA_EVENT_ROUTES,
  OKTA_HOOK_EVENT_TYPES,
  OKTA_SYSTEM_LOG_FILTER,
  oktaRouteFor,
  TICKET_NUDGE_ROUTE,
} from '../../src/intake';
import { evaluateScim, parseScimFilter } from '../../src/sandbox/okta/scim-filter';
import { oktaRequestWorkflowId } from '../../src/workflows/okta-access-request/contract';
import { ticketWorkflowId } from '../../src/workflows/ticket-router/contract';

describe('intake table', () => {
  it('given the table, then every event type the hook subscribes to is routed by the row that lists it', () => {
    assert.ok(OKTA_HOOK_EVENT_TYPES.length >= 6, 'the OIG request events are subscribed');
    for (const row of OKTA_EVENT_ROUTES) {
      assert.ok(row.hookEventTypes.length > 0, `${row.capability} subscribes to something`);
      for (const type of row.hookEventTypes) assert.equal(oktaRouteFor(type), row, type);
    }
    assert.deepEqual(
      [...OKTA_HOOK_EVENT_TYPES],
      OKTA_EVENT_ROUTES.flatMap((r) => r.hookEventTypes),
    );
  });

  it('given the derived System Log filter, then it selects every hook type and no event outside the families', () => {
    const filter = parseScimFilter(OKTA_SYSTEM_LOG_FILTER);
    const selects = (eventType: string) => evaluateScim(filter, { eventType });
    for (const type of OKTA_HOOK_EVENT_TYPES) assert.equal(selects(type), true, type);
    for (const type of ['user.session.start', 'group.user_membership.add', 'xaccess.request.create'])
      assert.equal(selects(type), false, type);
    assert.equal(OKTA_SYSTEM_LOG_FILTER, 'eventType sw "access.request."');
  });

  it('given configuration events of a routed family, then no row routes them', () => {
    for (const type of [
      'access.request.condition.create',
      'access.request.sequence.update',
      'access.request.settings.update',
    ])
      assert.equal(oktaRouteFor(type), undefined, type);
    assert.equal(oktaRouteFor('user.lifecycle.create'), undefined);
  });

  it('given a request event whose type only mentions a configuration family later on, then it is routed', () => {
    // The exception names the configuration families right after the prefix, not anywhere in the type.
    const type = 'access.request.update.access.request.settings.changed';
    assert.equal(oktaRouteFor(type)?.capability, 'okta-access-request');
  });

  it('given each row, then its capability is the folder its workflow lives in', () => {
    const workflows = join(__dirname, '..', '..', 'src', 'workflows');
    assert.deepEqual(
      OKTA_EVENT_ROUTES.map((r) => r.capability),
      ['okta-access-request'],
    );
    assert.equal(TICKET_NUDGE_ROUTE.capability, 'ticket-router');
    for (const capability of [...OKTA_EVENT_ROUTES.map((r) => r.capability), TICKET_NUDGE_ROUTE.capability]) {
      assert.ok(existsSync(join(workflows, capability, 'contract.ts')), capability);
    }
  });

  it('given a subject id, then each row names the workflow its capability contract names', () => {
    const row = oktaRouteFor('access.request.create');
    assert.ok(row);
    assert.equal(row.workflowType, 'oktaAccessRequest');
    assert.equal(row.workflowId('req1'), oktaRequestWorkflowId('req1'));
    assert.deepEqual(row.startArgs('req1'), [{ requestId: 'req1' }]);
    assert.equal(TICKET_NUDGE_ROUTE.workflowType, 'freshserviceTicket');
    assert.equal(TICKET_NUDGE_ROUTE.workflowId(42), ticketWorkflowId(42));
    assert.deepEqual(TICKET_NUDGE_ROUTE.startArgs(42), [{ ticketId: 42 }]);
  });
});
