// Placing a service request, shared by the API's place_request and the sandbox actor endpoint: resolves
// the requester and the person the request is for, validates the item's custom fields, and creates the
// Service Request ticket with its requested item.
import type { TicketRecord, UserRecord } from './records';
import { validateCatalogFields } from './catalog-fields';
import type { FreshserviceStore } from './store';
import { invalidValue, notFound } from './wire';

export type PlaceRequestInput = {
  /** Requester email; undefined = the calling agent raises the request. */
  requesterEmail?: string;
  requestedForEmail?: string;
  quantity?: number;
  customFields?: Record<string, unknown>;
  parentTicketId?: number;
  /** Field names to use in errors (the API and the actor endpoint name them differently). */
  fieldNames?: { requester: string; requestedFor: string };
};

export function placeServiceRequest(
  store: FreshserviceStore,
  displayId: number,
  input: PlaceRequestInput,
): TicketRecord {
  const item = store.getCatalogItem(displayId);
  if (!item || item.deleted) throw notFound();
  const names = input.fieldNames ?? { requester: 'email', requestedFor: 'requested_for' };

  let requester: UserRecord | undefined;
  if (input.requesterEmail !== undefined) {
    requester = store.findUserByEmail(input.requesterEmail);
    if (!requester)
      throw invalidValue(names.requester, `There is no requester with the email ${input.requesterEmail}`);
  } else {
    const agentId = store.apiAgentId();
    requester = agentId === null ? undefined : store.getUser(agentId);
    if (!requester) throw invalidValue(names.requester, 'There is no agent to raise the request: pass email');
  }
  if (!requester.active) throw invalidValue(names.requester, 'The requester is deactivated');

  const fields = validateCatalogFields(item, input.customFields ?? {});

  // The person the request is for: the request's requested_for, else the item's own field, else the requester.
  let requestedFor = requester;
  const fromField = typeof fields.requested_for_email === 'string' ? fields.requested_for_email : undefined;
  const forEmail = input.requestedForEmail ?? fromField;
  if (forEmail !== undefined) {
    const found = store.findUserByEmail(forEmail);
    if (!found) {
      throw invalidValue(
        input.requestedForEmail !== undefined ? names.requestedFor : 'custom_fields.requested_for_email',
        `There is no user with the email ${forEmail}`,
      );
    }
    requestedFor = found;
  }

  return store.placeRequest({
    item,
    requester,
    requestedFor,
    quantity: input.quantity ?? 1,
    customFields: fields,
    ...(input.parentTicketId !== undefined ? { parentTicketId: input.parentTicketId } : {}),
  });
}
