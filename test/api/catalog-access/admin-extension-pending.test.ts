// The admin API's 409 for a second extension while the first awaits approval (issue: break-it pass, item 3):
// the real API over HTTP in front of the real catalog access workflow, on both sandboxes and the real
// Temporal server. The refusal says what blocks the action (the extension already asked for), not a phase.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminOverProduct, type ErrorBody } from '../../helpers/admin-driver';
import { waitFor } from '../../helpers/wait';

const MINUTE = 60_000;

describe('admin API: an extension already awaiting approval', () => {
  const { d, person, act: post } = adminOverProduct();

  it('given granted access whose extension awaits approval, when a second extension is posted, then 409 says an extension is already awaiting approval, naming it, and the access stays granted', async () => {
    const email = await person('extend-twice');
    const id = await d.raise({ resource_type: 'group', resource_name: 'Engineering' }, email);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    const granted = await d.waitForPhase(id, 'granted');
    const grantedAt = Date.parse(granted.grant.grantedAt!);

    const firstEnd = new Date(grantedAt + 90 * MINUTE).toISOString();
    const first = await post(id, 'extend', { endAt: firstEnd, requestedBy: 'it1@acme.example' });
    assert.equal(first.status, 200, await first.clone().text());
    assert.equal(((await first.json()) as { result: { status: string } }).result.status, 'awaiting-approval');

    const second = await post(id, 'extend', {
      endAt: new Date(grantedAt + 100 * MINUTE).toISOString(),
      requestedBy: 'it2@acme.example',
    });
    const body = (await second.json()) as ErrorBody;
    assert.equal(second.status, 409, JSON.stringify(body));
    assert.equal(body.error.code, 'CONFLICT');
    assert.equal(
      body.error.message,
      `an extension to ${firstEnd} requested by it1@acme.example is already awaiting approval (approval 2); ask again once it is decided`,
    );
    assert.doesNotMatch(body.error.message, /not granted/);
    assert.equal(await d.inGroup(email, 'Engineering'), true, 'the access is still granted');

    // Clean up: the operator ends the access (the pending extension's approval is closed with it).
    const cancelled = await post(id, 'cancel', { requestedBy: 'it1@acme.example' });
    assert.ok([200, 202].includes(cancelled.status), await cancelled.clone().text());
    await waitFor(async () => !(await d.inGroup(email, 'Engineering')), 'the access to be revoked', {
      timeoutMs: 30_000,
    });
  });
});
