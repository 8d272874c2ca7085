// Who is calling the sandbox Okta: an API token (`SSWS <token>`, acting as a super admin) or an OAuth
// access token from the org authorization server (`Bearer <token>`, limited to its granted scopes).
// Scope rules follow the management spec: `.manage` implies `.read`; SSWS passes every scope check.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { oktaErrors } from './errors';
import type { LogActor } from './types';

export type Principal =
  | { kind: 'ssws'; actor: LogActor }
  | { kind: 'oauth'; clientId: string; scopes: Set<string>; actor: LogActor };

export type IssuedToken = { clientId: string; clientName: string; scopes: string[]; expiresAtMs: number };

/** The admin an API token acts as in System Log rows. */
export const API_TOKEN_ADMIN: LogActor = {
  id: '00usandboxadmin00001',
  type: 'User',
  alternateId: 'admin@sandbox.okta',
  displayName: 'Sandbox Super Admin',
  detailEntry: null,
};

export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new Error('principal middleware did not run');
  return p;
}

export function authenticate(opts: {
  apiTokens: () => string[];
  accessToken: (token: string) => IssuedToken | undefined;
  realm: () => string;
}): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.header('authorization') ?? '';
    const [scheme, ...rest] = header.split(' ');
    const value = rest.join(' ').trim();
    if (scheme?.toUpperCase() === 'SSWS' && value && opts.apiTokens().includes(value)) {
      res.locals.principal = { kind: 'ssws', actor: API_TOKEN_ADMIN } satisfies Principal;
      return next();
    }
    if (scheme?.toLowerCase() === 'bearer' && value) {
      const t = opts.accessToken(value);
      if (t && t.expiresAtMs > Date.now()) {
        res.locals.principal = {
          kind: 'oauth',
          clientId: t.clientId,
          scopes: new Set(t.scopes),
          actor: {
            id: t.clientId,
            type: 'PublicClientApp',
            alternateId: t.clientId,
            displayName: t.clientName,
            detailEntry: null,
          },
        } satisfies Principal;
        return next();
      }
      throw oktaErrors.invalidToken({
        'WWW-Authenticate': `Bearer authorization_uri="${opts.realm()}/oauth2/v1/authorize", realm="${opts.realm()}", error="invalid_token", error_description="The access token is invalid."`,
      });
    }
    throw oktaErrors.invalidToken();
  };
}

function grants(scopes: Set<string>, needed: string): boolean {
  if (scopes.has(needed)) return true;
  if (needed.endsWith('.read')) return scopes.has(`${needed.slice(0, -'.read'.length)}.manage`);
  return false;
}

/** Passes when the caller holds any of `accepted` (SSWS always does). */
export function requireScope(...accepted: string[]): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const p = principalOf(res);
    if (p.kind === 'ssws' || accepted.some((s) => grants(p.scopes, s))) return next();
    throw oktaErrors.forbidden({
      'WWW-Authenticate': `Bearer error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", scope="${accepted.join(' ')}"`,
    });
  };
}

/** Endpoints the spec secures with OAuth only (the OIG list endpoints). */
export function requireOAuth(enabled: () => boolean): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (!enabled() || principalOf(res).kind === 'oauth') return next();
    throw oktaErrors.forbidden({}, ['This endpoint only accepts OAuth 2.0 access tokens, not API tokens']);
  };
}
