// Proves the two-command promise end to end: `npm start` on an empty data directory starts the Temporal
// dev server (with its Web UI), the worker and the API and prints their URLs; Ctrl-C stops everything
// with no process left behind; a second start keeps the workflows of the first.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createOktaClient } from '../../src/integrations/okta';
import { SANDBOX_OKTA_API_TOKEN } from '../../src/sandbox/credentials';
import { freePorts, groupAlive, killGroup, npmStart, type StartedStack } from '../helpers/npm-start';
import { waitFor } from '../helpers/wait';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'access-bridge-start-'));
  let running: StartedStack | undefined;
  after(() => {
    if (running?.child.pid && groupAlive(running.child.pid)) killGroup(running.child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startAndWait(env: Record<string, string>): Promise<StartedStack> {
    running = await npmStart({ DATA_DIR: dataDir }, env);
    return running;
  }

  async function stop(started: StartedStack): Promise<void> {
    const pgid = started.child.pid!;
    const serverPid = Number(readFileSync(join(dataDir, 'temporal-dev-server.pid'), 'utf8'));
    process.kill(-pgid, 'SIGINT');
    const { code, signal } = await started.exited;
    // npm itself ends by the same SIGINT it forwarded; our process must have stopped everything first.
    assert.ok(code === 0 || signal === 'SIGINT', `exit ${code}/${signal}\n${started.output()}`);
    assert.match(started.output(), /"part":"temporal-dev-server","msg":"stopped"/);
    await waitFor(() => !groupAlive(pgid) && !pidAlive(serverPid), 'every child to exit', {
      timeoutMs: 15_000,
    });
    assert.ok(!existsSync(join(dataDir, 'temporal-dev-server.pid')), 'pid file removed');
  }

  const workflowId = `persistence-probe-${process.pid}`;

  it('given an empty data dir, when started, then it prints the URLs and the API, UI and Temporal answer', async () => {
    const env = await freePorts();
    const started = await startAndWait(env);
    const out = started.output();
    const apiUrl = `http://127.0.0.1:${env.API_PORT}`;
    const uiUrl = `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`;
    assert.ok(out.includes(apiUrl), 'banner shows the API URL');
    assert.ok(out.includes(`${uiUrl}/namespaces/default/workflows`), 'banner shows the Temporal UI URL');
    assert.ok(
      !out.includes(readFileSync(join(dataDir, 'dev-secrets.json'), 'utf8').slice(30, 50)),
      'no secret',
    );

    assert.equal((await fetch(`${apiUrl}/readyz`)).status, 200);
    assert.equal((await fetch(uiUrl)).status, 200);

    // A workflow started now must still be there after a restart (SQLite under DATA_DIR).
    const connection = await Connection.connect({ address: `127.0.0.1:${env.TEMPORAL_DEV_PORT}` });
    try {
      await new Client({ connection }).workflow.start('persistenceProbe', {
        taskQueue: 'persistence-probe',
        workflowId,
      });
    } finally {
      await connection.close();
    }
    await stop(started);
  });

  it('given a stopped stack, when started again on other ports, then earlier workflows are still there and the hooks follow', async () => {
    const env = await freePorts();
    const started = await startAndWait(env);
    const connection = await Connection.connect({ address: `127.0.0.1:${env.TEMPORAL_DEV_PORT}` });
    try {
      const description = await new Client({ connection }).workflow.getHandle(workflowId).describe();
      assert.equal(description.type, 'persistenceProbe');
      assert.equal(description.status.name, 'RUNNING');
    } finally {
      await connection.close();
    }
    // The sandbox Okta kept its tenant; the hook registered at the first start pointed at the old port.
    const okta = createOktaClient({
      orgUrl: started.oktaUrl,
      auth: { kind: 'ssws', token: SANDBOX_OKTA_API_TOKEN },
    });
    const hooks = await okta.listEventHooks();
    assert.deepEqual(
      hooks.map((h) => [h.channel.config.uri, h.status, h.verificationStatus]),
      [[`${started.apiUrl}/webhooks/okta`, 'ACTIVE', 'VERIFIED']],
    );
    await stop(started);
  });
});
