// The contract of a catalog access request (a Freshservice service request for Okta access): workflow
// type and ID, the marker that ties an OIG request it raises back to it, the operator updates, its typed
// `state` query, its state and what it carries across continue-as-new. Code outside src/workflows imports
// this file, never the workflow. Wire names are stored in histories: never rename.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CatalogAccessSettings } from '../../activities/settings';
import type { FsPerson } from '../../activities/freshservice/contract';
import type { OktaPerson, OktaResource } from '../../activities/okta/contract';
import type { ApprovalLevel, EffectiveResource } from '../../policy/access';
import type { TicketClaim } from '../../policy/ticket-routing';
import { auditFieldsFrom } from '../shared/audit';
import type { CapabilityContract, Decision } from '../shared/contract';
import type { VendorRefusal } from '../shared/vendor-refusal';

export { ticketEventSignal, oktaRequestEventSignal } from '../shared/contract';
export type { Decision, DecisionChannel, TicketEvent, OktaRequestEvent } from '../shared/contract';

export const CATALOG_ACCESS_WORKFLOW_TYPE = 'catalogAccessRequest';

/** `fs-ticket:<ticketId>:access`: the ticket router's child for a catalog access request. */
export const catalogAccessWorkflowId = (ticketId: number) => `fs-ticket:${ticketId}:access`;

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

/** The whole correlation record of one catalog access request. */
export const catalogAccessStateQuery = defineQuery<CatalogAccessState>('state');

export type CatalogOutcome =
  | 'granted'
  | 'granted-then-revoked'
  | 'already-had-access'
  | 'denied'
  | 'expired'
  | 'cancelled'
  | 'blocked-by-sod'
  | 'not-eligible'
  | 'invalid-request'
  | 'unknown-user'
  | 'unknown-resource'
  | 'no-approver'
  | 'failed'
  | 'already-handled'
  /** Several Okta accounts match the person's email at the same rank: nobody is asked, nothing granted. */
  | 'ambiguous-user'
  /** The Okta account's status may not receive access (policy eligibleAccountStatuses). */
  | 'account-not-eligible'
  /** Okta refused the grant; the ticket is open for an agent. */
  | 'grant-refused'
  /** Okta refused the revocation; the access stays and the ticket is open for an agent. */
  | 'revocation-refused'
  /** The revocation was sent but Okta still shows the access; the ticket is open for an agent. */
  | 'revocation-unverified'
  /** Any other step a vendor refused for good; the ticket is open for an agent. */
  | 'vendor-refused'
  /** An agent resolved or closed the ticket by hand before access was granted: the request ended there. */
  | 'closed-by-agent'
  /** The requested end passed while approval waited: nothing granted rather than a wider window. */
  | 'access-window-passed';

export type Phase =
  'reading' | 'checking' | 'awaiting-approval' | 'granting' | 'granted' | 'revoking' | 'closing' | 'done';

export type LevelState = {
  index: number;
  approver: string;
  reason: string;
  status: 'pending' | 'requested' | 'approved' | 'denied' | 'expired' | 'cancelled' | 'skipped';
  approvers: { id: number; name: string; email: string }[];
  approvalIds: number[];
  remindersSent: number;
  escalated: boolean;
  requestedAt: string | null;
};

export type CatalogAccessState = {
  ticketId: number;
  phase: Phase;
  requester: { email: string | null; fsId: number | null };
  requestedFor: { email: string | null; name: string | null; oktaUserId: string | null; fsId: number | null };
  resource: { name: string; okta: OktaResource | null };
  justification: string | null;
  approvalChannel: 'freshservice' | 'okta' | null;
  oktaRequestId: string | null;
  levels: LevelState[];
  decisions: Decision[];
  grant: {
    grantedAt: string | null;
    endAt: string | null;
    noticeSentFor: string | null;
    revokedAt: string | null;
    extensions: { from: string | null; to: string; by: string; at: string; approved: boolean }[];
  };
  eventsReceived: number;
  duplicateEvents: number;
  outcome: CatalogOutcome | null;
  reason: string | null;
  /** The vendor's permanent refusal that ended the request, when one did. */
  refusal: VendorRefusal | null;
  /** Runs of this request so far (1 + continue-as-new hand-overs). */
  runs: number;
  /** True while the request has ended on our side but its OIG request is still open and followed. */
  oktaRequestWatched?: boolean;
  /** Freshservice bookkeeping refused after the grant (notes, replies, status): recorded, the flow went on. */
  bookkeepingRefused: { what: string; type: string; summary: string; at: string }[];
};

/** Where a continued run picks the request up: the approval level it waits on, or the granted access. */
export type CatalogResumePoint =
  | { at: 'freshservice-approval'; level: number; nextReminderAt: number | null; escalateAt: number | null }
  | { at: 'okta-approval' }
  /** Approved: the next run grants (so the grant's steps start a history of their own). */
  | { at: 'grant' }
  /** Ended on our side while its OIG request is still open: the next run keeps following it. */
  | { at: 'okta-watch' }
  | { at: 'granted' };

/** Everything a run hands to the next one on continue-as-new: the whole state, dedupe keys included. */
export type CarriedCatalogRun = {
  state: CatalogAccessState;
  seen: string[];
  nudges: { approval: boolean; ticket: boolean; okta: boolean };
  settings: CatalogAccessSettings;
  resource: EffectiveResource;
  person: OktaPerson;
  target: OktaResource;
  fsPerson: FsPerson | null;
  levels: ApprovalLevel[];
  requestedWindow: { durationDays: number | null; endDate: string | null };
  /** Epoch ms of the approval deadline; null = none. */
  expiresAtMs: number | null;
  /** Epoch ms the grant was made; null before. */
  grantedAtMs: number | null;
  resume: CatalogResumePoint;
};

export type CatalogAccessInput = { ticketId: number; carried?: CarriedCatalogRun };

/** A ticket for the access-request catalog item starts a catalog access flow (the router's child). */
export const catalogAccessTicketClaim: TicketClaim = {
  kind: 'starts',
  route: 'catalog-access',
  workflowType: CATALOG_ACCESS_WORKFLOW_TYPE,
  claim: (ticket) => (ticket.isAccessRequest ? catalogAccessWorkflowId(ticket.id) : undefined),
};

export const catalogAccessContract: CapabilityContract = {
  workflowType: CATALOG_ACCESS_WORKFLOW_TYPE,
  audited: true,
  auditFields: (raw) => auditFieldsFrom(raw, (s) => ({ oktaRequestId: s.oktaRequestId ?? null })),
  ticketClaim: catalogAccessTicketClaim,
};

/** The workflow's signature, for typed starts by name. */
export type CatalogAccessWorkflow = (input: CatalogAccessInput) => Promise<CatalogAccessState>;
