// The operator CLI against real runs: an OIG request raised and approved through the Okta sandbox and
// carried by the real workflow (as test/workflows/okta-access-request/flow.test.ts does), then exported,
// replayed and reset through the commands an operator types; a fixture workflow proves that replay
// rejects a non-deterministic change and that reset starts a new run.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveTemporalCli } from '../../src/temporal/dev-server';
import {
  OKTA_ACCESS_REQUEST_WORKFLOW_TYPE,
  type OktaAccessRequestState,
  type OktaAccessRequestWorkflow,
  oktaRequestWorkflowId,
} from '../../src/workflows/okta-access-request/contract';
import { replayFixture } from '../fixtures/replay-fixtures';
import { deliverOktaEvent } from '../helpers/okta-events';
import { sandboxPost, startTestStack, type TestStack } from '../helpers/stack';
import { TEST_NAMESPACE, testEnv, uniqueId } from '../helpers/temporal';
import { waitFor } from '../helpers/wait';
import { parseCsv, runCli } from './run-cli';

const execFileAsync = promisify(execFile);
const ada = 'ada.lovelace@acme.example';
const changedFixture = join(__dirname, 'fixtures', 'replay-fixture-changed.ts');
const currentFixture = join(__dirname, '..', 'fixtures', 'replay-fixtures.ts');

type ExportRow = Record<string, string | number | boolean | null>;

describe('operator CLI against Temporal', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  let requestId: string;
  let workflowId: string;
  let scratch: string;

  before(async () => {
    stack = await startTestStack();
    env = { TEMPORAL_ADDRESS: (await testEnv()).address };
    scratch = mkdtempSync(join(tmpdir(), 'access-bridge-cli-'));

    // One OIG request, approved in Okta, carried to a resolved ticket by the real workflow.
    let entryId: string | undefined;
    for await (const e of stack.vendors.okta.client.listCatalogEntries('name eq "GitHub Admins"')) {
      entryId = e.id;
      break;
    }
    requestId = (
      await sandboxPost<{ id: string }>(stack.okta.url, '/__sandbox/actor/requests', {
        requesterLogin: ada,
        entryId,
        justification: 'release duty',
      })
    ).id;
    workflowId = oktaRequestWorkflowId(requestId);
    const hook = (eventType: string) => deliverOktaEvent(stack, requestId, eventType);
    await hook('access.request.create');
    await sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${requestId}/approve`, {
      approverLogin: 'margaret.hamilton@acme.example',
    });
    await hook('access.request.resolve');
    const done = (await stack.client.workflow.getHandle(workflowId).result()) as OktaAccessRequestState;
    assert.equal(done.outcome, 'approved');
  });

  after(async () => {
    await stack.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function completedFixture(): Promise<{ id: string; runId: string }> {
    const id = uniqueId('replay-fixture');
    const handle = await stack.client.workflow.start(replayFixture, {
      workflowId: id,
      taskQueue: stack.taskQueues.workflows,
      args: [{ label: id }],
    });
    await handle.result();
    return { id, runId: handle.firstExecutionRunId };
  }

  /** Visibility is eventually consistent: export until the run shows up with its decision. */
  async function exportRows(format: 'json' | 'csv'): Promise<ExportRow[]> {
    let rows: ExportRow[] = [];
    await waitFor(
      async () => {
        const r = await runCli(
          ['export', '--format', format, '--query', `WorkflowId = '${workflowId}'`],
          env,
        );
        assert.equal(r.code, 0, r.stderr);
        rows = format === 'json' ? (JSON.parse(r.stdout) as ExportRow[]) : parseCsv(r.stdout);
        return rows.some((row) => row.decision === 'approved');
      },
      'the approved run in the export',
      { timeoutMs: 20_000, intervalMs: 500 },
    );
    return rows;
  }

  it('given an approved OIG request, when exported as JSON, then its decision row says who, when, through Okta, and the outcome', async () => {
    const rows = await exportRows('json');
    const row = rows.find((r) => r.decision === 'approved');
    assert.ok(row);
    assert.equal(row.workflowId, workflowId);
    assert.equal(row.type, 'oktaAccessRequest');
    assert.equal(row.status, 'COMPLETED');
    assert.equal(row.oktaRequestId, requestId);
    assert.equal(row.requesterEmail, ada);
    assert.equal(row.resource, 'GitHub Admins');
    assert.match(String(row.by), /Margaret Hamilton/);
    assert.equal(row.channel, 'okta');
    assert.ok(!Number.isNaN(Date.parse(String(row.at))), 'decided at an instant');
    assert.equal(row.outcome, 'approved');
    assert.equal(typeof row.ticketId, 'number');
    assert.equal(row.stateAvailable, true);
  });

  it('given an approved OIG request, when exported as CSV to a file, then a strict CSV reader finds the same decision row', async () => {
    const rows = await exportRows('csv');
    const row = rows.find((r) => r.decision === 'approved');
    assert.ok(row);
    assert.equal(row.workflowId, workflowId);
    assert.match(String(row.by), /Margaret Hamilton/);
    assert.equal(row.channel, 'okta');
    assert.equal(row.outcome, 'approved');
    assert.equal(row.stateAvailable, 'true');

    const out = join(scratch, 'audit.csv');
    const r = await runCli(['export', '--query', `WorkflowId = '${workflowId}'`, '--out', out], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '', 'the file, not stdout, gets the rows');
    assert.ok(parseCsv(readFileSync(out, 'utf8')).some((x) => x.decision === 'approved'));
  });

  it('given a run that no worker serves, when exported, then it is listed from its search attributes with stateAvailable=false', async () => {
    const orphanId = oktaRequestWorkflowId(uniqueId('orphan'));
    const orphan = await stack.client.workflow.start<OktaAccessRequestWorkflow>(
      OKTA_ACCESS_REQUEST_WORKFLOW_TYPE,
      {
        workflowId: orphanId,
        taskQueue: uniqueId('nobody-polls'),
        args: [{ requestId: 'orphan' }],
      },
    );
    try {
      let rows: ExportRow[] = [];
      await waitFor(
        async () => {
          const r = await runCli(
            ['export', '--format', 'json', '--query-timeout', '1', '--query', `WorkflowId = '${orphanId}'`],
            env,
          );
          rows = JSON.parse(r.stdout) as ExportRow[];
          return rows.length > 0;
        },
        'the orphan run in the export',
        { timeoutMs: 20_000, intervalMs: 500 },
      );
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.status, 'RUNNING');
      assert.equal(rows[0]?.stateAvailable, false);
      assert.equal(rows[0]?.decision, null);
    } finally {
      await orphan.terminate('test done');
    }
  });

  it('given a completed access request, when replayed by workflow id, then the current code replays it cleanly', async () => {
    const r = await runCli(['replay', '--workflow-id', workflowId], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^ok {2}${workflowId} `, 'm'));
  });

  it('given a recorded history, when replayed against a changed workflow, then it reports a determinism error and exits 1', async () => {
    const { id } = await completedFixture();
    const same = await runCli(['replay', '--workflow-id', id, '--workflows-path', currentFixture], env);
    assert.equal(same.code, 0, same.stdout + same.stderr);

    const changed = await runCli(['replay', '--workflow-id', id, '--workflows-path', changedFixture], env);
    assert.equal(changed.code, 1);
    assert.match(changed.stdout, new RegExp(`^DETERMINISM ERROR {2}${id} .+: .+`, 'm'));
  });

  it('given a history exported with the Temporal CLI, when replayed with --file against a changed workflow, then it fails', async () => {
    const { id } = await completedFixture();
    // Exported the way an operator would: `temporal workflow show --output json`.
    const { stdout } = await execFileAsync(resolveTemporalCli(process.env.TEMPORAL_CLI_PATH), [
      'workflow',
      'show',
      '--workflow-id',
      id,
      '--output',
      'json',
      '--address',
      env.TEMPORAL_ADDRESS!,
      '--namespace',
      TEST_NAMESPACE,
    ]);
    const file = join(scratch, `${id}.json`);
    writeFileSync(file, stdout);

    const ok = await runCli(['replay', '--file', file, '--workflows-path', currentFixture]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const changed = await runCli(['replay', '--file', file, '--workflows-path', changedFixture]);
    assert.equal(changed.code, 1);
    assert.match(changed.stdout, /^DETERMINISM ERROR/m);
  });

  it('given a completed run, when reset to its last workflow task with a reason, then a new run starts and completes', async () => {
    const { id, runId } = await completedFixture();
    const r = await runCli(
      ['reset', '--workflow-id', id, '--to-last-workflow-task', '--reason', 'CLI test: rerun the end'],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    const newRunId = r.stdout.trim();
    assert.match(newRunId, /^[0-9a-f-]{36}$/);
    assert.notEqual(newRunId, runId);
    assert.equal(await stack.client.workflow.getHandle(id, newRunId).result(), `done ${id}`);
  });

  it('given an event that is not a workflow task, when reset to it, then it refuses with exit 2', async () => {
    const { id } = await completedFixture();
    const r = await runCli(['reset', '--workflow-id', id, '--event-id', '1', '--reason', 'wrong point'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /event 1 is not a workflow task event/);
  });

  it('given a cluster address, when `setup` runs in sandbox mode, then the search attributes are verified and the Okta hook is skipped', async () => {
    const r = await runCli(['setup'], { ...env, PUBLIC_BASE_URL: 'https://access-bridge.acme.example' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Okta event hook[\s\S]*skipped: no Okta credentials/);
    assert.match(r.stdout, /TicketId (added|already present)/);
    assert.match(r.stdout, /Outcome (added|already present)/);
  });
});
