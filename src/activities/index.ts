// Builds every activity set the worker registers, from config: vendor clients pointed at the real tenants
// or at the sandboxes, the validated access policy, and the links workflows put in notes and messages.
import type { Config } from '../config';
import { loadAccessPolicyFile } from '../config/policy-file';
import { createFreshserviceClient, type FreshserviceClient } from '../integrations/freshservice';
import { createOktaClient, type OktaClient } from '../integrations/okta';
import type { Logger } from '../logging';
import { SANDBOX_FRESHSERVICE_API_KEY, SANDBOX_OKTA_API_TOKEN } from '../sandbox/credentials';
import type { ActivitySets } from '../worker';
import { createFreshserviceActivities } from './freshservice';
import { createOktaActivities } from './okta';
import {
  createFreshserviceReconcileActivities,
  createOktaReconcileActivities,
  type IntakeTarget,
} from './reconcile';
import { createSettingsActivities, type WorkflowSettings } from './settings';

export type VendorEndpoints = {
  okta: { url: string; client: OktaClient };
  freshservice: { url: string; client: FreshserviceClient };
};

/** Vendor clients from config; in sandbox mode they point at `sandboxUrls` (or the configured sandbox ports). */
export function createVendorClients(
  config: Config,
  logger: Logger,
  sandboxUrls?: { okta: string; freshservice: string },
): VendorEndpoints {
  const sandboxBase = (port: number) => `http://${config.sandbox.host}:${port}`;
  const oktaUrl =
    config.okta.mode === 'real'
      ? config.okta.orgUrl
      : (sandboxUrls?.okta ?? sandboxBase(config.sandbox.oktaPort));
  const okta = createOktaClient({
    orgUrl: oktaUrl,
    auth: config.okta.mode === 'real' ? config.okta.auth : { kind: 'ssws', token: SANDBOX_OKTA_API_TOKEN },
    callsPerMinute: config.okta.callsPerMinute || undefined,
    logger: logger.child({ vendor: 'okta' }),
  });
  const fsUrl =
    config.freshservice.mode === 'real'
      ? config.freshservice.baseUrl
      : (sandboxUrls?.freshservice ?? sandboxBase(config.sandbox.freshservicePort));
  const freshservice = createFreshserviceClient({
    baseUrl: fsUrl,
    apiKey: config.freshservice.mode === 'real' ? config.freshservice.apiKey : SANDBOX_FRESHSERVICE_API_KEY,
    logger: logger.child({ vendor: 'freshservice' }),
  });
  return { okta: { url: oktaUrl, client: okta }, freshservice: { url: fsUrl, client: freshservice } };
}

/**
 * Every activity set, keyed by the task queue it runs on. Reads and validates the policy file. `intake` is
 * where the reconcilers signal what webhooks missed (a Temporal client of the same namespace).
 */
export function createActivitySets(
  config: Config,
  vendors: VendorEndpoints,
  intake: IntakeTarget['client'],
): ActivitySets {
  const settings: WorkflowSettings = {
    policy: loadAccessPolicyFile(config.accessPolicyFile),
    taskQueues: {
      okta: config.temporal.taskQueues.okta,
      freshservice: config.temporal.taskQueues.freshservice,
    },
    links: {
      freshserviceUrl: vendors.freshservice.url,
      oktaAdminUrl: config.oktaAdminUrl ?? vendors.okta.url,
    },
    historyMaxEvents: config.workflowHistoryMaxEvents,
  };
  const target: IntakeTarget = { client: intake, taskQueue: config.temporal.taskQueues.workflows };
  return {
    workflows: createSettingsActivities(settings, { ...config.reconcile, taskQueues: settings.taskQueues }),
    okta: {
      ...createOktaActivities(vendors.okta.client, { adminUrl: settings.links.oktaAdminUrl }),
      ...createOktaReconcileActivities(vendors.okta.client, target),
    },
    freshservice: {
      ...createFreshserviceActivities(vendors.freshservice.client, {
        accessCatalogItemDisplayId: config.freshservice.accessCatalogItemDisplayId,
      }),
      ...createFreshserviceReconcileActivities(vendors.freshservice.client, target),
    },
  };
}
