// Approval through an OIG request raised on the person's behalf, where Okta's own chain decides; and, when
// the service desk ended the request first, the watch that follows that OIG request to its end and removes
// any access Okta grants on it anyway (fail closed).
import { condition, patched, upsertSearchAttributes } from '@temporalio/workflow';
import { OktaRequestIdKey } from '../shared/search-attributes';
import { requestWords } from '../shared/vendor-words';
import { catalogRequestMarker } from './contract';
import type { LevelResult } from './decisions';
import * as notes from './notes';
import { PATCH_AGENT_CLOSE, PATCH_OKTA_WATCH } from './patches';
import { bookkeeping } from './refusals';
import type { CatalogRun } from './run';

/** Approval through an OIG request raised on the person's behalf; OIG's own chain decides. */
export async function approveInOkta(run: CatalogRun, resumed: boolean): Promise<LevelResult> {
  const { state, inbox, okta, policy } = run;
  const { expiresAtMs } = run.subject;
  const ls = state.levels[0];
  const requestId = resumed ? state.oktaRequestId : await raiseOktaRequest(run);
  if (requestId === null) throw new Error('a resumed OIG approval has no OIG request');
  if (!resumed && ls) ls.status = 'requested';
  const agentCloseCounts = patched(PATCH_AGENT_CLOSE);
  for (;;) {
    await run.continueIfLong({ at: 'okta-approval' });
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
      run.record({
        decision: 'cancelled',
        by: inbox.cancel.requestedBy,
        channel: 'admin-api',
        reason: inbox.cancel.reason,
      });
      return 'cancelled';
    }
    if (inbox.decision) {
      const d = inbox.decision;
      run.record({ decision: d.decision, by: d.approver, channel: 'admin-api', reason: d.reason, level: 1 });
      if (ls) ls.status = d.decision === 'approved' ? 'approved' : 'denied';
      inbox.decision = null;
      inbox.decisionTaken = true;
      return d.decision === 'approved' ? 'approved' : 'denied';
    }
    if (inbox.ticketNudge && agentCloseCounts) {
      inbox.ticketNudge = false;
      if (await run.settledByAgent()) {
        if (ls) ls.status = 'cancelled';
        return 'closed-by-agent';
      }
    }
    inbox.oktaNudge = false;
    const req = await okta.readAccessRequest(requestId);
    const by = req.decisions.map((d) => d.by).join(', ') || 'Okta';
    // The status itself states the decision (OIG's own chain decided); v1's RESOLVED without one does not.
    const verdict = requestWords(req).decided;
    if (verdict) {
      run.record({ decision: verdict, by, at: req.resolved ?? undefined, channel: 'okta' });
      if (inbox.decision) {
        // OIG decided first: an operator decision sent meanwhile is refused, naming who decided.
        inbox.decisionRefused = `the OIG request was already ${verdict} by ${by} (okta)`;
        inbox.decision = null;
        inbox.decisionTaken = true;
      }
      if (ls) ls.status = verdict;
      return verdict;
    }
    if (requestWords(req).request.kind !== 'open' && patched(PATCH_OKTA_WATCH)) {
      // A status this product does not know ends the wait, failing closed: nothing is granted on it.
      run.record({
        decision: 'cancelled',
        by,
        channel: 'okta',
        reason: `Okta reported status ${req.status}`,
      });
      if (ls) ls.status = 'cancelled';
      return 'cancelled';
    }
    if (Date.now() >= expiresAtMs) {
      run.record({
        decision: 'expired',
        by: 'access policy',
        channel: 'policy',
        reason: 'no decision in Okta before the deadline',
      });
      return 'expired';
    }
  }
}

/** Raises the OIG request for the person, marked with the ticket so its events come back here. */
async function raiseOktaRequest(run: CatalogRun): Promise<string> {
  const { state, ticketId } = run;
  const { resource, requestedWindow, person, target } = run.subject;
  const precheck = run.accessWindow(resource, requestedWindow, Date.now());
  const durationDays =
    precheck.ok && precheck.endAtMs !== null ? Math.ceil((precheck.endAtMs - Date.now()) / 86_400_000) : null;
  const raised = await run.okta.raiseAccessRequest({
    requestedForId: person.id,
    resource: target,
    marker: catalogRequestMarker(ticketId),
    justification: `${state.justification ?? ''} ${catalogRequestMarker(ticketId)}`.trim(),
    accessDuration: durationDays ? `P${durationDays}D` : null,
  });
  state.oktaRequestId = raised.requestId;
  upsertSearchAttributes([{ key: OktaRequestIdKey, value: raised.requestId }]);
  await run.note('okta-request', notes.oktaRequestNote(raised.requestId));
  return raised.requestId;
}

/**
 * Fail closed on the Okta channel: when the service desk ended the request (an operator's decision or
 * cancel, the policy's expiry, an agent's close) the OIG request raised for it may still be open, and Okta
 * grants on its own approval. Okta is asked to cancel it, and the flow follows it to its end, removing any
 * access it grants.
 */
export async function watchAbandonedOktaRequest(run: CatalogRun, resumed: boolean): Promise<void> {
  const { state, inbox, okta, policy } = run;
  const requestId = state.oktaRequestId;
  if (!requestId || run.subject.resource.approvalChannel !== 'okta' || !patched(PATCH_OKTA_WATCH)) return;
  let req = await okta.readAccessRequest(requestId);
  if (requestWords(req).request.kind !== 'open') return;
  state.oktaRequestWatched = true;
  if (!resumed) {
    await okta.messageAccessRequest({
      requestId,
      version: req.version,
      message: notes.abandonedOktaRequestMessage(run.ticketId, state.outcome),
    });
  }
  for (;;) {
    await run.continueIfLong({ at: 'okta-watch' });
    await condition(() => inbox.oktaNudge, policy.oktaRequests.pollInterval);
    inbox.oktaNudge = false;
    req = await okta.readAccessRequest(requestId);
    if (requestWords(req).request.kind === 'open') continue;
    state.oktaRequestWatched = false;
    const { person, target } = run.subject;
    if (
      requestWords(req).decided === 'approved' &&
      (await okta.hasAccess({ userId: person.id, resource: target }))
    ) {
      state.phase = 'revoking';
      run.step = `remove ${target.name}, which Okta granted after the service desk ended the request`;
      await okta.revokeAccess({ userId: person.id, resource: target });
      state.phase = 'done';
      await bookkeeping(run, 'the note on access Okta granted late', () =>
        run.note('okta-late-grant-removed', notes.lateOktaGrantRemovedNote(requestId, target, state.outcome)),
      );
    }
    return;
  }
}
