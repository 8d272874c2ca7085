// Shared test setup for the Okta client and sandbox tests: a sandbox org on a loopback port, clients over
// it (SSWS or OAuth with a key generated here), the /__sandbox admin calls, and error assertions.
import assert from 'node:assert/strict';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { createOktaClient, type OktaClient, type OktaClientOptions } from '../../../src/integrations/okta';
import { VendorError, type VendorErrorType } from '../../../src/integrations/errors';
import {
  startOktaSandbox,
  type OktaSandboxOptions,
  type RunningOktaSandbox,
} from '../../../src/sandbox/okta';

export const API_TOKEN = 'sandbox-test-api-token-000000000001';

export function startSandbox(opts: Partial<OktaSandboxOptions> = {}): Promise<RunningOktaSandbox> {
  return startOktaSandbox({ apiTokens: [API_TOKEN], ...opts });
}

export function sswsClient(url: string, extra: Partial<OktaClientOptions> = {}): OktaClient {
  return createOktaClient({
    orgUrl: url,
    auth: { kind: 'ssws', token: API_TOKEN },
    timeoutMs: 5000,
    ...extra,
  });
}

/** Registers a service app with a fresh RS256 key and returns a client that authenticates as it. */
export async function oauthClient(
  url: string,
  granted: string[],
  requested: string[] = granted,
  clientId = `0oa-test-${Math.random().toString(36).slice(2, 10)}`,
): Promise<{ client: OktaClient; clientId: string; privateKeyPem: string; kid: string }> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
  await admin(url, 'POST', '/__sandbox/oauth-clients', { clientId, publicJwk, scopes: granted });
  const privateKeyPem = await exportPKCS8(privateKey);
  const client = createOktaClient({
    orgUrl: url,
    auth: { kind: 'oauth', clientId, privateKey: privateKeyPem, keyId: 'k1', scopes: requested },
    timeoutMs: 5000,
  });
  return { client, clientId, privateKeyPem, kid: 'k1' };
}

export async function admin<T = unknown>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Raw call with the API token, for wire-level assertions the client hides. */
export async function raw(url: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `SSWS ${API_TOKEN}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function rejectsWith(
  p: Promise<unknown>,
  type: VendorErrorType,
  vendorCode?: string,
): Promise<VendorError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof VendorError, `expected a VendorError, got ${String(err)}`);
    assert.equal(err.type, type, err.message);
    if (vendorCode) assert.equal(err.vendorCode, vendorCode, err.message);
    return err;
  }
  assert.fail(`expected ${type}${vendorCode ? ` ${vendorCode}` : ''}, but the call succeeded`);
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export const person = (n: number | string) => ({
  login: `user${n}@example.test`,
  email: `user${n}@example.test`,
  firstName: `First${n}`,
  lastName: `Last${n}`,
});
