// Proves each capability's settings activity hands its workflow only its own part of the access policy, so a
// run's history records what it can decide with and nothing else: the OIG request flow its `oktaRequests`
// section, the catalog flow its defaults, resources, SoD rules and OIG poll interval, the ticket router none;
// `loadSettings` still returns everything for runs that started before the per-capability loaders.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createSettingsActivities, type WorkflowSettings } from '../../src/activities/settings';
import { loadAccessPolicyFile } from '../../src/config/policy-file';

const policy = loadAccessPolicyFile(join(__dirname, '..', 'fixtures', 'test-policy.yaml'));
const settings: WorkflowSettings = {
  policy,
  taskQueues: { okta: 'q-okta', freshservice: 'q-fs' },
  links: { freshserviceUrl: 'https://fs.example', oktaAdminUrl: 'https://okta-admin.example' },
  historyMaxEvents: 4000,
};
const activities = createSettingsActivities(settings, {
  intervalSeconds: 300,
  lookbackMinutes: 60,
  taskQueues: settings.taskQueues,
});
const common = { taskQueues: settings.taskQueues, links: settings.links, historyMaxEvents: 4000 };

describe('settings per capability', () => {
  it('given the OIG request flow, then it receives its oktaRequests section only', async () => {
    assert.deepEqual(await activities.loadOktaRequestSettings(), {
      ...common,
      policy: { oktaRequests: policy.oktaRequests },
    });
  });

  it('given the catalog flow, then it receives defaults, resources, SoD and the OIG poll interval only', async () => {
    const mine = await activities.loadCatalogAccessSettings();
    assert.deepEqual(mine, {
      ...common,
      policy: {
        defaults: policy.defaults,
        resources: policy.resources,
        sod: policy.sod,
        oktaRequests: { pollInterval: policy.oktaRequests.pollInterval },
      },
    });
    assert.ok(mine.policy.resources.length > 0, 'the test policy has resources');
  });

  it('given the ticket router, then it receives no policy at all', async () => {
    const mine = await activities.loadTicketRouterSettings();
    assert.deepEqual(mine, common);
    assert.equal('policy' in mine, false);
  });

  it('given a run from before, then loadSettings still returns the whole policy', async () => {
    assert.deepEqual(await activities.loadSettings(), settings);
  });
});
