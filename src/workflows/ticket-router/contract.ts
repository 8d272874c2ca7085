// The contract of the ticket router: every Freshservice webhook lands on `fs-ticket:<ticketId>`, which
// forwards it to the workflow that owns the ticket or starts the flow the ticket asks for (the capabilities'
// ticket claims). Workflow type and ID,
// the ticket-id parsing webhooks use, the typed `state` query and state. Wire names are stored in
// histories: never rename.
import { defineQuery } from '@temporalio/workflow';
import { auditFieldsFrom } from '../shared/audit';
import type { CapabilityContract, TicketEvent } from '../shared/contract';
import type { VendorRefusal } from '../shared/vendor-refusal';

export { ticketEventSignal } from '../shared/contract';
export type { TicketEvent } from '../shared/contract';

export const TICKET_ROUTER_WORKFLOW_TYPE = 'freshserviceTicket';

/** `fs-ticket:<ticketId>`: every event about a ticket reaches the same router. */
export const ticketWorkflowId = (ticketId: number) => `fs-ticket:${ticketId}`;

/** Freshservice ids may arrive as "SR-42", "INC-7", "#42", 42 or "42". */
export function parseTicketId(raw: string | number): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw > 0 ? raw : undefined;
  const m = /^\s*(?:[A-Za-z]+-|#)?(\d{1,15})\s*$/.exec(raw);
  return m?.[1] ? Number(m[1]) : undefined;
}

/** A forwarding router's hand-over on continue-as-new: its state, dedupe keys and unsent events. */
export type CarriedTicketRouterRun = {
  state: FreshserviceTicketState;
  seen: string[];
  pending: TicketEvent[];
  historyMaxEvents: number;
};

export type FreshserviceTicketInput = { ticketId: number; carried?: CarriedTicketRouterRun };

/**
 * Where the router sent a ticket: a capability's claim (its `route`: 'okta-request', 'catalog-access', …),
 * or one of the router's own outcomes.
 */
export type TicketRoute =
  | (string & Record<never, never>)
  | 'already-handled'
  | 'ignored'
  | 'not-found'
  /** Freshservice refused to show the ticket (e.g. 403): nothing can be routed; logged for an operator. */
  | 'refused';

export type FreshserviceTicketState = {
  ticketId: number;
  route: TicketRoute | null;
  target: string | null;
  forwarded: number;
  duplicates: number;
  refusal?: VendorRefusal | null;
  runs?: number;
};

/** Where the router sent the ticket's events, and how many. */
export const ticketRouterStateQuery = defineQuery<FreshserviceTicketState>('state');

export const ticketRouterContract: CapabilityContract = {
  workflowType: TICKET_ROUTER_WORKFLOW_TYPE,
  audited: true,
  auditFields: (raw) => auditFieldsFrom(raw, (s) => ({ outcome: s.outcome ?? s.route ?? null })),
};

/** The workflow's signature, for typed starts by name. */
export type TicketRouterWorkflow = (input: FreshserviceTicketInput) => Promise<FreshserviceTicketState>;
