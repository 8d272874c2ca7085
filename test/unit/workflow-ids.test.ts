// Proves the business keys and markers that tie webhooks and vendor objects to their workflows: the exact
// workflow IDs (stored in histories, so a typo would split one request over two workflows), ticket ids in
// every shape Freshservice sends, and the catalog marker a requester could type but never place last.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACCESS_BRIDGE_TAG,
  oktaRequestEventSignal,
  stateQuery,
  stepMarker,
  ticketEventSignal,
} from '../../src/workflows/shared/contract';
import {
  CATALOG_ACCESS_WORKFLOW_TYPE,
  cancelAccessUpdate,
  catalogAccessContract,
  catalogAccessStateQuery,
  catalogAccessWorkflowId,
  extendAccessUpdate,
  recordDecisionUpdate,
  catalogRequestMarker,
  mentionsCatalogMarker,
  ticketFromRequestMarker,
  ticketFromTrailingMarker,
} from '../../src/workflows/catalog-access/contract';
import {
  OKTA_ACCESS_REQUEST_WORKFLOW_TYPE,
  oktaAccessRequestContract,
  oktaAccessRequestStateQuery,
  oktaRequestPermalinkTag,
  oktaRequestTicketTag,
  oktaRequestWorkflowId,
  ownerFromTicketTags,
} from '../../src/workflows/okta-access-request/contract';
import {
  TICKET_ROUTER_WORKFLOW_TYPE,
  parseTicketId,
  ticketRouterContract,
  ticketRouterStateQuery,
  ticketWorkflowId,
} from '../../src/workflows/ticket-router/contract';
import {
  RECONCILER_WORKFLOW_TYPE,
  reconcileNowUpdate,
  reconcilerContract,
  reconcilerStateQuery,
  reconcilerWorkflowId,
} from '../../src/workflows/reconcilers/contract';

describe('workflow IDs and tags', () => {
  it('given business keys, when IDs and tags are built, then they have the exact stored spelling', () => {
    assert.equal(oktaRequestWorkflowId('reqAbc'), 'okta-request:reqAbc');
    assert.equal(ticketWorkflowId(42), 'fs-ticket:42');
    assert.equal(catalogAccessWorkflowId(42), 'fs-ticket:42:access');
    assert.equal(oktaRequestTicketTag('reqAbc'), 'ab-okta-request-reqAbc');
    assert.equal(oktaRequestPermalinkTag(7), 'ab-okta-permalink-7');
    assert.equal(ACCESS_BRIDGE_TAG, 'access-bridge');
    assert.equal(catalogRequestMarker(42), '[access-bridge fs-ticket:42]');
    assert.equal(stepMarker('grant-1'), '[ab:grant-1]');
    assert.equal(
      reconcilerWorkflowId('okta-system-log', 'access-bridge'),
      'reconciler:okta-system-log:access-bridge',
    );
  });

  it('given ticket tags, when the owner is looked up, then only a whole request tag names the workflow', () => {
    assert.deepEqual(ownerFromTicketTags(['access-bridge', 'ab-okta-request-req9Z']), {
      workflowId: 'okta-request:req9Z',
      requestId: 'req9Z',
    });
    assert.equal(ownerFromTicketTags(['access-bridge', 'ab-okta-permalink-7']), undefined);
    assert.equal(ownerFromTicketTags(['x-ab-okta-request-req1']), undefined);
    assert.equal(ownerFromTicketTags(['ab-okta-request-req1 extra']), undefined);
    assert.equal(ownerFromTicketTags(['ab-okta-request-']), undefined);
    assert.equal(ownerFromTicketTags([]), undefined);
  });
});

describe('catalog markers', () => {
  it('given text with markers, when read for replay, then the first marker anywhere counts', () => {
    assert.equal(
      ticketFromRequestMarker('see [access-bridge fs-ticket:12] and [access-bridge fs-ticket:13]'),
      12,
    );
    assert.equal(ticketFromRequestMarker('no marker'), undefined);
    assert.equal(ticketFromRequestMarker(null), undefined);
    assert.equal(ticketFromRequestMarker(undefined), undefined);
    assert.equal(ticketFromRequestMarker('[access-bridge fs-ticket:]'), undefined);
  });

  it('given text with markers, when the owner is read, then only the marker ending the text counts', () => {
    assert.equal(
      ticketFromTrailingMarker('I typed [access-bridge fs-ticket:1] [access-bridge fs-ticket:2]'),
      2,
    );
    assert.equal(ticketFromTrailingMarker('[access-bridge fs-ticket:3]  \n'), 3);
    assert.equal(ticketFromTrailingMarker('[access-bridge fs-ticket:3] then more words'), undefined);
    assert.equal(ticketFromTrailingMarker('[access-bridge fs-ticket:1234567890123456]'), undefined);
    assert.equal(ticketFromTrailingMarker('[access-bridge fs-ticket:123456789012345]'), 123456789012345);
    assert.equal(ticketFromTrailingMarker(null), undefined);
    assert.equal(ticketFromTrailingMarker(undefined), undefined);
  });

  it('given text, when checked for a marker, then any marker prefix is a mention', () => {
    assert.equal(mentionsCatalogMarker('typed [access-bridge fs-ticket:9] by hand'), true);
    assert.equal(mentionsCatalogMarker('[access-bridge fs-ticket:'), true);
    assert.equal(mentionsCatalogMarker('access-bridge fs-ticket:9'), false);
    assert.equal(mentionsCatalogMarker(null), false);
    assert.equal(mentionsCatalogMarker(undefined), false);
  });
});

describe('parseTicketId', () => {
  it('given the shapes Freshservice sends, when parsed, then each is the ticket number', () => {
    assert.equal(parseTicketId('SR-42'), 42);
    assert.equal(parseTicketId('INC-7'), 7);
    assert.equal(parseTicketId('#42'), 42);
    assert.equal(parseTicketId(' 42 '), 42);
    assert.equal(parseTicketId(42), 42);
  });

  it('given values that are not a ticket id, when parsed, then undefined', () => {
    assert.equal(parseTicketId(0), undefined);
    assert.equal(parseTicketId(-3), undefined);
    assert.equal(parseTicketId(4.5), undefined);
    assert.equal(parseTicketId(2 ** 53), undefined);
    assert.equal(parseTicketId('SR-'), undefined);
    assert.equal(parseTicketId('42abc'), undefined);
    assert.equal(parseTicketId('x42'), undefined);
    assert.equal(parseTicketId('SR42'), undefined);
    assert.equal(parseTicketId('1-42'), undefined);
    assert.equal(parseTicketId('1234567890123456'), undefined);
    assert.equal(parseTicketId(''), undefined);
  });
});

describe('wire names', () => {
  // Stored in every history (test/fixtures/histories records each of them): a rename breaks replay of every
  // running request, so each keeps the spelling it was recorded with.
  it('given the workflow types, then each has its stored spelling', () => {
    assert.equal(CATALOG_ACCESS_WORKFLOW_TYPE, 'catalogAccessRequest');
    assert.equal(OKTA_ACCESS_REQUEST_WORKFLOW_TYPE, 'oktaAccessRequest');
    assert.equal(TICKET_ROUTER_WORKFLOW_TYPE, 'freshserviceTicket');
    assert.equal(RECONCILER_WORKFLOW_TYPE, 'reconciler');
  });

  it('given the signals and updates, then each has its stored spelling', () => {
    assert.deepEqual(ticketEventSignal, { type: 'signal', name: 'ticketEvent' });
    assert.deepEqual(oktaRequestEventSignal, { type: 'signal', name: 'oktaRequestEvent' });
    assert.deepEqual(extendAccessUpdate, { type: 'update', name: 'extendAccess' });
    assert.deepEqual(cancelAccessUpdate, { type: 'update', name: 'cancelAccess' });
    assert.deepEqual(recordDecisionUpdate, { type: 'update', name: 'recordDecision' });
    assert.deepEqual(reconcileNowUpdate, { type: 'update', name: 'reconcileNow' });
  });

  it('given each workflow’s typed state query, then it is the one `state` query the operator CLI asks', () => {
    for (const query of [
      stateQuery,
      catalogAccessStateQuery,
      oktaAccessRequestStateQuery,
      ticketRouterStateQuery,
      reconcilerStateQuery,
    ]) {
      assert.deepEqual(query, { type: 'query', name: 'state' });
    }
  });
});

describe('capability contracts for the operator CLI', () => {
  const decision = {
    decision: 'approved',
    by: 'margaret@acme.example',
    at: '2026-11-22T14:00:00.000Z',
    channel: 'freshservice-approval',
    level: 1,
  };

  it('given each contract, then its workflow type, and only the three access workflows are audited', () => {
    assert.equal(catalogAccessContract.workflowType, 'catalogAccessRequest');
    assert.equal(oktaAccessRequestContract.workflowType, 'oktaAccessRequest');
    assert.equal(ticketRouterContract.workflowType, 'freshserviceTicket');
    assert.equal(reconcilerContract.workflowType, 'reconciler');
    assert.equal(catalogAccessContract.audited, true);
    assert.equal(oktaAccessRequestContract.audited, true);
    assert.equal(ticketRouterContract.audited, true);
    assert.equal(reconcilerContract.audited, false);
  });

  it('given a catalog request’s state, then the audit row carries its ticket, people, OIG request and decisions', () => {
    assert.deepEqual(
      catalogAccessContract.auditFields({
        ticketId: 42,
        phase: 'done',
        requester: { email: 'grace@acme.example', fsId: 7 },
        requestedFor: { email: 'ada@acme.example', name: 'Ada', oktaUserId: '00u1', fsId: 8 },
        resource: { name: 'Salesforce', okta: null },
        oktaRequestId: 'reqAbc',
        decisions: [decision],
        outcome: 'granted',
      }),
      {
        ticketId: 42,
        oktaRequestId: 'reqAbc',
        requesterEmail: 'grace@acme.example',
        requestedForEmail: 'ada@acme.example',
        resource: 'Salesforce',
        decisions: [decision],
        outcome: 'granted',
      },
    );
    assert.equal(
      catalogAccessContract.auditFields({ ticketId: 42, oktaRequestId: null })?.oktaRequestId,
      null,
    );
    assert.equal(catalogAccessContract.auditFields({ ticketId: 42 })?.oktaRequestId, null);
    assert.equal(catalogAccessContract.auditFields('not a state'), undefined);
  });

  it('given an OIG request’s state, then the audit row’s OIG request is the request the run follows', () => {
    assert.deepEqual(
      oktaAccessRequestContract.auditFields({
        requestId: 'reqAbc',
        ticketId: 41,
        requester: { email: 'ada@acme.example' },
        decisions: [],
        outcome: 'approved',
      }),
      {
        ticketId: 41,
        oktaRequestId: 'reqAbc',
        requesterEmail: 'ada@acme.example',
        requestedForEmail: 'ada@acme.example',
        resource: null,
        decisions: [],
        outcome: 'approved',
      },
    );
    assert.equal(oktaAccessRequestContract.auditFields({ ticketId: 41 })?.oktaRequestId, null);
    assert.equal(oktaAccessRequestContract.auditFields(null), undefined);
  });

  it('given a ticket router’s state, then the audit row’s outcome is its route', () => {
    assert.deepEqual(
      ticketRouterContract.auditFields({
        ticketId: 42,
        route: 'catalog-access',
        target: 'fs-ticket:42:access',
        forwarded: 3,
        duplicates: 0,
      }),
      {
        ticketId: 42,
        oktaRequestId: null,
        requesterEmail: null,
        requestedForEmail: null,
        resource: null,
        decisions: [],
        outcome: 'catalog-access',
      },
    );
    assert.equal(ticketRouterContract.auditFields({ ticketId: 42, route: null })?.outcome, null);
    assert.equal(
      ticketRouterContract.auditFields({ ticketId: 42, outcome: 'x', route: 'ignored' })?.outcome,
      'x',
    );
    assert.equal(ticketRouterContract.auditFields([]), undefined);
  });

  it('given a reconciler’s state, then it makes no audit row', () => {
    assert.equal(
      reconcilerContract.auditFields({ source: 'okta-system-log', passes: 3, ticketId: 1, decisions: [] }),
      undefined,
    );
  });
});
