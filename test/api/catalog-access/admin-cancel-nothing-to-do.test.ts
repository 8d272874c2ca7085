// Holds the README's admin-API promise that a cancel can answer `nothing-to-do`: the real API over HTTP in
// front of the real catalog access workflow (product worker, both sandboxes). A cancel the workflow accepted
// while it was finishing a permanent grant finds nothing left to cancel: it answers `nothing-to-do` and the
// granted access stays.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminOverProduct } from '../../helpers/admin-driver';
import { sandboxGet, sandboxPost } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';

type CancelResult = { status: string; at: string };

describe('admin cancel answering nothing-to-do', () => {
  const admin = adminOverProduct();
  const { d, person, settled } = admin;

  it('given a cancel accepted while a permanent grant is being recorded, when the grant completes, then the cancel answers nothing-to-do and the access stays', async () => {
    const requester = await person('nothing-to-do');
    // Salesforce: one manager approval, permanent access (the run ends once it is granted).
    const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce' }, requester);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);

    // Hold the grant's last bookkeeping (the requested items' stage) so a cancel lands while it runs.
    const { id: faultId } = await sandboxPost<{ id: number }>(
      admin.stack.freshservice.publicUrl,
      '/__sandbox/faults',
      {
        method: 'PUT',
        path: `/api/v2/tickets/${id}/requested_items`,
        kind: 'latency',
        latencyMs: 5000,
      },
    );
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    await waitFor(async () => {
      const f = await sandboxGet<{ applied: { id: number }[] }>(
        admin.stack.freshservice.publicUrl,
        '/__sandbox/faults',
      );
      return f.applied.some((a) => a.id === faultId);
    }, 'the requested items update to be in flight');
    const during = await d.state(id);
    assert.equal(during.phase, 'granted', 'access is granted; its bookkeeping is still running');
    assert.equal(during.grant.endAt, null, 'permanent access');

    const result = await settled<CancelResult>(id, 'cancel', {
      requestedBy: 'it1@acme.example',
      reason: 'changed my mind',
    });
    assert.equal(result.status, 'nothing-to-do');
    assert.ok(!Number.isNaN(Date.parse(result.at)), 'the answer says when');

    const done = await d.result(id);
    assert.equal(done.outcome, 'granted');
    assert.ok(!done.decisions.some((x) => x.decision === 'revoked'), 'no revocation was recorded');
    assert.equal(await d.hasApp(requester, 'Salesforce'), true, 'the access stays');
  });
});
