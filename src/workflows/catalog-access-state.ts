// The state of a catalog access request: the correlation record (ticket, people, Okta ids, approvals),
// every decision with who, when and through which channel, and the inbox of events and operator actions
// that the handlers fill and the main flow drains. Kept apart so the flow module reads as the process.
import type { OktaResource } from '../activities/views';
import type { VendorRefusal } from './shared/vendor-refusal';
import type {
  CancelAccessInput,
  CancelAccessResult,
  Decision,
  ExtendAccessInput,
  ExtendAccessResult,
  RecordDecisionInput,
} from './messages';

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

/** A level not yet asked: who approves it (as the policy names them) and why it exists. */
export function pendingLevel(level: { index: number; approver: string; reason: string }): LevelState {
  return {
    index: level.index,
    approver: level.approver,
    reason: level.reason,
    status: 'pending',
    approvers: [],
    approvalIds: [],
    remindersSent: 0,
    escalated: false,
    requestedAt: null,
  };
}

export function initialState(ticketId: number): CatalogAccessState {
  return {
    ticketId,
    phase: 'reading',
    requester: { email: null, fsId: null },
    requestedFor: { email: null, name: null, oktaUserId: null, fsId: null },
    resource: { name: '', okta: null },
    justification: null,
    approvalChannel: null,
    oktaRequestId: null,
    levels: [],
    decisions: [],
    grant: { grantedAt: null, endAt: null, noticeSentFor: null, revokedAt: null, extensions: [] },
    eventsReceived: 0,
    duplicateEvents: 0,
    outcome: null,
    reason: null,
    refusal: null,
    runs: 1,
    bookkeepingRefused: [],
  };
}

/** What the handlers leave for the main flow; each request carries its own answer slot. */
export class Inbox {
  /** A Freshservice approval may have changed (webhook or reconciler nudge). */
  approvalNudge = false;
  /** The ticket changed in some other way. */
  ticketNudge = false;
  /** An event about the OIG request raised on the user's behalf. */
  oktaNudge = false;
  decision: (RecordDecisionInput & { level: number }) | null = null;
  decisionTaken = false;
  /** Why the taken decision was not applied (the level was decided first by someone else). */
  decisionRefused: string | null = null;
  cancel: CancelAccessInput | null = null;
  cancelResult: CancelAccessResult | null = null;
  extension: ExtendAccessInput | null = null;
  extensionResult: ExtendAccessResult | null = null;

  private readonly seen: Set<string>;

  constructor(seen: string[] = []) {
    this.seen = new Set(seen);
  }

  /** The dedupe keys, carried to the next run so a redelivery stays a duplicate across continue-as-new. */
  seenKeys(): string[] {
    return [...this.seen];
  }

  /** Records an event key; false when it was seen before (a redelivery). */
  firstTime(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  get anyOperatorAction(): boolean {
    return this.decision !== null || this.cancel !== null || this.extension !== null;
  }
}
