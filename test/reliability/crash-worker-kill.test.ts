// The worker process killed with SIGKILL (no shutdown, activities cut mid-call) twice: first while
// requests wait for approval, then while their grants are in flight (the Okta group-membership PUT held
// by a latency fault). The API and sandboxes stay up; a new `npm run worker` process must finish every
// request exactly once: one approval, one grant and one grant note each, nothing repeated or skipped.
import { after, before, describe, it } from 'node:test';
import { FS_TICKET_STATUS } from '../../src/integrations/freshservice';
import {
  approveInFreshservice,
  assertGrantedOnce,
  awaitApprovalRequested,
  awaitTicketStatus,
  FINANCE_APPROVER_CANDIDATES,
  raiseCatalogRequest,
  reportCoverage,
  SLOW,
  spawnWorkerProcess,
  startWiredStack,
  type WiredStack,
  type WorkerProcess,
} from './harness';
import { waitFor } from '../helpers/wait';

const REQUESTERS = FINANCE_APPROVER_CANDIDATES.slice(0, SLOW ? 7 : 3);
const GROUP_MEMBERSHIP = '/^\\/api\\/v1\\/groups\\/[^/]+\\/users\\/[^/]+$/';
/** A killed worker's in-flight Okta activity is retried after its 1 min start-to-close timeout. */
const RECOVERY_TIMEOUT_MS = 180_000;

describe('reliability: worker process killed mid-flight', () => {
  let stack: WiredStack;
  let current: WorkerProcess | undefined;
  let started = 0;
  let killed = 0;

  function startWorkerProcess(): WorkerProcess {
    started += 1;
    return spawnWorkerProcess(stack);
  }

  async function kill(w: WorkerProcess): Promise<void> {
    w.child.kill('SIGKILL');
    await w.exited;
    killed += 1;
  }

  before(async () => {
    stack = await startWiredStack({ noWorker: true, fixedPorts: true });
  });
  after(async () => {
    if (current && current.child.exitCode === null) {
      current.child.kill('SIGTERM');
      await Promise.race([current.exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (current.child.exitCode === null) await kill(current);
    }
    await stack.stop();
    const latency = stack.oktaSandbox.runtime.faults.applied.filter((a) => a.kind === 'latency').length;
    reportCoverage('worker-kill', {
      requests: REQUESTERS.length,
      workerProcesses: started,
      sigkills: killed,
      grantsHeldInFlight: latency,
      webhooks: stack.api.lines.filter((l) => l.includes('"url":"/webhooks/')).length,
    });
  });

  it('given requests waiting for approval and then grants in flight, when the worker is SIGKILLed each time, then a new worker completes every request exactly once', async () => {
    current = startWorkerProcess();
    const tickets = await Promise.all(
      REQUESTERS.map((email) =>
        raiseCatalogRequest(stack, email, { type: 'group', name: 'Finance Approvers' }),
      ),
    );
    const diagnose = (err: Error) => {
      throw new Error(`${err.message}\nworker output:\n${current?.output.join('').slice(-3000)}`);
    };
    const approvals = await Promise.all(
      tickets.map((id) => awaitApprovalRequested(stack, id, RECOVERY_TIMEOUT_MS)),
    ).catch(diagnose);

    // 1. Killed while every request waits for its approver.
    await kill(current);
    current = startWorkerProcess();

    // 2. Killed while the grants run: Okta holds each membership PUT for a while.
    stack.oktaSandbox.runtime.faults.add({
      method: 'PUT',
      path: GROUP_MEMBERSHIP,
      kind: 'latency',
      latencyMs: 4000,
      times: REQUESTERS.length,
    });
    await Promise.all(approvals.map((a) => approveInFreshservice(stack, a[0]!.id)));
    await waitFor(
      () => stack.oktaSandbox.runtime.faults.applied.some((a) => a.kind === 'latency'),
      'a grant in flight',
      { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 50 },
    ).catch(diagnose);
    await kill(current);
    current = startWorkerProcess();

    await Promise.all(
      tickets.map((id) => awaitTicketStatus(stack, id, FS_TICKET_STATUS.RESOLVED, RECOVERY_TIMEOUT_MS)),
    ).catch(diagnose);
    for (const [i, id] of tickets.entries()) {
      await assertGrantedOnce(stack, id, REQUESTERS[i]!, 'Finance Approvers');
    }
  });
});
