// Proves `npm run sandbox`: both sandboxes run on their own on the configured ports, answer their
// vendors' APIs with the sandbox credentials, keep their tenant across a restart, and stop on Ctrl-C.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_FRESHSERVICE_API_KEY, SANDBOX_OKTA_API_TOKEN } from '../../src/sandbox/credentials';
import { getFreePort } from '../helpers/ports';
import { groupAlive, killGroup } from '../helpers/npm-start';
import { waitFor } from '../helpers/wait';

const root = join(__dirname, '..', '..');

describe('npm run sandbox', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'access-bridge-sandbox-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  async function run(ports: { okta: number; fs: number }) {
    const child = spawn('npm', ['run', 'sandbox', '--silent'], {
      cwd: root,
      detached: true,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        SANDBOX_OKTA_PORT: String(ports.okta),
        SANDBOX_FRESHSERVICE_PORT: String(ports.fs),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<void>((res) => child.once('exit', () => res()));
    await waitFor(() => out.includes('Sandboxes running'), 'the sandboxes', { timeoutMs: 30_000 }).catch(
      (e: Error) => {
        killGroup(child.pid!, 'SIGKILL');
        throw new Error(`${e.message}\n${out}`);
      },
    );
    return {
      out: () => out,
      stop: async () => {
        killGroup(child.pid!, 'SIGINT');
        await exited;
        await waitFor(() => !groupAlive(child.pid!), 'the group to exit');
      },
    };
  }

  it('given free ports, when started twice, then both APIs answer with the demo tenant and keep changes', async () => {
    const ports = { okta: await getFreePort(), fs: await getFreePort() };
    const okta = `http://127.0.0.1:${ports.okta}`;
    const fs = `http://127.0.0.1:${ports.fs}`;
    const fsAuth = `Basic ${Buffer.from(`${SANDBOX_FRESHSERVICE_API_KEY}:X`).toString('base64')}`;

    const first = await run(ports);
    assert.match(first.out(), new RegExp(`Okta +${okta}`));
    const users = await fetch(`${okta}/api/v1/users?limit=200`, {
      headers: { Authorization: `SSWS ${SANDBOX_OKTA_API_TOKEN}` },
    });
    assert.equal(users.status, 200);
    assert.ok(((await users.json()) as unknown[]).length >= 12, 'the demo company is seeded');
    const created = await fetch(`${fs}/api/v2/tickets`, {
      method: 'POST',
      headers: { Authorization: fsAuth, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'ada.lovelace@acme.example',
        subject: 'kept',
        description: 'x',
        status: 2,
        priority: 1,
      }),
    });
    assert.equal(created.status, 201);
    const { ticket } = (await created.json()) as { ticket: { id: number } };
    assert.equal((await fetch(`${okta}/api/v1/users`)).status, 401, 'no credentials, no answer');
    await first.stop();

    const second = await run(ports);
    const again = await fetch(`${fs}/api/v2/tickets/${ticket.id}`, { headers: { Authorization: fsAuth } });
    assert.equal(again.status, 200, 'the ticket survived the restart');
    await second.stop();
  });
});
