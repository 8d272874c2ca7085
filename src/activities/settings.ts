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
};

export function createSettingsActivities(settings: WorkflowSettings) {
  return {
    // eslint-disable-next-line @typescript-eslint/require-await -- an activity must return a promise
    async loadSettings(): Promise<WorkflowSettings> {
      return settings;
    },
  };
}

export type SettingsActivities = ReturnType<typeof createSettingsActivities>;
