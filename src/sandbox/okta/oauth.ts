// The org authorization server's token endpoint for service apps: client credentials with a
// private_key_jwt client assertion, verified with jose against the client's registered public JWK
// (aud = {org}/oauth2/v1/token, iss = sub = client_id, exp at most 1 h ahead, jti not replayed).
// Errors use OAuth's {error, error_description}, not Okta's management error body.
import type { Request, Response } from 'express';
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { IssuedToken } from './auth';
import { ID_PREFIX, oktaId } from './ids';
import type { OAuthClientRecord } from './types';

const TOKEN_LIFETIME_S = 3600;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const ZTokenForm = z.object({
  grant_type: z.string().optional(),
  scope: z.string().optional(),
  client_assertion_type: z.string().optional(),
  client_assertion: z.string().optional(),
  client_id: z.string().optional(),
});

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

export class OAuthTokenService {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly usedJtis = new Map<string, number>();

  constructor(
    private readonly clients: Map<string, OAuthClientRecord>,
    private readonly audiences: () => string[],
  ) {}

  lookup(token: string): IssuedToken | undefined {
    return this.tokens.get(token);
  }

  /** Forgets every issued token (reset; a restart does the same, so clients must re-authenticate). */
  revokeAll(): void {
    this.tokens.clear();
    this.usedJtis.clear();
  }

  async handle(req: Request, res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    try {
      const body = await this.issue(req);
      res.status(200).json(body);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      res.status(err.status).json({ error: err.error, error_description: err.description });
    }
  }

  private async issue(req: Request) {
    if (!req.is('application/x-www-form-urlencoded'))
      throw new OAuthError(400, 'invalid_request', 'The request must be application/x-www-form-urlencoded.');
    const form = ZTokenForm.parse(req.body ?? {});
    if (form.grant_type !== 'client_credentials')
      throw new OAuthError(
        400,
        'unsupported_grant_type',
        `The authorization grant type is not supported by the authorization server. Configured grant types: [client_credentials].`,
      );
    if (form.client_assertion_type !== ASSERTION_TYPE || !form.client_assertion)
      throw new OAuthError(
        401,
        'invalid_client',
        'Client authentication failed. Either the client or the client credentials are invalid.',
      );
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(form.client_assertion);
    } catch {
      throw new OAuthError(401, 'invalid_client', 'The client_assertion token is malformed.');
    }
    const clientId = unverified.iss;
    const client = clientId ? this.clients.get(clientId) : undefined;
    if (!client || (form.client_id && form.client_id !== client.clientId))
      throw new OAuthError(401, 'invalid_client', 'The client_id is not valid.');
    let payload: JWTPayload;
    try {
      // The registered JWK may omit `alg`; the assertion's header names it (and must be one we allow).
      const headerAlg = decodeProtectedHeader(form.client_assertion).alg;
      const jwk = client.publicJwk as Parameters<typeof importJWK>[0];
      const key = await importJWK(jwk, jwk.alg ?? headerAlg);
      ({ payload } = await jwtVerify(form.client_assertion, key, {
        issuer: client.clientId,
        subject: client.clientId,
        audience: this.audiences().map((a) => `${a}/oauth2/v1/token`),
        algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'],
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      const msg = err instanceof Error ? err.message : 'invalid assertion';
      throw new OAuthError(
        401,
        'invalid_client',
        `The client_assertion signature or claims are invalid: ${msg}`,
      );
    }
    const nowS = Math.floor(Date.now() / 1000);
    if ((payload.exp ?? 0) > nowS + 3600 + 60)
      throw new OAuthError(
        401,
        'invalid_client',
        'The client_assertion token has an expiration too far in the future.',
      );
    if (payload.jti) {
      for (const [j, exp] of this.usedJtis) if (exp < nowS) this.usedJtis.delete(j);
      if (this.usedJtis.has(payload.jti))
        throw new OAuthError(401, 'invalid_client', 'The client_assertion token has already been used.');
      this.usedJtis.set(payload.jti, payload.exp ?? nowS + 3600);
    }
    const requested = (form.scope ?? '').split(/\s+/).filter(Boolean);
    if (requested.length === 0)
      throw new OAuthError(
        400,
        'invalid_scope',
        "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
      );
    const denied = requested.filter((s) => !client.scopes.includes(s));
    if (denied.length)
      throw new OAuthError(
        400,
        'invalid_scope',
        `The following scopes are not allowed: ${denied.join(', ')}`,
      );
    const accessToken = oktaId(ID_PREFIX.oauthToken, 40);
    this.tokens.set(accessToken, {
      clientId: client.clientId,
      clientName: client.name,
      scopes: requested,
      expiresAtMs: Date.now() + TOKEN_LIFETIME_S * 1000,
    });
    return {
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_S,
      access_token: accessToken,
      scope: requested.join(' '),
    };
  }
}
