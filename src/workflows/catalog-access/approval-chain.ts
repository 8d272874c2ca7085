// The Freshservice approval chain of a catalog request, level by level: each level asks its approvers (never
// the requester nor the person the access is for), reminds them, escalates, expires at the deadline, and
// takes whichever decision lands first: an approver's in Freshservice, an operator's, a cancel, an agent's close.
import { log, patched } from '@temporalio/workflow';
import type { ApprovalView, FsPerson } from '../../activities/freshservice/contract';
import type { ApprovalLevel, TApprover } from '../../policy/access';
import { fromMs, toMs } from './carried-run';
import type { CatalogResumePoint, LevelState } from './contract';
import { landedDecision, waitUntil, type LevelResult } from './decisions';
import * as notes from './notes';
import { PATCH_NO_SELF_APPROVAL } from './patches';
import type { CatalogRun } from './run';

type ResumedLevel = Extract<CatalogResumePoint, { at: 'freshservice-approval' }>;

/** The request's own chain, from its first level or from the level the previous run waited on. */
export async function runApprovalChain(
  run: CatalogRun,
  resume: CatalogResumePoint | undefined,
): Promise<LevelResult> {
  const { state, request } = run;
  const { levels, expiresAtMs } = run.subject;
  let verdict: LevelResult = 'approved';
  const from = resume?.at === 'freshservice-approval' ? resume.level : 1;
  for (const level of levels) {
    if (level.index < from) continue;
    request.currentLevel = level.index;
    const ls = state.levels[level.index - 1];
    if (!ls) throw new Error(`approval ${level.index} has no state`);
    verdict = await new FreshserviceLevel(run, level, ls, expiresAtMs, 'request').decide(
      resume?.at === 'freshservice-approval' && resume.level === level.index ? resume : undefined,
    );
    if (verdict !== 'approved') break;
  }
  return verdict;
}

/**
 * One Freshservice approval level: request, remind, escalate, expire, or take an operator decision. A level
 * of the request's own chain also hands over to a new run and ends on an agent's close; an extension's
 * level rides on the granted phase's run.
 */
export class FreshserviceLevel {
  private readonly stepId: string;
  private nextReminder = Number.POSITIVE_INFINITY;
  private escalateAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly run: CatalogRun,
    private readonly level: ApprovalLevel,
    private readonly ls: LevelState,
    private readonly deadlineMs: number,
    private readonly kind: 'request' | 'extension',
  ) {
    this.stepId = `${kind === 'request' ? 'level' : 'extension'}-${level.index}`;
  }

  /** `resumed` carries the timers of a level the previous run had already requested. */
  async decide(resumed?: ResumedLevel): Promise<LevelResult> {
    const { run, level, inbox } = this;
    if (resumed) {
      this.nextReminder = toMs(resumed.nextReminderAt);
      this.escalateAt = toMs(resumed.escalateAt);
    } else if (!(await this.ask())) {
      return 'no-approver';
    }

    for (;;) {
      if (this.kind === 'request') {
        await run.continueIfLong({
          at: 'freshservice-approval',
          level: level.index,
          nextReminderAt: fromMs(this.nextReminder),
          escalateAt: fromMs(this.escalateAt),
        });
      }
      const wakeAt = Math.min(this.nextReminder, this.escalateAt, this.deadlineMs);
      const nudged = await waitUntil(
        () =>
          inbox.approvalNudge ||
          inbox.oktaNudge ||
          inbox.ticketNudge ||
          inbox.decision !== null ||
          inbox.cancel !== null,
        wakeAt,
      );
      const ticketChanged = inbox.ticketNudge;
      inbox.ticketNudge = false;

      if (inbox.cancel) return this.cancel(inbox.cancel);
      if (inbox.decision) return this.takeOperatorDecision(inbox.decision);
      // An agent resolving or closing the ticket by hand ends the request (only the request's own chain).
      if (ticketChanged && this.kind === 'request' && (await run.settledByAgent()))
        return this.closedByAgent();

      // Re-read on every nudge and every timer: a missed webhook costs at most one reminder interval.
      inbox.approvalNudge = false;
      inbox.oktaNudge = false;
      const decided = await this.readLanded();
      if (decided) return decided;
      if (nudged) continue;

      const now = Date.now();
      if (now >= this.deadlineMs) return this.expire();
      if (now >= this.escalateAt) {
        const landed = await this.escalate();
        if (landed) return landed;
        continue;
      }
      if (now >= this.nextReminder) await this.remind(now);
    }
  }

  private get inbox() {
    return this.run.inbox;
  }

  /** Asks the level's approvers (or the escalation target when it has none); false when nobody can approve. */
  private async ask(): Promise<boolean> {
    const { run, level, ls, stepId } = this;
    const { resource } = run.subject;
    const first = await approversFor(run, level.approver);
    let approvers = first.people;
    if (approvers.length === 0 && resource.escalationTarget) {
      approvers = (await approversFor(run, resource.escalationTarget)).people;
      ls.escalated = true;
    }
    const self = first.selfExcluded.map((p) => p.name || p.email).join(', ');
    if (approvers.length === 0) {
      ls.status = 'skipped';
      if (self && patched(PATCH_NO_SELF_APPROVAL)) {
        await run.note(
          `${stepId}-self-excluded`,
          notes.selfOnlyApproverNote(level.index, level.reason, self, this.kind === 'extension'),
        );
      }
      return false;
    }
    await this.request(approvers, ls.escalated ? '-escalated' : '');
    if (self && patched(PATCH_NO_SELF_APPROVAL)) {
      await run.note(
        `${stepId}-self-excluded`,
        notes.selfExcludedNote(level.index, approvers.map((p) => p.name || p.email).join(', '), self),
      );
    }
    this.nextReminder = resource.reminderInterval
      ? Date.now() + resource.reminderInterval
      : Number.POSITIVE_INFINITY;
    this.escalateAt =
      resource.escalationDelay && resource.escalationTarget && !ls.escalated
        ? Date.now() + resource.escalationDelay
        : Number.POSITIVE_INFINITY;
    return true;
  }

  /** Asks `people` to approve the level, replacing whoever was asked before. */
  private async request(people: FsPerson[], suffix: string): Promise<void> {
    const { run, level, ls, stepId } = this;
    const { state } = run;
    const { target, person } = run.subject;
    const requestedAt = new Date().toISOString();
    const ids = await run.fs.requestApprovalsOnce({
      ticketId: run.ticketId,
      approverIds: people.map((p) => p.id),
      emailContent: notes.approvalEmail(target, person, state.justification),
      notBeforeMs: Date.now(),
      // Earlier levels', extensions' and (before escalation) this level's own approvals are not ours.
      knownApprovalIds: state.levels.flatMap((l) => l.approvalIds),
    });
    // Approvers, ids and status change together, so a state query never pairs new people with old ids.
    ls.approvers = people.map((p) => ({ id: p.id, name: p.name, email: p.email }));
    ls.approvalIds = ids;
    ls.requestedAt = requestedAt;
    ls.status = 'requested';
    await run.note(
      `${stepId}-requested${suffix}`,
      notes.approvalRequestedNote(level.index, level.reason, people.map((p) => p.name || p.email).join(', ')),
    );
  }

  private async cancel(first: NonNullable<CatalogRun['inbox']['cancel']>): Promise<LevelResult> {
    const { level, ls } = this;
    const landed = await this.close();
    if (landed) this.take(landed);
    else ls.status = 'cancelled';
    // Read after the close: a cancel sent meanwhile replaced the first one.
    const cancel = this.inbox.cancel ?? first;
    this.run.record({
      decision: 'cancelled',
      by: cancel.requestedBy,
      channel: 'admin-api',
      level: level.index,
      reason: cancel.reason,
    });
    return 'cancelled';
  }

  private async takeOperatorDecision(d: NonNullable<CatalogRun['inbox']['decision']>): Promise<LevelResult> {
    const { run, level, ls, inbox } = this;
    // The approvers' own decisions count if they landed before the close: the admin's then comes second.
    const landed = await this.close();
    if (landed) return this.take(landed);
    ls.status = d.decision === 'approved' ? 'approved' : 'denied';
    run.record({
      decision: d.decision,
      by: d.approver,
      channel: 'admin-api',
      level: level.index,
      reason: d.reason,
    });
    inbox.decision = null;
    inbox.decisionTaken = true;
    await run.note(
      `${this.stepId}-admin-${d.decision}`,
      notes.adminDecisionNote(level.index, d.decision, d.approver, d.reason),
    );
    return d.decision === 'approved' ? 'approved' : 'denied';
  }

  /** The decision that landed in Freshservice, if one did; the level's other approvals are then closed. */
  private async readLanded(): Promise<LevelResult | undefined> {
    const { run, ls } = this;
    const views = await run.fs.readApprovals({ ticketId: run.ticketId, approvalIds: ls.approvalIds });
    const decided = landedDecision(views);
    if (!decided) return undefined;
    // Another approver of the level may have decided too (an agent group): a rejection outweighs.
    const after = landedDecision([
      decided,
      ...((await run.fs.cancelApprovals({ ticketId: run.ticketId, approvalIds: ls.approvalIds })) ?? []),
    ]);
    return this.take(after ?? decided);
  }

  private async closedByAgent(): Promise<LevelResult> {
    const landed = await this.close();
    if (landed) this.take(landed);
    else this.ls.status = 'cancelled';
    return 'closed-by-agent';
  }

  private async remind(now: number): Promise<void> {
    const { run, ls } = this;
    await run.fs.remindApprovals({ ticketId: run.ticketId, approvalIds: ls.approvalIds });
    ls.remindersSent += 1;
    this.nextReminder = now + (run.subject.resource.reminderInterval ?? Number.POSITIVE_INFINITY);
  }

  private async expire(): Promise<LevelResult> {
    const landed = await this.close();
    if (landed) return this.take(landed);
    this.ls.status = 'expired';
    this.run.record({
      decision: 'expired',
      by: 'access policy',
      channel: 'policy',
      level: this.level.index,
      reason: 'no decision before the deadline',
    });
    return 'expired';
  }

  /** Asks the escalation target instead, once; a decision that landed meanwhile is returned instead. */
  private async escalate(): Promise<LevelResult | undefined> {
    const { run, ls } = this;
    this.escalateAt = Number.POSITIVE_INFINITY;
    const target = run.subject.resource.escalationTarget;
    const escalated = target ? (await approversFor(run, target)).people : [];
    if (escalated.length === 0) return undefined;
    const landed = await this.close();
    if (landed) return this.take(landed);
    await this.request(escalated, '-escalated');
    // Only now: whoever reads the state sees the new approvers together with the flag.
    ls.escalated = true;
    log.info('approval escalated', { ticketId: run.ticketId, level: this.level.index });
    return undefined;
  }

  /**
   * Closes the level's open approvals; a decision an approver made before the close took effect stands
   * (it landed first) and is returned, so no check-then-act loses or overrides it.
   */
  private async close(): Promise<ApprovalView | undefined> {
    const { run, ls } = this;
    return landedDecision(
      await run.fs.cancelApprovals({ ticketId: run.ticketId, approvalIds: ls.approvalIds }),
    );
  }

  /** Records the decision Freshservice holds for the level and answers what it means. */
  private take(decided: ApprovalView): LevelResult {
    const { run, level, ls } = this;
    const rejected = decided.status === 'rejected';
    ls.status = rejected ? 'denied' : 'approved';
    const who = ls.approvers.find((a) => a.id === decided.approverId);
    run.record({
      decision: rejected ? 'denied' : 'approved',
      by: who ? `${who.name} <${who.email}>` : (decided.approverName ?? String(decided.approverId)),
      at: decided.updatedAt ?? undefined,
      channel: 'freshservice-approval',
      level: level.index,
      reason: decided.remark ?? undefined,
    });
    // A decision an operator sent meanwhile came second: its caller is told who decided.
    run.request.refusePendingDecision(level.index);
    return rejected ? 'denied' : 'approved';
  }
}

/** Whether `p` is the requester or the person the access is for: never an approver of this request. */
function isSelf(run: CatalogRun, p: FsPerson): boolean {
  const { fsPerson } = run.subject;
  return (
    run.request.isSelfAddress(p.email) ||
    p.id === run.state.requester.fsId ||
    (fsPerson !== null && p.id === fsPerson.id)
  );
}

/**
 * Who approves for `approver`, never the requester nor the person the access is for; those left out are
 * reported so the level's note can say why it went elsewhere.
 */
async function approversFor(
  run: CatalogRun,
  approver: TApprover,
): Promise<{ people: FsPerson[]; selfExcluded: FsPerson[] }> {
  const { fs, okta } = run;
  const { fsPerson, person, resource } = run.subject;
  const found: FsPerson[] = [];
  const manager = async () => {
    if (fsPerson?.reportingManagerId) return fs.getPerson(fsPerson.reportingManagerId);
    const oktaManager = await okta.findManager(person);
    return oktaManager ? fs.findPersonByEmail(oktaManager.email) : null;
  };
  if (approver === 'manager') {
    const m = await manager();
    if (m) found.push(m);
  } else if (approver === 'managers-manager') {
    const m = await manager();
    const mm = m?.reportingManagerId ? await fs.getPerson(m.reportingManagerId) : null;
    if (mm) found.push(mm);
  } else if (approver === 'owner') {
    if (resource.owner && resource.owner !== 'owner')
      found.push(...(await approversFor(run, resource.owner)).people);
  } else if ('email' in approver) {
    const p = await fs.findPersonByEmail(approver.email);
    if (p) found.push(p);
  } else {
    found.push(...(await fs.agentGroupMembers(approver.group)));
  }
  return { people: found.filter((p) => !isSelf(run, p)), selfExcluded: found.filter((p) => isSelf(run, p)) };
}
