// One run of a catalog access request once its settings are loaded: the request it works on, the vendors
// it reaches and the primitives every step shares (a note, a recorded decision, the end of the request, an
// agent's close, the hand-over to a new run). The steps are modules that take this object.
import { continueAsNew, patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { CatalogAccessSettings } from '../../activities/settings';
import {
  calendarDateProblem,
  computeAccessWindow,
  type AccessWindow,
  type AccessWindowRequest,
  type EffectiveResource,
} from '../../policy/access';
import { vendorActivities } from '../shared/activity-proxies';
import type { Decision } from '../shared/contract';
import { timeToContinueAsNew } from '../shared/history-budget';
import { OutcomeKey } from '../shared/search-attributes';
import { ticketWords } from '../shared/vendor-words';
import { fromMs } from './carried-run';
import type {
  CarriedCatalogRun,
  CatalogAccessInput,
  CatalogAccessState,
  CatalogOutcome,
  CatalogResumePoint,
} from './contract';
import { SETTLED_BY_AGENT } from './decisions';
import { closedByAgentNote } from './notes';
import { PATCH_AGENT_CLOSE, PATCH_CALENDAR_DATES, PATCH_CONTINUE_AS_NEW } from './patches';
import type { CatalogRequest } from './request';
import type { Subject } from './state';

type Vendors = ReturnType<typeof vendorActivities>;

export class CatalogRun {
  readonly okta: Vendors['okta'];
  readonly fs: Vendors['fs'];
  readonly policy: CatalogAccessSettings['policy'];
  /** What the step under way is doing, for the refusal note. */
  step = 'handle the request';
  /** Epoch ms the grant was made (0 before). */
  grantedAtMs: number;

  constructor(
    readonly request: CatalogRequest,
    readonly settings: CatalogAccessSettings,
    carriedGrantedAtMs: number | null | undefined,
  ) {
    const { okta, fs } = vendorActivities(settings.taskQueues);
    this.okta = okta;
    this.fs = fs;
    this.policy = settings.policy;
    this.grantedAtMs = carriedGrantedAtMs ?? 0;
  }

  get ticketId(): number {
    return this.request.ticketId;
  }

  get state(): CatalogAccessState {
    return this.request.state;
  }

  get inbox() {
    return this.request.inbox;
  }

  /** Who and what the request is about: known once the checks passed (or carried). */
  get subject(): Subject {
    const subject = this.request.subject;
    if (!subject) throw new Error('the request has not been checked yet');
    return subject;
  }

  note(stepId: string, html: string) {
    return this.fs.addNoteOnce({ ticketId: this.ticketId, stepId: `access-${stepId}`, html });
  }

  /**
   * The requested access window if granted at `atMs`. A day the calendar lacks (2027-02-30) is refused; a run
   * that reached this point before that rule rolls it over as it did then (the patch marker is written only
   * for such dates, so other histories are unchanged).
   */
  accessWindow(resource: EffectiveResource, requested: AccessWindowRequest, atMs: number): AccessWindow {
    const calendarRollover =
      !!requested.endDate &&
      calendarDateProblem(requested.endDate) !== undefined &&
      !patched(PATCH_CALENDAR_DATES);
    return computeAccessWindow(resource, requested, atMs, { calendarRollover });
  }

  record(d: Omit<Decision, 'at'> & { at?: string }): void {
    this.state.decisions.push({ at: new Date().toISOString(), ...d });
  }

  /** Ends the request: note why, settle requested items and the ticket, publish the outcome. */
  async finish(
    outcome: CatalogOutcome,
    html: string,
    opts: { items?: 'fulfilled' | 'cancelled'; status?: 'resolved' | 'closed' | 'keep-open' } = {},
  ): Promise<CatalogAccessState> {
    const { state, ticketId } = this;
    state.phase = 'closing';
    state.outcome = outcome;
    await this.note(`outcome-${outcome}`, html);
    if (opts.items) await this.fs.setRequestedItemsStage({ ticketId, stage: opts.items });
    const status = opts.status ?? this.policy.defaults.finalTicketStatus;
    // Never out of a status an agent chose (Resolved or Closed by hand).
    if (status !== 'keep-open')
      await this.fs.setTicketStatus({ ticketId, status, unlessSettledByAgent: true });
    upsertSearchAttributes([{ key: OutcomeKey, value: outcome }]);
    state.phase = 'done';
    this.request.answerPendingActions();
    return state;
  }

  /**
   * An agent resolved or closed the ticket by hand: the request ends there. Approvals are closed and no
   * access is left (done by the caller), the note says so, and the ticket keeps the status the agent chose.
   */
  closedByAgent(accessRemoved: boolean): Promise<CatalogAccessState> {
    this.request.answerCancelled();
    return this.finish('closed-by-agent', closedByAgentNote(this.state, accessRemoved), {
      items: 'cancelled',
      status: 'keep-open',
    });
  }

  /** Whether an agent has resolved or closed the ticket by hand (read only after a ticket nudge). */
  async settledByAgent(): Promise<boolean> {
    if (!patched(PATCH_AGENT_CLOSE)) return false;
    const t = await this.fs.readTicket(this.ticketId);
    if (!SETTLED_BY_AGENT.has(ticketWords(t))) return false;
    this.state.reason = `the service desk set the ticket to ${t.statusName}`;
    return true;
  }

  /** Hands the whole request to a new run when the history is long; only at a point it can resume from. */
  async continueIfLong(resume: CatalogResumePoint): Promise<void> {
    if (!patched(PATCH_CONTINUE_AS_NEW)) return;
    const { inbox, settings, state } = this;
    if (!(await timeToContinueAsNew(settings.historyMaxEvents, () => inbox.anyOperatorAction))) return;
    const s = this.subject;
    const next: CarriedCatalogRun = {
      state,
      seen: inbox.seenKeys(),
      nudges: { approval: inbox.approvalNudge, ticket: inbox.ticketNudge, okta: inbox.oktaNudge },
      settings,
      resource: s.resource,
      person: s.person,
      target: s.target,
      fsPerson: s.fsPerson,
      levels: s.levels,
      requestedWindow: s.requestedWindow,
      expiresAtMs: fromMs(s.expiresAtMs),
      grantedAtMs: state.grant.grantedAt ? this.grantedAtMs : null,
      resume,
    };
    await continueAsNew<(input: CatalogAccessInput) => Promise<CatalogAccessState>>({
      ticketId: this.ticketId,
      carried: next,
    });
  }
}
