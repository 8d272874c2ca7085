// The admin API's 409s as the product gives them (issue #12 B.8): the real API over HTTP in front of the real
// catalog access workflow, run by a product worker over both sandboxes on the real Temporal server. Each
// refusal's reason comes from the workflow's own update validators (a decision for a level that is not
// pending or was already decided, self-approval, nothing pending, an extension beyond the policy maximum,
// a cancel of a request already ended) or from the API once the workflow has closed, and nothing changes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CatalogAccessState } from '../../../src/workflows/catalog-access/contract';
import { adminOverProduct } from '../../helpers/admin-driver';
import { sandboxPost } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';

const HOUR = 3_600_000;

describe('admin API refusals from the product workflows', () => {
  const admin = adminOverProduct();
  const { d, person, refused, applied } = admin;

  it('given a two-level chain, when decisions name the wrong level, the requester approves, or access is extended before the grant, then each is 409 with the workflow’s reason and nothing is decided', async () => {
    const requester = await person('levels');
    const id = await d.raise({ resource_type: 'group', resource_name: 'GitHub Admins' }, requester);
    await d.nudge(id);
    await d.waitForRequestedLevel(id, 1);

    assert.match(
      await refused(id, 'decision', {
        decision: 'approved',
        approver: 'radia.perlman@acme.example',
        level: 2,
      }),
      /^the decision is for approval 2, but approval 1 is the one pending$/,
    );
    assert.match(
      await refused(id, 'decision', { decision: 'approved', approver: requester }),
      /requested this access or would receive it, and nobody approves their own request/,
    );
    assert.match(
      await refused(id, 'decision', {
        decision: 'approved',
        approver: `Someone <${requester.toUpperCase()}>`,
      }),
      /nobody approves their own request/,
    );
    assert.match(
      await refused(id, 'extend', {
        endAt: new Date(Date.now() + HOUR).toISOString(),
        requestedBy: 'x@example.com',
      }),
      /^access is not granted yet: the request is awaiting approval$/,
    );
    const s = await d.state(id);
    assert.deepEqual(s.decisions, [], 'no refused call left a decision');
    assert.equal(s.levels[0]!.status, 'requested');

    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    await d.waitForRequestedLevel(id, 2);
    // A decision meant for the level Margaret already approved names who decided it.
    assert.match(
      await refused(id, 'decision', { decision: 'denied', approver: 'radia.perlman@acme.example', level: 1 }),
      /^the decision is for approval 1, but approval 2 is the one pending \(approval 1 was already approved by Margaret Hamilton <margaret\.hamilton@acme\.example> \(freshservice-approval\)\)$/,
    );
    assert.equal((await d.state(id)).levels[1]!.status, 'requested');

    assert.deepEqual(
      await applied(id, 'decision', {
        decision: 'approved',
        approver: 'radia.perlman@acme.example',
        level: 2,
      }),
      { status: 'recorded', level: 2 },
    );
    const done = await d.result(id);
    assert.equal(done.outcome, 'granted');
    assert.deepEqual(
      done.decisions.map((x) => [x.level, x.channel]),
      [
        [1, 'freshservice-approval'],
        [2, 'admin-api'],
      ],
    );
    assert.equal(await d.inGroup(requester, 'GitHub Admins'), true);
    // Permanent access ends the run: the API answers for a closed workflow.
    assert.match(
      await refused(id, 'cancel', { requestedBy: 'it1@acme.example' }),
      /^The access workflow for ticket \d+ is COMPLETED; it takes no more changes$/,
    );
  });

  it('given granted time-bound access, when a decision is recorded or the access is extended too far, then 409 says why and the grant is unchanged; a cancel then revokes it', async () => {
    const requester = await person('granted');
    const id = await d.raise({ resource_type: 'group', resource_name: 'Engineering' }, requester);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    const granted = await d.waitForPhase(id, 'granted');
    const grantedAt = Date.parse(granted.grant.grantedAt!);

    assert.match(
      await refused(id, 'decision', { decision: 'approved', approver: 'radia.perlman@acme.example' }),
      /^no approval is pending: approval 1 was already approved by Margaret Hamilton <margaret\.hamilton@acme\.example> \(freshservice-approval\), and the request is granted$/,
    );
    assert.match(
      await refused(id, 'extend', {
        endAt: new Date(grantedAt + 3 * HOUR).toISOString(),
        requestedBy: 'it1@acme.example',
      }),
      /^"Engineering" may be held for at most 2h from the grant$/,
    );
    assert.match(
      await refused(id, 'extend', { endAt: granted.grant.grantedAt!, requestedBy: 'it1@acme.example' }),
      /^endAt must be later than the current end$/,
    );
    const still = await d.state(id);
    assert.equal(still.grant.endAt, granted.grant.endAt);
    assert.deepEqual(still.grant.extensions, []);

    const cancelled = await applied(id, 'cancel', {
      requestedBy: 'it1@acme.example',
      reason: 'project over',
    });
    assert.equal(cancelled.status, 'revoked');
    assert.equal(await d.inGroup(requester, 'Engineering'), false);
  });

  it('given an Okta-channel request ended by an operator while its OIG request is still open, when cancelled or decided again, then 409 says it is finished while the flow still watches Okta', async () => {
    const requester = await person('okta-channel');
    const id = await d.raise({ resource_type: 'group', resource_name: 'Sales via Okta' }, requester);
    await d.nudge(id);
    await waitFor(async () => Boolean((await d.state(id)).oktaRequestId), 'the OIG request to be raised');
    assert.deepEqual(
      await applied(id, 'decision', { decision: 'denied', approver: 'radia.perlman@acme.example', level: 1 }),
      { status: 'recorded', level: 1 },
    );
    await waitFor(
      async () => (await d.state(id)).oktaRequestWatched === true,
      'the flow to watch the OIG request it left open',
    );
    const s: CatalogAccessState = await d.state(id);
    assert.equal(s.outcome, 'denied');
    assert.equal(s.phase, 'done');

    assert.match(
      await refused(id, 'cancel', { requestedBy: 'it1@acme.example' }),
      /^the request has already ended \(outcome denied; approval 1 was already denied by radia\.perlman@acme\.example \(admin-api\)\)$/,
    );
    assert.match(
      await refused(id, 'decision', {
        decision: 'approved',
        approver: 'radia.perlman@acme.example',
        level: 1,
      }),
      /^no approval is pending: the request has ended \(outcome denied; approval 1 was already denied by radia\.perlman@acme\.example \(admin-api\)\)$/,
    );

    // Okta cancels the request as asked: the flow stops watching and ends as it was decided.
    await sandboxPost(admin.stack.okta.url, `/__sandbox/actor/requests/${s.oktaRequestId}/cancel`);
    const done = await d.result(id);
    assert.equal(done.outcome, 'denied');
    assert.equal(await d.inGroup(requester, 'Sales'), false);
  });
});
