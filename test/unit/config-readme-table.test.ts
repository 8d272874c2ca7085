// Holds the README's configuration table to the code: every documented default is read from the Markdown
// rows and compared with what loadConfig({}) yields, so the two cannot drift, plus the rules the table states
// in words (the history limit's range, an API key turning TLS on, a custom CA and server name for mTLS).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig, type Config } from '../../src/config';
import { temporalConnectOptions } from '../../src/temporal/connection';

const root = join(__dirname, '..', '..');

type Row = { variables: string[]; defaultCell: string; meaning: string };

/** The rows of the table under "## Configuration", split into cells; backticked names in the first. */
function readmeConfigRows(): Row[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Configuration\n');
  assert.ok(start >= 0, 'README has a Configuration section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const rows: Row[] = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells[0] === 'variable' || /^-+$/.test(cells[0]!)) continue;
    const variables = [...cells[0]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!);
    rows.push({ variables, defaultCell: cells[1]!, meaning: cells[2]! });
  }
  return rows;
}

const rows = readmeConfigRows();
const defaults = loadConfig({});

/** Where each variable lands in the loaded config, as a string (undefined: unset). */
const readers: Record<string, (c: Config) => unknown> = {
  NODE_ENV: (c) => c.env,
  LOG_LEVEL: (c) => c.logLevel,
  DATA_DIR: (c) => c.dataDir,
  TEMPORAL_ADDRESS: (c) => c.temporal.address,
  TEMPORAL_NAMESPACE: (c) => c.temporal.namespace,
  TEMPORAL_API_KEY: (c) => c.temporal.apiKey,
  TEMPORAL_TLS_CERT_PATH: (c) => c.temporal.tls?.certPath,
  TEMPORAL_TLS_KEY_PATH: (c) => c.temporal.tls?.keyPath,
  TEMPORAL_TLS_CA_PATH: (c) => c.temporal.tls?.caPath,
  TEMPORAL_TLS_SERVER_NAME: (c) => c.temporal.tls?.serverName,
  TEMPORAL_CLI_PATH: (c) => c.temporal.cliPath,
  TEMPORAL_DEV_PORT: (c) => c.temporal.devPort,
  TEMPORAL_UI_PORT: (c) => c.temporal.uiPort,
  TEMPORAL_TASK_QUEUE: (c) => c.temporal.taskQueues.workflows,
  OKTA_TASK_QUEUE: (c) => c.temporal.taskQueues.okta,
  FRESHSERVICE_TASK_QUEUE: (c) => c.temporal.taskQueues.freshservice,
  WORKER_METRICS_ADDRESS: (c) => c.temporal.workerMetricsAddress,
  OKTA_ORG_URL: (c) => (c.okta.mode === 'real' ? c.okta.orgUrl : undefined),
  OKTA_API_TOKEN: (c) =>
    c.okta.mode === 'real' && c.okta.auth.kind === 'ssws' ? c.okta.auth.token : undefined,
  OKTA_CLIENT_ID: (c) =>
    c.okta.mode === 'real' && c.okta.auth.kind === 'oauth' ? c.okta.auth.clientId : undefined,
  OKTA_PRIVATE_KEY: (c) =>
    c.okta.mode === 'real' && c.okta.auth.kind === 'oauth' ? c.okta.auth.privateKey : undefined,
  OKTA_PRIVATE_KEY_ID: (c) =>
    c.okta.mode === 'real' && c.okta.auth.kind === 'oauth' ? c.okta.auth.keyId : undefined,
  OKTA_ACTIVITIES_PER_SECOND: (c) => c.okta.activitiesPerSecond,
  OKTA_MAX_CONCURRENT: (c) => c.okta.maxConcurrent,
  OKTA_CALLS_PER_MINUTE: (c) => c.okta.callsPerMinute,
  FRESHSERVICE_DOMAIN: (c) => (c.freshservice.mode === 'real' ? c.freshservice.baseUrl : undefined),
  FRESHSERVICE_BASE_URL: (c) => (c.freshservice.mode === 'real' ? c.freshservice.baseUrl : undefined),
  FRESHSERVICE_API_KEY: (c) => (c.freshservice.mode === 'real' ? c.freshservice.apiKey : undefined),
  FRESHSERVICE_ACTIVITIES_PER_SECOND: (c) => c.freshservice.activitiesPerSecond,
  FRESHSERVICE_MAX_CONCURRENT: (c) => c.freshservice.maxConcurrent,
  OKTA_WEBHOOK_SECRET: (c) => c.webhooks.oktaSecret,
  FRESHSERVICE_WEBHOOK_SECRET: (c) => c.webhooks.freshserviceSecret,
  ADMIN_API_TOKEN: (c) => c.admin.token,
  API_HOST: (c) => c.api.host,
  API_PORT: (c) => c.api.port,
  PUBLIC_BASE_URL: (c) => c.api.publicBaseUrl,
  WEBHOOK_MAX_BODY_BYTES: (c) => c.webhooks.maxBodyBytes,
  RECONCILE_INTERVAL_SECONDS: (c) => c.reconcile.intervalSeconds,
  RECONCILE_LOOKBACK_MINUTES: (c) => c.reconcile.lookbackMinutes,
  WORKFLOW_HISTORY_MAX_EVENTS: (c) => c.workflowHistoryMaxEvents,
  SANDBOX_HOST: (c) => c.sandbox.host,
  SANDBOX_OKTA_PORT: (c) => c.sandbox.oktaPort,
  SANDBOX_FRESHSERVICE_PORT: (c) => c.sandbox.freshservicePort,
  ACCESS_POLICY_FILE: (c) => c.accessPolicyFile,
  OKTA_ADMIN_URL: (c) => c.oktaAdminUrl,
  FRESHSERVICE_ACCESS_ITEM_ID: (c) => c.freshservice.accessCatalogItemDisplayId,
};

/** Default cells whose words, not a literal, state the default; each has its own test below. */
const WORDED_DEFAULTS = new Set([
  'every scope the product uses',
  "unset (the dev server's UI when `TEMPORAL_ADDRESS` is unset)",
  'unset (links use the org URL)',
]);

/** Read by loadConfig, explained in the README's prose rather than in the table (a gap to close there). */
const PROSE_ONLY = new Set<string>([]);

const OAUTH = {
  OKTA_ORG_URL: 'https://acme.okta.com',
  OKTA_CLIENT_ID: '0oa1234',
  OKTA_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
};

function rowOf(variable: string): Row {
  const row = rows.find((r) => r.variables.includes(variable));
  assert.ok(row, `README's configuration table has a row for ${variable}`);
  return row;
}

function rejects(env: Record<string, string>, variable: string): void {
  assert.throws(
    () => loadConfig(env),
    (err: unknown) => err instanceof ConfigError && err.issues.some((i) => i.variable === variable),
    `expected ${JSON.stringify(env)} to be refused naming ${variable}`,
  );
}

describe('the README configuration table', () => {
  it('given the table and loadConfig, when compared, then every variable read is documented and no other', () => {
    const documented = rows.flatMap((r) => r.variables).sort();
    assert.ok(documented.length > 30, `parsed ${documented.length} documented variables`);
    for (const v of documented)
      assert.ok(CONFIG_VARIABLES.includes(v), `${v} (README) is read by loadConfig`);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const v of CONFIG_VARIABLES) {
      if (documented.includes(v)) continue;
      // Not in the table yet, but explained where their feature is (policy file, OIG links, catalog item).
      assert.ok(PROSE_ONLY.has(v), `${v} is read by loadConfig but missing from the README table`);
      assert.ok(readme.includes(`\`${v}\``), `${v} is at least explained in the README text`);
    }
  });

  it('given an empty environment, when loaded, then every literal default in the table is the value used', () => {
    let checked = 0;
    for (const row of rows) {
      if (WORDED_DEFAULTS.has(row.defaultCell)) continue;
      const literals = [...row.defaultCell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      for (const [i, variable] of row.variables.entries()) {
        const read = readers[variable];
        assert.ok(read, `the test knows where ${variable} lands in the config`);
        const actual = read(defaults);
        if (literals.length > 0) {
          assert.equal(
            literals.length,
            row.variables.length,
            `${row.variables.join(', ')}: one default per variable in "${row.defaultCell}"`,
          );
          assert.equal(String(actual), literals[i], `${variable} defaults to ${literals[i]}`);
        } else {
          // "unset", "generated in dev" (by `npm start`, not by loadConfig), "cached build".
          assert.match(row.defaultCell, /^(unset|generated in dev|cached build)$/, `${variable}'s default`);
          assert.equal(actual, undefined, `${variable} is unset by default ("${row.defaultCell}")`);
        }
        checked += 1;
      }
    }
    assert.ok(checked > 30, `checked ${checked} defaults`);
  });

  it('given no OKTA_ADMIN_URL, when loaded, then it is unset (the activities fall back to the org URL)', () => {
    assert.ok(WORDED_DEFAULTS.has(rowOf('OKTA_ADMIN_URL').defaultCell));
    assert.equal(defaults.oktaAdminUrl, undefined);
    assert.equal(
      loadConfig({ OKTA_ADMIN_URL: 'https://acme-admin.okta.com' }).oktaAdminUrl,
      'https://acme-admin.okta.com',
    );
  });

  it("given no TEMPORAL_UI_URL, when loaded, then the UI link is the dev server's only while TEMPORAL_ADDRESS is unset", () => {
    assert.ok(WORDED_DEFAULTS.has(rowOf('TEMPORAL_UI_URL').defaultCell));
    const uiPort = rowOf('TEMPORAL_UI_PORT').defaultCell.match(/`(\d+)`\s*$/)![1];
    assert.equal(defaults.temporal.uiUrl, `http://127.0.0.1:${uiPort}`);
    assert.equal(loadConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233' }).temporal.uiUrl, undefined);
  });

  it('given OAuth without OKTA_SCOPES, when loaded, then the scopes grant every scope the sandbox Okta enforces', () => {
    assert.ok(WORDED_DEFAULTS.has(rowOf('OKTA_SCOPES').defaultCell));
    const cfg = loadConfig(OAUTH);
    if (cfg.okta.mode !== 'real' || cfg.okta.auth.kind !== 'oauth') return assert.fail('expected OAuth');
    const granted = new Set(cfg.okta.auth.scopes);
    const enforced = new Set<string>();
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name.endsWith('.ts')) {
          for (const m of readFileSync(full, 'utf8').matchAll(/requireScope\(([^)]*)\)/g)) {
            for (const s of m[1]!.matchAll(/'([a-zA-Z.]+)'/g)) enforced.add(s[1]!);
          }
        }
      }
    };
    walk(join(root, 'src', 'sandbox', 'okta'));
    assert.ok(enforced.size >= 10, `found ${enforced.size} enforced scopes`);
    for (const scope of enforced) {
      // As in Okta, a .manage scope also grants its .read.
      const ok =
        granted.has(scope) || (scope.endsWith('.read') && granted.has(scope.replace(/\.read$/, '.manage')));
      assert.ok(ok, `default OKTA_SCOPES grants ${scope}`);
    }
  });

  it('given WORKFLOW_HISTORY_MAX_EVENTS at and beyond the documented range, when loaded, then only the range is accepted', () => {
    const range = rowOf('WORKFLOW_HISTORY_MAX_EVENTS').meaning.match(/\((\d+)-(\d+)\)/);
    assert.ok(range, 'the row states the range as (min-max)');
    const [min, max] = [Number(range[1]), Number(range[2])];
    assert.deepEqual([min, max], [50, 40_000]);
    assert.equal(loadConfig({ WORKFLOW_HISTORY_MAX_EVENTS: String(min) }).workflowHistoryMaxEvents, min);
    assert.equal(loadConfig({ WORKFLOW_HISTORY_MAX_EVENTS: String(max) }).workflowHistoryMaxEvents, max);
    rejects({ WORKFLOW_HISTORY_MAX_EVENTS: String(min - 1) }, 'WORKFLOW_HISTORY_MAX_EVENTS');
    rejects({ WORKFLOW_HISTORY_MAX_EVENTS: String(max + 1) }, 'WORKFLOW_HISTORY_MAX_EVENTS');
  });

  it('given RECONCILE_INTERVAL_SECONDS=0, when loaded, then it is accepted as "no reconcilers"', () => {
    assert.match(rowOf('RECONCILE_INTERVAL_SECONDS').meaning, /`0`: no reconcilers/);
    assert.equal(loadConfig({ RECONCILE_INTERVAL_SECONDS: '0' }).reconcile.intervalSeconds, 0);
  });

  it('given a TEMPORAL_API_KEY, when the connection options are built, then TLS is on and the key is sent', () => {
    assert.match(rowOf('TEMPORAL_API_KEY').meaning, /turns TLS on/);
    const cfg = loadConfig({
      TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'my-ns.a1b2c',
      TEMPORAL_API_KEY: 'cloud-api-key',
    });
    const opts = temporalConnectOptions(cfg.temporal, '127.0.0.1:7233');
    assert.equal(opts.address, 'my-ns.a1b2c.tmprl.cloud:7233');
    assert.equal(opts.tls, true);
    assert.equal(opts.apiKey, 'cloud-api-key');
    assert.deepEqual(opts.metadata, { 'temporal-namespace': 'my-ns.a1b2c' });
    // Without a key (and no mTLS) the connection stays plain, as for the dev server.
    assert.equal(temporalConnectOptions(loadConfig({}).temporal, '127.0.0.1:7233').tls, undefined);
  });

  it('given a TEMPORAL_API_KEY without TEMPORAL_ADDRESS, when loaded, then the address is required', () => {
    rejects({ TEMPORAL_API_KEY: 'cloud-api-key' }, 'TEMPORAL_ADDRESS');
  });

  describe('mTLS with a custom CA and server name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'access-bridge-tls-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('given TEMPORAL_TLS_CA_PATH and TEMPORAL_TLS_SERVER_NAME, when the connection options are built, then both are used', () => {
      const files = { cert: 'client-cert', key: 'client-key', ca: 'custom-ca' };
      for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, `${name}.pem`), body);
      const cfg = loadConfig({
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        TEMPORAL_TLS_CERT_PATH: join(dir, 'cert.pem'),
        TEMPORAL_TLS_KEY_PATH: join(dir, 'key.pem'),
        TEMPORAL_TLS_CA_PATH: join(dir, 'ca.pem'),
        TEMPORAL_TLS_SERVER_NAME: 'temporal.example.internal',
      });
      const tls = temporalConnectOptions(cfg.temporal, '127.0.0.1:7233').tls;
      assert.ok(tls && typeof tls === 'object', 'mTLS options');
      assert.equal(tls.serverNameOverride, 'temporal.example.internal');
      assert.equal(String(tls.serverRootCACertificate), 'custom-ca');
      assert.equal(String(tls.clientCertPair?.crt), 'client-cert');
      assert.equal(String(tls.clientCertPair?.key), 'client-key');
    });
  });

  it('given FRESHSERVICE_BASE_URL, when loaded, then it is the base URL, and with a domain too it is refused', () => {
    const cfg = loadConfig({
      FRESHSERVICE_BASE_URL: 'https://helpdesk.example.com/',
      FRESHSERVICE_API_KEY: 'abcdefghijkl',
    });
    if (cfg.freshservice.mode !== 'real') return assert.fail('expected a real Freshservice');
    assert.equal(cfg.freshservice.baseUrl, 'https://helpdesk.example.com');
    rejects(
      {
        FRESHSERVICE_DOMAIN: 'acme',
        FRESHSERVICE_BASE_URL: 'https://helpdesk.example.com',
        FRESHSERVICE_API_KEY: 'abcdefghijkl',
      },
      'FRESHSERVICE_BASE_URL',
    );
  });
});
