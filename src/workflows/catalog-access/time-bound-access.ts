// Step 6 of a catalog access request, for time-bound access: hold the lease until it ends, with a notice to
// the person before the end, extensions (re-approved at a Freshservice level when the policy says so), an
// operator's early revocation, and the revocation at the end, verified in Okta.
import { condition, upsertSearchAttributes } from '@temporalio/workflow';
import { describeApprover, type ApprovalLevel } from '../../policy/access';
import { formatInstant } from '../shared/format';
import { OutcomeKey } from '../shared/search-attributes';
import { FreshserviceLevel } from './approval-chain';
import type { CatalogAccessState, CatalogOutcome, ExtendAccessInput } from './contract';
import { verify } from './grant';
import * as notes from './notes';
import { bookkeeping, recordBookkeepingRefusal } from './refusals';
import type { CatalogRun } from './run';
import { pendingLevel } from './state';

/** The end of granted time-bound access (only permanent access has none, and it is never held here). */
function leaseEnd(state: CatalogAccessState): string {
  const endAt = state.grant.endAt;
  if (endAt === null) throw new Error('time-bound access has no end');
  return endAt;
}

/** Step 6, time-bound access: notice, extension, cancellation, revocation at the end. */
export async function holdTimeBoundAccess(run: CatalogRun): Promise<CatalogAccessState> {
  const { state, inbox } = run;
  const { resource, target } = run.subject;
  state.phase = 'granted';
  for (;;) {
    const endAtIso = leaseEnd(state);
    const endAt = Date.parse(endAtIso);
    const noticeAt = resource.noticeBefore ? endAt - resource.noticeBefore : Number.POSITIVE_INFINITY;
    const noticeDue = state.grant.noticeSentFor !== state.grant.endAt && noticeAt > run.grantedAtMs;
    const nextAt = noticeDue ? Math.min(noticeAt, endAt) : endAt;
    await run.continueIfLong({ at: 'granted' });
    await condition(
      () => inbox.cancel !== null || inbox.extension !== null,
      Math.max(1, nextAt - Date.now()),
    );

    if (inbox.cancel) {
      const by = inbox.cancel.requestedBy;
      run.record({ decision: 'revoked', by, channel: 'admin-api', reason: inbox.cancel.reason });
      const revoked = await revoke(
        run,
        `revoked early by ${by}${inbox.cancel.reason ? `: ${inbox.cancel.reason}` : ''}`,
      );
      if (!revoked.gone) return revocationUnverified(run);
      inbox.cancelResult = { status: 'revoked', at: revoked.at };
      inbox.cancel = null;
      break;
    }
    if (inbox.extension) {
      run.step = 'extend the access';
      await extend(run, inbox.extension);
      state.phase = 'granted';
      continue;
    }
    if (noticeDue && Date.now() >= noticeAt && Date.now() < endAt) {
      run.step = 'send the end-of-access notice';
      await bookkeeping(run, 'the end-of-access notice', () =>
        run.fs.replyOnce({
          ticketId: run.ticketId,
          stepId: `access-notice-${state.grant.endAt}`,
          html: notes.endOfAccessNotice(target, endAtIso),
        }),
      );
      state.grant.noticeSentFor = state.grant.endAt;
      continue;
    }
    if (Date.now() >= endAt) {
      if (!(await revoke(run, 'the access period ended')).gone) return revocationUnverified(run);
      break;
    }
  }
  state.outcome = 'granted-then-revoked';
  upsertSearchAttributes([{ key: OutcomeKey, value: 'granted-then-revoked' }]);
  state.phase = 'done';
  run.request.answerPendingActions();
  return state;
}

/** Revokes and verifies; `gone` when Okta no longer shows the access. A refusal ends the request. */
async function revoke(run: CatalogRun, why: string): Promise<{ gone: boolean; at: string }> {
  const { state } = run;
  const { person, target } = run.subject;
  state.phase = 'revoking';
  run.step = `revoke ${target.name} in Okta (${why})`;
  await run.okta.revokeAccess({ userId: person.id, resource: target });
  const gone = await verify(run, false);
  const at = new Date().toISOString();
  state.grant.revokedAt = at;
  await bookkeeping(run, 'the revocation note', () =>
    run.note(`revoked-${state.grant.endAt ?? 'now'}`, notes.revokedNote(target, gone, why)),
  );
  return { gone, at };
}

/** Okta accepted the revocation but still shows the access: the ticket reopens for an agent. */
async function revocationUnverified(run: CatalogRun): Promise<CatalogAccessState> {
  const { state } = run;
  const { person, target } = run.subject;
  const outcome: CatalogOutcome = 'revocation-unverified';
  state.outcome = outcome;
  state.reason = `Okta still shows ${target.name} for ${person.login} after the revocation`;
  await run.fs.setTicketStatus({ ticketId: run.ticketId, status: 'open' });
  upsertSearchAttributes([{ key: OutcomeKey, value: outcome }]);
  state.phase = 'done';
  run.request.answerPendingActions({ outcome, reason: state.reason });
  return state;
}

/** Moves the end of the access, after a Freshservice approval level when the policy asks for one. */
async function extend(run: CatalogRun, request: ExtendAccessInput): Promise<void> {
  const { state, inbox } = run;
  const from = leaseEnd(state);
  const approved = run.subject.resource.extensionRequiresApproval
    ? await approveExtension(run, request, from)
    : true;
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
    run.record({
      decision: 'extended',
      by: request.requestedBy,
      channel: 'admin-api',
      reason: request.reason,
    });
    await bookkeeping(run, 'the extension note', () =>
      run.note(`extended-${newEnd}`, notes.extendedNote(newEnd, request.requestedBy, request.reason)),
    );
  } else {
    await bookkeeping(run, 'the extension note', () =>
      run.note(`extension-refused-${request.endAt}`, notes.extensionRefusedNote(request.endAt, from)),
    );
  }
  inbox.extensionResult ??= { status: 'extended', endAt: leaseEnd(state) };
}

/** One more approval level for the extension; its caller is answered `awaiting-approval` meanwhile. */
async function approveExtension(run: CatalogRun, request: ExtendAccessInput, from: string): Promise<boolean> {
  const { state, inbox } = run;
  const { resource } = run.subject;
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
  run.request.currentLevel = level.index;
  const deadline = Math.min(Date.parse(from), Date.now() + (resource.expiry ?? Number.POSITIVE_INFINITY));
  let approved: boolean;
  try {
    approved =
      (await new FreshserviceLevel(run, level, levelState, deadline, 'extension').decide()) === 'approved';
  } catch (err) {
    // A refused extension approval leaves the access as it was (ending when it ends), never the run.
    recordBookkeepingRefusal(run, 'the extension approval', err);
    levelState.status = 'cancelled';
    approved = false;
  }
  run.request.currentLevel = 0;
  state.phase = 'granted';
  return approved;
}
