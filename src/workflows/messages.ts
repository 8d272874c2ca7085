// The messages that reach access workflows: webhook events arrive as signals (the sender only needs a fast
// 2xx), operator actions that need an answer are updates with validators, and every workflow answers the
// `state` query. Wire names are stored in histories: choose once, never rename.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

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

export type Decision = {
  decision: 'approved' | 'denied' | 'cancelled' | 'expired' | 'revoked' | 'extended';
  by: string;
  at: string;
  channel: DecisionChannel;
  level?: number;
  reason?: string;
};

export type ExtendAccessInput = { endAt: string; requestedBy: string; reason?: string };
export type ExtendAccessResult =
  | { status: 'extended'; endAt: string }
  | { status: 'awaiting-approval'; endAt: string }
  /** A vendor refused a step while the extension was pending: the request ended with `outcome`. */
  | { status: 'refused'; outcome: string; reason: string };
export type CancelAccessInput = { requestedBy: string; reason?: string };
export type CancelAccessResult =
  | { status: 'revoked' | 'cancelled' | 'nothing-to-do'; at: string }
  /**
   * The revocation (or another step) was refused by a vendor, or the account could not be verified clean:
   * the outcome names it, `reason` says why, and the ticket is open for an agent.
   */
  | { status: 'revocation-refused' | 'revocation-unverified' | 'vendor-refused'; at: string; reason: string };
export type RecordDecisionInput = {
  decision: 'approved' | 'denied';
  /** Who decides: an email, or `Name <email>`. */
  approver: string;
  reason?: string;
  /** The level the decision is meant for; when given, a decision for any other level is refused. */
  level?: number;
};
export type RecordDecisionResult = { status: 'recorded'; level: number };

/** Extend time-bound access (re-approved first when the policy says so). */
export const extendAccessUpdate = defineUpdate<ExtendAccessResult, [ExtendAccessInput]>('extendAccess');
/** Revoke granted access now, or cancel a request still in approval. */
export const cancelAccessUpdate = defineUpdate<CancelAccessResult, [CancelAccessInput]>('cancelAccess');
/** Decide the current approval level on behalf of an approver. */
export const recordDecisionUpdate = defineUpdate<RecordDecisionResult, [RecordDecisionInput]>(
  'recordDecision',
);

/** Every access workflow answers `state` with its whole correlation record. */
export const stateQuery = defineQuery<unknown>('state');

/** One reconciler pass as its state and the `reconcileNow` update report it. */
export type ReconcilePassSummary = {
  pass: number;
  startedAt: string;
  finishedAt: string;
  /** Events (Okta) or tickets (Freshservice) read. */
  received: number;
  /** Signalled to their workflows (events routed, tickets nudged). */
  signalled: number;
  ignored: number;
  /** The pass failed (its activity gave up); the next pass starts from the same place. */
  error: string | null;
};

/** Run a reconciler pass now (started after this call) and answer with it. */
export const reconcileNowUpdate = defineUpdate<ReconcilePassSummary, []>('reconcileNow');
