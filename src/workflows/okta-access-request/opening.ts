// Opening the Freshservice ticket for an OIG request: who it is for (read in Okta), one ticket per request
// whichever of its ids comes first, and a message on the request that links the ticket.
import { log, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { AccessRequestView } from '../../activities/okta/contract';
import { ACCESS_BRIDGE_TAG } from '../shared/contract';
import { RequesterEmailKey, ResourceNameKey, TicketIdKey } from '../shared/search-attributes';
import { oktaRequestPermalinkTag, oktaRequestTicketTag, ownerFromTicketTags } from './contract';
import { ticketDescription, ticketLinkMessage, ticketSubject } from './notes';
import { PATCH_ONE_TICKET } from './patches';
import type { OktaRequestRun } from './run';

/** How opening ended: the ticket is open, the workflow of the request's other id owns it, or nobody to open it for. */
export type Opening =
  { kind: 'opened' } | { kind: 'owned-by'; workflowId: string } | { kind: 'no-requester' };

export async function openTicket(run: OktaRequestRun, request: AccessRequestView): Promise<Opening> {
  const { state, okta, fs, settings } = run;
  state.phase = 'opening-ticket';
  run.step = 'read the requester in Okta';
  const person = request.requestedForId ? await okta.findPerson({ id: request.requestedForId }) : null;
  const requestedBy =
    request.requestedById && request.requestedById !== request.requestedForId
      ? await okta.findPerson({ id: request.requestedById })
      : null;
  const manager = person ? await okta.findManager(person) : null;
  const requesterEmail = person?.email || requestedBy?.email;
  if (!person || !requesterEmail) {
    log.error('OIG request has no Okta user to open a ticket for', { requestId: run.requestId });
    return { kind: 'no-requester' };
  }
  state.requester = { oktaUserId: person.id, email: requesterEmail, name: person.displayName };
  state.manager = manager ? { email: manager.email, name: manager.displayName } : null;
  state.resource = request.resource;
  state.accessDuration = request.accessDuration;
  const resourceName = request.resource?.name ?? request.catalogEntryId ?? 'an Okta resource';
  upsertSearchAttributes([
    { key: RequesterEmailKey, value: requesterEmail },
    { key: ResourceNameKey, value: resourceName },
  ]);

  run.step = 'open a Freshservice ticket';
  // The request's number in Okta is shared by its v1 and v2 ids: keyed by it, the ticket is found by
  // whichever workflow comes second, and the request keeps one ticket. Any ticket for the request was
  // touched after Okta created it, so the lookup reads from then.
  const permalinkTag =
    patched(PATCH_ONE_TICKET) && typeof request.permalinkId === 'number'
      ? oktaRequestPermalinkTag(request.permalinkId)
      : undefined;
  const startedAtMs = workflowInfo().startTime.getTime();
  const createdMs = Date.parse(request.created ?? '');
  const opened = await fs.openTicketOnce({
    markerTag: permalinkTag ?? oktaRequestTicketTag(run.requestId),
    extraTags: [
      ...(permalinkTag ? [oktaRequestTicketTag(run.requestId)] : []),
      ACCESS_BRIDGE_TAG,
      'okta-access-request',
    ],
    requesterEmail,
    subject: ticketSubject(resourceName, person),
    descriptionHtml: ticketDescription(request, person, manager, requestedBy),
    priority: settings.policy.oktaRequests.ticketPriority,
    notBeforeMs: permalinkTag && createdMs < startedAtMs ? createdMs : startedAtMs,
  });
  state.ticketId = opened.ticketId;
  state.ticketCreated = opened.created;
  if (permalinkTag && !opened.created) {
    // Found, not created: ours (a retry after a lost response), or opened by the workflow of the
    // request's other id, which then follows the request alone and gets our events.
    run.step = 'read the ticket of the request';
    const owner = ownerFromTicketTags((await fs.readTicket(opened.ticketId)).tags);
    if (owner && owner.workflowId !== workflowInfo().workflowId) {
      return { kind: 'owned-by', workflowId: owner.workflowId };
    }
  }
  upsertSearchAttributes([{ key: TicketIdKey, value: String(opened.ticketId) }]);

  run.step = 'message the Okta request with the ticket link';
  const ticketUrl = `${settings.links.freshserviceUrl}/a/tickets/${opened.ticketId}`;
  await okta.messageAccessRequest({
    requestId: run.requestId,
    version: request.version,
    message: ticketLinkMessage(opened.ticketId, ticketUrl),
  });
  state.phase = 'open';
  return { kind: 'opened' };
}
