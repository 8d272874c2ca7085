// Proves the ticket-routing rule the router applies to every Freshservice ticket: a ticket opened for an
// OIG request goes to that request whatever else it is, a catalog access request starts a catalog flow,
// and anything else is ignored; only a whole request tag names a request.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { oktaRequestOfTags, routeTicket } from '../../src/policy/ticket-routing';
import { oktaRequestTicketTag } from '../../src/workflows/okta-access-request/contract';

describe('routeTicket', () => {
  it('given a ticket tagged for an OIG request, then it goes to that request, even if it is a catalog request', () => {
    for (const isAccessRequest of [false, true]) {
      assert.deepEqual(
        routeTicket({ tags: ['access-bridge', oktaRequestTicketTag('req9Z')], isAccessRequest }),
        { capability: 'okta-request', requestId: 'req9Z' },
      );
    }
  });

  it('given an untagged catalog access request, then a catalog access flow', () => {
    assert.deepEqual(routeTicket({ tags: ['access-bridge'], isAccessRequest: true }), {
      capability: 'catalog-access',
    });
  });

  it('given any other ticket, then ignored', () => {
    assert.deepEqual(routeTicket({ tags: [], isAccessRequest: false }), { capability: 'ignored' });
    assert.deepEqual(routeTicket({ tags: ['ab-okta-permalink-7'], isAccessRequest: false }), {
      capability: 'ignored',
    });
  });

  it('given tags that only look like a request tag, then they name no request', () => {
    for (const tag of [
      'x-ab-okta-request-req1',
      'ab-okta-request-req1 extra',
      'ab-okta-request-',
      'ab-okta-request-r_1',
    ]) {
      assert.equal(oktaRequestOfTags([tag]), undefined, tag);
      assert.deepEqual(routeTicket({ tags: [tag], isAccessRequest: false }), { capability: 'ignored' }, tag);
    }
  });

  it('given two request tags, then the first one names the request', () => {
    assert.equal(oktaRequestOfTags(['ab-okta-request-first', 'ab-okta-request-second']), 'first');
  });
});
