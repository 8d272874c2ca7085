// Holds the README's admin-API promise that a cancel can answer `nothing-to-do`: the real API over HTTP in
// front of the real catalog access workflow (product worker, both sandboxes). A cancel the workflow accepted
// while it was finishing a permanent grant finds nothing left to cancel: it answers `nothing-to-do` and the
// granted access stays.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningApi } from '../../../src/api/server';
import { startTestApi, TEST_SECRETS } from '../../helpers/api';
import { catalogDriver } from '../../helpers/catalog-driver';
import { peopleMaker, uniqueEmail } from '../../helpers/people';
import { sandboxGet, sandboxPost, startTestStack, type TestStack } from '../../helpers/stack';
import { testEnv } from '../../helpers/temporal';
import { waitFor } from '../../helpers/wait';

const AUTH = { authorization: `Bearer ${TEST_SECRETS.ADMIN_API_TOKEN}` };

type CancelResult = { status: string; at: string };
type Accepted = { follow: { update: string } };

describe('admin cancel answering nothing-to-do', () => {
  let stack: TestStack;
  let api: RunningApi;
  const d = catalogDriver(() => stack);
  const people = peopleMaker(() => stack);

  before(async () => {
    stack = await startTestStack();
    api = await startTestApi((await testEnv()).address, {
      TEMPORAL_TASK_QUEUE: stack.taskQueues.workflows,
    });
  });
  after(async () => {
    await api.close();
    await stack.stop();
  });

  /** Posts a cancel; the update's result, following a 202 until the handler has finished. */
  async function cancel(ticketId: number, body: unknown): Promise<CancelResult> {
    const res = await fetch(`${api.url}/admin/requests/tickets/${ticketId}/cancel`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status === 200) return (JSON.parse(text) as { result: CancelResult }).result;
    assert.equal(res.status, 202, `cancel answered ${res.status}: ${text}`);
    const follow = new URL((JSON.parse(text) as Accepted).follow.update, api.url).href;
    let result: CancelResult | undefined;
    await waitFor(async () => {
      const r = await fetch(follow, { headers: AUTH });
      if (r.status === 202) return false;
      const t = await r.text();
      assert.equal(r.status, 200, `following the cancel answered ${r.status}: ${t}`);
      result = (JSON.parse(t) as { result: CancelResult }).result;
      return true;
    }, 'the cancel update to finish');
    return result!;
  }

  it('given a cancel accepted while a permanent grant is being recorded, when the grant completes, then the cancel answers nothing-to-do and the access stays', async () => {
    const requester = uniqueEmail('nothing-to-do');
    await people.requester(requester);
    await people.oktaAccount({ login: requester, email: requester });
    // Salesforce: one manager approval, permanent access (the run ends once it is granted).
    const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce' }, requester);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);

    // Hold the grant's last bookkeeping (the requested items' stage) so a cancel lands while it runs.
    const { id: faultId } = await sandboxPost<{ id: number }>(
      stack.freshservice.publicUrl,
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
        stack.freshservice.publicUrl,
        '/__sandbox/faults',
      );
      return f.applied.some((a) => a.id === faultId);
    }, 'the requested items update to be in flight');
    const during = await d.state(id);
    assert.equal(during.phase, 'granted', 'access is granted; its bookkeeping is still running');
    assert.equal(during.grant.endAt, null, 'permanent access');

    const result = await cancel(id, { requestedBy: 'it1@acme.example', reason: 'changed my mind' });
    assert.equal(result.status, 'nothing-to-do');
    assert.ok(!Number.isNaN(Date.parse(result.at)), 'the answer says when');

    const done = await d.result(id);
    assert.equal(done.outcome, 'granted');
    assert.ok(!done.decisions.some((x) => x.decision === 'revoked'), 'no revocation was recorded');
    assert.equal(await d.hasApp(requester, 'Salesforce'), true, 'the access stays');
  });
});
