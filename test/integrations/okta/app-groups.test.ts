// The client's group-to-app methods against the sandbox org: listAppGroups pages, assign and unassign are
// idempotent, and Okta's refusal to unassign a group-granted app from one user surfaces as a VendorError
// a workflow can branch on (FORBIDDEN, E0000046, with Okta's cause).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OktaClient } from '../../../src/integrations/okta';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { collect, person, rejectsWith, startSandbox, sswsClient } from './harness';

describe('Okta client group-to-app assignments', () => {
  let sb: RunningOktaSandbox;
  let c: OktaClient;
  before(async () => {
    sb = await startSandbox({ seed: 'demo' });
    c = sswsClient(sb.url);
  });
  after(async () => {
    await sb.close();
  });

  it('given groups assigned to an app, when listed one per page, then every assignment comes back with its priority', async () => {
    const app = (await c.findAppByLabelOrName('GitHub Enterprise'))!;
    const eng = (await c.findGroupByName('Engineering'))!;
    const aws = (await c.findGroupByName('AWS Production'))!;
    await c.assignGroupToApp(app.id, eng.id);
    await c.assignGroupToApp(app.id, aws.id);
    await c.assignGroupToApp(app.id, eng.id);

    const listed = await collect(c.listAppGroups(app.id, { limit: 1 }));
    assert.deepEqual(listed.map((g) => g.id).sort(), [eng.id, aws.id].sort());
    assert.deepEqual(listed.map((g) => g.priority).sort(), [0, 1]);
    assert.ok(listed.every((g) => typeof g.lastUpdated === 'string'));

    await c.unassignGroupFromApp(app.id, aws.id);
    await c.unassignGroupFromApp(app.id, aws.id);
    assert.deepEqual(
      (await collect(c.listAppGroups(app.id))).map((g) => g.id),
      [eng.id],
    );
  });

  it('given a user holding an app through a group, when unassigned directly, then FORBIDDEN E0000046 with the cause, and leaving the group removes the app', async () => {
    const app = (await c.findAppByLabelOrName('NetSuite'))!;
    const group = (await c.findGroupByName('Payments Submitters'))!;
    const u = await c.createUser(person('grp-app'), { password: 'Sandbox!Pass1', groupIds: [group.id] });
    await c.assignGroupToApp(app.id, group.id);
    assert.equal((await c.getAppUser(app.id, u.id))?.scope, 'GROUP');
    assert.ok((await collect(c.listUserApps(u.id))).some((a) => a.id === app.id));

    const err = await rejectsWith(c.unassignUserFromApp(app.id, u.id), 'FORBIDDEN', 'E0000046');
    assert.equal(err.status, 403);
    assert.equal(err.retryable, false);
    assert.deepEqual(err.causes, [
      {
        message:
          'The application cannot be unassigned from the user while their group memberships grant them access',
      },
    ]);
    assert.match(err.message, /Deactivate application for user forbidden\./);

    await c.removeUserFromGroup(group.id, u.id);
    assert.equal(await c.getAppUser(app.id, u.id), undefined);
    await c.unassignGroupFromApp(app.id, group.id);
  });

  it('given a user assigned directly and through a group, when the group is unassigned, then the direct assignment stays and can then be removed', async () => {
    const app = (await c.findAppByLabelOrName('Salesforce'))!;
    const group = (await c.findGroupByName('Finance Approvers'))!;
    const u = await c.createUser(person('grp-direct'), { password: 'Sandbox!Pass1', groupIds: [group.id] });
    await c.assignUserToApp(app.id, u.id);
    await c.assignGroupToApp(app.id, group.id);
    await rejectsWith(c.unassignUserFromApp(app.id, u.id), 'FORBIDDEN', 'E0000046');

    await c.unassignGroupFromApp(app.id, group.id);
    assert.equal((await c.getAppUser(app.id, u.id))?.scope, 'USER');
    await c.unassignUserFromApp(app.id, u.id);
    assert.equal(await c.getAppUser(app.id, u.id), undefined);
  });

  it('given unknown ids, when a group is assigned, then NOT_FOUND comes back', async () => {
    const app = (await c.findAppByLabelOrName('Slack'))!;
    await rejectsWith(c.assignGroupToApp(app.id, '00gdoesnotexist00000'), 'NOT_FOUND', 'E0000007');
    await rejectsWith(c.assignGroupToApp('0oadoesnotexist00000', '00gdoesnotexist00000'), 'NOT_FOUND');
    await rejectsWith(collect(c.listAppGroups('0oadoesnotexist00000')), 'NOT_FOUND', 'E0000007');
  });
});
