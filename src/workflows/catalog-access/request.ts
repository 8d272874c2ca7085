// What a run's message handlers and its steps share, before and after the vendors are reachable: the state
// the query shows, the inbox the handlers fill, who and what the request is about, and the level an operator
// decision applies to now. Also the rules that answer operator actions from that alone.
import { toMs } from './carried-run';
import type { CatalogAccessInput, CatalogAccessState, CatalogOutcome } from './contract';
import { Inbox, initialState, type Subject } from './state';

export class CatalogRequest {
  readonly ticketId: number;
  readonly state: CatalogAccessState;
  readonly inbox: Inbox;
  /** Set once the checks resolved it, or carried from the previous run. */
  subject: Subject | undefined;
  /** The approval level an operator decision is taken for; 0 while none is pending. */
  currentLevel: number;

  constructor({ ticketId, carried }: CatalogAccessInput) {
    this.ticketId = ticketId;
    this.state = carried?.state ?? initialState(ticketId);
    if (carried) this.state.runs += 1;
    // A state carried from a run before this field existed.
    this.state.bookkeepingRefused ??= [];
    this.inbox = new Inbox(carried?.seen);
    if (carried) {
      this.inbox.approvalNudge = carried.nudges.approval;
      this.inbox.ticketNudge = carried.nudges.ticket;
      this.inbox.oktaNudge = carried.nudges.okta;
    }
    this.subject = carried && {
      resource: carried.resource,
      person: carried.person,
      target: carried.target,
      fsPerson: carried.fsPerson ?? null,
      levels: carried.levels ?? [],
      requestedWindow: carried.requestedWindow ?? { durationDays: null, endDate: null },
      expiresAtMs: toMs(carried.expiresAtMs ?? null),
    };
    this.currentLevel = carried?.resume.at === 'freshservice-approval' ? carried.resume.level : 0;
  }

  /** Why a decision for `level` can no longer be taken (it was decided, naming who), or undefined. */
  decidedLevel(level: number): string | undefined {
    const ls = this.state.levels[level - 1];
    if (!ls || (ls.status !== 'approved' && ls.status !== 'denied')) return undefined;
    const d = [...this.state.decisions].reverse().find((x) => x.level === level);
    return `approval ${level} was already ${ls.status}${d ? ` by ${d.by} (${d.channel})` : ''}`;
  }

  /**
   * Whether an address (an email, or `Name <email>`) is the requester's or belongs to the person the access
   * is for, under any of their names: the email typed on the form, and the resolved Okta account's email
   * and login (which may differ from what the form said, e.g. a secondary email).
   */
  isSelfAddress(address: string): boolean {
    const bracketed = /<([^<>\s]+@[^<>\s]+)>/.exec(address);
    const email = (bracketed?.[1] ?? address).trim().toLowerCase();
    const person = this.subject?.person;
    const selves = [
      this.state.requestedFor.email,
      this.state.requester.email,
      person ? person.email : null,
      person ? person.login : null,
    ];
    return selves.some((s) => typeof s === 'string' && s.toLowerCase() === email);
  }

  /** The pending operator decision lost to one that landed first: its caller gets a 409 naming who. */
  refusePendingDecision(level: number): void {
    if (!this.inbox.decision) return;
    this.inbox.decisionRefused = this.decidedLevel(level) ?? `approval ${level} was already decided`;
    this.inbox.decision = null;
    this.inbox.decisionTaken = true;
  }

  /** A pending cancel is answered: the request was cancelled before any access existed. */
  answerCancelled(): void {
    if (this.inbox.cancel) {
      this.inbox.cancelResult = { status: 'cancelled', at: new Date().toISOString() };
      this.inbox.cancel = null;
    }
  }

  /** Operator actions that arrive when they can no longer apply get an answer, never a hang. */
  answerPendingActions(refused?: { outcome: CatalogOutcome; reason: string }): void {
    const { inbox, state } = this;
    if (inbox.cancel) {
      inbox.cancelResult =
        refused &&
        (refused.outcome === 'revocation-refused' ||
          refused.outcome === 'revocation-unverified' ||
          refused.outcome === 'vendor-refused')
          ? { status: refused.outcome, at: new Date().toISOString(), reason: refused.reason }
          : { status: 'nothing-to-do', at: new Date().toISOString() };
      inbox.cancel = null;
    }
    if (inbox.decision) {
      inbox.decisionRefused = `the request ended (${state.outcome ?? state.phase}) before approval ${inbox.decision.level} took this decision`;
      inbox.decision = null;
      inbox.decisionTaken = true;
    }
    if (inbox.extension && refused) {
      inbox.extensionResult = { status: 'refused', outcome: refused.outcome, reason: refused.reason };
      inbox.extension = null;
    }
  }
}
