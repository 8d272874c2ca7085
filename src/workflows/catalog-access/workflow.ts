// An access request raised from the Freshservice service catalog, carried to Okta: resolve the person and
// the resource, check eligibility and separation of duties, run the approval chain (Freshservice approvals
// level by level with reminders, escalation and expiry, or an OIG request when configured), grant and
// verify in Okta, resolve the ticket, and revoke time-bound access at its end with a notice before.
// Workflow ID `fs-ticket:<ticketId>:access`, a child of the ticket's router workflow.
import {
  type CancelAccessInput,
  cancelAccessUpdate,
  type CarriedCatalogRun,
  type CatalogAccessInput,
  type CatalogAccessState,
  catalogAccessStateQuery,
  type CatalogOutcome,
  catalogRequestMarker,
  type CatalogResumePoint,
  type ExtendAccessInput,
  extendAccessUpdate,
  type LevelState,
  type RecordDecisionInput,
  recordDecisionUpdate,
} from './contract';
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type {
  ApprovalView,
  FsPerson,
  OktaPerson,
  OktaResource,
  PersonResolution,
  TicketView,
} from '../../activities/views';
import {
  checkAccountStatus,
  checkEligibility,
  checkExtension,
  computeAccessWindow,
  describeApprover,
  findSodConflicts,
  planApprovals,
  resolveResource,
  sodRelatedResources,
  type ApprovalLevel,
  type EffectiveResource,
  type TApprover,
} from '../../policy';
import { loadSettings, vendorActivities } from '../shared/activity-proxies';
import { initialState, Inbox, pendingLevel } from './state';
import { escapeHtml, formatInstant, htmlList } from '../shared/format';
import { oktaRequestEventSignal, ticketEventSignal, type Decision } from '../shared/contract';
import {
  OktaRequestIdKey,
  OutcomeKey,
  RequesterEmailKey,
  ResourceNameKey,
  TicketIdKey,
} from '../shared/search-attributes';
import { fromMs, toMs } from './carried-run';
import { landedDecision, refusalOutcome, SETTLED_BY_AGENT, waitUntil, type LevelResult } from './decisions';
import {
  PATCH_ACCOUNT_STATUS,
  PATCH_AGENT_CLOSE,
  PATCH_BOOKKEEPING,
  PATCH_CONTINUE_AS_NEW,
  PATCH_IDENTITY,
  PATCH_NO_SELF_APPROVAL,
  PATCH_OKTA_WATCH,
  PATCH_REFUSALS,
  PATCH_WINDOW_FAIL_CLOSED,
} from './patches';
import { OPEN_STATUSES as OPEN_OIG_STATUSES } from '../okta-access-request/standing';
import { timeToContinueAsNew } from '../shared/history-budget';
import { refusalHtml, vendorRefusal, type VendorRefusal } from '../shared/vendor-refusal';

export async function catalogAccessRequest(input: CatalogAccessInput) {
  const { ticketId, carried } = input;
  const state = carried?.state ?? initialState(ticketId);
  if (carried) state.runs += 1;
  // A state carried from a run before this field existed.
  state.bookkeepingRefused ??= [];
  const inbox = new Inbox(carried?.seen);
  if (carried) {
    inbox.approvalNudge = carried.nudges.approval;
    inbox.ticketNudge = carried.nudges.ticket;
    inbox.oktaNudge = carried.nudges.okta;
  }
  let resourceForValidators: EffectiveResource | undefined = carried?.resource;
  let currentLevel = carried?.resume.at === 'freshservice-approval' ? carried.resume.level : 0;

  setHandler(catalogAccessStateQuery, () => state);
  setHandler(ticketEventSignal, (event) => {
    state.eventsReceived += 1;
    if (event.updatedAt && !inbox.firstTime(`fs:${event.event}:${event.updatedAt}`)) {
      state.duplicateEvents += 1;
      return;
    }
    if (event.event === 'approval_changed' || event.event === 'reconcile') inbox.approvalNudge = true;
    else inbox.ticketNudge = true;
  });
  setHandler(oktaRequestEventSignal, (event) => {
    state.eventsReceived += 1;
    if (!inbox.firstTime(`okta:${event.uuid}`)) {
      state.duplicateEvents += 1;
      return;
    }
    inbox.oktaNudge = true;
  });
  setHandler(
    recordDecisionUpdate,
    async (decision) => {
      const level = currentLevel;
      inbox.decision = { ...decision, level };
      inbox.decisionTaken = false;
      inbox.decisionRefused = null;
      await condition(() => inbox.decisionTaken);
      // Accepted but overtaken (the level was decided first): refused, never answered `recorded` and dropped.
      if (inbox.decisionRefused) {
        throw ApplicationFailure.create({
          type: 'DECISION_REFUSED',
          message: inbox.decisionRefused,
          nonRetryable: true,
        });
      }
      return { status: 'recorded' as const, level };
    },
    {
      validator: (decision: RecordDecisionInput) => {
        if (state.phase !== 'awaiting-approval')
          throw new Error(`no approval is pending (phase: ${state.phase})`);
        if (!decision.approver.trim()) throw new Error('approver is required');
        // At most one decision per level: a second one is refused at once, naming the first.
        const pending = inbox.decision;
        if (pending) {
          throw new Error(
            `approval ${pending.level} already has a decision being applied: ${pending.decision} by ${pending.approver}`,
          );
        }
        const decided = decidedLevel(currentLevel);
        if (decided) throw new Error(decided);
        if (decision.level !== undefined && decision.level !== currentLevel) {
          throw new Error(
            `the decision is for approval ${decision.level}, but ${
              currentLevel > 0
                ? `approval ${currentLevel} is the one pending`
                : 'no numbered approval is pending'
            }${decidedLevel(decision.level) ? ` (${decidedLevel(decision.level)})` : ''}`,
          );
        }
        // Nobody approves their own request, through the admin API either (a denial is always allowed).
        if (decision.decision === 'approved' && isSelfAddress(decision.approver)) {
          throw new Error(
            `${decision.approver} requested this access or would receive it, and nobody approves their own request`,
          );
        }
      },
    },
  );
  setHandler(
    cancelAccessUpdate,
    async (request) => {
      inbox.cancel = request;
      inbox.cancelResult = null;
      await condition(() => inbox.cancelResult !== null);
      return inbox.cancelResult!;
    },
    {
      validator: (request: CancelAccessInput) => {
        if (!request.requestedBy.trim()) throw new Error('requestedBy is required');
        if (state.phase === 'done' || state.phase === 'closing')
          throw new Error('the request is already finished');
        if (state.phase === 'reading' || state.phase === 'checking' || state.phase === 'granting') {
          throw new Error(`the request is ${state.phase}; try again in a moment`);
        }
      },
    },
  );
  setHandler(
    extendAccessUpdate,
    async (request) => {
      inbox.extension = request;
      inbox.extensionResult = null;
      await condition(() => inbox.extensionResult !== null);
      return inbox.extensionResult!;
    },
    {
      validator: (request: ExtendAccessInput) => {
        if (state.phase !== 'granted') throw new Error(`access is not granted (phase: ${state.phase})`);
        if (!state.grant.endAt) throw new Error('access is permanent; nothing to extend');
        if (inbox.extension) throw new Error('an extension is already being processed');
        const newEnd = Date.parse(request.endAt);
        if (Number.isNaN(newEnd)) throw new Error(`endAt "${request.endAt}" is not a date`);
        if (newEnd <= Date.parse(state.grant.endAt))
          throw new Error('endAt must be later than the current end');
        const verdict = checkExtension(
          resourceForValidators!,
          Date.parse(state.grant.grantedAt!),
          newEnd,
          Date.now(),
        );
        if (!verdict.ok) throw new Error(verdict.reason);
      },
    },
  );

  if (!carried) upsertSearchAttributes([{ key: TicketIdKey, value: String(ticketId) }]);
  const settings = carried?.settings ?? (await loadSettings());
  const { okta, fs } = vendorActivities(settings.taskQueues);
  const policy = settings.policy;

  const note = (stepId: string, html: string) =>
    fs.addNoteOnce({ ticketId, stepId: `access-${stepId}`, html });
  const record = (d: Omit<Decision, 'at'> & { at?: string }) => {
    state.decisions.push({ at: new Date().toISOString(), ...d });
  };

  /** Ends the request: note why, settle requested items and the ticket, publish the outcome. */
  async function finish(
    outcome: CatalogOutcome,
    html: string,
    opts: { items?: 'fulfilled' | 'cancelled'; status?: 'resolved' | 'closed' | 'keep-open' } = {},
  ) {
    state.phase = 'closing';
    state.outcome = outcome;
    await note(`outcome-${outcome}`, html);
    if (opts.items) await fs.setRequestedItemsStage({ ticketId, stage: opts.items });
    const status = opts.status ?? policy.defaults.finalTicketStatus;
    // Never out of a status an agent chose (Resolved or Closed by hand).
    if (status !== 'keep-open') await fs.setTicketStatus({ ticketId, status, unlessSettledByAgent: true });
    upsertSearchAttributes([{ key: OutcomeKey, value: outcome }]);
    state.phase = 'done';
    answerPendingActions();
    return state;
  }

  /** Operator actions that arrive when they can no longer apply get an answer, never a hang. */
  function answerPendingActions(refused?: { outcome: CatalogOutcome; reason: string }) {
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

  /** Why a decision for `level` can no longer be taken (it was decided, naming who), or undefined. */
  function decidedLevel(level: number): string | undefined {
    const ls = state.levels[level - 1];
    if (!ls || (ls.status !== 'approved' && ls.status !== 'denied')) return undefined;
    const d = [...state.decisions].reverse().find((x) => x.level === level);
    return `approval ${level} was already ${ls.status}${d ? ` by ${d.by} (${d.channel})` : ''}`;
  }

  /** The pending operator decision lost to one that landed first: its caller gets a 409 naming who. */
  function refusePendingDecision(level: number) {
    if (!inbox.decision) return;
    inbox.decisionRefused = decidedLevel(level) ?? `approval ${level} was already decided`;
    inbox.decision = null;
    inbox.decisionTaken = true;
  }

  /**
   * A vendor refused a step for good: say so on the ticket (what, why, what to do), leave the ticket open for
   * an agent, and end with an outcome the state query and the Outcome search attribute show. The run never
   * ends FAILED; if even the note is refused (the ticket is gone), the outcome still stands.
   */
  async function refused(refusal: VendorRefusal, what: string) {
    const outcome = refusalOutcome(refusal);
    state.outcome = outcome;
    state.refusal = refusal;
    state.reason = `${refusal.vendorCode ? `${refusal.vendorCode} ` : ''}${refusal.summary}`;
    state.phase = 'closing';
    // Access still held is said plainly: nothing will remove it once this run has ended.
    const stillHeld =
      state.grant.grantedAt && !state.grant.revokedAt
        ? `<p><b>${escapeHtml(target.name)} is still held by ${escapeHtml(person.displayName)} in Okta and will not be removed automatically${
            state.grant.endAt ? ` (it was due to end at ${escapeHtml(formatInstant(state.grant.endAt))})` : ''
          }.</b> Remove it in Okta when the request is settled.</p>`
        : '';
    try {
      await note(
        `refused-${refusal.activity}-${state.decisions.length}`,
        `${refusalHtml(refusal, what)}${stillHeld}`,
      );
      await fs.setTicketStatus({ ticketId, status: 'open' });
    } catch (err) {
      if (!vendorRefusal(err)) throw err;
      log.error('the refusal could not be written to the ticket', { ticketId, outcome });
    }
    upsertSearchAttributes([{ key: OutcomeKey, value: outcome }]);
    state.phase = 'done';
    answerPendingActions({ outcome, reason: state.reason });
    return state;
  }

  /**
   * Freshservice bookkeeping once access is granted (notes, replies, ticket status): a refusal is recorded
   * and logged, and the flow goes on, because it still owes the revocation at the end of the window.
   */
  async function bookkeeping(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      const refusal = vendorRefusal(err);
      if (!refusal || refusal.vendor !== 'freshservice' || !patched(PATCH_BOOKKEEPING)) throw err;
      state.bookkeepingRefused.push({
        what,
        type: refusal.type,
        summary: refusal.summary,
        at: new Date().toISOString(),
      });
      log.warn('Freshservice refused bookkeeping; the access flow goes on', {
        ticketId,
        what,
        type: refusal.type,
      });
    }
  }

  // What the request acts on; set by the checks below or carried from the previous run.
  let resource: EffectiveResource = carried?.resource as EffectiveResource;
  let person: OktaPerson = carried?.person as OktaPerson;
  let target: OktaResource = carried?.target as OktaResource;
  let fsPerson: FsPerson | null = carried?.fsPerson ?? null;
  let levels: ApprovalLevel[] = carried?.levels ?? [];
  let requestedWindow = carried?.requestedWindow ?? { durationDays: null, endDate: null };
  let expiresAtMs = toMs(carried?.expiresAtMs ?? null);
  let grantedAtMs = carried?.grantedAtMs ?? 0;
  /** What the step under way is doing, for the refusal note. */
  let step = 'handle the request';

  try {
    return await run();
  } catch (err) {
    const refusal = vendorRefusal(err);
    if (!refusal || !patched(PATCH_REFUSALS)) throw err;
    return await refused(refusal, step);
  }

  /** Hands the whole request to a new run when the history is long; only at a point it can resume from. */
  async function continueIfLong(resume: CatalogResumePoint): Promise<void> {
    if (!patched(PATCH_CONTINUE_AS_NEW)) return;
    if (!(await timeToContinueAsNew(settings.historyMaxEvents, () => inbox.anyOperatorAction))) return;
    const next: CarriedCatalogRun = {
      state,
      seen: inbox.seenKeys(),
      nudges: { approval: inbox.approvalNudge, ticket: inbox.ticketNudge, okta: inbox.oktaNudge },
      settings,
      resource,
      person,
      target,
      fsPerson,
      levels,
      requestedWindow,
      expiresAtMs: fromMs(expiresAtMs),
      grantedAtMs: state.grant.grantedAt ? grantedAtMs : null,
      resume,
    };
    await continueAsNew<typeof catalogAccessRequest>({ ticketId, carried: next });
  }

  async function run(): Promise<CatalogAccessState> {
    if (!carried) {
      const checked = await checkRequest();
      if (checked) return checked;
    }
    const resume = carried?.resume;
    if (resume?.at === 'okta-watch') {
      await watchAbandonedOktaRequest(true);
      return state;
    }
    if (!resume || resume.at !== 'granted') {
      if (resume?.at !== 'grant') {
        const decided = await approve(resume);
        if (decided) return decided;
        await continueIfLong({ at: 'grant' });
      }
      const granted = await grant();
      if (granted) return granted;
    }
    return holdTimeBoundAccess();
  }

  /** Steps 1-3: what was asked, for whom, whether they may have it. A returned state means the request ended. */
  async function checkRequest(): Promise<CatalogAccessState | undefined> {
    // 1. Read the ticket and what was asked.
    step = 'read the ticket';
    const ticket: TicketView = await fs.readTicket(ticketId);
    const item =
      ticket.requestedItems.find((i) => typeof i.fields.resource_name === 'string') ??
      ticket.requestedItems[0];
    const fields = item?.fields ?? {};
    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
    const resourceName = str(fields.resource_name);
    const requestedForEmail =
      (str(fields.requested_for_email) ?? ticket.requestedForEmail ?? ticket.requesterEmail)?.toLowerCase() ??
      null;
    state.requester = { email: ticket.requesterEmail, fsId: ticket.requesterId };
    state.requestedFor.email = requestedForEmail;
    state.justification = str(fields.justification);
    state.phase = 'checking';
    if (requestedForEmail) upsertSearchAttributes([{ key: RequesterEmailKey, value: requestedForEmail }]);

    if (!resourceName || !requestedForEmail) {
      return finish(
        'invalid-request',
        `<p>This request cannot be processed: ${!resourceName ? 'no group or application was named' : 'no person to grant access to'}.</p>`,
        { items: 'cancelled' },
      );
    }
    state.resource.name = resourceName;
    upsertSearchAttributes([{ key: ResourceNameKey, value: resourceName }]);

    // 2. Resolve the policy resource, the Okta person and the Okta resource.
    const policyResource = resolveResource(policy, resourceName);
    resourceForValidators = policyResource;
    if (!policyResource) {
      const known = policy.resources.map((r) => r.name).join(', ');
      return finish(
        'unknown-resource',
        `<p>"${escapeHtml(resourceName)}" is not a resource that can be requested here. Requestable: ${escapeHtml(known)}.</p>`,
        { items: 'cancelled' },
      );
    }
    resource = policyResource;
    step = 'find the Okta account';
    const identity = await resolveRequestedFor(requestedForEmail);
    if (identity.kind === 'ambiguous') {
      const logins = identity.candidates.map((c) => `${c.login} (${c.status})`).join(', ');
      state.reason = `${requestedForEmail} matches several Okta accounts: ${logins}`;
      return finish(
        'ambiguous-user',
        `<p>${escapeHtml(requestedForEmail)} matches several Okta accounts by ${escapeHtml(
          identity.matchedBy === 'secondEmail' ? 'secondary email' : identity.matchedBy,
        )}: ${escapeHtml(logins)}. Nobody was asked to approve and nothing was granted. An Okta administrator needs to make the email point at one account (or the request must name the login).</p>`,
        { items: 'cancelled', status: 'keep-open' },
      );
    }
    if (identity.kind === 'not-found') {
      return finish(
        'unknown-user',
        `<p>No active Okta user has the email ${escapeHtml(requestedForEmail)}, so no access can be granted.</p>`,
        { items: 'cancelled' },
      );
    }
    person = identity.person;
    state.requestedFor = { ...state.requestedFor, name: person.displayName, oktaUserId: person.id };
    const statusVerdict = patched(PATCH_ACCOUNT_STATUS)
      ? checkAccountStatus(resource, person.status)
      : { ok: true as const };
    if (!statusVerdict.ok) {
      state.reason = statusVerdict.reason;
      return finish(
        'account-not-eligible',
        `<p>No approval was asked for ${escapeHtml(person.login)}: ${escapeHtml(statusVerdict.reason)}.</p>`,
        { items: 'cancelled' },
      );
    }
    step = 'find the group or application in Okta';
    const oktaTarget: OktaResource | null = await okta.resolveResource(resource.okta);
    if (!oktaTarget) {
      return finish(
        'unknown-resource',
        `<p>The policy maps "${escapeHtml(resource.name)}" to Okta ${resource.okta.type} "${escapeHtml(
          resource.okta.type === 'group' ? resource.okta.name : resource.okta.label,
        )}", which Okta does not have. An administrator needs to fix the access policy.</p>`,
        { items: 'cancelled', status: 'keep-open' },
      );
    }
    target = oktaTarget;
    state.resource.okta = target;
    step = 'read the requester in Freshservice';
    fsPerson = await fs.findPersonByEmail(requestedForEmail);
    // The form may name the person by another address (a secondary email): their Freshservice record is
    // under the Okta account's primary email, and it decides their manager and who they are.
    if (!fsPerson && person.email.toLowerCase() !== requestedForEmail && patched(PATCH_NO_SELF_APPROVAL))
      fsPerson = await fs.findPersonByEmail(person.email.toLowerCase());
    state.requestedFor.fsId = fsPerson?.id ?? null;

    // 3. Eligibility, existing access, separation of duties, requested window.
    step = 'check eligibility in Okta';
    const groups = await okta.listGroupNames(person.id);
    const eligible = checkEligibility(resource, {
      department: fsPerson?.department ?? person.department,
      oktaGroups: groups,
    });
    if (!eligible.ok) {
      return finish('not-eligible', `<p>Not eligible: ${escapeHtml(eligible.reason)}.</p>`, {
        items: 'cancelled',
      });
    }
    if (await okta.hasAccess({ userId: person.id, resource: target })) {
      return finish(
        'already-had-access',
        `<p>${escapeHtml(person.displayName)} already has ${escapeHtml(target.name)} in Okta; nothing to grant.</p>`,
        { items: 'fulfilled' },
      );
    }
    const related = sodRelatedResources(policy, resource.name);
    const held = related.length
      ? await okta.heldResources({
          userId: person.id,
          specs: related.flatMap((name) => {
            const r = resolveResource(policy, name);
            return r ? [{ name: r.name, spec: r.okta }] : [];
          }),
        })
      : [];
    const plan = planApprovals(resource, findSodConflicts(policy, resource.name, held));
    if (plan.blockedBy) {
      record({
        decision: 'denied',
        by: 'access policy',
        channel: 'policy',
        reason: plan.blockedBy.rule.name,
      });
      return finish(
        'blocked-by-sod',
        `<p>Blocked by separation of duties rule "${escapeHtml(plan.blockedBy.rule.name)}": ${escapeHtml(
          person.displayName,
        )} already holds ${escapeHtml(plan.blockedBy.heldResource)}.</p>`,
        { items: 'cancelled' },
      );
    }
    requestedWindow = {
      durationDays: typeof fields.duration_days === 'number' ? fields.duration_days : null,
      endDate: str(fields.end_date),
    };
    const precheck = computeAccessWindow(resource, requestedWindow, Date.now());
    if (!precheck.ok) {
      return finish('invalid-request', `<p>${escapeHtml(precheck.reason)}.</p>`, { items: 'cancelled' });
    }

    levels = plan.levels;
    state.approvalChannel = resource.approvalChannel;
    state.levels = plan.levels.map((l) =>
      pendingLevel({ index: l.index, approver: describeApprover(l.approver), reason: l.reason }),
    );
    step = 'write the request note';
    await note(
      'received',
      `<p>access-bridge is handling this request.</p>${htmlList([
        ['Access', `${target.name} (Okta ${target.type})`],
        ['For', `${person.displayName} (${person.email})`],
        ['Justification', state.justification ?? '—'],
        [
          'Approval',
          resource.approvalChannel === 'okta'
            ? 'in Okta Identity Governance (its own approval chain)'
            : plan.levels.map((l) => `${l.index}. ${describeApprover(l.approver)}`).join(', ') || 'none',
        ],
        ['Approval deadline', resource.expiry ? formatInstant(Date.now() + resource.expiry) : 'none'],
      ])}`,
    );
    expiresAtMs = resource.expiry ? Date.now() + resource.expiry : Number.POSITIVE_INFINITY;
    return undefined;
  }

  /** The one Okta account the email names (the identity rules), or the legacy lookup for older runs. */
  async function resolveRequestedFor(email: string): Promise<PersonResolution> {
    if (patched(PATCH_IDENTITY)) return okta.resolvePerson({ email });
    const found = await okta.findPerson({ email });
    return found && found.status !== 'DEPROVISIONED'
      ? { kind: 'found', person: found, matchedBy: 'login' }
      : { kind: 'not-found' };
  }

  /** Step 4: the approval chain, from the start or from where the previous run stopped. */
  async function approve(resume: CatalogResumePoint | undefined): Promise<CatalogAccessState | undefined> {
    state.phase = 'awaiting-approval';
    step = 'run the approval';
    let verdict: LevelResult = 'approved';
    if (resource.approvalChannel === 'okta') {
      // One level, decided in OIG (or by an operator on its behalf).
      currentLevel = patched(PATCH_OKTA_WATCH) ? 1 : 0;
      verdict = await approveInOkta(resume?.at === 'okta-approval');
    } else {
      const from = resume?.at === 'freshservice-approval' ? resume.level : 1;
      for (const level of levels) {
        if (level.index < from) continue;
        currentLevel = level.index;
        verdict = await runFreshserviceLevel(
          level,
          state.levels[level.index - 1]!,
          expiresAtMs,
          `level-${level.index}`,
          resume?.at === 'freshservice-approval' && resume.level === level.index ? resume : undefined,
        );
        if (verdict !== 'approved') break;
      }
    }
    currentLevel = 0;
    // The chain is decided: a late operator decision is refused by the validator, not taken for "approval 0".
    state.phase = verdict === 'approved' ? 'granting' : 'closing';
    if (verdict === 'approved') return undefined;

    // Make sure no access exists, whatever happened meanwhile.
    step = 'make sure no access exists';
    const present = await okta.hasAccess({ userId: person.id, resource: target });
    if (present) {
      state.phase = 'revoking';
      step = `revoke ${target.name}, which appeared while approval was pending`;
      await okta.revokeAccess({ userId: person.id, resource: target });
    }
    if (verdict === 'closed-by-agent') {
      const ended = await closedByAgent(present);
      await watchAbandonedOktaRequest(false);
      return ended;
    }
    const outcome: CatalogOutcome =
      verdict === 'denied'
        ? 'denied'
        : verdict === 'expired'
          ? 'expired'
          : verdict === 'cancelled'
            ? 'cancelled'
            : 'no-approver';
    const last = state.decisions[state.decisions.length - 1];
    const why =
      verdict === 'no-approver'
        ? 'no approver could be found for a level of the approval chain'
        : `${verdict}${last ? ` by ${last.by} (${last.channel})` : ''}${last?.reason ? `: ${last.reason}` : ''}`;
    if (inbox.cancel) {
      inbox.cancelResult = { status: 'cancelled', at: new Date().toISOString() };
      inbox.cancel = null;
    }
    const ended = await finish(
      outcome,
      `<p>The request was ${escapeHtml(why)}. No access was granted${present ? ' (access found and removed)' : ''}.</p>`,
      { items: 'cancelled' },
    );
    await watchAbandonedOktaRequest(false);
    return ended;
  }

  /**
   * Fail closed on the Okta channel: when the service desk ended the request (an operator's decision or
   * cancel, the policy's expiry, an agent's close) the OIG request raised for it may still be open, and Okta
   * grants on its own approval. Okta is asked to cancel it, and the flow follows it to its end, removing any
   * access it grants.
   */
  async function watchAbandonedOktaRequest(resumed: boolean): Promise<void> {
    const requestId = state.oktaRequestId;
    if (!requestId || resource.approvalChannel !== 'okta' || !patched(PATCH_OKTA_WATCH)) return;
    let req = await okta.readAccessRequest(requestId);
    if (!OPEN_OIG_STATUSES.has(req.status)) return;
    state.oktaRequestWatched = true;
    if (!resumed) {
      await okta.messageAccessRequest({
        requestId,
        version: req.version,
        message: `The service desk ended Freshservice ticket #${ticketId} for this request (${state.outcome ?? 'ended'}). Please cancel this request in Okta; if it is approved anyway, access-bridge removes the access it grants.`,
      });
    }
    for (;;) {
      await continueIfLong({ at: 'okta-watch' });
      await condition(() => inbox.oktaNudge, policy.oktaRequests.pollInterval);
      inbox.oktaNudge = false;
      req = await okta.readAccessRequest(requestId);
      if (OPEN_OIG_STATUSES.has(req.status)) continue;
      state.oktaRequestWatched = false;
      if (req.status === 'APPROVED' && (await okta.hasAccess({ userId: person.id, resource: target }))) {
        state.phase = 'revoking';
        step = `remove ${target.name}, which Okta granted after the service desk ended the request`;
        await okta.revokeAccess({ userId: person.id, resource: target });
        state.phase = 'done';
        await bookkeeping('the note on access Okta granted late', () =>
          note(
            'okta-late-grant-removed',
            `<p>Okta approved request ${escapeHtml(requestId)} after the service desk had ended it, and granted ${escapeHtml(
              target.name,
            )}. access-bridge removed that access; the request stays ${escapeHtml(state.outcome ?? 'ended')}.</p>`,
          ),
        );
      }
      return;
    }
  }

  /**
   * An agent resolved or closed the ticket by hand: the request ends there. Approvals are closed and no
   * access is left (done by the caller), the note says so, and the ticket keeps the status the agent chose.
   */
  function closedByAgent(accessRemoved: boolean): Promise<CatalogAccessState> {
    if (inbox.cancel) {
      inbox.cancelResult = { status: 'cancelled', at: new Date().toISOString() };
      inbox.cancel = null;
    }
    return finish(
      'closed-by-agent',
      `<p>The request ended because ${escapeHtml(state.reason ?? 'the service desk closed the ticket')}: open approvals were cancelled and no access was granted${
        accessRemoved ? ' (access found in Okta was removed)' : ''
      }. Raise a new request if the access is still needed.</p>${
        state.oktaRequestId
          ? `<p>The OIG request ${escapeHtml(state.oktaRequestId)} raised for it is still open in Okta: an Okta administrator should cancel it there.</p>`
          : ''
      }`,
      { items: 'cancelled', status: 'keep-open' },
    );
  }

  /** Step 5: grant, verify, resolve. A returned state means the request ended here. */
  async function grant(): Promise<CatalogAccessState | undefined> {
    // What an agent did to the ticket while approval waited counts, even if its webhook was missed.
    if (patched(PATCH_AGENT_CLOSE)) {
      step = 'read the ticket before the grant';
      if (await settledByAgent()) return closedByAgent(false);
    }
    // The account may have been suspended or deactivated while approval waited.
    if (patched(PATCH_ACCOUNT_STATUS)) {
      step = 'read the Okta account before the grant';
      const now = await okta.findPerson({ id: person.id });
      const verdict = now ? checkAccountStatus(resource, now.status) : { ok: false as const, reason: '' };
      if (!verdict.ok) {
        const status = now?.status ?? 'deleted';
        state.reason = now ? verdict.reason : 'the Okta account no longer exists';
        return finish(
          'account-not-eligible',
          `<p>The request was approved, but nothing was granted to ${escapeHtml(person.login)}, which is now ${escapeHtml(
            status,
          )} in Okta: ${escapeHtml(state.reason)}.</p>`,
          { items: 'cancelled' },
        );
      }
    }
    state.phase = 'granting';
    step = `grant ${target.name} in Okta`;
    grantedAtMs = Date.now();
    const window = computeAccessWindow(resource, requestedWindow, grantedAtMs);
    if (!window.ok && patched(PATCH_WINDOW_FAIL_CLOSED)) {
      // Fail closed: a window that no longer holds (its end passed while approval waited) grants nothing,
      // never permanent access.
      state.reason = window.reason;
      return finish(
        'access-window-passed',
        `<p>The request was approved, but nothing was granted: ${escapeHtml(window.reason)}. Raise a new request with a new end date.</p>`,
        { items: 'cancelled' },
      );
    }
    const endAtMs = window.ok ? window.endAtMs : null;
    await okta.grantAccess({ userId: person.id, resource: target });
    if (!(await verify(true))) {
      return finish(
        'failed',
        `<p>The grant was sent but Okta does not show ${escapeHtml(target.name)} for ${escapeHtml(person.displayName)}. An agent needs to look at it.</p>`,
        { status: 'keep-open' },
      );
    }
    state.grant.grantedAt = new Date(grantedAtMs).toISOString();
    state.grant.endAt = endAtMs !== null ? new Date(endAtMs).toISOString() : null;
    state.phase = 'granted';
    step = 'record the grant on the ticket';
    await bookkeeping('the grant note', () =>
      note(
        'granted',
        `<p>Access granted in Okta and verified.</p>${htmlList([
          ['Access', `${target.name} (Okta ${target.type})`],
          ['Until', endAtMs !== null ? formatInstant(endAtMs) : 'permanent'],
          ...(window.ok && window.note ? ([['Note', window.note]] as [string, string][]) : []),
        ])}`,
      ),
    );
    await bookkeeping('the requested items', () =>
      fs.setRequestedItemsStage({ ticketId, stage: 'fulfilled' }),
    );
    await bookkeeping('the ticket status', () =>
      fs.setTicketStatus({ ticketId, status: policy.defaults.finalTicketStatus, unlessSettledByAgent: true }),
    );
    upsertSearchAttributes([{ key: OutcomeKey, value: 'granted' }]);
    state.outcome = 'granted';
    if (state.grant.endAt === null) {
      // Permanent access: nothing left to wait for; the run ends (removal is then an Okta or offboarding matter).
      state.phase = 'done';
      answerPendingActions();
      return state;
    }
    return undefined;
  }

  /** Step 6, time-bound access: notice, extension, cancellation, revocation at the end. */
  async function holdTimeBoundAccess(): Promise<CatalogAccessState> {
    state.phase = 'granted';
    for (;;) {
      const endAt = Date.parse(state.grant.endAt!);
      const noticeAt = resource.noticeBefore ? endAt - resource.noticeBefore : Number.POSITIVE_INFINITY;
      const noticeDue = state.grant.noticeSentFor !== state.grant.endAt && noticeAt > grantedAtMs;
      const nextAt = noticeDue ? Math.min(noticeAt, endAt) : endAt;
      await continueIfLong({ at: 'granted' });
      await condition(
        () => inbox.cancel !== null || inbox.extension !== null,
        Math.max(1, nextAt - Date.now()),
      );

      if (inbox.cancel) {
        const by = inbox.cancel.requestedBy;
        record({ decision: 'revoked', by, channel: 'admin-api', reason: inbox.cancel.reason });
        const gone = await revoke(
          `revoked early by ${by}${inbox.cancel.reason ? `: ${inbox.cancel.reason}` : ''}`,
        );
        if (!gone) return revocationUnverified();
        inbox.cancelResult = { status: 'revoked', at: state.grant.revokedAt! };
        inbox.cancel = null;
        break;
      }
      if (inbox.extension) {
        step = 'extend the access';
        await extend(inbox.extension);
        state.phase = 'granted';
        continue;
      }
      if (noticeDue && Date.now() >= noticeAt && Date.now() < endAt) {
        step = 'send the end-of-access notice';
        await bookkeeping('the end-of-access notice', () =>
          fs.replyOnce({
            ticketId,
            stepId: `access-notice-${state.grant.endAt}`,
            html: `<p>Your access to ${escapeHtml(target.name)} ends at ${escapeHtml(
              formatInstant(state.grant.endAt!),
            )}. To keep it, ask the service desk to extend it before then.</p>`,
          }),
        );
        state.grant.noticeSentFor = state.grant.endAt;
        continue;
      }
      if (Date.now() >= endAt) {
        if (!(await revoke('the access period ended'))) return revocationUnverified();
        break;
      }
    }
    state.outcome = 'granted-then-revoked';
    upsertSearchAttributes([{ key: OutcomeKey, value: 'granted-then-revoked' }]);
    state.phase = 'done';
    answerPendingActions();
    return state;
  }

  // ---- steps ---------------------------------------------------------------------------------------

  /** Checks Okta until it shows (or no longer shows) the access; grants can take a moment to appear. */
  async function verify(expected: boolean): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      if ((await okta.hasAccess({ userId: person.id, resource: target })) === expected) return true;
      await sleep(2000 * (attempt + 1));
    }
    return false;
  }

  /** Revokes and verifies; true when Okta no longer shows the access. A refusal ends the request (above). */
  async function revoke(why: string): Promise<boolean> {
    state.phase = 'revoking';
    step = `revoke ${target.name} in Okta (${why})`;
    await okta.revokeAccess({ userId: person.id, resource: target });
    const gone = await verify(false);
    state.grant.revokedAt = new Date().toISOString();
    await bookkeeping('the revocation note', () =>
      note(
        `revoked-${state.grant.endAt ?? 'now'}`,
        gone
          ? `<p>Access to ${escapeHtml(target.name)} was revoked in Okta and verified (${escapeHtml(why)}).</p>`
          : `<p>Access to ${escapeHtml(target.name)} was revoked but Okta still shows it; an agent needs to check (${escapeHtml(why)}).</p>`,
      ),
    );
    return gone;
  }

  /** Okta accepted the revocation but still shows the access: the ticket reopens for an agent. */
  async function revocationUnverified(): Promise<CatalogAccessState> {
    const outcome: CatalogOutcome = 'revocation-unverified';
    state.outcome = outcome;
    state.reason = `Okta still shows ${target.name} for ${person.login} after the revocation`;
    await fs.setTicketStatus({ ticketId, status: 'open' });
    upsertSearchAttributes([{ key: OutcomeKey, value: outcome }]);
    state.phase = 'done';
    answerPendingActions({ outcome, reason: state.reason });
    return state;
  }

  async function extend(request: NonNullable<Inbox['extension']>) {
    const from = state.grant.endAt;
    let approved = true;
    if (resource.extensionRequiresApproval) {
      inbox.extensionResult = { status: 'awaiting-approval', endAt: request.endAt };
      const level: ApprovalLevel = {
        index: state.levels.length + 1,
        approver: resource.approvalChain[0] ?? 'manager',
        reason: `extension to ${formatInstant(request.endAt)} requested by ${request.requestedBy}`,
      };
      const levelState = pendingLevel({
        index: level.index,
        approver: describeApprover(level.approver),
        reason: level.reason,
      });
      state.levels.push(levelState);
      state.phase = 'awaiting-approval';
      currentLevel = level.index;
      const deadline = Math.min(
        Date.parse(from!),
        Date.now() + (resource.expiry ?? Number.POSITIVE_INFINITY),
      );
      try {
        approved =
          (await runFreshserviceLevel(level, levelState, deadline, `extension-${level.index}`)) ===
          'approved';
      } catch (err) {
        // A refused extension approval leaves the access as it was (ending when it ends), never the run.
        const refusal = vendorRefusal(err);
        if (!refusal || refusal.vendor !== 'freshservice' || !patched(PATCH_BOOKKEEPING)) throw err;
        state.bookkeepingRefused.push({
          what: 'the extension approval',
          type: refusal.type,
          summary: refusal.summary,
          at: new Date().toISOString(),
        });
        levelState.status = 'cancelled';
        approved = false;
      }
      currentLevel = 0;
      state.phase = 'granted';
    }
    state.grant.extensions.push({
      from,
      to: request.endAt,
      by: request.requestedBy,
      at: new Date().toISOString(),
      approved,
    });
    // Settled: the next extension may be asked for while the note below is written.
    inbox.extension = null;
    if (approved) {
      const newEnd = new Date(Date.parse(request.endAt)).toISOString();
      state.grant.endAt = newEnd;
      record({ decision: 'extended', by: request.requestedBy, channel: 'admin-api', reason: request.reason });
      await bookkeeping('the extension note', () =>
        note(
          `extended-${newEnd}`,
          `<p>Access extended to ${escapeHtml(formatInstant(newEnd))} at the request of ${escapeHtml(request.requestedBy)}${
            request.reason ? ` (${escapeHtml(request.reason)})` : ''
          }.</p>`,
        ),
      );
    } else {
      await bookkeeping('the extension note', () =>
        note(
          `extension-refused-${request.endAt}`,
          `<p>The extension to ${escapeHtml(formatInstant(request.endAt))} was not approved; access still ends at ${escapeHtml(
            formatInstant(from ?? ''),
          )}.</p>`,
        ),
      );
    }
    inbox.extensionResult ??= { status: 'extended', endAt: state.grant.endAt! };
  }

  /**
   * Whether an address (an email, or `Name <email>`) is the requester's or belongs to the person the access
   * is for, under any of their names: the email typed on the form, and the resolved Okta account's email
   * and login (which may differ from what the form said, e.g. a secondary email).
   */
  function isSelfAddress(address: string): boolean {
    const bracketed = /<([^<>\s]+@[^<>\s]+)>/.exec(address);
    const email = (bracketed?.[1] ?? address).trim().toLowerCase();
    const selves = [
      state.requestedFor.email,
      state.requester.email,
      person ? person.email : null,
      person ? person.login : null,
    ];
    return selves.some((s) => typeof s === 'string' && s.toLowerCase() === email);
  }

  /** Whether `p` is the requester or the person the access is for: never an approver of this request. */
  function isSelf(p: FsPerson): boolean {
    return (
      isSelfAddress(p.email) || p.id === state.requester.fsId || (fsPerson !== null && p.id === fsPerson.id)
    );
  }

  /**
   * Who approves for `approver`, never the requester nor the person the access is for; those left out are
   * reported so the level's note can say why it went elsewhere.
   */
  async function approversFor(
    approver: TApprover,
  ): Promise<{ people: FsPerson[]; selfExcluded: FsPerson[] }> {
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
        found.push(...(await approversFor(resource.owner)).people);
    } else if ('email' in approver) {
      const p = await fs.findPersonByEmail(approver.email);
      if (p) found.push(p);
    } else {
      found.push(...(await fs.agentGroupMembers(approver.group)));
    }
    return { people: found.filter((p) => !isSelf(p)), selfExcluded: found.filter(isSelf) };
  }

  /** Records the decision Freshservice holds for the level and answers what it means. */
  function takeFreshserviceDecision(
    level: ApprovalLevel,
    ls: LevelState,
    decided: ApprovalView,
  ): LevelResult {
    const rejected = decided.status === 'rejected';
    ls.status = rejected ? 'denied' : 'approved';
    const who = ls.approvers.find((a) => a.id === decided.approverId);
    record({
      decision: rejected ? 'denied' : 'approved',
      by: who ? `${who.name} <${who.email}>` : (decided.approverName ?? String(decided.approverId)),
      at: decided.updatedAt ?? undefined,
      channel: 'freshservice-approval',
      level: level.index,
      reason: decided.remark ?? undefined,
    });
    // A decision an operator sent meanwhile came second: its caller is told who decided.
    refusePendingDecision(level.index);
    return rejected ? 'denied' : 'approved';
  }

  /**
   * Closes the level's open approvals; a decision an approver made before the close took effect stands
   * (it landed first) and is returned, so no check-then-act loses or overrides it.
   */
  async function closeLevel(ls: LevelState): Promise<ApprovalView | undefined> {
    return landedDecision(await fs.cancelApprovals({ ticketId, approvalIds: ls.approvalIds }));
  }

  /** Whether an agent has resolved or closed the ticket by hand (read only after a ticket nudge). */
  async function settledByAgent(): Promise<boolean> {
    if (!patched(PATCH_AGENT_CLOSE)) return false;
    const t = await fs.readTicket(ticketId);
    if (!SETTLED_BY_AGENT.has(t.status)) return false;
    state.reason = `the service desk set the ticket to ${t.statusName}`;
    return true;
  }

  /**
   * One Freshservice approval level: request, remind, escalate, expire, or take an operator decision.
   * `resumed` carries the timers of a level the previous run had already requested.
   */
  async function runFreshserviceLevel(
    level: ApprovalLevel,
    ls: LevelState,
    deadlineMs: number,
    stepId: string,
    resumed?: Extract<CatalogResumePoint, { at: 'freshservice-approval' }>,
  ): Promise<LevelResult> {
    const request = async (people: FsPerson[], suffix: string) => {
      const requestedAt = new Date().toISOString();
      // Freshservice mails email_content as HTML: everything a requester typed is escaped for it.
      const ids = await fs.requestApprovalsOnce({
        ticketId,
        approverIds: people.map((p) => p.id),
        emailContent: `Please approve ${escapeHtml(target.name)} for ${escapeHtml(person.displayName)}: ${escapeHtml(
          state.justification ?? '',
        )}`,
        notBeforeMs: Date.now(),
        // Earlier levels', extensions' and (before escalation) this level's own approvals are not ours.
        knownApprovalIds: state.levels.flatMap((l) => l.approvalIds),
      });
      // Approvers, ids and status change together, so a state query never pairs new people with old ids.
      ls.approvers = people.map((p) => ({ id: p.id, name: p.name, email: p.email }));
      ls.approvalIds = ids;
      ls.requestedAt = requestedAt;
      ls.status = 'requested';
      await note(
        `${stepId}-requested${suffix}`,
        `<p>Approval ${level.index} (${escapeHtml(level.reason)}) requested from ${escapeHtml(
          people.map((p) => p.name || p.email).join(', '),
        )}.</p>`,
      );
    };

    let nextReminder: number;
    let escalateAt: number;
    if (resumed) {
      nextReminder = toMs(resumed.nextReminderAt);
      escalateAt = toMs(resumed.escalateAt);
    } else {
      const first = await approversFor(level.approver);
      let approvers = first.people;
      if (approvers.length === 0 && resource.escalationTarget) {
        approvers = (await approversFor(resource.escalationTarget)).people;
        ls.escalated = true;
      }
      const self = first.selfExcluded.map((p) => p.name || p.email).join(', ');
      if (approvers.length === 0) {
        ls.status = 'skipped';
        if (self && patched(PATCH_NO_SELF_APPROVAL)) {
          await note(
            `${stepId}-self-excluded`,
            `<p>Approval ${level.index} (${escapeHtml(level.reason)}) would go to ${escapeHtml(
              self,
            )}, who requested this access or would receive it, and nobody may approve their own request. No escalation target could take it, so ${
              stepId.startsWith('extension-')
                ? 'the extension was not approved (the access still ends when it was due)'
                : 'nothing was granted'
            }.</p>`,
          );
        }
        return 'no-approver';
      }
      await request(approvers, ls.escalated ? '-escalated' : '');
      if (self && patched(PATCH_NO_SELF_APPROVAL)) {
        await note(
          `${stepId}-self-excluded`,
          `<p>Approval ${level.index} went to ${escapeHtml(
            approvers.map((p) => p.name || p.email).join(', '),
          )} instead of ${escapeHtml(self)}: nobody approves a request they raised or access they would receive.</p>`,
        );
      }
      nextReminder = resource.reminderInterval
        ? Date.now() + resource.reminderInterval
        : Number.POSITIVE_INFINITY;
      escalateAt =
        resource.escalationDelay && resource.escalationTarget && !ls.escalated
          ? Date.now() + resource.escalationDelay
          : Number.POSITIVE_INFINITY;
    }

    for (;;) {
      // Extensions ride on the granted phase's run; only the request's own chain hands over mid-level.
      if (stepId.startsWith('level-')) {
        await continueIfLong({
          at: 'freshservice-approval',
          level: level.index,
          nextReminderAt: fromMs(nextReminder),
          escalateAt: fromMs(escalateAt),
        });
      }
      const wakeAt = Math.min(nextReminder, escalateAt, deadlineMs);
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

      if (inbox.cancel) {
        const landed = await closeLevel(ls);
        if (landed) takeFreshserviceDecision(level, ls, landed);
        else ls.status = 'cancelled';
        record({
          decision: 'cancelled',
          by: inbox.cancel.requestedBy,
          channel: 'admin-api',
          level: level.index,
          reason: inbox.cancel.reason,
        });
        return 'cancelled';
      }
      if (inbox.decision) {
        const d = inbox.decision;
        // The approvers' own decisions count if they landed before the close: the admin's then comes second.
        const landed = await closeLevel(ls);
        if (landed) return takeFreshserviceDecision(level, ls, landed);
        ls.status = d.decision === 'approved' ? 'approved' : 'denied';
        record({
          decision: d.decision,
          by: d.approver,
          channel: 'admin-api',
          level: level.index,
          reason: d.reason,
        });
        inbox.decision = null;
        inbox.decisionTaken = true;
        await note(
          `${stepId}-admin-${d.decision}`,
          `<p>Approval ${level.index} ${d.decision} by ${escapeHtml(d.approver)} through the admin API${
            d.reason ? `: ${escapeHtml(d.reason)}` : ''
          }.</p>`,
        );
        return d.decision === 'approved' ? 'approved' : 'denied';
      }

      // An agent resolving or closing the ticket by hand ends the request (only the request's own chain).
      if (ticketChanged && stepId.startsWith('level-') && (await settledByAgent())) {
        const landed = await closeLevel(ls);
        if (landed) takeFreshserviceDecision(level, ls, landed);
        if (!landed) ls.status = 'cancelled';
        return 'closed-by-agent';
      }

      // Re-read on every nudge and every timer: a missed webhook costs at most one reminder interval.
      inbox.approvalNudge = false;
      inbox.oktaNudge = false;
      const views = await fs.readApprovals({ ticketId, approvalIds: ls.approvalIds });
      const decided = landedDecision(views);
      if (decided) {
        // Another approver of the level may have decided too (an agent group): a rejection outweighs.
        const after = landedDecision([
          decided,
          ...((await fs.cancelApprovals({ ticketId, approvalIds: ls.approvalIds })) ?? []),
        ]);
        return takeFreshserviceDecision(level, ls, after ?? decided);
      }
      if (nudged) continue;

      const now = Date.now();
      if (now >= deadlineMs) {
        const landed = await closeLevel(ls);
        if (landed) return takeFreshserviceDecision(level, ls, landed);
        ls.status = 'expired';
        record({
          decision: 'expired',
          by: 'access policy',
          channel: 'policy',
          level: level.index,
          reason: 'no decision before the deadline',
        });
        return 'expired';
      }
      if (now >= escalateAt) {
        escalateAt = Number.POSITIVE_INFINITY;
        const escalated = (await approversFor(resource.escalationTarget!)).people;
        if (escalated.length > 0) {
          const landed = await closeLevel(ls);
          if (landed) return takeFreshserviceDecision(level, ls, landed);
          await request(escalated, '-escalated');
          // Only now: whoever reads the state sees the new approvers together with the flag.
          ls.escalated = true;
          log.info('approval escalated', { ticketId, level: level.index });
        }
        continue;
      }
      if (now >= nextReminder) {
        await fs.remindApprovals({ ticketId, approvalIds: ls.approvalIds });
        ls.remindersSent += 1;
        nextReminder = now + resource.reminderInterval!;
      }
    }
  }

  /** Approval through an OIG request raised on the person's behalf; OIG's own chain decides. */
  async function approveInOkta(resumed: boolean): Promise<LevelResult> {
    const ls = state.levels[0];
    if (!resumed) {
      const precheck = computeAccessWindow(resource, requestedWindow, Date.now());
      const durationDays =
        precheck.ok && precheck.endAtMs !== null
          ? Math.ceil((precheck.endAtMs - Date.now()) / 86_400_000)
          : null;
      const raised = await okta.raiseAccessRequest({
        requestedForId: person.id,
        resource: target,
        marker: catalogRequestMarker(ticketId),
        justification: `${state.justification ?? ''} ${catalogRequestMarker(ticketId)}`.trim(),
        accessDuration: durationDays ? `P${durationDays}D` : null,
      });
      state.oktaRequestId = raised.requestId;
      upsertSearchAttributes([{ key: OktaRequestIdKey, value: raised.requestId }]);
      await note(
        'okta-request',
        `<p>Approval runs in Okta Identity Governance: request ${escapeHtml(raised.requestId)}.</p>`,
      );
      if (ls) ls.status = 'requested';
    }
    const requestId = state.oktaRequestId!;
    const agentCloseCounts = patched(PATCH_AGENT_CLOSE);
    for (;;) {
      await continueIfLong({ at: 'okta-approval' });
      const wait = Math.min(policy.oktaRequests.pollInterval, Math.max(1, expiresAtMs - Date.now()));
      await condition(
        () =>
          inbox.oktaNudge ||
          inbox.decision !== null ||
          inbox.cancel !== null ||
          (inbox.ticketNudge && agentCloseCounts),
        wait,
      );
      if (inbox.cancel) {
        record({
          decision: 'cancelled',
          by: inbox.cancel.requestedBy,
          channel: 'admin-api',
          reason: inbox.cancel.reason,
        });
        return 'cancelled';
      }
      if (inbox.decision) {
        const d = inbox.decision;
        record({ decision: d.decision, by: d.approver, channel: 'admin-api', reason: d.reason, level: 1 });
        if (ls) ls.status = d.decision === 'approved' ? 'approved' : 'denied';
        inbox.decision = null;
        inbox.decisionTaken = true;
        return d.decision === 'approved' ? 'approved' : 'denied';
      }
      if (inbox.ticketNudge && agentCloseCounts) {
        inbox.ticketNudge = false;
        if (await settledByAgent()) {
          if (ls) ls.status = 'cancelled';
          return 'closed-by-agent';
        }
      }
      inbox.oktaNudge = false;
      const req = await okta.readAccessRequest(requestId);
      const by = req.decisions.map((d) => d.by).join(', ') || 'Okta';
      if (
        req.status === 'APPROVED' ||
        req.status === 'DENIED' ||
        req.status === 'REJECTED' ||
        req.status === 'EXPIRED' ||
        req.status === 'CANCELED'
      ) {
        const decision: Decision['decision'] =
          req.status === 'APPROVED'
            ? 'approved'
            : req.status === 'EXPIRED'
              ? 'expired'
              : req.status === 'CANCELED'
                ? 'cancelled'
                : 'denied';
        record({ decision, by, at: req.resolved ?? undefined, channel: 'okta' });
        if (inbox.decision) {
          // OIG decided first: an operator decision sent meanwhile is refused, naming who decided.
          inbox.decisionRefused = `the OIG request was already ${decision} by ${by} (okta)`;
          inbox.decision = null;
          inbox.decisionTaken = true;
        }
        if (ls)
          ls.status =
            decision === 'approved'
              ? 'approved'
              : decision === 'denied'
                ? 'denied'
                : decision === 'expired'
                  ? 'expired'
                  : 'cancelled';
        return decision === 'approved'
          ? 'approved'
          : decision === 'denied'
            ? 'denied'
            : decision === 'expired'
              ? 'expired'
              : 'cancelled';
      }
      if (!OPEN_OIG_STATUSES.has(req.status) && patched(PATCH_OKTA_WATCH)) {
        // A status this product does not know ends the wait, failing closed: nothing is granted on it.
        record({ decision: 'cancelled', by, channel: 'okta', reason: `Okta reported status ${req.status}` });
        if (ls) ls.status = 'cancelled';
        return 'cancelled';
      }
      if (Date.now() >= expiresAtMs) {
        record({
          decision: 'expired',
          by: 'access policy',
          channel: 'policy',
          reason: 'no decision in Okta before the deadline',
        });
        return 'expired';
      }
    }
  }
}

export type { CarriedCatalogRun, CatalogAccessInput, CatalogResumePoint } from './contract';
