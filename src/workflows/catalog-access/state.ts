// The state of a catalog access request: the correlation record (ticket, people, Okta ids, approvals),
// every decision with who, when and through which channel, and the inbox of events and operator actions
// that the handlers fill and the main flow drains. Kept apart so the flow module reads as the process.
import type { FsPerson } from '../../activities/freshservice/contract';
import type { OktaPerson, OktaResource } from '../../activities/okta/contract';
import type { ApprovalLevel, EffectiveResource } from '../../policy/access';
import { SeenEvents } from '../shared/inbox';
import type {
  CancelAccessInput,
  CancelAccessResult,
  CatalogAccessState,
  ExtendAccessInput,
  ExtendAccessResult,
  LevelState,
  RecordDecisionInput,
} from './contract';

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

/**
 * Who and what the request is about, as the checks resolved them (or as the previous run carried them): the
 * policy resource, the Okta account and resource, the person's Freshservice record, the approval levels the
 * policy planned, the window asked for and the approval deadline (epoch ms, infinite for none).
 */
export type Subject = {
  resource: EffectiveResource;
  person: OktaPerson;
  target: OktaResource;
  fsPerson: FsPerson | null;
  levels: ApprovalLevel[];
  requestedWindow: { durationDays: number | null; endDate: string | null };
  expiresAtMs: number;
};

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

  private readonly seen: SeenEvents;

  constructor(seen: string[] = []) {
    this.seen = new SeenEvents(seen);
  }

  /** The dedupe keys, carried to the next run so a redelivery stays a duplicate across continue-as-new. */
  seenKeys(): string[] {
    return this.seen.keys();
  }

  /** Records an event key; false when it was seen before (a redelivery). */
  firstTime(key: string): boolean {
    return this.seen.firstTime(key);
  }

  get anyOperatorAction(): boolean {
    return this.decision !== null || this.cancel !== null || this.extension !== null;
  }
}
