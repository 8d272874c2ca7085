// Who holds which group or app, and granting or revoking it. Both are idempotent by nature: "already a
// member" is a grant that succeeded and "already absent" a revocation that did, so a retry after a lost
// answer is harmless.
import { heartbeat } from '@temporalio/activity';
import { VendorError } from '../../integrations/errors';
import type { OktaClient } from '../../integrations/okta';
import type { OktaActivities, OktaResource, OktaResourceSpec } from './contract';

type GrantActivities = Pick<
  OktaActivities,
  'resolveResource' | 'hasAccess' | 'heldResources' | 'grantAccess' | 'revokeAccess'
>;

/** Okta's "Deactivate application for user forbidden": a group membership still grants the app. */
const GROUP_GRANTED_APP = 'E0000046';

export function createGrantActivities(okta: OktaClient): GrantActivities {
  async function hasAccess(input: { userId: string; resource: OktaResource }): Promise<boolean> {
    if (input.resource.type === 'group') {
      const groups = await okta.listUserGroups(input.userId);
      return groups.some((g) => g.id === input.resource.id);
    }
    return (await okta.getAppUser(input.resource.id, input.userId)) !== undefined;
  }

  async function resolveResource(spec: OktaResourceSpec) {
    if (spec.type === 'group') {
      const g = await okta.findGroupByName(spec.name);
      return g ? ({ type: 'group', id: g.id, name: g.profile.name } as const) : null;
    }
    const app = await okta.findAppByLabelOrName(spec.label);
    return app ? ({ type: 'app', id: app.id, name: app.label } as const) : null;
  }

  /** Names the user's groups that grant the app, so an agent knows which membership to remove. */
  async function groupGrantRemedy(app: OktaResource, userId: string): Promise<string> {
    const granting = new Set<string>();
    for await (const g of okta.listAppGroups(app.id)) granting.add(g.id);
    const groups = (await okta.listUserGroups(userId)).filter((g) => granting.has(g.id));
    if (groups.length === 0)
      return `Okta says a group grants ${app.name}; find the user's group assigned to the app and remove the membership, or unassign the app in the Okta admin console.`;
    const names = groups.map((g) => `"${g.profile.name}" (${g.id})`).join(', ');
    return `${app.name} comes to this user through group ${names}. Remove the user from ${
      groups.length > 1 ? 'those groups' : 'that group'
    } in Okta (or change the group's app assignment), then check that the access is gone.`;
  }

  return {
    resolveResource,
    hasAccess,

    async heldResources(input) {
      const held: string[] = [];
      for (const { name, spec } of input.specs) {
        const resource = await resolveResource(spec);
        if (resource && (await hasAccess({ userId: input.userId, resource }))) held.push(name);
        heartbeat(name);
      }
      return held;
    },

    async grantAccess(input) {
      const alreadyHad = await hasAccess(input);
      if (!alreadyHad) {
        if (input.resource.type === 'group') await okta.addUserToGroup(input.resource.id, input.userId);
        else await okta.assignUserToApp(input.resource.id, input.userId);
      }
      return { alreadyHad };
    },

    async revokeAccess(input) {
      const wasPresent = await hasAccess(input);
      if (input.resource.type === 'group') {
        await okta.removeUserFromGroup(input.resource.id, input.userId);
        return { wasPresent };
      }
      try {
        await okta.unassignUserFromApp(input.resource.id, input.userId);
      } catch (err) {
        if (!(err instanceof VendorError && err.vendorCode === GROUP_GRANTED_APP)) throw err;
        throw err.withRemedy(await groupGrantRemedy(input.resource, input.userId));
      }
      return { wasPresent };
    },
  };
}
