// The Freshservice activities the worker registers on the Freshservice task queue: one factory per set, each
// spread from the area files beside this one (tickets, conversation, approvals, people), sharing who
// access-bridge is in Freshservice (identity.ts) and typed by
// contract.ts, so every activity keeps the name stored in workflow histories. Vendor errors leave as typed
// Temporal failures.
import type { FreshserviceClient } from '../../integrations/freshservice';
import { withFailureMapping } from '../failures';
import { createApprovalActivities } from './approvals';
import type { FreshserviceActivities } from './contract';
import { createConversationActivities } from './conversation';
import { createFreshserviceIdentity } from './identity';
import { createPeopleActivities } from './people';
import { createTicketActivities } from './tickets';

export type * from './contract';
export { createFreshserviceReconcileActivities } from './reconcile';

export type FreshserviceActivityOptions = {
  /** display_id of the catalog item that raises access requests. */
  accessCatalogItemDisplayId: number;
};

export function createFreshserviceActivities(
  fs: FreshserviceClient,
  opts: FreshserviceActivityOptions,
): FreshserviceActivities {
  const identity = createFreshserviceIdentity(fs);
  const activities: FreshserviceActivities = {
    ...createTicketActivities(fs, opts),
    ...createConversationActivities(fs, identity),
    ...createApprovalActivities(fs, identity),
    ...createPeopleActivities(fs),
  };
  return withFailureMapping(activities);
}
