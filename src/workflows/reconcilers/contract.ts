// The contract of the reconcilers: one long-running workflow per source and deployment that replays what
// webhooks missed. Workflow type and ID, the `reconcileNow` update, the typed `state` query and state. Wire
// names are stored in histories: never rename.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CapabilityContract } from '../shared/contract';

export const RECONCILER_WORKFLOW_TYPE = 'reconciler';

export type ReconcilerSource = 'okta-system-log' | 'freshservice-tickets';

/** One reconciler per source and deployment (its workflows task queue), whatever shares the namespace. */
export const reconcilerWorkflowId = (source: ReconcilerSource, taskQueue: string) =>
  `reconciler:${source}:${taskQueue}`;

/** One reconciler pass as its state and the `reconcileNow` update report it. */
export type ReconcilePassSummary = {
  pass: number;
  startedAt: string;
  finishedAt: string;
  /** Events (Okta) or tickets (Freshservice) read. */
  received: number;
  /** Signalled to their workflows (events routed, tickets nudged). */
  signalled: number;
  ignored: number;
  /** The pass failed (its activity gave up); the next pass starts from the same place. */
  error: string | null;
};

/** Run a reconciler pass now (started after this call) and answer with it. */
export const reconcileNowUpdate = defineUpdate<ReconcilePassSummary, []>('reconcileNow');

/** Where the next pass starts: Okta's `next` link, or Freshservice's newest `updated_at` and its tickets. */
export type ReconcilerPosition =
  | { source: 'okta-system-log'; cursor: string | null }
  | { source: 'freshservice-tickets'; since: string | null; seenAtSince: number[] };

export type ReconcilerState = {
  source: ReconcilerSource;
  position: ReconcilerPosition;
  passes: number;
  totals: { received: number; signalled: number; ignored: number; failedPasses: number };
  lastPass: ReconcilePassSummary | null;
  /** True while switched off (RECONCILE_INTERVAL_SECONDS=0): the workflow has ended. */
  stopped: boolean;
};

export type ReconcilerInput = {
  source: ReconcilerSource;
  carried?: ReconcilerState;
  /** Passes per run before continue-as-new keeps the history short (~10 events a pass); default 200. */
  passesPerRun?: number;
};

/** The reconciler's position, totals and last pass. */
export const reconcilerStateQuery = defineQuery<ReconcilerState>('state');

export const reconcilerContract: CapabilityContract = {
  workflowType: RECONCILER_WORKFLOW_TYPE,
  audited: false,
  auditFields: () => undefined,
};

/** The workflow's signature, for typed starts by name. */
export type ReconcilerWorkflow = (input: ReconcilerInput) => Promise<ReconcilerState>;
