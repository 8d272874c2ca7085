// The wire definitions every access workflow shares: the two event signals webhook intake and the
// reconcilers send, the search attributes that make runs findable, and the shape the operator CLI reads
// from any workflow's `state` for the audit export. Names here are stored in histories: never rename.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { TicketClaim } from '../../policy/ticket-routing';

export {
  OktaRequestIdKey,
  OutcomeKey,
  RequesterEmailKey,
  ResourceNameKey,
  SEARCH_ATTRIBUTE_KEYS,
  TicketIdKey,
} from './search-attributes';

/** A Freshservice webhook (or reconciler) nudge: the workflow re-reads the ticket. */
export type TicketEvent = {
  event: 'ticket_created' | 'ticket_updated' | 'approval_changed' | 'reconcile';
  ticketId: number;
  /** The ticket's updated_at as the sender saw it; with `event`, the dedupe key. */
  updatedAt: string | null;
  source: 'webhook' | 'reconciler' | 'forwarded';
};

/** An Okta event (hook delivery or System Log replay) about an OIG access request. */
export type OktaRequestEvent = {
  /** The LogEvent uuid: the dedupe key. */
  uuid: string;
  eventType: string;
  published: string;
  requestId: string;
  source: 'event-hook' | 'system-log' | 'forwarded';
};

export const ticketEventSignal = defineSignal<[TicketEvent]>('ticketEvent');
export const oktaRequestEventSignal = defineSignal<[OktaRequestEvent]>('oktaRequestEvent');

/** How a decision reached the workflow. */
export type DecisionChannel = 'freshservice-approval' | 'okta' | 'admin-api' | 'policy';

/** One decision on a request, as every access workflow records it (the audit trail's row). */
export type Decision = {
  decision: 'approved' | 'denied' | 'cancelled' | 'expired' | 'revoked' | 'extended';
  by: string;
  at: string;
  channel: DecisionChannel;
  level?: number;
  reason?: string;
};

/** Tag on every ticket access-bridge opens. */
export const ACCESS_BRIDGE_TAG = 'access-bridge';

/**
 * What the audit export reads from one run: the request it carries, the people and resource, its
 * decisions and outcome. Each capability's contract says how its `state` answer maps to this.
 */
export type AuditFields = {
  ticketId: number | null;
  oktaRequestId: string | null;
  requesterEmail: string | null;
  requestedForEmail: string | null;
  resource: string | null;
  decisions: Decision[];
  outcome: string | null;
};

/**
 * A capability's entry for the operator CLI: its workflow type (replay and export list runs by it) and how
 * to read its `state` answer for the audit export (`undefined` when the answer is not this shape, e.g. a
 * run from before a field existed).
 */
export type CapabilityContract = {
  workflowType: string;
  /** Access decisions live here: export and replay list its runs by default. */
  audited: boolean;
  auditFields(state: unknown): AuditFields | undefined;
  /** The Freshservice tickets whose events belong to this capability (the ticket router reads it). */
  ticketClaim?: TicketClaim;
};

/**
 * Marker of one workflow step, appended as the last thing in a note or reply, so a retried post finds the
 * earlier one. Only the last marker of a conversation access-bridge wrote counts (lastStepMarker): a marker in
 * text it quotes (a requester's justification) comes before it.
 */
export const stepMarker = (stepId: string) => `[ab:${stepId}]`;

/** The last step marker in a text (`[ab:<step>]`, no brackets inside), or undefined when it has none. */
export function lastStepMarker(text: string): string | undefined {
  let last: string | undefined;
  for (const m of text.matchAll(/\[ab:[^[\]]*\]/g)) last = m[0];
  return last;
}

/** Any access workflow's `state` query, untyped (each capability's contract has its typed one). */
export const stateQuery = defineQuery<unknown>('state');
