// Hands workflows the validated access policy and product settings. Read at worker start (a bad file stops
// the worker); returned by an activity so each workflow records the values it decided with in its history,
// and a replay against new code sees exactly what the original run saw.
import type { TAccessPolicy } from '../policy';

export type WorkflowSettings = {
  policy: TAccessPolicy;
  /** Where vendor activities run (each with its own rate budget). */
  taskQueues: { okta: string; freshservice: string };
  links: {
    /** Base of agent links to tickets, e.g. https://acme.freshservice.com */
    freshserviceUrl: string;
    /** Base of admin links to OIG requests, e.g. https://acme-admin.okta.com */
    oktaAdminUrl: string;
  };
  /** Events one run of a long-lived workflow records before it continues as new (WORKFLOW_HISTORY_MAX_EVENTS). */
  historyMaxEvents: number;
};

/** The reconcilers' pace, read before every pass so a changed deployment takes effect without a reset. */
export type ReconcileSettings = {
  /** Seconds between passes; 0 switches the reconcilers off (a running one ends after its pass). */
  intervalSeconds: number;
  /** How far back a first pass reads (and one whose cursor the vendor refused). */
  lookbackMinutes: number;
  taskQueues: WorkflowSettings['taskQueues'];
};

export function createSettingsActivities(settings: WorkflowSettings, reconcile: ReconcileSettings) {
  return {
    // eslint-disable-next-line @typescript-eslint/require-await -- an activity must return a promise
    async loadSettings(): Promise<WorkflowSettings> {
      return settings;
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- an activity must return a promise
    async loadReconcileSettings(): Promise<ReconcileSettings> {
      return reconcile;
    },
  };
}

export type SettingsActivities = ReturnType<typeof createSettingsActivities>;
