// The Okta activities the worker registers on the Okta task queue: one factory per set, each spread from the
// area files beside this one (access requests, directory, grants) and typed by contract.ts, so every
// activity keeps the name stored in workflow histories. Vendor errors leave as typed Temporal failures.
import type { OktaClient } from '../../integrations/okta';
import { withFailureMapping } from '../failures';
import { createAccessRequestActivities } from './access-requests';
import type { OktaActivities } from './contract';
import { createDirectoryActivities } from './directory';
import { createGrantActivities } from './grants';
import { createOktaPrincipal } from './principal';

export type * from './contract';
export { createOktaReconcileActivities } from './reconcile';

export type OktaActivityOptions = {
  /** Base of links to requests in the Okta admin console. */
  adminUrl: string;
};

export function createOktaActivities(okta: OktaClient, opts: OktaActivityOptions): OktaActivities {
  const activities: OktaActivities = {
    ...createAccessRequestActivities(okta, { adminUrl: opts.adminUrl, principal: createOktaPrincipal(okta) }),
    ...createDirectoryActivities(okta),
    ...createGrantActivities(okta),
  };
  return withFailureMapping(activities);
}
