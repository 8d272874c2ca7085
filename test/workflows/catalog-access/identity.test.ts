// Who a catalog request is for, and whether that account may hold access, on the real Temporal server with
// both sandboxes: a rehire's active account is found behind a deactivated one holding the login, an email
// shared by two live accounts asks nobody and grants nothing, and a SUSPENDED account gets no approval,
// also when it is suspended while its approval waits (the status is checked again right before the grant).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { catalogDriver } from '../../helpers/catalog-driver';
import { peopleMaker, uniqueEmail } from '../../helpers/people';
import { startTestStack, type TestStack } from '../../helpers/stack';

describe('catalog request: identity and account status', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack.stop();
  });
  const d = catalogDriver(() => stack);
  const people = peopleMaker(() => stack);
  const salesforce = { resource_type: 'app', resource_name: 'Salesforce' };
  const appUser = async (userId: string) => {
    const okta = stack.vendors.okta.client;
    const app = await okta.findAppByLabelOrName('Salesforce');
    return okta.getAppUser(app!.id, userId);
  };

  it('given a rehire (old DEPROVISIONED account holds the login, new ACTIVE one has the email), when E requests, then the active account is asked for and granted', async () => {
    const e = uniqueEmail('rehire');
    await people.requester(e);
    const old = await people.oktaAccount({ login: e, email: e, status: 'DEPROVISIONED' });
    const rehired = await people.oktaAccount({ login: uniqueEmail('rehire-new'), email: e });
    const id = await d.raise(salesforce, e);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    assert.equal(s.requestedFor.oktaUserId, rehired.id);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    const done = await d.result(id);
    assert.equal(done.outcome, 'granted');
    assert.ok(await appUser(rehired.id), 'the active account holds the app');
    assert.equal(await appUser(old.id), undefined, 'the deactivated account got nothing');
  });

  it('given two ACTIVE accounts with primary email E, when E requests, then nobody is asked, nothing is granted and the note names both logins', async () => {
    const e = uniqueEmail('shared');
    await people.requester(e);
    const a = await people.oktaAccount({ login: uniqueEmail('shared-a'), email: e });
    const b = await people.oktaAccount({ login: uniqueEmail('shared-b'), email: e });
    const id = await d.raise(salesforce, e);
    await d.nudge(id);
    const done = await d.result(id);
    assert.equal(done.outcome, 'ambiguous-user');
    assert.deepEqual(done.levels, []);
    assert.equal((await stack.vendors.freshservice.client.listApprovals(id)).length, 0, 'no approval asked');
    assert.equal(await appUser(a.id), undefined);
    assert.equal(await appUser(b.id), undefined);
    const text = (await d.notes(id)).join('\n');
    assert.ok(text.includes(a.profile.login) && text.includes(b.profile.login), text);
    assert.match(text, /matches several Okta accounts/);
    assert.equal(done.requestedFor.oktaUserId, null);
  });

  it('given an account found only by its secondary email, when requested, then it is the one asked for', async () => {
    const e = uniqueEmail('second');
    await people.requester(e);
    const u = await people.oktaAccount({
      login: uniqueEmail('second-login'),
      email: uniqueEmail('x'),
      secondEmail: e,
    });
    const id = await d.raise(salesforce, e);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    assert.equal(s.requestedFor.oktaUserId, u.id);
    await d.accessFlow(id).cancel();
  });

  it('given a SUSPENDED requester, when they request access, then no approval is asked and the note names the status', async () => {
    const e = uniqueEmail('suspended');
    await people.requester(e);
    const u = await people.oktaAccount({ login: e, email: e, status: 'SUSPENDED' });
    const id = await d.raise(salesforce, e);
    await d.nudge(id);
    const done = await d.result(id);
    assert.equal(done.outcome, 'account-not-eligible');
    assert.deepEqual(done.levels, []);
    assert.equal((await stack.vendors.freshservice.client.listApprovals(id)).length, 0);
    assert.match(
      (await d.notes(id)).join('\n'),
      /No approval was asked for .*: the Okta account is SUSPENDED;/,
    );
    assert.equal(await appUser(u.id), undefined);
  });

  it('given an account suspended while its approval waits, when approved, then nothing is granted and the note says why', async () => {
    const e = uniqueEmail('later-suspended');
    await people.requester(e);
    const u = await people.oktaAccount({ login: e, email: e });
    const id = await d.raise(salesforce, e);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await stack.vendors.okta.client.suspendUser(u.id);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    const done = await d.result(id);
    assert.equal(done.outcome, 'account-not-eligible');
    assert.equal(done.decisions[0]?.decision, 'approved');
    assert.equal(await appUser(u.id), undefined, 'no grant to a suspended account');
    assert.match(
      (await d.notes(id)).join('\n'),
      /approved, but nothing was granted to .*, which is now SUSPENDED in Okta/,
    );
  });
});
