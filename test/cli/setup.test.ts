// The operator CLI's commands that need no Temporal: the top-level help (also through `npm run cli`, as an
// operator types it), `setup --dry-run` for a real tenant, the Freshservice template, and the CSV writer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { csvCell, toCsv } from '../../src/cli/csv';
import {
  FRESHSERVICE_WEBHOOK_EVENTS,
  freshserviceWebhookTemplate,
} from '../../src/integrations/freshservice';
import { TEST_SECRETS } from '../helpers/api';
import { parseCsv, runCli } from './run-cli';

const root = join(__dirname, '..', '..');

describe('operator CLI without Temporal', () => {
  it('given `npm run cli -- --help`, when run as a process, then it lists every command and exits 0', async () => {
    const child = spawn('npm', ['run', '--silent', 'cli', '--', '--help'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
    assert.equal(code, 0);
    for (const command of ['setup', 'freshservice-template', 'replay', 'reset', 'export', 'demo']) {
      assert.match(out, new RegExp(`^  ${command} `, 'm'));
    }
  });

  it('given an unknown command, when run, then it exits 2 with the usage', async () => {
    // Names of Object.prototype members are unknown commands too, not Object's own functions.
    for (const name of ['frobnicate', 'constructor', 'toString', '__proto__']) {
      const r = await runCli([name]);
      assert.equal(r.code, 2, name);
      assert.match(r.stderr, new RegExp(`unknown command "${name}"[\\s\\S]*Commands:`), name);
    }
  });

  it('given PUBLIC_BASE_URL, when `setup --dry-run` runs, then it prints both webhook URLs and the three automator bodies with a placeholder, never the secret', async () => {
    const r = await runCli(['setup', '--dry-run'], {
      ...TEST_SECRETS,
      PUBLIC_BASE_URL: 'https://access-bridge.acme.example/',
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /URL: +https:\/\/access-bridge\.acme\.example\/webhooks\/okta\n/);
    assert.match(r.stdout, /Okta event hook[\s\S]*not registered \(--dry-run\)/);
    for (const [i, event] of FRESHSERVICE_WEBHOOK_EVENTS.entries()) {
      assert.match(r.stdout, new RegExp(`Rule ${i + 1}: access-bridge: ${event}\\n  Event: +${event}\\n`));
      const indented = freshserviceWebhookTemplate(event)
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n');
      assert.ok(r.stdout.includes(indented), `the ${event} body is printed`);
    }
    assert.equal(
      r.stdout.match(/POST https:\/\/access-bridge\.acme\.example\/webhooks\/freshservice\n/g)?.length,
      3,
    );
    assert.equal(r.stdout.match(/X-Access-Bridge-Secret: <FRESHSERVICE_WEBHOOK_SECRET>/g)?.length, 3);
    for (const secret of Object.values(TEST_SECRETS)) {
      assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'no secret is printed');
    }
  });

  it('given no PUBLIC_BASE_URL, when `setup` runs, then it exits 2 naming the variable', async () => {
    const r = await runCli(['setup', '--dry-run'], TEST_SECRETS);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /PUBLIC_BASE_URL is required/);
    assert.equal(r.stdout, '');
  });

  it('given production and an http PUBLIC_BASE_URL, when `setup` runs, then it exits 2 asking for https', async () => {
    const r = await runCli(['setup', '--dry-run'], {
      NODE_ENV: 'production',
      PUBLIC_BASE_URL: 'http://access-bridge.acme.example',
      OKTA_ORG_URL: 'https://acme.okta.com',
      OKTA_API_TOKEN: 'okta-token-0000000001',
      FRESHSERVICE_DOMAIN: 'acme',
      FRESHSERVICE_API_KEY: 'fs-api-key-000000001',
      TEMPORAL_ADDRESS: 'temporal.acme.example:7233',
      ...TEST_SECRETS,
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /PUBLIC_BASE_URL must be an https URL/);
  });

  it('given an invalid variable, when any command loads config, then it exits 2 with the ConfigError message', async () => {
    const r = await runCli(['setup', '--dry-run'], { PUBLIC_BASE_URL: 'not a url' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Invalid configuration:\n {2}- PUBLIC_BASE_URL: /);
  });

  it('given `freshservice-template --json`, when parsed, then it holds one body per event, each valid JSON', async () => {
    const r = await runCli(['freshservice-template', '--json']);
    assert.equal(r.code, 0);
    const entries = JSON.parse(r.stdout) as { event: string; body: string }[];
    assert.deepEqual(
      entries.map((e) => e.event),
      [...FRESHSERVICE_WEBHOOK_EVENTS],
    );
    for (const e of entries) {
      assert.equal((JSON.parse(e.body) as { event: string }).event, e.event);
      assert.equal((JSON.parse(e.body) as { ticket_id: string }).ticket_id, '{{ticket.id}}');
    }
  });

  it('given cells with commas, quotes, line breaks and formulas, when written as CSV, then a strict reader gets them back safely', () => {
    const rows = [
      { a: 'plain', b: 'x, "y"\r\nz' },
      { a: '=HYPERLINK("http://evil")', b: null },
    ];
    const text = toCsv(['a', 'b'] as const, rows);
    assert.deepEqual(parseCsv(text), [
      { a: 'plain', b: 'x, "y"\r\nz' },
      { a: `'=HYPERLINK("http://evil")`, b: '' },
    ]);
    assert.equal(csvCell(-3), '-3', 'numbers are not formulas');
  });

  it('given `reset` without a reason, when run, then it refuses with exit 2 before connecting', async () => {
    const r = await runCli(['reset', '--workflow-id', 'okta-request:x', '--to-last-workflow-task']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--reason is required/);
  });

  it('given `reset` with both reset points, when run, then it asks for exactly one', async () => {
    const r = await runCli([
      'reset',
      '--workflow-id',
      'okta-request:x',
      '--to-last-workflow-task',
      '--event-id',
      '4',
      '--reason',
      'fix deployed',
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /exactly one of --to-last-workflow-task or --event-id/);
  });

  it('given `replay` with two history sources, when run, then it exits 2', async () => {
    const r = await runCli(['replay', '--workflow-id', 'a', '--file', 'h.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /use one of --workflow-id, --query or --file/);
  });
});
