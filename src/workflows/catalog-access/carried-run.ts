// What a catalog access request hands to its next run on continue-as-new, and where that run picks it up:
// the whole state and every input the checks produced, so a continued run repeats and forgets nothing.
import type { WorkflowSettings } from '../../activities/settings';
import type { FsPerson, OktaPerson, OktaResource } from '../../activities/views';
import type { ApprovalLevel, EffectiveResource } from '../../policy';
import type { CatalogAccessState } from '../catalog-access-state';

/** Where a continued run picks the request up: the approval level it waits on, or the granted access. */
export type CatalogResumePoint =
  | { at: 'freshservice-approval'; level: number; nextReminderAt: number | null; escalateAt: number | null }
  | { at: 'okta-approval' }
  /** Approved: the next run grants (so the grant's steps start a history of their own). */
  | { at: 'grant' }
  /** Ended on our side while its OIG request is still open: the next run keeps following it. */
  | { at: 'okta-watch' }
  | { at: 'granted' };

/** Everything a run hands to the next one on continue-as-new: the whole state, dedupe keys included. */
export type CarriedCatalogRun = {
  state: CatalogAccessState;
  seen: string[];
  nudges: { approval: boolean; ticket: boolean; okta: boolean };
  settings: WorkflowSettings;
  resource: EffectiveResource;
  person: OktaPerson;
  target: OktaResource;
  fsPerson: FsPerson | null;
  levels: ApprovalLevel[];
  requestedWindow: { durationDays: number | null; endDate: string | null };
  /** Epoch ms of the approval deadline; null = none. */
  expiresAtMs: number | null;
  /** Epoch ms the grant was made; null before. */
  grantedAtMs: number | null;
  resume: CatalogResumePoint;
};

export type CatalogAccessInput = { ticketId: number; carried?: CarriedCatalogRun };

/** Epoch ms, with null standing for "never" (infinity does not survive a workflow's JSON payloads). */
export const toMs = (v: number | null) => v ?? Number.POSITIVE_INFINITY;
export const fromMs = (v: number) => (Number.isFinite(v) ? v : null);
