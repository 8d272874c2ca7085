// Proves the business keys and markers that tie webhooks and vendor objects to their workflows: the exact
// workflow IDs (stored in histories, so a typo would split one request over two workflows), ticket ids in
// every shape Freshservice sends, and the catalog marker a requester could type but never place last.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ACCESS_BRIDGE_TAG, stepMarker } from '../../src/workflows/shared/contract';
import {
  catalogAccessWorkflowId,
  catalogRequestMarker,
  mentionsCatalogMarker,
  ticketFromRequestMarker,
  ticketFromTrailingMarker,
} from '../../src/workflows/catalog-access/contract';
import {
  oktaRequestPermalinkTag,
  oktaRequestTicketTag,
  oktaRequestWorkflowId,
  ownerFromTicketTags,
} from '../../src/workflows/okta-access-request/contract';
import { parseTicketId, ticketWorkflowId } from '../../src/workflows/ticket-router/contract';
import { reconcilerWorkflowId } from '../../src/workflows/reconcilers/contract';

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
