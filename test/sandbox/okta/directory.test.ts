// The sandbox org's directory rules through the Okta client: user status transitions, delete in two
// steps, groups (idempotent membership, BUILT_IN not modifiable), app assignments, factors, lookups.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import {
  admin,
  collect,
  person,
  raw,
  rejectsWith,
  startSandbox,
  sswsClient,
} from '../../integrations/okta/harness';

describe('sandbox Okta directory', () => {
  let sb: RunningOktaSandbox;
  before(async () => {
    sb = await startSandbox({ seed: 'demo' });
  });
  after(async () => {
    await sb.close();
  });

  it('given new users, when created with and without password or activation, then statuses are ACTIVE, PROVISIONED and STAGED', async () => {
    const c = sswsClient(sb.url);
    assert.equal((await c.createUser(person('s1'), { password: 'Sandbox!Pass1' })).status, 'ACTIVE');
    assert.equal((await c.createUser(person('s2'))).status, 'PROVISIONED');
    const staged = await c.createUser(person('s3'), { activate: false });
    assert.equal(staged.status, 'STAGED');
    await c.activateUser(staged.id);
    assert.equal((await c.getUser(staged.id)).status, 'PROVISIONED');
  });

  it('given an ACTIVE user, when suspended twice, then the second fails E0000001 and unsuspend restores ACTIVE', async () => {
    const c = sswsClient(sb.url);
    const u = await c.createUser(person('susp'), { password: 'Sandbox!Pass1' });
    await c.suspendUser(u.id);
    assert.equal((await c.getUser(u.id)).status, 'SUSPENDED');
    const err = await rejectsWith(c.suspendUser(u.id), 'VALIDATION', 'E0000001');
    assert.match(err.causes[0]?.message ?? '', /not active/);
    await c.unsuspendUser(u.id);
    assert.equal((await c.getUser(u.id)).status, 'ACTIVE');
    await rejectsWith(c.unsuspendUser(u.id), 'VALIDATION', 'E0000001');
  });

  it('given an ACTIVE user, when unlocked or re-activated, then Okta refuses with E0000032 and E0000016', async () => {
    const c = sswsClient(sb.url);
    const u = await c.createUser(person('unlock'), { password: 'Sandbox!Pass1' });
    const refused = await rejectsWith(c.unlockUser(u.id), 'FORBIDDEN', 'E0000032');
    assert.equal(refused.status, 403);
    await rejectsWith(c.activateUser(u.id), 'FORBIDDEN', 'E0000016');
    await admin(sb.url, 'POST', `/__sandbox/actor/users/${u.id}/lock`);
    assert.equal((await c.getUser(u.id)).status, 'LOCKED_OUT');
    await c.unlockUser(u.id);
    assert.equal((await c.getUser(u.id)).status, 'ACTIVE');
  });

  it('given an ACTIVE user, when the password is reset without email and then expired, then a reset URL comes back and statuses follow', async () => {
    const c = sswsClient(sb.url);
    const u = await c.createUser(person('pwd'), { password: 'Sandbox!Pass1' });
    const r = await c.resetPassword(u.id, { sendEmail: false });
    assert.match(r.resetPasswordUrl ?? '', new RegExp(`^${sb.url}/reset_password/`));
    assert.equal((await c.getUser(u.id)).status, 'RECOVERY');
    assert.equal((await c.expirePassword(u.id)).status, 'PASSWORD_EXPIRED');
  });

  it('given an ACTIVE user, when the password is expired with a temporary password, then the temporary password comes back and the user is PASSWORD_EXPIRED', async () => {
    const c = sswsClient(sb.url);
    const u = await c.createUser(person('temp-pwd'), { password: 'Sandbox!Pass1' });
    const res = await raw(
      sb.url,
      'POST',
      `/api/v1/users/${u.id}/lifecycle/expire_password_with_temp_password?revokeSessions=true`,
    );
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['tempPassword']);
    assert.match(String(body.tempPassword), /^[A-Za-z0-9]{8}$/);
    assert.equal((await c.getUser(u.id)).status, 'PASSWORD_EXPIRED');
    const staged = await c.createUser(person('temp-pwd-staged'), { activate: false });
    const refused = await raw(
      sb.url,
      'POST',
      `/api/v1/users/${staged.id}/lifecycle/expire_password_with_temp_password`,
    );
    assert.equal(refused.status, 403);
  });

  it('given a user with factors, when one is deleted and then all are reset, then the list shrinks to empty', async () => {
    const c = sswsClient(sb.url);
    const ada = await c.getUser('ada.lovelace@acme.example');
    const factors = await c.listFactors(ada.id);
    assert.deepEqual(factors.map((f) => f.factorType).sort(), ['push', 'token:software:totp']);
    await c.deleteFactor(ada.id, factors[0]!.id);
    assert.equal((await c.listFactors(ada.id)).length, 1);
    await c.resetFactors(ada.id);
    assert.equal((await c.listFactors(ada.id)).length, 0);
    await rejectsWith(c.deleteFactor(ada.id, 'ufsnope'), 'NOT_FOUND', 'E0000007');
  });

  it('given a user with apps, when deleted twice, then the first call deactivates and unassigns, the second removes the user', async () => {
    const c = sswsClient(sb.url);
    const slack = await c.findAppByLabelOrName('Slack');
    assert.ok(slack);
    const u = await c.createUser(person('del'), { password: 'Sandbox!Pass1' });
    await c.assignUserToApp(slack.id, u.id);
    await c.deleteUser(u.id);
    const after1 = await c.getUser(u.id);
    assert.equal(after1.status, 'DEPROVISIONED');
    assert.equal(await c.getAppUser(slack.id, u.id), undefined);
    await c.deleteUser(u.id);
    await rejectsWith(c.getUser(u.id), 'NOT_FOUND', 'E0000007');
  });

  it('given a group, when a member is added twice and removed twice, then each call succeeds and membership follows', async () => {
    const c = sswsClient(sb.url);
    const g = await c.findGroupByName('AWS Production');
    assert.ok(g);
    assert.equal(await c.findGroupByName('aws production'), undefined);
    const alan = await c.getUser('alan.turing@acme.example');
    await c.addUserToGroup(g.id, alan.id);
    await c.addUserToGroup(g.id, alan.id);
    assert.ok((await c.listUserGroups(alan.id)).some((x) => x.id === g.id));
    assert.ok((await collect(c.listGroupMembers(g.id))).some((x) => x.id === alan.id));
    await c.removeUserFromGroup(g.id, alan.id);
    await c.removeUserFromGroup(g.id, alan.id);
    assert.ok(!(await c.listUserGroups(alan.id)).some((x) => x.id === g.id));
  });

  it('given the BUILT_IN Everyone group, when membership is changed, then Okta refuses with E0000006', async () => {
    const c = sswsClient(sb.url);
    const alan = await c.getUser('alan.turing@acme.example');
    const groups = await c.listUserGroups(alan.id);
    const everyone = groups.find((g) => g.type === 'BUILT_IN');
    assert.ok(everyone, 'every user is in the BUILT_IN group');
    await rejectsWith(c.removeUserFromGroup(everyone.id, alan.id), 'FORBIDDEN', 'E0000006');
  });

  it('given an app, when a user is assigned and unassigned twice, then app user, app links and listUserApps follow and re-unassign is success', async () => {
    const c = sswsClient(sb.url);
    const ns = await c.findAppByLabelOrName('netsuite');
    assert.ok(ns);
    const alan = await c.getUser('alan.turing@acme.example');
    assert.equal(await c.getAppUser(ns.id, alan.id), undefined);
    const au = await c.assignUserToApp(ns.id, alan.id, { userName: 'aturing' });
    assert.equal(au.credentials?.userName, 'aturing');
    assert.ok((await c.listUserAppLinks(alan.id)).some((l) => l.appInstanceId === ns.id));
    assert.ok((await collect(c.listUserApps(alan.id))).some((a) => a.id === ns.id));
    await c.unassignUserFromApp(ns.id, alan.id);
    await c.unassignUserFromApp(ns.id, alan.id);
    assert.equal(await c.getAppUser(ns.id, alan.id), undefined);
  });

  it('given demo users, when looked up by login, email, shortname or profile update, then the right user comes back', async () => {
    const c = sswsClient(sb.url);
    const grace = await c.findUserByEmail('GRACE.HOPPER@acme.example');
    assert.equal(grace?.profile.title, 'Chief Executive Officer');
    assert.equal(await c.findUserByEmail('nobody@acme.example'), undefined);
    assert.equal((await c.findUserByLogin('grace.hopper@acme.example'))?.id, grace?.id);
    assert.equal((await c.getUser('grace.hopper')).id, grace?.id);
    const linus = await c.getUser('linus.torvalds@acme.example');
    assert.equal(linus.profile.managerId, 'grace.hopper@acme.example');
    const updated = await c.updateUserProfile(linus.id, { title: 'CTO', costCenter: 'R&D' });
    assert.equal(updated.profile.title, 'CTO');
    assert.equal(updated.profile.costCenter, 'R&D');
    assert.equal(updated.profile.department, 'Engineering');
  });
});
