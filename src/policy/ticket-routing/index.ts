// Which capability a Freshservice ticket's events belong to: each capability declares its claim on tickets
// in its contract (DESIGN.md section 2a), and this rule orders the claims. Pure, so the ticket router decides
// the same way on every replay and the rule is tested without Temporal; a new capability adds a claim to its
// own contract and edits nothing here.

/**
 * What a claim reads of a ticket: the ticket router passes its TicketView, which has these fields. `type` is
 * Freshservice's ticket type ('Incident', 'Service Request', …), `requestedItems` a service request's items.
 */
export type RoutableTicket = {
  id: number;
  type: string;
  subject: string | null;
  tags: readonly string[];
  isAccessRequest: boolean;
  requestedItems: readonly { serviceItemId: number | null }[];
};

/**
 * One capability's claim on Freshservice tickets. `claim` answers the workflow ID the ticket's events go
 * to, or undefined when the ticket is not the capability's.
 * - `owned`: a ticket the capability's own workflow opened (it carries that workflow's marker tag): its events
 *   are forwarded to that workflow by ID.
 * - `starts`: a ticket that starts the capability's workflow, run by the router as a child with the input
 *   `{ ticketId }` under that ID.
 * `route` names the claim in the router's state (stored in histories: never rename).
 */
export type TicketClaim =
  | { kind: 'owned'; route: string; claim(ticket: RoutableTicket): string | undefined }
  | {
      kind: 'starts';
      route: string;
      workflowType: string;
      claim(ticket: RoutableTicket): string | undefined;
    };

/** Where a ticket's events go. */
export type TicketRouting =
  | { kind: 'owned'; route: string; workflowId: string }
  | { kind: 'starts'; route: string; workflowId: string; workflowType: string }
  | { kind: 'ignored' };

/**
 * A ticket a workflow opened belongs to that workflow whatever else it is (the first `owned` claim that
 * answers, in the order given); otherwise the first capability it starts; otherwise it is not access-bridge's.
 */
export function routeTicket(ticket: RoutableTicket, claims: readonly TicketClaim[]): TicketRouting {
  for (const c of claims) {
    if (c.kind !== 'owned') continue;
    const workflowId = c.claim(ticket);
    if (workflowId !== undefined) return { kind: 'owned', route: c.route, workflowId };
  }
  for (const c of claims) {
    if (c.kind !== 'starts') continue;
    const workflowId = c.claim(ticket);
    if (workflowId !== undefined)
      return { kind: 'starts', route: c.route, workflowId, workflowType: c.workflowType };
  }
  return { kind: 'ignored' };
}
