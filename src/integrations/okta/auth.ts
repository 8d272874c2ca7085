// Authorization for Okta calls: a static `SSWS` API token, or an OAuth service app that signs a
// private_key_jwt assertion (jose), trades it for a 1-hour access token at {org}/oauth2/v1/token, caches
// it until shortly before expiry and fetches a new one when told to (after a 401). Keys and tokens never
// reach a log line.
import type { AxiosInstance } from 'axios';
import { importJWK, importPKCS8, SignJWT, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { VendorError } from '../errors';
import { ZOAuthErrorBody, ZTokenResponse } from './schemas';

export type OktaAuth =
  | { kind: 'ssws'; token: string }
  | {
      kind: 'oauth';
      clientId: string;
      /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) or a private JWK (object or JSON string). */
      privateKey: string | JWK;
      keyId?: string;
      scopes: string[];
    };

export interface AuthProvider {
  readonly kind: OktaAuth['kind'];
  header(): Promise<string>;
  /** Drops a cached token so the next header() fetches a new one (OAuth only). */
  invalidate(): void;
}

/** Renew this long before the token's stated expiry, so a call never starts with a dying token. */
const EXPIRY_MARGIN_MS = 60_000;

type SigningKey = Awaited<ReturnType<typeof importJWK>>;

export function createAuthProvider(auth: OktaAuth, orgUrl: string, http: AxiosInstance): AuthProvider {
  if (auth.kind === 'ssws') {
    const header = `SSWS ${auth.token}`;
    return { kind: 'ssws', header: () => Promise.resolve(header), invalidate: () => undefined };
  }
  return new OAuthProvider(auth, orgUrl, http);
}

class OAuthProvider implements AuthProvider {
  readonly kind = 'oauth' as const;
  private cached: { token: string; expiresAtMs: number } | undefined;
  private inflight: Promise<string> | undefined;
  private key: Promise<{ key: SigningKey; alg: string }> | undefined;

  constructor(
    private readonly auth: Extract<OktaAuth, { kind: 'oauth' }>,
    private readonly orgUrl: string,
    private readonly http: AxiosInstance,
  ) {}

  invalidate(): void {
    this.cached = undefined;
  }

  async header(): Promise<string> {
    if (this.cached && this.cached.expiresAtMs > Date.now()) return `Bearer ${this.cached.token}`;
    // One token request at a time; concurrent callers share it.
    this.inflight ??= this.fetchToken().finally(() => (this.inflight = undefined));
    return `Bearer ${await this.inflight}`;
  }

  private loadKey(): Promise<{ key: SigningKey; alg: string }> {
    this.key ??= (async () => {
      const pk = this.auth.privateKey;
      const jwk: JWK | undefined =
        typeof pk === 'string' ? (pk.trim().startsWith('{') ? (JSON.parse(pk) as JWK) : undefined) : pk;
      if (jwk) {
        const alg = jwk.alg ?? (jwk.kty === 'EC' ? 'ES256' : 'RS256');
        return { key: await importJWK(jwk, alg), alg };
      }
      const pem = pk as string;
      try {
        return { key: await importPKCS8(pem, 'RS256'), alg: 'RS256' };
      } catch {
        return { key: await importPKCS8(pem, 'ES256'), alg: 'ES256' };
      }
    })();
    return this.key;
  }

  private async fetchToken(): Promise<string> {
    const tokenUrl = `${this.orgUrl}/oauth2/v1/token`;
    const { key, alg } = await this.loadKey();
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg, ...(this.auth.keyId ? { kid: this.auth.keyId } : {}) })
      .setIssuer(this.auth.clientId)
      .setSubject(this.auth.clientId)
      .setAudience(tokenUrl)
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti(randomUUID())
      .sign(key);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: this.auth.scopes.join(' '),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    let res;
    try {
      res = await this.http.post(tokenUrl, form.toString(), {
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        validateStatus: () => true,
      });
    } catch {
      throw new VendorError({
        vendor: 'okta',
        type: 'VENDOR_UNAVAILABLE',
        message: 'Okta token endpoint unreachable',
        method: 'POST',
        path: '/oauth2/v1/token',
      });
    }
    const requestId = (res.headers['x-okta-request-id'] as string | undefined) ?? undefined;
    // The shared axios instance hands back raw text (see transport.ts).
    let json: unknown;
    try {
      json = typeof res.data === 'string' ? JSON.parse(res.data) : res.data;
    } catch {
      json = undefined;
    }
    if (res.status !== 200) {
      const body = ZOAuthErrorBody.safeParse(json);
      const code = body.success ? body.data.error : undefined;
      throw new VendorError({
        vendor: 'okta',
        type:
          res.status === 429
            ? 'RATE_LIMITED'
            : res.status >= 500
              ? 'VENDOR_UNAVAILABLE'
              : code === 'invalid_scope'
                ? 'FORBIDDEN'
                : 'UNAUTHORIZED',
        message:
          `Okta token request failed: ${res.status} ${code ?? ''} ${body.success ? (body.data.error_description ?? '') : ''}`.trim(),
        status: res.status,
        vendorCode: code,
        requestId,
        method: 'POST',
        path: '/oauth2/v1/token',
      });
    }
    const parsed = ZTokenResponse.safeParse(json);
    if (!parsed.success)
      throw new VendorError({
        vendor: 'okta',
        type: 'UNEXPECTED_RESPONSE',
        message: 'Okta token response did not parse',
        status: res.status,
        requestId,
        method: 'POST',
        path: '/oauth2/v1/token',
      });
    const lifetimeMs = parsed.data.expires_in * 1000;
    this.cached = {
      token: parsed.data.access_token,
      expiresAtMs: Date.now() + Math.max(lifetimeMs / 2, lifetimeMs - EXPIRY_MARGIN_MS),
    };
    return parsed.data.access_token;
  }
}
