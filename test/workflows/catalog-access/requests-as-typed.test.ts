// Catalog requests as people type them (break-it pass, items 1, 2 and 5), through the real catalog workflow
// on the real Temporal server with both sandboxes: an end_date the calendar lacks is refused naming the
// field (never rolled over into March, never called "in the past"); resource_type limits what resource_name
// may match, whose spaces are normalised; and the notes that say why a request ended read as whole
// sentences (no approver, an expiry, a denial) and count every approval level a rule adds.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FS_REQUESTED_ITEM_STAGE } from '../../../src/integrations/freshservice';
import { cancelAccessUpdate } from '../../../src/workflows/catalog-access/contract';
import { catalogDriver } from '../../helpers/catalog-driver';
import { peopleMaker, uniqueEmail } from '../../helpers/people';
import { startTestStack, type TestStack } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';

describe('catalog requests as typed', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack.stop();
  });
  const d = catalogDriver(() => stack);
  const people = peopleMaker(() => stack);

  /** A fresh person in both sandboxes (ACTIVE in Okta), reporting to Margaret Hamilton, in `groups`. */
  async function person(prefix: string, groups: string[] = []) {
    const email = uniqueEmail(prefix);
    await people.requester(email);
    const user = await people.oktaAccount({ login: email, email });
    for (const name of groups) {
      const group = await stack.vendors.okta.client.findGroupByName(name);
      assert.ok(group, `no Okta group ${name}`);
      await stack.vendors.okta.client.addUserToGroup(group.id, user.id);
    }
    return email;
  }

  const approvals = (ticketId: number) => stack.vendors.freshservice.client.listApprovals(ticketId);
  const noteText = async (ticketId: number) => (await d.notes(ticketId)).join('\n');
  const cancel = (ticketId: number) =>
    d.accessFlow(ticketId).executeUpdate(cancelAccessUpdate, { args: [{ requestedBy: 'it1@acme.example' }] });

  async function ended(ticketId: number) {
    await waitFor(
      async () => (await d.state(ticketId)).phase === 'done',
      `ticket ${ticketId}'s request to end`,
      {
        timeoutMs: 30_000,
      },
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}\n${await d.diagnose(ticketId)}`);
    });
    return d.result(ticketId);
  }

  it('given an end_date the calendar lacks, in the future or this year, when requested, then the request ends invalid with a note naming end_date and saying the date does not exist; nobody is asked', async () => {
    const email = await person('feb30');
    for (const [endDate, why] of [
      ['2027-02-30', 'February 2027 has 28 days'],
      ['2026-02-30', 'February 2026 has 28 days'],
      ['2027-04-31', 'April 2027 has 30 days'],
    ] as const) {
      const id = await d.raise(
        { resource_type: 'app', resource_name: 'Salesforce', end_date: endDate },
        email,
      );
      await d.nudge(id);
      const done = await ended(id);
      assert.equal(done.outcome, 'invalid-request', endDate);
      assert.deepEqual(done.levels, [], `${endDate}: nobody is asked`);
      assert.equal((await approvals(id)).length, 0);
      const notes = await noteText(id);
      assert.match(
        notes,
        new RegExp(
          `This request cannot be processed: end date \\(end_date\\) ${endDate} does not exist: ${why}\\.`,
        ),
      );
      assert.doesNotMatch(notes, /is in the past/);
      assert.deepEqual(
        (await stack.vendors.freshservice.client.listRequestedItems(id)).map((i) => i.stage),
        [FS_REQUESTED_ITEM_STAGE.CANCELLED],
      );
      assert.equal(await d.hasApp(email, 'Salesforce'), false);
    }
  });

  it('given a requester with no manager and no escalation target, when requested, then the note says in a whole sentence that nobody could be asked to approve', async () => {
    const email = uniqueEmail('no-manager');
    await stack.vendors.freshservice.client.createRequester({
      first_name: 'Test',
      last_name: 'NoManager',
      primary_email: email,
    });
    await people.oktaAccount({ login: email, email });
    const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce' }, email);
    await d.nudge(id);
    const done = await ended(id);
    assert.equal(done.outcome, 'no-approver');
    const notes = await noteText(id);
    assert.match(
      notes,
      /Nobody could be asked to approve the request: approval 1 \(reporting manager\) has no one to go to, and no escalation target could take it\. No access was granted\./,
    );
    assert.doesNotMatch(notes, /The request was no approver/);
  });

  it('given a request nobody decides before its deadline, when it expires, then the note says it expired, not "was expired by access policy (policy)"', async () => {
    const email = await person('expires');
    const id = await d.raise({ resource_type: 'group', resource_name: 'Sales' }, email);
    await d.nudge(id);
    const done = await ended(id);
    assert.equal(done.outcome, 'expired');
    const notes = await noteText(id);
    assert.match(
      notes,
      /The request expired before it was approved: no decision before the deadline\. No access was granted\./,
    );
    assert.doesNotMatch(notes, /was expired by/);
  });

  it('given a denial in Freshservice, when the request ends, then the note names the approver and where they decided', async () => {
    const email = await person('denied');
    const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce' }, email);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'reject');
    const done = await ended(id);
    assert.equal(done.outcome, 'denied');
    assert.match(
      await noteText(id),
      /The request was denied by Margaret Hamilton <margaret\.hamilton@acme\.example> in Freshservice[.:]/,
    );
  });

  it('given a separation-of-duties rule that adds a level, when requested, then each chain level counts every level of the request', async () => {
    const email = await person('sod-count', ['Finance']);
    const id = await d.raise({ resource_type: 'group', resource_name: 'Sales Ledger' }, email);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    assert.equal(s.levels.length, 2);
    assert.equal(s.levels[0]!.reason, 'approval chain level 1 of 2');
    await waitFor(
      async () => /Approval 1 \(approval chain level 1 of 2\) requested from/.test(await noteText(id)),
      `the level-1 note of ${id}`,
    );
    assert.equal((await cancel(id)).status, 'cancelled');
  });

  it('given resource_type group naming an application, when requested, then it resolves no app: the note says what the name is and nothing is asked or granted', async () => {
    const email = await person('wrong-type');
    const id = await d.raise({ resource_type: 'group', resource_name: 'salesforce' }, email);
    await d.nudge(id);
    const done = await ended(id);
    assert.equal(done.outcome, 'unknown-resource');
    assert.equal((await approvals(id)).length, 0);
    assert.equal(done.resource.okta, null, 'no Okta resource was resolved');
    assert.match(
      await noteText(id),
      /"salesforce" is an application \(Salesforce\), but the request asks for a group \(resource_type group\)\..*Requestable as a group: GitHub Admins, Sales, AWS Production, Engineering/,
    );
    assert.equal(await d.hasApp(email, 'Salesforce'), false);
  });

  it('given resource_name with surrounding or repeated spaces and the right resource_type, when requested, then it resolves the resource as if typed cleanly', async () => {
    const email = await person('spaces');
    for (const [type, typed, group] of [
      ['app', '  Salesforce   Temporary ', null],
      ['group', 'GitHub  Admins', 'GitHub Admins'],
    ] as const) {
      const id = await d.raise({ resource_type: type, resource_name: typed }, email);
      await d.nudge(id);
      const s = await d.waitForRequestedLevel(id, 1);
      assert.equal(s.resource.okta?.type, type, JSON.stringify(typed));
      if (group) assert.equal(s.resource.okta?.name, group);
      else assert.equal(s.resource.okta?.name, 'Salesforce');
      assert.equal((await cancel(id)).status, 'cancelled');
    }
  });
});
