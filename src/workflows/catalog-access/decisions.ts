// Pure pieces of how a catalog request's approvals settle: which Freshservice decision landed first, what
// outcome a refusal means, the ticket statuses (in words) an agent settles a ticket with, and a wait until
// an instant.
import { condition } from '@temporalio/workflow';
import type { ApprovalView } from '../../activities/freshservice/contract';
import type { CatalogOutcome } from './contract';
import type { VendorRefusal } from '../shared/vendor-refusal';
import type { TicketStanding } from '../shared/vendor-words';

/** How one approval level (or the OIG request standing for it) ended. */
export type LevelResult = 'approved' | 'denied' | 'expired' | 'cancelled' | 'no-approver' | 'closed-by-agent';

/** The ticket statuses an agent settles a ticket with (a custom status is not one). */
export const SETTLED_BY_AGENT: ReadonlySet<TicketStanding> = new Set<TicketStanding>(['resolved', 'closed']);

/** The decision among approvals that landed in Freshservice: a rejection outweighs an approval. */
export function landedDecision(views: ApprovalView[] | void | undefined): ApprovalView | undefined {
  const all = views ?? [];
  return all.find((v) => v.status === 'rejected') ?? all.find((v) => v.status === 'approved');
}

/** The outcome a refusal ends the request with, by the phase it stopped. */
export function refusalOutcome(refusal: VendorRefusal): CatalogOutcome {
  // What was refused decides, not the phase: a note Freshservice refuses after Okta revoked is no refused
  // revocation.
  if (refusal.activity === 'revokeAccess') return 'revocation-refused';
  if (refusal.activity === 'grantAccess') return 'grant-refused';
  return 'vendor-refused';
}

/** Waits for `fn` until the epoch-ms instant `wakeAtMs` (forever when infinite); true when `fn` held. */
export async function waitUntil(fn: () => boolean, wakeAtMs: number): Promise<boolean> {
  if (!Number.isFinite(wakeAtMs)) {
    await condition(fn);
    return true;
  }
  return condition(fn, Math.max(1, wakeAtMs - Date.now()));
}
