// Proves the test harness and worker plumbing against the real Temporal dev server: a workflow waits on
// a signal and answers a query, and a worker stopped mid-run is replaced by another that resumes it.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { approveSignal, stateQuery, waitForApproval } from '../../fixtures/harness-workflows';
import { createHarnessActivities } from '../../fixtures/harness-activities';
import type { Client } from '@temporalio/client';
import { startTestWorker, testEnv, uniqueId, uniqueTaskQueues } from '../../helpers/temporal';
import { waitFor } from '../../helpers/wait';

describe('workflow harness', () => {
  let client: Client;
  before(async () => {
    client = (await testEnv()).client;
  });

  it('given a waiting workflow, when queried then signalled, then it reports its phase and completes', async () => {
    const taskQueues = uniqueTaskQueues('harness');
    const worker = await startTestWorker({
      taskQueues,
      activities: { workflows: createHarnessActivities('w1') },
    });
    try {
      const handle = await client.workflow.start(waitForApproval, {
        taskQueue: taskQueues.workflows,
        workflowId: uniqueId('harness'),
        args: [{ subject: 'vpn', taskQueue: taskQueues.workflows }],
      });
      await waitFor(async () => (await handle.query(stateQuery)).phase === 'waiting', 'workflow to wait');
      const waiting = await handle.query(stateQuery);
      assert.equal(waiting.approver, null);
      assert.deepEqual(waiting.log, ['opened vpn [w1]']);

      await handle.signal(approveSignal, { approver: 'maria' });
      assert.equal(await handle.result(), 'vpn approved by maria');
      assert.equal((await handle.query(stateQuery)).phase, 'done');
    } finally {
      await worker.stop();
    }
  });

  it('given a worker stopped mid-workflow, when a new worker starts, then the run resumes where it was', async () => {
    const taskQueues = uniqueTaskQueues('restart');
    const first = await startTestWorker({
      taskQueues,
      activities: { workflows: createHarnessActivities('first') },
    });
    const handle = await client.workflow.start(waitForApproval, {
      taskQueue: taskQueues.workflows,
      workflowId: uniqueId('restart'),
      args: [{ subject: 'github', taskQueue: taskQueues.workflows }],
    });
    await waitFor(async () => (await handle.query(stateQuery)).phase === 'waiting', 'workflow to wait');
    await first.stop();

    // Signalled while no worker runs: the event waits in history.
    await handle.signal(approveSignal, { approver: 'li' });
    const second = await startTestWorker({
      taskQueues,
      activities: { workflows: createHarnessActivities('second') },
    });
    try {
      assert.equal(await handle.result(), 'github approved by li');
      const state = await handle.query(stateQuery);
      assert.deepEqual(state.log, ['opened github [first]', 'approved by li [second]']);
    } finally {
      await second.stop();
    }
  });
});
