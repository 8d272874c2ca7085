// Proves the ticket-routing rule the router applies to every Freshservice ticket, with the capabilities'
// registered claims: a ticket opened for an OIG request goes to that request whatever else it is, a catalog
// access request starts a catalog flow, and anything else is ignored; only a whole request tag names a
// request. And the rule itself: owned claims win over starting ones, each kind in registry order.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routeTicket, type TicketClaim } from '../../src/policy/ticket-routing';
import { TICKET_CLAIMS } from '../../src/workflows/contracts';
import { oktaRequestOfTags, oktaRequestTicketTag } from '../../src/workflows/okta-access-request/contract';

/** A ticket's other fields, which today's claims do not read. */
const TICKET = { type: 'Service Request', subject: 'Access', requestedItems: [] };

const route = (tags: string[], isAccessRequest: boolean, id = 42) =>
  routeTicket({ ...TICKET, id, tags, isAccessRequest }, TICKET_CLAIMS);

describe('routeTicket', () => {
  it('given a ticket tagged for an OIG request, then it goes to that request, even if it is a catalog request', () => {
    for (const isAccessRequest of [false, true]) {
      assert.deepEqual(route(['access-bridge', oktaRequestTicketTag('req9Z')], isAccessRequest), {
        kind: 'owned',
        route: 'okta-request',
        workflowId: 'okta-request:req9Z',
      });
    }
  });

  it('given an untagged catalog access request, then a catalog access flow', () => {
    assert.deepEqual(route(['access-bridge'], true, 7), {
      kind: 'starts',
      route: 'catalog-access',
      workflowId: 'fs-ticket:7:access',
      workflowType: 'catalogAccessRequest',
    });
  });

  it('given any other ticket, then ignored', () => {
    assert.deepEqual(route([], false), { kind: 'ignored' });
    assert.deepEqual(route(['ab-okta-permalink-7'], false), { kind: 'ignored' });
  });

  it('given tags that only look like a request tag, then they name no request', () => {
    for (const tag of [
      'x-ab-okta-request-req1',
      'ab-okta-request-req1 extra',
      'ab-okta-request-',
      'ab-okta-request-r_1',
    ]) {
      assert.equal(oktaRequestOfTags([tag]), undefined, tag);
      assert.deepEqual(route([tag], false), { kind: 'ignored' }, tag);
    }
  });

  it('given two request tags, then the first one names the request', () => {
    assert.equal(oktaRequestOfTags(['ab-okta-request-first', 'ab-okta-request-second']), 'first');
  });

  it('given claims of both kinds, then an owned claim wins over a starting one listed before it, and the first of a kind wins', () => {
    const claims: TicketClaim[] = [
      { kind: 'starts', route: 'starts-a', workflowType: 'a', claim: (t) => `a:${t.id}` },
      { kind: 'starts', route: 'starts-b', workflowType: 'b', claim: (t) => `b:${t.id}` },
      { kind: 'owned', route: 'owned-x', claim: (t) => (t.tags.includes('x') ? 'x-owner' : undefined) },
      { kind: 'owned', route: 'owned-y', claim: (t) => (t.tags.includes('y') ? 'y-owner' : undefined) },
    ];
    const ticket = (tags: string[]) => ({ ...TICKET, id: 5, tags, isAccessRequest: false });
    assert.deepEqual(routeTicket(ticket(['y', 'x']), claims), {
      kind: 'owned',
      route: 'owned-x',
      workflowId: 'x-owner',
    });
    assert.deepEqual(routeTicket(ticket([]), claims), {
      kind: 'starts',
      route: 'starts-a',
      workflowId: 'a:5',
      workflowType: 'a',
    });
    assert.deepEqual(routeTicket(ticket([]), []), { kind: 'ignored' });
  });

  it('given the registry, then each capability a ticket reaches declares its claim there', () => {
    assert.deepEqual(
      TICKET_CLAIMS.map((c) => [c.kind, c.route]),
      [
        ['owned', 'okta-request'],
        ['starts', 'catalog-access'],
      ],
    );
  });
});
