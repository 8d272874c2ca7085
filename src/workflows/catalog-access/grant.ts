// Step 5 of a catalog access request, once approved: look again at what may have changed while approval
// waited (an agent's close, the account's status, the window), grant in Okta, verify it shows, and record it
// on the ticket. Permanent access ends the request here; time-bound access is then held (time-bound-access.ts).
import { patched, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { checkAccountStatus } from '../../policy/access';
import { OutcomeKey } from '../shared/search-attributes';
import type { CatalogAccessState } from './contract';
import * as notes from './notes';
import { PATCH_ACCOUNT_STATUS, PATCH_AGENT_CLOSE, PATCH_WINDOW_FAIL_CLOSED } from './patches';
import { bookkeeping } from './refusals';
import type { CatalogRun } from './run';

/** Step 5: grant, verify, resolve. A returned state means the request ended here. */
export async function grant(run: CatalogRun): Promise<CatalogAccessState | undefined> {
  const { state, okta, fs, ticketId } = run;
  const { resource, person, target, requestedWindow } = run.subject;
  // What an agent did to the ticket while approval waited counts, even if its webhook was missed.
  if (patched(PATCH_AGENT_CLOSE)) {
    run.step = 'read the ticket before the grant';
    if (await run.settledByAgent()) return run.closedByAgent(false);
  }
  // The account may have been suspended or deactivated while approval waited.
  if (patched(PATCH_ACCOUNT_STATUS)) {
    run.step = 'read the Okta account before the grant';
    const now = await okta.findPerson({ id: person.id });
    const verdict = now ? checkAccountStatus(resource, now.status) : { ok: false as const, reason: '' };
    if (!verdict.ok) {
      const status = now?.status ?? 'deleted';
      state.reason = now ? verdict.reason : 'the Okta account no longer exists';
      return run.finish(
        'account-not-eligible',
        notes.accountNoLongerEligibleNote(person.login, status, state.reason),
        {
          items: 'cancelled',
        },
      );
    }
  }
  state.phase = 'granting';
  run.step = `grant ${target.name} in Okta`;
  run.grantedAtMs = Date.now();
  const window = run.accessWindow(resource, requestedWindow, run.grantedAtMs);
  if (!window.ok && patched(PATCH_WINDOW_FAIL_CLOSED)) {
    // Fail closed: a window that no longer holds (its end passed while approval waited) grants nothing,
    // never permanent access.
    state.reason = window.reason;
    return run.finish('access-window-passed', notes.windowPassedNote(window.reason), { items: 'cancelled' });
  }
  const endAtMs = window.ok ? window.endAtMs : null;
  await okta.grantAccess({ userId: person.id, resource: target });
  if (!(await verify(run, true))) {
    return run.finish('failed', notes.grantUnverifiedNote(target, person), { status: 'keep-open' });
  }
  state.grant.grantedAt = new Date(run.grantedAtMs).toISOString();
  state.grant.endAt = endAtMs !== null ? new Date(endAtMs).toISOString() : null;
  state.phase = 'granted';
  run.step = 'record the grant on the ticket';
  await bookkeeping(run, 'the grant note', () =>
    run.note('granted', notes.grantedNote(target, endAtMs, window.ok ? window.note : undefined)),
  );
  await bookkeeping(run, 'the requested items', () =>
    fs.setRequestedItemsStage({ ticketId, stage: 'fulfilled' }),
  );
  await bookkeeping(run, 'the ticket status', () =>
    fs.setTicketStatus({
      ticketId,
      status: run.policy.defaults.finalTicketStatus,
      unlessSettledByAgent: true,
    }),
  );
  upsertSearchAttributes([{ key: OutcomeKey, value: 'granted' }]);
  state.outcome = 'granted';
  if (state.grant.endAt === null) {
    // Permanent access: nothing left to wait for; the run ends (removal is then an Okta or offboarding matter).
    state.phase = 'done';
    run.request.answerPendingActions();
    return state;
  }
  return undefined;
}

/** Checks Okta until it shows (or no longer shows) the access; grants can take a moment to appear. */
export async function verify(run: CatalogRun, expected: boolean): Promise<boolean> {
  const { person, target } = run.subject;
  for (let attempt = 0; attempt < 5; attempt++) {
    if ((await run.okta.hasAccess({ userId: person.id, resource: target })) === expected) return true;
    await sleep(2000 * (attempt + 1));
  }
  return false;
}
