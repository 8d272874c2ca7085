// Workflow IDs are business keys, so a redelivered webhook lands on the same workflow and a second start is
// impossible. The same helpers build the markers that tie vendor objects back to the workflow that made them.

export const oktaRequestWorkflowId = (requestId: string) => `okta-request:${requestId}`;
export const ticketWorkflowId = (ticketId: number) => `fs-ticket:${ticketId}`;
export const catalogAccessWorkflowId = (ticketId: number) => `fs-ticket:${ticketId}:access`;

/** Tag on a ticket opened for an OIG request: the ticket router forwards its events to that workflow. */
export const oktaRequestTicketTag = (requestId: string) => `ab-okta-request-${requestId}`;
/**
 * Tag on a ticket opened for an OIG request, keyed by the request's number in Okta (its permalinkId), which
 * its v1 and v2 ids share: whichever id names the request first opens the ticket, the other finds it.
 */
export const oktaRequestPermalinkTag = (permalinkId: number) => `ab-okta-permalink-${permalinkId}`;
export const ACCESS_BRIDGE_TAG = 'access-bridge';

export function ownerFromTicketTags(tags: string[]): { workflowId: string; requestId: string } | undefined {
  for (const tag of tags) {
    const m = /^ab-okta-request-([A-Za-z0-9]+)$/.exec(tag);
    if (m?.[1]) return { workflowId: oktaRequestWorkflowId(m[1]), requestId: m[1] };
  }
  return undefined;
}

/** Text placed in an OIG request raised for a catalog ticket, so its events are forwarded there. */
export const catalogRequestMarker = (ticketId: number) => `[access-bridge fs-ticket:${ticketId}]`;

/** The first marker anywhere in the text: how runs before the owner check read it (kept for replay). */
export function ticketFromRequestMarker(text: string | null | undefined): number | undefined {
  const m = /\[access-bridge fs-ticket:(\d+)\]/.exec(text ?? '');
  return m?.[1] ? Number(m[1]) : undefined;
}

/** Whether a text mentions a catalog marker at all (a requester may type one: it proves nothing alone). */
export const mentionsCatalogMarker = (text: string | null | undefined) =>
  (text ?? '').includes('[access-bridge fs-ticket:');

/**
 * The catalog ticket a request raised by access-bridge belongs to: the marker that ends the text, because
 * the catalog flow appends its own after whatever the requester wrote (which may hold other markers).
 * Only meaningful for a request access-bridge's own Okta principal created.
 */
export function ticketFromTrailingMarker(text: string | null | undefined): number | undefined {
  const m = /\[access-bridge fs-ticket:(\d{1,15})\]\s*$/.exec(text ?? '');
  return m?.[1] ? Number(m[1]) : undefined;
}

/** Marker of one workflow step inside a note or reply, so a retried post finds the earlier one. */
export const stepMarker = (stepId: string) => `[ab:${stepId}]`;

/** Freshservice ids may arrive as "SR-42", "INC-7", "#42", 42 or "42". */
export function parseTicketId(raw: string | number): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw > 0 ? raw : undefined;
  const m = /^\s*(?:[A-Za-z]+-|#)?(\d{1,15})\s*$/.exec(raw);
  return m?.[1] ? Number(m[1]) : undefined;
}

export type ReconcilerSource = 'okta-system-log' | 'freshservice-tickets';

/** One reconciler per source and deployment (its workflows task queue), whatever shares the namespace. */
export const reconcilerWorkflowId = (source: ReconcilerSource, taskQueue: string) =>
  `reconciler:${source}:${taskQueue}`;
