// The access policy's features on catalog requests (Freshservice → Okta), each through the real catalog
// workflow on the real Temporal server with both sandboxes (issue #12 B.7): who may request, access already
// held, a separation-of-duties extra approval, the requested window against the resource's maximum, the
// form's duration_days / end_date / requested_for_email, and a person Okta does not know. Each test makes
// its own people, so no test depends on what another granted; outcomes are read where a user sees them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FS_REQUESTED_ITEM_STAGE, FS_TICKET_STATUS } from '../../../src/integrations/freshservice';
import { cancelAccessUpdate } from '../../../src/workflows/catalog-access/contract';
import { catalogDriver } from '../../helpers/catalog-driver';
import { peopleMaker, uniqueEmail } from '../../helpers/people';
import { startTestStack, type TestStack } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';

const ada = 'ada.lovelace@acme.example';
const margaret = 'margaret.hamilton@acme.example';
const linus = 'linus.torvalds@acme.example';
const whitfield = 'whitfield.diffie@acme.example';
const HOUR = 3_600_000;
const DAY = 86_400_000;

describe('access policy features on catalog requests', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack.stop();
  });
  const d = catalogDriver(() => stack);
  const people = peopleMaker(() => stack);

  /** A fresh person in both sandboxes (ACTIVE in Okta), reporting to `manager`, in the Okta `groups`. */
  async function person(prefix: string, opts: { manager?: string; groups?: string[] } = {}) {
    const email = uniqueEmail(prefix);
    await people.requester(email, opts.manager);
    const user = await people.oktaAccount({ login: email, email });
    const okta = stack.vendors.okta.client;
    for (const name of opts.groups ?? []) {
      const group = await okta.findGroupByName(name);
      assert.ok(group, `no Okta group ${name}`);
      await okta.addUserToGroup(group.id, user.id);
    }
    return { email, userId: user.id };
  }

  const approvals = (ticketId: number) => stack.vendors.freshservice.client.listApprovals(ticketId);
  const itemStages = async (ticketId: number) =>
    (await stack.vendors.freshservice.client.listRequestedItems(ticketId)).map((i) => i.stage);
  const noteText = async (ticketId: number) => (await d.notes(ticketId)).join('\n');
  /** Ends a request still running (waiting on approval, or holding time-bound access) as an operator. */
  const cancel = (ticketId: number) =>
    d.accessFlow(ticketId).executeUpdate(cancelAccessUpdate, { args: [{ requestedBy: 'it1@acme.example' }] });

  /** The flow's end, bounded: a flow that would go on waiting (for approval, for expiry) fails the test. */
  async function ended(ticketId: number) {
    await waitFor(
      async () => (await d.state(ticketId)).phase === 'done',
      `ticket ${ticketId}'s request to end`,
      { timeoutMs: 30_000 },
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}\n${await d.diagnose(ticketId)}`);
    });
    return d.result(ticketId);
  }

  /** Raises, has the manager approve level 1, and answers the state once access is granted. */
  async function grantedWith(fields: Record<string, unknown>, requester: string) {
    const id = await d.raise(fields, requester);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    const granted = await d.waitForPhase(id, 'granted');
    // The grant's note follows the phase: wait for it before reading what it says.
    await waitFor(async () => /Access granted in Okta/.test(await noteText(id)), `the grant note of ${id}`);
    return { id, granted };
  }

  it('given a resource only Engineering may request, when someone outside Engineering requests it, then it is refused with a note and nobody is asked, while a member is asked', async () => {
    const outsider = await person('outsider');
    const id = await d.raise({ resource_type: 'app', resource_name: 'GitHub Enterprise' }, outsider.email);
    await d.nudge(id);
    const done = await ended(id);
    assert.equal(done.outcome, 'not-eligible');
    assert.deepEqual(done.levels, []);
    assert.equal((await approvals(id)).length, 0, 'no approval asked');
    assert.match(
      await noteText(id),
      /Not eligible: "GitHub Enterprise" requires membership of one of: Engineering/,
    );
    assert.equal((await d.ticket(id)).status, FS_TICKET_STATUS.RESOLVED);
    assert.deepEqual(await itemStages(id), [FS_REQUESTED_ITEM_STAGE.CANCELLED]);
    assert.equal(await d.hasApp(outsider.email, 'GitHub Enterprise'), false);

    const member = await person('member', { groups: ['Engineering'] });
    const asked = await d.raise({ resource_type: 'app', resource_name: 'GitHub Enterprise' }, member.email);
    await d.nudge(asked);
    const s = await d.waitForRequestedLevel(asked, 1);
    assert.equal(s.levels[0]!.approvers[0]!.email, margaret, 'a member of Engineering goes to approval');
    assert.equal((await cancel(asked)).status, 'cancelled');
  });

  it('given access the person already holds in Okta, when requested, then nobody is asked and the ticket says there is nothing to grant', async () => {
    const holder = await person('holder', { groups: ['Finance'] });
    const id = await d.raise({ resource_type: 'group', resource_name: 'Finance Reporting' }, holder.email);
    await d.nudge(id);
    const done = await ended(id);
    assert.equal(done.outcome, 'already-had-access');
    assert.deepEqual(done.levels, []);
    assert.equal((await approvals(id)).length, 0, 'no approval asked');
    assert.match(await noteText(id), /already has Finance in Okta; nothing to grant/);
    assert.equal((await d.ticket(id)).status, FS_TICKET_STATUS.RESOLVED);
    assert.deepEqual(await itemStages(id), [FS_REQUESTED_ITEM_STAGE.FULFILLED]);
    assert.equal(await d.inGroup(holder.email, 'Finance'), true, 'the access is untouched');
  });

  it('given an extra-approval separation-of-duties rule, when someone holding the other resource requests, then the rule’s approver is asked after the chain and access follows both', async () => {
    const p = await person('sod', { groups: ['Finance'] });
    const id = await d.raise({ resource_type: 'group', resource_name: 'Sales Ledger' }, p.email);
    await d.nudge(id);
    let s = await d.waitForRequestedLevel(id, 1);
    assert.equal(s.levels.length, 2, 'the conflict adds a level');
    assert.equal(s.levels[0]!.approvers[0]!.email, margaret);
    assert.match(
      s.levels[1]!.reason,
      /separation of duties "Sales and finance": already holds Finance Reporting/,
    );
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');

    s = await d.waitForRequestedLevel(id, 2);
    assert.deepEqual(
      s.levels[1]!.approvers.map((a) => a.email),
      [whitfield],
    );
    assert.equal(await d.inGroup(p.email, 'Sales'), false, 'nothing granted before the extra level');
    // The level's note follows its state (state first, then the note): wait for it, as for the grant note.
    const level2Note =
      /Approval 2 \(separation of duties "Sales and finance": already holds Finance Reporting\) requested from Whitfield Diffie/;
    await waitFor(async () => level2Note.test(await noteText(id)), `the level-2 note of ${id}`);
    await d.decide(id, s.levels[1]!.approvalIds[0]!, 'approve');
    const done = await ended(id);
    assert.equal(done.outcome, 'granted');
    assert.deepEqual(
      done.decisions.map((x) => [x.decision, x.level]),
      [
        ['approved', 1],
        ['approved', 2],
      ],
    );
    assert.equal(await d.inGroup(p.email, 'Sales'), true);

    // Without the conflicting access, the same resource needs only the chain.
    const q = await person('nosod');
    const plain = await d.raise({ resource_type: 'group', resource_name: 'Sales Ledger' }, q.email);
    await d.nudge(plain);
    assert.equal((await d.waitForRequestedLevel(plain, 1)).levels.length, 1);
    assert.equal((await cancel(plain)).status, 'cancelled');
  });

  it('given a requested window longer than the resource’s maximum, when approved, then access is granted only up to the maximum and the note says so', async () => {
    const p = await person('clamp');
    const { id, granted } = await grantedWith(
      { resource_type: 'group', resource_name: 'Engineering', duration_days: 3 },
      p.email,
    );
    assert.equal(Date.parse(granted.grant.endAt!) - Date.parse(granted.grant.grantedAt!), 2 * HOUR);
    assert.equal(await d.inGroup(p.email, 'Engineering'), true);
    assert.match(await noteText(id), /Note: shortened to the maximum of 2h/);
    assert.equal((await cancel(id)).status, 'revoked');
    assert.equal(await d.inGroup(p.email, 'Engineering'), false);
  });

  it('given an end date already past, when requested, then the request is refused before anyone is asked', async () => {
    const p = await person('pastend');
    const id = await d.raise(
      { resource_type: 'app', resource_name: 'Salesforce', end_date: '2020-01-31' },
      p.email,
    );
    await d.nudge(id);
    const done = await ended(id);
    assert.equal(done.outcome, 'invalid-request');
    assert.deepEqual(done.levels, []);
    assert.equal((await approvals(id)).length, 0);
    assert.match(await noteText(id), /end date 2020-01-31 is in the past/);
    assert.equal(await d.hasApp(p.email, 'Salesforce'), false);
  });

  it('given duration_days on the form, when approved, then access ends that many days after the grant', async () => {
    const p = await person('days');
    const { id, granted } = await grantedWith(
      { resource_type: 'app', resource_name: 'Salesforce', duration_days: 2 },
      p.email,
    );
    assert.equal(Date.parse(granted.grant.endAt!) - Date.parse(granted.grant.grantedAt!), 2 * DAY);
    assert.equal(await d.hasApp(p.email, 'Salesforce'), true);
    assert.ok(
      (await noteText(id)).includes(`Until: ${granted.grant.endAt!.slice(0, 16).replace('T', ' ')} UTC`),
    );
    assert.equal((await cancel(id)).status, 'revoked');
    assert.equal(await d.hasApp(p.email, 'Salesforce'), false);
  });

  it('given end_date on the form, when approved, then access ends at the end of that day (UTC)', async () => {
    const p = await person('enddate');
    const endDate = new Date(Date.now() + 5 * DAY).toISOString().slice(0, 10);
    const { id, granted } = await grantedWith(
      { resource_type: 'app', resource_name: 'Salesforce', end_date: endDate },
      p.email,
    );
    assert.equal(granted.grant.endAt, `${endDate}T23:59:59.000Z`);
    assert.match(await noteText(id), new RegExp(`Until: ${endDate} 23:59 UTC`));
    assert.equal((await cancel(id)).status, 'revoked');
  });

  it('given requested_for_email naming someone else, when approved, then that person’s manager is asked and that person, not the requester, gets the access', async () => {
    const other = await person('for', { manager: linus });
    const id = await d.raise(
      { resource_type: 'app', resource_name: 'Salesforce', requested_for_email: other.email },
      ada,
    );
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    assert.equal(s.requester.email, ada);
    assert.equal(s.requestedFor.email, other.email);
    assert.equal(s.requestedFor.oktaUserId, other.userId);
    assert.equal(s.levels[0]!.approvers[0]!.email, linus, 'the manager of the person the access is for');
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    const done = await ended(id);
    assert.equal(done.outcome, 'granted');
    assert.equal(await d.hasApp(other.email, 'Salesforce'), true);
    assert.equal(await d.hasApp(ada, 'Salesforce'), false, 'the requester got nothing');
  });

  it('given a person Okta does not know, when access is requested for them, then nobody is asked and the ticket says so', async () => {
    const unknown = uniqueEmail('no-okta');
    await people.requester(unknown); // in Freshservice only
    const id = await d.raise(
      { resource_type: 'app', resource_name: 'Salesforce', requested_for_email: unknown },
      ada,
    );
    await d.nudge(id);
    const done = await ended(id);
    assert.equal(done.outcome, 'unknown-user');
    assert.deepEqual(done.levels, []);
    assert.equal(done.requestedFor.oktaUserId, null);
    assert.equal((await approvals(id)).length, 0);
    assert.ok((await noteText(id)).includes(`No active Okta user has the email ${unknown}`));
    assert.equal((await d.ticket(id)).status, FS_TICKET_STATUS.RESOLVED);
    assert.deepEqual(await itemStages(id), [FS_REQUESTED_ITEM_STAGE.CANCELLED]);
  });
});
