// Which capability a Freshservice ticket's events belong to, read from what the ticket says about itself:
// pure, so the ticket router decides the same way on every replay and the rule is tested without Temporal.

/** What routing reads from a ticket: its tags and whether it asks for catalog access. */
export type RoutableTicket = { tags: readonly string[]; isAccessRequest: boolean };

/** Where a ticket's events go: the OIG request that opened it, a catalog access flow, or nowhere. */
export type TicketRouting =
  | { capability: 'okta-request'; requestId: string }
  | { capability: 'catalog-access' }
  | { capability: 'ignored' };

/** Prefix of the tag on a ticket opened for an OIG request; the request's id follows it. */
export const OKTA_REQUEST_TAG_PREFIX = 'ab-okta-request-';

const OKTA_REQUEST_TAG = new RegExp(`^${OKTA_REQUEST_TAG_PREFIX}([A-Za-z0-9]+)$`);

/** The OIG request a ticket was opened for, from the first tag that names one. */
export function oktaRequestOfTags(tags: readonly string[]): string | undefined {
  for (const tag of tags) {
    const requestId = OKTA_REQUEST_TAG.exec(tag)?.[1];
    if (requestId) return requestId;
  }
  return undefined;
}

/**
 * A ticket opened for an OIG request belongs to that request, whatever else it is; otherwise a ticket for
 * the access-request catalog item starts a catalog flow, and anything else is not access-bridge's.
 */
export function routeTicket(ticket: RoutableTicket): TicketRouting {
  const requestId = oktaRequestOfTags(ticket.tags);
  if (requestId !== undefined) return { capability: 'okta-request', requestId };
  return ticket.isAccessRequest ? { capability: 'catalog-access' } : { capability: 'ignored' };
}
