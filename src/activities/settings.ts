// Hands workflows the validated access policy and product settings. Read at worker start (a bad file stops
// the worker); returned by an activity so each workflow records the values it decided with in its history,
// and a replay against new code sees exactly what the original run saw. Each capability has a settings
// activity of its own that returns only its part of the policy, so a run records what it can decide with
// and nothing else; `loadSettings` (everything) stays for runs that started before.
import type { TAccessPolicy } from '../policy/access';

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

/** What every workflow needs besides its policy: task queues, links and the history budget. */
export type CommonSettings = Omit<WorkflowSettings, 'policy'>;

/** The OIG request flow's settings: its own policy section only. */
export type OktaRequestSettings = CommonSettings & { policy: Pick<TAccessPolicy, 'oktaRequests'> };

/** The catalog flow's settings: defaults, resources, SoD and how often it re-reads an OIG request. */
export type CatalogAccessSettings = CommonSettings & {
  policy: Pick<TAccessPolicy, 'defaults' | 'resources' | 'sod'> & {
    oktaRequests: Pick<TAccessPolicy['oktaRequests'], 'pollInterval'>;
  };
};

/** The ticket router decides nothing from the policy. */
export type TicketRouterSettings = CommonSettings;

/** The reconcilers' pace, read before every pass so a changed deployment takes effect without a reset. */
export type ReconcileSettings = {
  /** Seconds between passes; 0 switches the reconcilers off (a running one ends after its pass). */
  intervalSeconds: number;
  /** How far back a first pass reads (and one whose cursor the vendor refused). */
  lookbackMinutes: number;
  taskQueues: WorkflowSettings['taskQueues'];
};

export function createSettingsActivities(settings: WorkflowSettings, reconcile: ReconcileSettings) {
  const { policy, ...common } = settings;
  return {
    // eslint-disable-next-line @typescript-eslint/require-await -- an activity must return a promise
    async loadOktaRequestSettings(): Promise<OktaRequestSettings> {
      return { ...common, policy: { oktaRequests: policy.oktaRequests } };
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- an activity must return a promise
    async loadCatalogAccessSettings(): Promise<CatalogAccessSettings> {
      return {
        ...common,
        policy: {
          defaults: policy.defaults,
          resources: policy.resources,
          sod: policy.sod,
          oktaRequests: { pollInterval: policy.oktaRequests.pollInterval },
        },
      };
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- an activity must return a promise
    async loadTicketRouterSettings(): Promise<TicketRouterSettings> {
      return common;
    },
    /** Every setting and the whole policy: what runs started before the per-capability loaders called. */
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
