// An access request raised from the Freshservice service catalog, carried to Okta: resolve the person and
// the resource, check eligibility and separation of duties, run the approval chain (Freshservice approvals
// level by level with reminders, escalation and expiry, or an OIG request when configured), grant and
// verify in Okta, resolve the ticket, and revoke time-bound access at its end with a notice before.
// Workflow ID `fs-ticket:<ticketId>:access`, a child of the ticket's router workflow.
import { condition, log, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import type { FsPerson, OktaPerson, OktaResource, TicketView } from '../activities/views';
import {
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
} from '../policy';
import { failureMessage, failureType, loadSettings, vendorActivities } from './activity-proxies';
import { initialState, Inbox, type CatalogOutcome, type LevelState } from './catalog-access-state';
import { escapeHtml, formatInstant, htmlList } from './format';
import { catalogRequestMarker } from './ids';
import {
  cancelAccessUpdate,
  extendAccessUpdate,
  oktaRequestEventSignal,
  recordDecisionUpdate,
  stateQuery,
  ticketEventSignal,
  type CancelAccessInput,
  type Decision,
  type ExtendAccessInput,
  type RecordDecisionInput,
} from './messages';
import {
  OktaRequestIdKey,
  OutcomeKey,
  RequesterEmailKey,
  ResourceNameKey,
  TicketIdKey,
} from './search-attributes';

export type CatalogAccessInput = { ticketId: number };

/** Waits for `fn` until the epoch-ms instant `wakeAtMs` (forever when infinite); true when `fn` held. */
async function waitUntil(fn: () => boolean, wakeAtMs: number): Promise<boolean> {
  if (!Number.isFinite(wakeAtMs)) {
    await condition(fn);
    return true;
  }
  return condition(fn, Math.max(1, wakeAtMs - Date.now()));
}

type LevelResult = 'approved' | 'denied' | 'expired' | 'cancelled' | 'no-approver';

export async function catalogAccessRequest(input: CatalogAccessInput) {
  const { ticketId } = input;
  const state = initialState(ticketId);
  const inbox = new Inbox();
  let resourceForValidators: EffectiveResource | undefined = undefined;
  let currentLevel = 0;

  setHandler(stateQuery, () => state);
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
      await condition(() => inbox.decisionTaken);
      return { status: 'recorded' as const, level };
    },
    {
      validator: (decision: RecordDecisionInput) => {
        if (state.phase !== 'awaiting-approval')
          throw new Error(`no approval is pending (phase: ${state.phase})`);
        if (!decision.approver.trim()) throw new Error('approver is required');
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

  upsertSearchAttributes([{ key: TicketIdKey, value: String(ticketId) }]);
  const settings = await loadSettings();
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
    if (status !== 'keep-open') await fs.setTicketStatus({ ticketId, status });
    upsertSearchAttributes([{ key: OutcomeKey, value: outcome }]);
    state.phase = 'done';
    answerPendingActions();
    return state;
  }

  /** Operator actions that arrive when they can no longer apply get an answer, never a hang. */
  function answerPendingActions() {
    if (inbox.cancel) {
      inbox.cancelResult = { status: 'nothing-to-do', at: new Date().toISOString() };
      inbox.cancel = null;
    }
    if (inbox.decision) {
      inbox.decision = null;
      inbox.decisionTaken = true;
    }
  }

  // 1. Read the ticket and what was asked.
  const ticket: TicketView = await fs.readTicket(ticketId);
  const item =
    ticket.requestedItems.find((i) => typeof i.fields.resource_name === 'string') ?? ticket.requestedItems[0];
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
  const resource = resolveResource(policy, resourceName);
  resourceForValidators = resource;
  if (!resource) {
    const known = policy.resources.map((r) => r.name).join(', ');
    return finish(
      'unknown-resource',
      `<p>"${escapeHtml(resourceName)}" is not a resource that can be requested here. Requestable: ${escapeHtml(known)}.</p>`,
      { items: 'cancelled' },
    );
  }
  const person: OktaPerson | null = await okta.findPerson({ email: requestedForEmail });
  if (!person || person.status === 'DEPROVISIONED') {
    return finish(
      'unknown-user',
      `<p>No active Okta user has the email ${escapeHtml(requestedForEmail)}, so no access can be granted.</p>`,
      { items: 'cancelled' },
    );
  }
  state.requestedFor = { ...state.requestedFor, name: person.displayName, oktaUserId: person.id };
  const target: OktaResource | null = await okta.resolveResource(resource.okta);
  if (!target) {
    return finish(
      'unknown-resource',
      `<p>The policy maps "${escapeHtml(resource.name)}" to Okta ${resource.okta.type} "${escapeHtml(
        resource.okta.type === 'group' ? resource.okta.name : resource.okta.label,
      )}", which Okta does not have. An administrator needs to fix the access policy.</p>`,
      { items: 'cancelled', status: 'keep-open' },
    );
  }
  state.resource.okta = target;
  const fsPerson: FsPerson | null = await fs.findPersonByEmail(requestedForEmail);
  state.requestedFor.fsId = fsPerson?.id ?? null;

  // 3. Eligibility, existing access, separation of duties, requested window.
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
    record({ decision: 'denied', by: 'access policy', channel: 'policy', reason: plan.blockedBy.rule.name });
    return finish(
      'blocked-by-sod',
      `<p>Blocked by separation of duties rule "${escapeHtml(plan.blockedBy.rule.name)}": ${escapeHtml(
        person.displayName,
      )} already holds ${escapeHtml(plan.blockedBy.heldResource)}.</p>`,
      { items: 'cancelled' },
    );
  }
  const requestedWindow = {
    durationDays: typeof fields.duration_days === 'number' ? fields.duration_days : null,
    endDate: str(fields.end_date),
  };
  const precheck = computeAccessWindow(resource, requestedWindow, Date.now());
  if (!precheck.ok) {
    return finish('invalid-request', `<p>${escapeHtml(precheck.reason)}.</p>`, { items: 'cancelled' });
  }

  state.approvalChannel = resource.approvalChannel;
  state.levels = plan.levels.map((l) => ({
    index: l.index,
    approver: describeApprover(l.approver),
    reason: l.reason,
    status: 'pending',
    approvers: [],
    approvalIds: [],
    remindersSent: 0,
    escalated: false,
    requestedAt: null,
  }));
  await note(
    'received',
    `<p>access-bridge is handling this request.</p>${htmlList([
      ['Access', `${target.name} (Okta ${target.type})`],
      ['For', `${person.displayName} (${person.email})`],
      ['Justification', state.justification ?? '—'],
      [
        'Approval',
        plan.levels.map((l) => `${l.index}. ${describeApprover(l.approver)}`).join(', ') || 'none',
      ],
      ['Approval deadline', resource.expiry ? formatInstant(Date.now() + resource.expiry) : 'none'],
    ])}`,
  );

  // 4. Approval.
  state.phase = 'awaiting-approval';
  const expiresAtMs = resource.expiry ? Date.now() + resource.expiry : Number.POSITIVE_INFINITY;
  let verdict: LevelResult = 'approved';
  if (resource.approvalChannel === 'okta') {
    verdict = await approveInOkta();
  } else {
    for (const level of plan.levels) {
      currentLevel = level.index;
      verdict = await runFreshserviceLevel(
        level,
        state.levels[level.index - 1]!,
        expiresAtMs,
        `level-${level.index}`,
      );
      if (verdict !== 'approved') break;
    }
  }
  currentLevel = 0;

  if (verdict !== 'approved') {
    // Make sure no access exists, whatever happened meanwhile.
    const present = await okta.hasAccess({ userId: person.id, resource: target });
    if (present) await okta.revokeAccess({ userId: person.id, resource: target });
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
    return finish(
      outcome,
      `<p>The request was ${escapeHtml(why)}. No access was granted${present ? ' (access found and removed)' : ''}.</p>`,
      {
        items: 'cancelled',
      },
    );
  }

  // 5. Grant, verify, resolve.
  state.phase = 'granting';
  const grantedAtMs = Date.now();
  const window = computeAccessWindow(resource, requestedWindow, grantedAtMs);
  const endAtMs = window.ok ? window.endAtMs : null;
  try {
    await okta.grantAccess({ userId: person.id, resource: target });
  } catch (err) {
    const type = failureType(err);
    if (!type) throw err;
    return finish(
      'failed',
      `<p>Okta refused the grant (${escapeHtml(type)}): ${escapeHtml(failureMessage(err))}. An agent needs to look at it.</p>`,
      {
        status: 'keep-open',
      },
    );
  }
  if (!(await verify(true))) {
    return finish(
      'failed',
      `<p>The grant was sent but Okta does not show ${escapeHtml(target.name)} for ${escapeHtml(person.displayName)}. An agent needs to look at it.</p>`,
      {
        status: 'keep-open',
      },
    );
  }
  state.grant.grantedAt = new Date(grantedAtMs).toISOString();
  state.grant.endAt = endAtMs !== null ? new Date(endAtMs).toISOString() : null;
  state.phase = 'granted';
  await note(
    'granted',
    `<p>Access granted in Okta and verified.</p>${htmlList([
      ['Access', `${target.name} (Okta ${target.type})`],
      ['Until', endAtMs !== null ? formatInstant(endAtMs) : 'permanent'],
      ...(window.ok && window.note ? ([['Note', window.note]] as [string, string][]) : []),
    ])}`,
  );
  await fs.setRequestedItemsStage({ ticketId, stage: 'fulfilled' });
  await fs.setTicketStatus({ ticketId, status: policy.defaults.finalTicketStatus });
  upsertSearchAttributes([{ key: OutcomeKey, value: 'granted' }]);
  state.outcome = 'granted';

  // 6. Time-bound access: notice, extension, cancellation, revocation at the end.
  if (state.grant.endAt === null) {
    // Permanent access: nothing left to wait for; the run ends (removal is then an Okta or offboarding matter).
    return closeGranted();
  }
  for (;;) {
    const endAt = Date.parse(state.grant.endAt);
    const noticeAt = resource.noticeBefore ? endAt - resource.noticeBefore : Number.POSITIVE_INFINITY;
    const noticeDue = state.grant.noticeSentFor !== state.grant.endAt && noticeAt > grantedAtMs;
    const nextAt = noticeDue ? Math.min(noticeAt, endAt) : endAt;
    await condition(
      () => inbox.cancel !== null || inbox.extension !== null,
      Math.max(1, nextAt - Date.now()),
    );

    if (inbox.cancel) {
      const by = inbox.cancel.requestedBy;
      record({ decision: 'revoked', by, channel: 'admin-api', reason: inbox.cancel.reason });
      await revoke(`revoked early by ${by}${inbox.cancel.reason ? `: ${inbox.cancel.reason}` : ''}`);
      inbox.cancelResult = { status: 'revoked', at: state.grant.revokedAt! };
      inbox.cancel = null;
      break;
    }
    if (inbox.extension) {
      await extend(inbox.extension);
      continue;
    }
    if (noticeDue && Date.now() >= noticeAt && Date.now() < endAt) {
      await fs.replyOnce({
        ticketId,
        stepId: `access-notice-${state.grant.endAt}`,
        html: `<p>Your access to ${escapeHtml(target.name)} ends at ${escapeHtml(
          formatInstant(state.grant.endAt),
        )}. To keep it, ask the service desk to extend it before then.</p>`,
      });
      state.grant.noticeSentFor = state.grant.endAt;
      continue;
    }
    if (Date.now() >= endAt) {
      await revoke('the access period ended');
      break;
    }
  }
  state.outcome = 'granted-then-revoked';
  upsertSearchAttributes([{ key: OutcomeKey, value: 'granted-then-revoked' }]);
  state.phase = 'done';
  answerPendingActions();
  return state;

  // ---- steps ---------------------------------------------------------------------------------------

  /** Permanent grants end the run; revocation then happens through Okta or a new request. */
  function closeGranted() {
    state.phase = 'done';
    answerPendingActions();
    return state;
  }

  /** Checks Okta until it shows (or no longer shows) the access; grants can take a moment to appear. */
  async function verify(expected: boolean): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      if ((await okta.hasAccess({ userId: person!.id, resource: target! })) === expected) return true;
      await sleep(2000 * (attempt + 1));
    }
    return false;
  }

  async function revoke(why: string) {
    state.phase = 'revoking';
    await okta.revokeAccess({ userId: person!.id, resource: target! });
    const gone = await verify(false);
    state.grant.revokedAt = new Date().toISOString();
    await note(
      `revoked-${state.grant.endAt ?? 'now'}`,
      gone
        ? `<p>Access to ${escapeHtml(target!.name)} was revoked in Okta and verified (${escapeHtml(why)}).</p>`
        : `<p>Access to ${escapeHtml(target!.name)} was revoked but Okta still shows it; an agent needs to check (${escapeHtml(why)}).</p>`,
    );
  }

  async function extend(request: NonNullable<Inbox['extension']>) {
    const from = state.grant.endAt;
    let approved = true;
    if (resource!.extensionRequiresApproval) {
      inbox.extensionResult = { status: 'awaiting-approval', endAt: request.endAt };
      const level: ApprovalLevel = {
        index: state.levels.length + 1,
        approver: resource!.approvalChain[0] ?? 'manager',
        reason: `extension to ${formatInstant(request.endAt)} requested by ${request.requestedBy}`,
      };
      const levelState: LevelState = {
        index: level.index,
        approver: describeApprover(level.approver),
        reason: level.reason,
        status: 'pending',
        approvers: [],
        approvalIds: [],
        remindersSent: 0,
        escalated: false,
        requestedAt: null,
      };
      state.levels.push(levelState);
      state.phase = 'awaiting-approval';
      currentLevel = level.index;
      const deadline = Math.min(
        Date.parse(from!),
        Date.now() + (resource!.expiry ?? Number.POSITIVE_INFINITY),
      );
      approved =
        (await runFreshserviceLevel(level, levelState, deadline, `extension-${level.index}`)) === 'approved';
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
      state.grant.endAt = new Date(Date.parse(request.endAt)).toISOString();
      record({ decision: 'extended', by: request.requestedBy, channel: 'admin-api', reason: request.reason });
      await note(
        `extended-${state.grant.endAt}`,
        `<p>Access extended to ${escapeHtml(formatInstant(state.grant.endAt))} at the request of ${escapeHtml(request.requestedBy)}${
          request.reason ? ` (${escapeHtml(request.reason)})` : ''
        }.</p>`,
      );
    } else {
      await note(
        `extension-refused-${request.endAt}`,
        `<p>The extension to ${escapeHtml(formatInstant(request.endAt))} was not approved; access still ends at ${escapeHtml(
          formatInstant(from ?? ''),
        )}.</p>`,
      );
    }
    inbox.extensionResult ??= { status: 'extended', endAt: state.grant.endAt! };
  }

  /** Who approves for `approver`, never the person the access is for. */
  async function approversFor(approver: TApprover): Promise<FsPerson[]> {
    const found: FsPerson[] = [];
    const manager = async () => {
      if (fsPerson?.reportingManagerId) return fs.getPerson(fsPerson.reportingManagerId);
      const oktaManager = await okta.findManager(person!);
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
      if (resource!.owner && resource!.owner !== 'owner')
        found.push(...(await approversFor(resource!.owner)));
    } else if ('email' in approver) {
      const p = await fs.findPersonByEmail(approver.email);
      if (p) found.push(p);
    } else {
      found.push(...(await fs.agentGroupMembers(approver.group)));
    }
    return found.filter((p) => p.email.toLowerCase() !== requestedForEmail);
  }

  /** One Freshservice approval level: request, remind, escalate, expire, or take an operator decision. */
  async function runFreshserviceLevel(
    level: ApprovalLevel,
    ls: LevelState,
    deadlineMs: number,
    step: string,
  ): Promise<LevelResult> {
    let approvers = await approversFor(level.approver);
    if (approvers.length === 0 && resource!.escalationTarget) {
      approvers = await approversFor(resource!.escalationTarget);
      ls.escalated = true;
    }
    if (approvers.length === 0) {
      ls.status = 'skipped';
      return 'no-approver';
    }
    const request = async (people: FsPerson[], suffix: string) => {
      const requestedAt = new Date().toISOString();
      const ids = await fs.requestApprovalsOnce({
        ticketId,
        approverIds: people.map((p) => p.id),
        emailContent: `Please approve ${target!.name} for ${person!.displayName}: ${state.justification ?? ''}`,
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
        `${step}-requested${suffix}`,
        `<p>Approval ${level.index} (${escapeHtml(level.reason)}) requested from ${escapeHtml(
          people.map((p) => p.name || p.email).join(', '),
        )}.</p>`,
      );
    };
    await request(approvers, ls.escalated ? '-escalated' : '');

    let nextReminder = resource!.reminderInterval
      ? Date.now() + resource!.reminderInterval
      : Number.POSITIVE_INFINITY;
    let escalateAt =
      resource!.escalationDelay && resource!.escalationTarget && !ls.escalated
        ? Date.now() + resource!.escalationDelay
        : Number.POSITIVE_INFINITY;

    for (;;) {
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
      inbox.ticketNudge = false;

      if (inbox.cancel) {
        await fs.cancelApprovals({ ticketId, approvalIds: ls.approvalIds });
        ls.status = 'cancelled';
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
        await fs.cancelApprovals({ ticketId, approvalIds: ls.approvalIds });
        ls.status = d.decision === 'approved' ? 'approved' : 'denied';
        record({
          decision: d.decision,
          by: d.approver,
          channel: 'admin-api',
          level: level.index,
          reason: d.reason,
        });
        await note(
          `${step}-admin-${d.decision}`,
          `<p>Approval ${level.index} ${d.decision} by ${escapeHtml(d.approver)} through the admin API${
            d.reason ? `: ${escapeHtml(d.reason)}` : ''
          }.</p>`,
        );
        inbox.decision = null;
        inbox.decisionTaken = true;
        return d.decision === 'approved' ? 'approved' : 'denied';
      }

      // Re-read on every nudge and every timer: a missed webhook costs at most one reminder interval.
      inbox.approvalNudge = false;
      inbox.oktaNudge = false;
      const views = await fs.readApprovals({ ticketId, approvalIds: ls.approvalIds });
      const rejected = views.find((v) => v.status === 'rejected');
      const approved = views.find((v) => v.status === 'approved');
      const decided = rejected ?? approved;
      if (decided) {
        await fs.cancelApprovals({ ticketId, approvalIds: ls.approvalIds });
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
        return rejected ? 'denied' : 'approved';
      }
      if (nudged) continue;

      const now = Date.now();
      if (now >= deadlineMs) {
        await fs.cancelApprovals({ ticketId, approvalIds: ls.approvalIds });
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
        const target = await approversFor(resource!.escalationTarget!);
        if (target.length > 0) {
          await fs.cancelApprovals({ ticketId, approvalIds: ls.approvalIds });
          await request(target, '-escalated');
          // Only now: whoever reads the state sees the new approvers together with the flag.
          ls.escalated = true;
          log.info('approval escalated', { ticketId, level: level.index });
        }
        continue;
      }
      if (now >= nextReminder) {
        await fs.remindApprovals({ ticketId, approvalIds: ls.approvalIds });
        ls.remindersSent += 1;
        nextReminder = now + resource!.reminderInterval!;
      }
    }
  }

  /** Approval through an OIG request raised on the person's behalf; OIG's own chain decides. */
  async function approveInOkta(): Promise<LevelResult> {
    const durationDays =
      precheck.ok && precheck.endAtMs !== null
        ? Math.ceil((precheck.endAtMs - Date.now()) / 86_400_000)
        : null;
    const raised = await okta.raiseAccessRequest({
      requestedForId: person!.id,
      resource: target!,
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
    const ls = state.levels[0];
    if (ls) ls.status = 'requested';
    for (;;) {
      const wait = Math.min(policy.oktaRequests.pollInterval, Math.max(1, expiresAtMs - Date.now()));
      await condition(() => inbox.oktaNudge || inbox.decision !== null || inbox.cancel !== null, wait);
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
        record({ decision: d.decision, by: d.approver, channel: 'admin-api', reason: d.reason });
        inbox.decision = null;
        inbox.decisionTaken = true;
        return d.decision === 'approved' ? 'approved' : 'denied';
      }
      inbox.oktaNudge = false;
      const req = await okta.readAccessRequest(raised.requestId);
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
