// The reconcilers against the real Temporal server and both sandboxes, with no webhooks wired at all: every
// request here is one whose webhook was lost, so only a reconciler pass (the Okta System Log, Freshservice
// `updated_since`) can bring it to its workflow. Proves the catch-up, that nothing runs twice, that the
// cursor survives continue-as-new, and that a cursor Okta refuses restarts from the lookback window.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createOktaReconcileActivities } from '../../../src/activities/okta';
import { type OktaLogPassInput, type OktaLogPassResult } from '../../../src/activities/okta/contract';
import { FS_APPROVAL_STATUS } from '../../../src/integrations/freshservice';
import { ensureReconcilers } from '../../../src/temporal/reconcilers';
import { catalogAccessWorkflowId } from '../../../src/workflows/catalog-access/contract';
import {
  oktaRequestTicketTag,
  oktaRequestWorkflowId,
} from '../../../src/workflows/okta-access-request/contract';
import {
  reconcileNowUpdate,
  RECONCILER_WORKFLOW_TYPE,
  type ReconcilerState,
  type ReconcilerWorkflow,
  reconcilerWorkflowId,
} from '../../../src/workflows/reconcilers/contract';
import { ticketWorkflowId } from '../../../src/workflows/ticket-router/contract';
import { stateQuery } from '../../../src/workflows/shared/contract';
import type { ReconcileReport } from '../../../src/cli/reconcile';
import { runCli } from '../../cli/run-cli';
import { sandboxPost, startTestStack, type TestStack } from '../../helpers/stack';
import { testEnv } from '../../helpers/temporal';
import { waitFor } from '../../helpers/wait';
import { waitForWorkflowIdle } from '../../helpers/workflow-idle';

const ada = 'ada.lovelace@acme.example';
const mary = 'mary.jackson@acme.example';

describe('reconcilers: what the webhooks missed', () => {
  let stack: TestStack;
  before(async () => {
    // An hour between passes: every pass after the first is one this test asks for.
    stack = await startTestStack({ RECONCILE_INTERVAL_SECONDS: '3600', RECONCILE_LOOKBACK_MINUTES: '10' });
  });
  after(async () => {
    await stack.stop();
  });

  const reconcilerHandle = (source: 'okta-system-log' | 'freshservice-tickets') =>
    stack.client.workflow.getHandle(reconcilerWorkflowId(source, stack.taskQueues.workflows));

  async function raiseOktaRequest(entryName: string, requester = ada): Promise<string> {
    let entryId: string | undefined;
    for await (const e of stack.vendors.okta.client.listCatalogEntries(`name eq "${entryName}"`)) {
      entryId = e.id;
      break;
    }
    const r = await sandboxPost<{ id: string }>(stack.okta.url, '/__sandbox/actor/requests', {
      requesterLogin: requester,
      entryId,
      justification: 'missed by the event hook',
    });
    return r.id;
  }

  const ticketsTagged = (tag: string) =>
    stack.freshservice.store.listTickets().filter((t) => t.tags.includes(tag)).length;

  it('given no reconciler yet, when the worker ensures them twice, then exactly one of each runs', async () => {
    const first = await ensureReconcilers(stack.client, stack.config);
    const second = await ensureReconcilers(stack.client, stack.config);
    assert.deepEqual(second, first);
    for (const id of first) {
      const d = await stack.client.workflow.getHandle(id).describe();
      assert.equal(d.status.name, 'RUNNING');
    }
    // The first pass of each runs at once (before any request here exists).
    await waitFor(
      async () =>
        ((await reconcilerHandle('okta-system-log').query(stateQuery)) as ReconcilerState).passes >= 1,
      'the first System Log pass',
    );
  });

  it('given an OIG request whose event hook never arrived, when the System Log reconciler runs, then one ticket opens', async () => {
    const requestId = await raiseOktaRequest('GitHub Admins');
    const pass = await reconcilerHandle('okta-system-log').executeUpdate(reconcileNowUpdate);
    assert.equal(pass.error, null);
    assert.ok(pass.signalled >= 1, `the create event was routed: ${JSON.stringify(pass)}`);

    const tag = oktaRequestTicketTag(requestId);
    await waitFor(() => ticketsTagged(tag) === 1, `a ticket tagged ${tag}`);

    // Later passes read on from the cursor: whatever they replay again, the request keeps one ticket.
    const again = await reconcilerHandle('okta-system-log').executeUpdate(reconcileNowUpdate);
    assert.equal(again.error, null);
    assert.ok(again.pass > pass.pass);
    // Whatever the pass signalled has been taken and acted on before counting again.
    await waitForWorkflowIdle(stack.client, oktaRequestWorkflowId(requestId));
    assert.equal(ticketsTagged(tag), 1);
  });

  it('given a catalog request whose automator webhook never fired, when the tickets reconciler runs, then its access flow asks the manager once', async () => {
    const res = await sandboxPost<{ service_request: { id: number } }>(
      stack.freshservice.publicUrl,
      `/__sandbox/actor/catalog/${stack.config.freshservice.accessCatalogItemDisplayId}/request`,
      {
        requesterEmail: mary,
        custom_fields: {
          resource_type: 'group',
          resource_name: 'Finance Approvers',
          justification: 'missed by the automator',
        },
      },
    );
    const ticketId = res.service_request.id;
    const pass = await reconcilerHandle('freshservice-tickets').executeUpdate(reconcileNowUpdate);
    assert.equal(pass.error, null);
    assert.ok(pass.signalled >= 1, `the ticket was nudged: ${JSON.stringify(pass)}`);

    const requested = () =>
      stack.freshservice.store.approvalsOf(ticketId).filter((a) => a.status === FS_APPROVAL_STATUS.REQUESTED)
        .length;
    await waitFor(() => requested() === 1, `an approval requested on ticket ${ticketId}`);
    const access = await stack.client.workflow.getHandle(catalogAccessWorkflowId(ticketId)).describe();
    assert.equal(access.status.name, 'RUNNING');

    // The flow's own note and approval updated the ticket: the next pass nudges it again, changing nothing.
    const again = await reconcilerHandle('freshservice-tickets').executeUpdate(reconcileNowUpdate);
    assert.equal(again.error, null);
    // The nudge goes through the ticket's router to its access flow: both have acted on it before counting.
    await waitForWorkflowIdle(stack.client, ticketWorkflowId(ticketId));
    await waitForWorkflowIdle(stack.client, catalogAccessWorkflowId(ticketId));
    assert.equal(stack.freshservice.store.approvalsOf(ticketId).length, 1);

    // Nothing changed since: a pass now reads nothing new.
    const quiet = await reconcilerHandle('freshservice-tickets').executeUpdate(reconcileNowUpdate);
    assert.equal(quiet.signalled, 0, JSON.stringify(quiet));
  });

  it('given a reconciler that continues as new every two passes, when it runs at least four passes, then its cursor and totals carry over', async () => {
    const workflowId = `reconciler-can-${stack.taskQueues.workflows}`;
    const handle = await stack.client.workflow.start<ReconcilerWorkflow>(RECONCILER_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: stack.taskQueues.workflows,
      args: [{ source: 'okta-system-log', passesPerRun: 2 }],
    });
    const firstRun = handle.firstExecutionRunId;
    for (let i = 0; i < 4; i++) await handle.executeUpdate(reconcileNowUpdate);
    const state = (await handle.query(stateQuery)) as ReconcilerState;
    // The first update may be answered by the pass every run starts with.
    assert.ok(state.passes >= 4, `passes ${state.passes}`);
    assert.ok(state.position.source === 'okta-system-log' && state.position.cursor !== null);
    assert.ok(state.totals.received >= 1, 'events read in earlier runs still counted');
    const d = await handle.describe();
    assert.notEqual(d.runId, firstRun, 'continued as new');
    await handle.terminate('test done');
  });

  it('given a cursor Okta refuses, when a pass starts from it, then it rereads the lookback window', async () => {
    const activities = createOktaReconcileActivities(stack.vendors.okta.client, {
      client: () => stack.client,
      taskQueue: stack.taskQueues.workflows,
    });
    const env = new MockActivityEnvironment();
    const pass = activities.reconcileOktaSystemLog;
    const result = await env.run<[OktaLogPassInput], OktaLogPassResult, typeof pass>(pass, {
      cursor: `${stack.okta.url}/api/v1/logs?after=not-a-cursor&sortOrder=ASCENDING`,
      lookbackMinutes: 10,
      maxPages: 5,
    });
    assert.equal(result.cursorReset, true);
    assert.ok(result.received >= 1, 'the request events of this test file were read again');
    assert.ok(result.cursor?.startsWith(stack.okta.url));
    assert.equal(result.caughtUp, true);
  });

  it('given running reconcilers, when an operator runs `cli reconcile`, then both pass now and the answer says what they read', async () => {
    const env = {
      TEMPORAL_ADDRESS: (await testEnv()).address,
      TEMPORAL_TASK_QUEUE: stack.taskQueues.workflows,
      OKTA_TASK_QUEUE: stack.taskQueues.okta,
      FRESHSERVICE_TASK_QUEUE: stack.taskQueues.freshservice,
    };
    const run = await runCli(['reconcile'], env);
    assert.equal(run.code, 0, run.stderr);
    const reports = JSON.parse(run.stdout) as ReconcileReport[];
    assert.deepEqual(reports.map((r) => r.source).sort(), ['freshservice-tickets', 'okta-system-log']);
    for (const r of reports) assert.equal(r.pass.error, null);

    const status = await runCli(['reconcile', '--status', '--source', 'okta-system-log'], env);
    assert.equal(status.code, 0, status.stderr);
    const [state] = JSON.parse(status.stdout) as ReconcilerState[];
    assert.equal(state?.source, 'okta-system-log');
    assert.ok(state.passes >= 3);

    const bad = await runCli(['reconcile', '--source', 'jira'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--source takes okta-system-log or freshservice-tickets/);
  });
});
