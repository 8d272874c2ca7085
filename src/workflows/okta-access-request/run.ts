// One run of the OIG-request flow as its steps see it: the state its query answers, the events inbox, the
// notes already written, the vendors, and the step a refusal would name. Everything here travels to the
// next run on continue-as-new.
import { continueAsNew, patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { OktaRequestSettings } from '../../activities/settings';
import { vendorActivities } from '../shared/activity-proxies';
import { timeToContinueAsNew } from '../shared/history-budget';
import { OutcomeKey } from '../shared/search-attributes';
import type {
  CarriedOktaRequestRun,
  OktaAccessRequestState,
  OktaAccessRequestWorkflow,
  OktaRequestOutcome,
} from './contract';
import type { RequestInbox } from './inbox';
import { PATCH_CONTINUE_AS_NEW } from './patches';

export class OktaRequestRun {
  /** The step under way, named in the note when a vendor refuses it. */
  step = 'read the Okta request';
  readonly okta: ReturnType<typeof vendorActivities>['okta'];
  readonly fs: ReturnType<typeof vendorActivities>['fs'];
  /** Notes and steps done once per request (`pending`, `decision`, `ticket-settled`, …). */
  readonly noted: Set<string>;
  /** The requester was told that an agent settled the ticket while Okta still had the request open. */
  agentClosedMessaged: boolean;
  /** The decision note already reported the grant. */
  decisionNotedGrant: boolean;

  constructor(
    readonly requestId: string,
    readonly state: OktaAccessRequestState,
    readonly settings: OktaRequestSettings,
    readonly inbox: RequestInbox,
    carried: CarriedOktaRequestRun | undefined,
  ) {
    ({ okta: this.okta, fs: this.fs } = vendorActivities(settings.taskQueues));
    this.noted = new Set(carried?.noted);
    this.agentClosedMessaged = carried?.agentClosedMessaged ?? false;
    this.decisionNotedGrant = carried?.decisionNotedGrant ?? false;
  }

  /** The request's ticket: set once the ticket is open, before any step that writes on it. */
  get ticketId(): number {
    return this.state.ticketId!;
  }

  /** True the first time `key` is asked for (and marks it done). */
  firstTime(key: string): boolean {
    if (this.noted.has(key)) return false;
    this.noted.add(key);
    return true;
  }

  /** A public note on the ticket, written once per step id. */
  note(stepId: string, html: string): Promise<void> {
    return this.fs.addNoteOnce({ ticketId: this.ticketId, stepId, html, private: false });
  }

  /** Resolves the ticket as the policy says, unless an agent already settled it. */
  settleTicket(): Promise<void> {
    return this.fs.setTicketStatus({
      ticketId: this.ticketId,
      status: this.settings.policy.oktaRequests.finalTicketStatus,
      unlessSettledByAgent: true,
    });
  }

  /** Keeps the ticket open for an agent. */
  reopenTicket(): Promise<void> {
    return this.fs.setTicketStatus({ ticketId: this.ticketId, status: 'open' });
  }

  finish(outcome: OktaRequestOutcome): OktaAccessRequestState {
    this.state.outcome = outcome;
    this.state.phase = 'done';
    upsertSearchAttributes([{ key: OutcomeKey, value: outcome }]);
    return this.state;
  }

  /** Hands everything to a new run when the history is long; the new run re-reads the request first. */
  async continueIfLong(): Promise<void> {
    if (!patched(PATCH_CONTINUE_AS_NEW) || !(await timeToContinueAsNew(this.settings.historyMaxEvents)))
      return;
    await continueAsNew<OktaAccessRequestWorkflow>({
      requestId: this.requestId,
      carried: {
        state: this.state,
        seenEvents: this.inbox.oktaEvents.keys(),
        seenTicketEvents: this.inbox.ticketKeys.keys(),
        pendingEvents: this.state.phase === 'forwarding' ? [...this.inbox.pending] : [],
        noted: [...this.noted],
        agentClosedMessaged: this.agentClosedMessaged,
        decisionNotedGrant: this.decisionNotedGrant,
        settings: this.settings,
      },
    });
  }
}
