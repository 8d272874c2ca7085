// The contract of an access request raised in Okta Identity Governance (OIG): workflow type and ID, the
// tags that tie its Freshservice ticket back to it, the signals it answers, its typed `state` query and
// state. Code outside src/workflows imports this file, never the workflow. Wire names are stored in
// histories: never rename.
import { defineQuery } from '@temporalio/workflow';
import type { OktaRequestSettings } from '../../activities/settings';
import type { TicketClaim } from '../../policy/ticket-routing';
import { auditFieldsFrom } from '../shared/audit';
import type { CapabilityContract, Decision, OktaRequestEvent } from '../shared/contract';
import type { VendorRefusal } from '../shared/vendor-refusal';

export { oktaRequestEventSignal, ticketEventSignal } from '../shared/contract';
export type { OktaRequestEvent, TicketEvent } from '../shared/contract';

export const OKTA_ACCESS_REQUEST_WORKFLOW_TYPE = 'oktaAccessRequest';

/** `okta-request:<requestId>`: a redelivered event lands on the same run, a second start is impossible. */
export const oktaRequestWorkflowId = (requestId: string) => `okta-request:${requestId}`;

/** Prefix of the tag on a ticket opened for an OIG request; the request's id follows it. */
export const OKTA_REQUEST_TAG_PREFIX = 'ab-okta-request-';

const OKTA_REQUEST_TAG = new RegExp(`^${OKTA_REQUEST_TAG_PREFIX}([A-Za-z0-9]+)$`);

/** Tag on a ticket opened for an OIG request: the ticket router forwards its events to that workflow. */
export const oktaRequestTicketTag = (requestId: string) => `${OKTA_REQUEST_TAG_PREFIX}${requestId}`;

/** The OIG request a ticket was opened for, from the first tag that names one (a whole tag only). */
export function oktaRequestOfTags(tags: readonly string[]): string | undefined {
  for (const tag of tags) {
    const requestId = OKTA_REQUEST_TAG.exec(tag)?.[1];
    if (requestId) return requestId;
  }
  return undefined;
}
/**
 * Tag on a ticket opened for an OIG request, keyed by the request's number in Okta (its permalinkId), which
 * its v1 and v2 ids share: whichever id names the request first opens the ticket, the other finds it.
 */
export const oktaRequestPermalinkTag = (permalinkId: number) => `ab-okta-permalink-${permalinkId}`;

/** The OIG request workflow a ticket belongs to, from its tags (see oktaRequestTicketTag). */
export function ownerFromTicketTags(
  tags: readonly string[],
): { workflowId: string; requestId: string } | undefined {
  const requestId = oktaRequestOfTags(tags);
  return requestId === undefined ? undefined : { workflowId: oktaRequestWorkflowId(requestId), requestId };
}

/** A ticket opened for an OIG request belongs to that request's workflow, whatever else the ticket is. */
export const oktaAccessRequestTicketClaim: TicketClaim = {
  kind: 'owned',
  route: 'okta-request',
  claim: (ticket) => ownerFromTicketTags(ticket.tags)?.workflowId,
};

/** What one run hands the next on continue-as-new: the whole state, dedupe and notes-written included. */
export type CarriedOktaRequestRun = {
  state: OktaAccessRequestState;
  seenEvents: string[];
  seenTicketEvents: string[];
  /** Events received but not yet acted on (a forwarder's queue). */
  pendingEvents: OktaRequestEvent[];
  noted: string[];
  agentClosedMessaged: boolean;
  decisionNotedGrant: boolean;
  settings: OktaRequestSettings;
};

export type OktaAccessRequestInput = { requestId: string; carried?: CarriedOktaRequestRun };

export type OktaRequestOutcome =
  | 'approved'
  | 'denied'
  | 'cancelled'
  | 'expired'
  | 'forwarded'
  | 'not-found'
  | 'no-requester'
  /** A vendor refused a step for good: noted on the ticket (or the OIG request), left for an agent. */
  | 'vendor-refused'
  /** Okta approved but could not grant (grantStatus FAILED): nothing granted, the ticket open for an agent. */
  | 'approved-grant-failed'
  /** Okta approved but the grant is manual (grantStatus MANUAL_REQUIRED): the ticket open for an agent. */
  | 'approved-grant-manual'
  /** Okta could not remove time-bound access (revocationStatus FAILED): the ticket open for an agent. */
  | 'revocation-failed'
  /** Okta reported a request or grant status this product does not know: noted, the ticket open. */
  | 'unknown-status';

export type OktaAccessRequestState = {
  requestId: string;
  version: 'v1' | 'v2' | null;
  status: string | null;
  phase: 'reading' | 'forwarding' | 'opening-ticket' | 'open' | 'awaiting-revocation' | 'done';
  ticketId: number | null;
  ticketCreated: boolean;
  requester: { oktaUserId: string; email: string; name: string } | null;
  manager: { email: string; name: string } | null;
  resource: { type: string; id: string; name: string | null } | null;
  accessDuration: string | null;
  revocationScheduled: string | null;
  revoked: string | null;
  decisions: Decision[];
  eventsApplied: number;
  duplicateEvents: number;
  outcome: OktaRequestOutcome | null;
  forwardedTo: string | null;
  /** The vendor's permanent refusal that ended the flow, when one did. */
  refusal?: VendorRefusal | null;
  /** Okta's grantStatus as last read (PENDING, GRANTED, FAILED, MANUAL_REQUIRED). */
  grantStatus?: string | null;
  /** Runs so far (1 + continue-as-new hand-overs). */
  runs?: number;
};

/** The whole correlation record of one OIG request. */
export const oktaAccessRequestStateQuery = defineQuery<OktaAccessRequestState>('state');

export const oktaAccessRequestContract: CapabilityContract = {
  workflowType: OKTA_ACCESS_REQUEST_WORKFLOW_TYPE,
  audited: true,
  auditFields: (raw) => auditFieldsFrom(raw, (s) => ({ oktaRequestId: s.requestId ?? null })),
  ticketClaim: oktaAccessRequestTicketClaim,
};

/** The workflow's signature, for typed starts by name (`client.workflow.start<OktaAccessRequestWorkflow>`). */
export type OktaAccessRequestWorkflow = (input: OktaAccessRequestInput) => Promise<OktaAccessRequestState>;
