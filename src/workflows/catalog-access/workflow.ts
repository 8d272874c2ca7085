// An access request raised from the Freshservice service catalog, carried to Okta: resolve the person and
// the resource, check eligibility and separation of duties, run the approval chain (Freshservice approvals
// level by level with reminders, escalation and expiry, or an OIG request when configured), grant and
// verify in Okta, resolve the ticket, and revoke time-bound access at its end with a notice before.
// Workflow ID `fs-ticket:<ticketId>:access`, a child of the ticket's router workflow. Each step is a module
// of this folder; this file is the process.
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { loadSettings } from '../shared/activity-proxies';
import { loadCatalogAccessSettings } from './settings';
import { TicketIdKey } from '../shared/search-attributes';
import { vendorRefusal } from '../shared/vendor-refusal';
import { runApprovalChain } from './approval-chain';
import { checkRequest } from './checks';
import type { CatalogAccessInput, CatalogAccessState, CatalogOutcome, CatalogResumePoint } from './contract';
import type { LevelResult } from './decisions';
import { grant } from './grant';
import { setCatalogHandlers } from './handlers';
import { endedUnapprovedNote, notApprovedNote } from './notes';
import { approveInOkta, watchAbandonedOktaRequest } from './oig-approval';
import { PATCH_NOTE_WORDING, PATCH_OKTA_WATCH, PATCH_OWN_SETTINGS, PATCH_REFUSALS } from './patches';
import { refused } from './refusals';
import { CatalogRequest } from './request';
import { CatalogRun } from './run';
import { holdTimeBoundAccess } from './time-bound-access';

export async function catalogAccessRequest(input: CatalogAccessInput): Promise<CatalogAccessState> {
  const { ticketId, carried } = input;
  const request = new CatalogRequest(input);
  setCatalogHandlers(request);

  if (!carried) upsertSearchAttributes([{ key: TicketIdKey, value: String(ticketId) }]);
  const settings =
    carried?.settings ??
    (patched(PATCH_OWN_SETTINGS) ? await loadCatalogAccessSettings() : await loadSettings());
  const run = new CatalogRun(request, settings, carried?.grantedAtMs);

  try {
    return await steps(run, carried?.resume);
  } catch (err) {
    // A vendor's permanent refusal ends the request with a note for an agent, never a FAILED run.
    const refusal = vendorRefusal(err);
    if (!refusal || !patched(PATCH_REFUSALS)) throw err;
    return await refused(run, refusal, run.step);
  }
}

/** The steps, from the start or from the point the previous run handed over at. */
async function steps(run: CatalogRun, resume: CatalogResumePoint | undefined): Promise<CatalogAccessState> {
  if (!resume) {
    const ended = await checkRequest(run);
    if (ended) return ended;
  }
  if (resume?.at === 'okta-watch') {
    await watchAbandonedOktaRequest(run, true);
    return run.state;
  }
  if (resume?.at !== 'granted') {
    if (resume?.at !== 'grant') {
      const ended = await approve(run, resume);
      if (ended) return ended;
      await run.continueIfLong({ at: 'grant' });
    }
    const ended = await grant(run);
    if (ended) return ended;
  }
  return holdTimeBoundAccess(run);
}

/** Step 4: the approval chain, from the start or from where the previous run stopped. */
async function approve(
  run: CatalogRun,
  resume: CatalogResumePoint | undefined,
): Promise<CatalogAccessState | undefined> {
  const { state, request } = run;
  state.phase = 'awaiting-approval';
  run.step = 'run the approval';
  let verdict: LevelResult;
  if (run.subject.resource.approvalChannel === 'okta') {
    // One level, decided in OIG (or by an operator on its behalf).
    request.currentLevel = patched(PATCH_OKTA_WATCH) ? 1 : 0;
    verdict = await approveInOkta(run, resume?.at === 'okta-approval');
  } else {
    verdict = await runApprovalChain(run, resume);
  }
  request.currentLevel = 0;
  // The chain is decided: a late operator decision is refused by the validator, not taken for "approval 0".
  state.phase = verdict === 'approved' ? 'granting' : 'closing';
  if (verdict === 'approved') return undefined;
  const ended = await notApproved(run, verdict);
  await watchAbandonedOktaRequest(run, false);
  return ended;
}

/** Not approved: make sure no access exists, whatever happened meanwhile, and end the request saying why. */
async function notApproved(
  run: CatalogRun,
  verdict: Exclude<LevelResult, 'approved'>,
): Promise<CatalogAccessState> {
  const { state, okta } = run;
  const { person, target } = run.subject;
  run.step = 'make sure no access exists';
  const present = await okta.hasAccess({ userId: person.id, resource: target });
  if (present) {
    state.phase = 'revoking';
    run.step = `revoke ${target.name}, which appeared while approval was pending`;
    await okta.revokeAccess({ userId: person.id, resource: target });
  }
  if (verdict === 'closed-by-agent') return run.closedByAgent(present);
  const outcome: CatalogOutcome = verdict;
  const last = state.decisions[state.decisions.length - 1];
  run.request.answerCancelled();
  if (patched(PATCH_NOTE_WORDING)) {
    const skipped = state.levels.find((l) => l.status === 'skipped');
    const note = endedUnapprovedNote({ verdict, decision: last, skipped, accessRemoved: present });
    return run.finish(outcome, note, { items: 'cancelled' });
  }
  const why =
    verdict === 'no-approver'
      ? 'no approver could be found for a level of the approval chain'
      : `${verdict}${last ? ` by ${last.by} (${last.channel})` : ''}${last?.reason ? `: ${last.reason}` : ''}`;
  return run.finish(outcome, notApprovedNote(why, present), { items: 'cancelled' });
}

export type { CarriedCatalogRun, CatalogAccessInput, CatalogResumePoint } from './contract';
