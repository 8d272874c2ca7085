// Helpers every sandbox Okta router shares: the call context for System Log rows, zod parsing that fails
// with Okta's E0000001 body, and typed query-string reads.
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { EventHookDispatcher } from '../event-hooks';
import { oktaErrors, OktaApiError } from '../errors';
import type { Governance } from '../governance';
import { principalOf } from '../auth';
import type { CallContext } from '../system-log';
import type { OktaTenant } from '../tenant';
import type { LogActor } from '../types';
import { parseScimFilter, ScimFilterError, type ScimNode } from '../scim-filter';

export type RouteDeps = {
  tenant: OktaTenant;
  governance: Governance;
  dispatcher: EventHookDispatcher;
  publicUrl: () => string;
  oigListRequiresOAuth: () => boolean;
};

export function callContext(req: Request, res: Response, actor?: LogActor): CallContext {
  return {
    actor: actor ?? (res.locals.principal ? principalOf(res).actor : systemlessActor()),
    ipAddress: req.ip ?? req.socket.remoteAddress ?? '127.0.0.1',
    userAgent: req.header('user-agent') ?? 'unknown',
    requestId: String(res.getHeader('X-Okta-Request-Id') ?? ''),
    url: req.originalUrl,
  };
}

function systemlessActor(): LogActor {
  return {
    id: 'unknown',
    type: 'Unknown',
    alternateId: 'unknown',
    displayName: 'Unknown',
    detailEntry: null,
  };
}

/** Parses a body with zod; failures become 400 E0000001 naming each field, as Okta reports them. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined || body === null) throw oktaErrors.malformedBody('A request body is required');
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const causes = r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
  const fields = [...new Set(r.error.issues.map((i) => i.path.join('.') || 'body'))].join(', ');
  throw new OktaApiError(
    400,
    'E0000001',
    `Api validation failed: ${fields}`,
    causes.map((c) => ({ errorSummary: c })),
  );
}

export function qs(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function qsBool(req: Request, name: string, def: boolean): boolean {
  const v = qs(req, name);
  if (v === undefined) return def;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw oktaErrors.validation(name, [`${name}: must be true or false`]);
}

/** Express 5 route params are strings; this keeps call sites short and typed. */
export function param(req: Request, name: string): string {
  const v = (req.params as Record<string, string | undefined>)[name];
  if (!v) throw oktaErrors.missingParameter(name);
  return v;
}

/** Parses a `filter`/`search` expression; a bad one is Okta's 400 E0000031 invalid search. */
export function compileSearch(expr: string): ScimNode {
  try {
    return parseScimFilter(expr);
  } catch (err) {
    throw oktaErrors.invalidSearch(err instanceof ScimFilterError ? err.message : undefined);
  }
}
