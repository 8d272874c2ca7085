// The body that README tells a Freshservice admin to paste into each Workflow Automator "Trigger Webhook"
// action, one per event. The sandbox renders the same placeholders when its automator rules fire, and
// POST /webhooks/freshservice parses it. The event is a nudge: the workflow re-reads the ticket through
// the API, so only identifiers and change markers travel here. Freshservice may render ids with a
// prefix (SR-42) and numbers as strings; the receiver accepts both.

export const FRESHSERVICE_WEBHOOK_EVENTS = ['ticket_created', 'ticket_updated', 'approval_changed'] as const;
export type FreshserviceWebhookEvent = (typeof FRESHSERVICE_WEBHOOK_EVENTS)[number];

/** The JSON template with Freshservice placeholders, exactly as pasted into the automator action. */
export function freshserviceWebhookTemplate(event: FreshserviceWebhookEvent): string {
  return JSON.stringify(
    {
      event,
      ticket_id: '{{ticket.id}}',
      ticket_type: '{{ticket.type}}',
      status: '{{ticket.status}}',
      approval_status: '{{ticket.approval_status}}',
      requester_email: '{{ticket.requester.email}}',
      updated_at: '{{ticket.updated_at}}',
    },
    null,
    2,
  );
}

/** Header carrying the shared secret, configured as a custom header on the automator action. */
export const FRESHSERVICE_WEBHOOK_SECRET_HEADER = 'X-Access-Bridge-Secret';
