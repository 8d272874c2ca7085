// Proves loadConfig: defaults, empty-is-unset, vendor modes chosen by the credentials present, and
// failures that name the variable without ever echoing a secret.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';

function expectConfigError(env: Record<string, string>, variable: string): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.ok(
      err.issues.some((i) => i.variable === variable),
      `expected an issue for ${variable}, got ${JSON.stringify(err.issues)}`,
    );
    return err;
  }
  assert.fail(`expected loadConfig to reject ${variable}`);
}

describe('loadConfig', () => {
  it('given an empty environment, when loaded, then both vendors are sandboxes and defaults apply', () => {
    const cfg = loadConfig({});
    assert.equal(cfg.okta.mode, 'sandbox');
    assert.equal(cfg.freshservice.mode, 'sandbox');
    assert.equal(cfg.temporal.address, undefined);
    assert.equal(cfg.temporal.namespace, 'default');
    assert.deepEqual(cfg.temporal.taskQueues, {
      workflows: 'access-bridge',
      okta: 'okta',
      freshservice: 'freshservice',
    });
    assert.equal(cfg.api.port, 3000);
    assert.equal(cfg.okta.maxConcurrent, 20);
  });

  it('given empty strings, when loaded, then they count as unset', () => {
    const cfg = loadConfig({ TEMPORAL_ADDRESS: '', API_PORT: '  ', OKTA_API_TOKEN: '', LOG_LEVEL: '' });
    assert.equal(cfg.temporal.address, undefined);
    assert.equal(cfg.api.port, 3000);
    assert.equal(cfg.okta.mode, 'sandbox');
    assert.equal(cfg.logLevel, 'info');
  });

  it('given an SSWS token and org URL, when loaded, then Okta is real with SSWS auth and no trailing slash', () => {
    const cfg = loadConfig({ OKTA_ORG_URL: 'https://acme.okta.com/', OKTA_API_TOKEN: '00abcdefghijklmnop' });
    assert.equal(cfg.okta.mode, 'real');
    if (cfg.okta.mode !== 'real') return;
    assert.equal(cfg.okta.orgUrl, 'https://acme.okta.com');
    assert.deepEqual(cfg.okta.auth, { kind: 'ssws', token: '00abcdefghijklmnop' });
  });

  it('given OAuth credentials, when loaded, then scopes are split and the key is kept', () => {
    const cfg = loadConfig({
      OKTA_ORG_URL: 'https://acme.okta.com',
      OKTA_CLIENT_ID: '0oa1234',
      OKTA_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
      OKTA_SCOPES: 'okta.users.read okta.groups.manage',
    });
    assert.equal(cfg.okta.mode, 'real');
    if (cfg.okta.mode !== 'real' || cfg.okta.auth.kind !== 'oauth') return assert.fail('expected oauth');
    assert.deepEqual(cfg.okta.auth.scopes, ['okta.users.read', 'okta.groups.manage']);
  });

  it('given a Freshservice domain and key, when loaded, then the base URL is the account URL', () => {
    const cfg = loadConfig({ FRESHSERVICE_DOMAIN: 'acme', FRESHSERVICE_API_KEY: 'abcdefghijkl' });
    assert.equal(cfg.freshservice.mode, 'real');
    if (cfg.freshservice.mode !== 'real') return;
    assert.equal(cfg.freshservice.baseUrl, 'https://acme.freshservice.com');
  });

  it('given a token without an org URL, when loaded, then it fails naming OKTA_ORG_URL and never the token', () => {
    const err = expectConfigError({ OKTA_API_TOKEN: 'super-secret-token-value' }, 'OKTA_ORG_URL');
    assert.ok(!err.message.includes('super-secret-token-value'));
  });

  it('given both SSWS and OAuth, when loaded, then it refuses the mix', () => {
    expectConfigError(
      { OKTA_ORG_URL: 'https://a.okta.com', OKTA_API_TOKEN: 'abcdefghijkl', OKTA_CLIENT_ID: '0oa1' },
      'OKTA_API_TOKEN',
    );
  });

  it('given bad values, when loaded, then each failing variable is named', () => {
    const err = expectConfigError(
      { API_PORT: '70000', LOG_LEVEL: 'loud', OKTA_ORG_URL: 'not a url' },
      'API_PORT',
    );
    const named = err.issues.map((i) => i.variable);
    assert.ok(named.includes('LOG_LEVEL'));
    assert.ok(named.includes('OKTA_ORG_URL'));
    assert.match(err.message, /API_PORT/);
  });

  it('given a short webhook secret, when loaded, then it fails without printing the secret', () => {
    const err = expectConfigError({ OKTA_WEBHOOK_SECRET: 'shorty' }, 'OKTA_WEBHOOK_SECRET');
    assert.ok(!err.message.includes('shorty'));
  });

  it('given production without secrets or tenants, when loaded, then every missing piece is named', () => {
    const err = expectConfigError({ NODE_ENV: 'production' }, 'ADMIN_API_TOKEN');
    const named = err.issues.map((i) => i.variable);
    for (const v of [
      'OKTA_WEBHOOK_SECRET',
      'FRESHSERVICE_WEBHOOK_SECRET',
      'TEMPORAL_ADDRESS',
      'OKTA_ORG_URL',
    ]) {
      assert.ok(named.includes(v), `${v} should be named`);
    }
  });

  it('given half an mTLS pair, when loaded, then the missing half is named', () => {
    expectConfigError(
      { TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_TLS_CERT_PATH: '/certs/client.pem' },
      'TEMPORAL_TLS_KEY_PATH',
    );
  });

  it('given a loaded config, when mutated, then it refuses (frozen)', () => {
    const cfg = loadConfig({});
    assert.throws(() => {
      (cfg.api as { port: number }).port = 1;
    }, TypeError);
  });
});
