// The vendors' statuses in the product's words, as the flows read them: the words the activities put on
// their views or, for a view recorded before they did, the same words from the vendor's code tables
// (integrations/<vendor>/codes.ts, pure and import-free). Workflows compare these words only; an Okta or
// Freshservice code reaches a workflow only to be quoted in a note.
import type { TicketView } from '../../activities/freshservice/contract';
import type { AccessRequestView } from '../../activities/okta/contract';
import { ticketStanding, type TicketStanding } from '../../integrations/freshservice/codes';
import { accessRequestStanding, type AccessRequestStanding } from '../../integrations/okta/codes';

export type { AccessRequestStanding, TicketStanding };
export type { Ending, GrantStanding } from '../../integrations/okta/codes';

/** Where an OIG request, its grant and its revocation stand. */
export function requestWords(request: AccessRequestView): AccessRequestStanding {
  return request.standing ?? accessRequestStanding(request);
}

/** Where a Freshservice ticket stands. */
export function ticketWords(ticket: Pick<TicketView, 'status' | 'standing'>): TicketStanding {
  return ticket.standing ?? ticketStanding(ticket.status);
}
