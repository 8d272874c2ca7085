// Shared-secret and bearer-token checks for the webhook and admin routes, in one place so every compare is
// constant-time and every failure looks the same to the caller (401, no hint which part was wrong).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { FRESHSERVICE_WEBHOOK_SECRET_HEADER } from '../integrations/freshservice/webhook-template';
import { AppError } from './errors';

/**
 * Constant-time equality of a presented secret and the configured one. Both sides are hashed first, so
 * the compare runs on equal-length buffers and the time taken says nothing about the secret's length.
 * An unset expected secret matches nothing: a route whose secret is not configured fails closed.
 */
export function secretMatches(presented: string | undefined, expected: string | undefined): boolean {
  if (presented === undefined || expected === undefined || expected === '') return false;
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The password of an `Authorization: Basic …` header, or undefined when the header is anything else. */
export function basicAuthPassword(header: string | undefined): string | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=._-]+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : undefined;
}

/** The token of an `Authorization: Bearer …` header. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

/** One header value (the first when a header repeats). */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Middleware that answers 401 unless `check` accepts the request's headers. */
export function requireAuth(
  check: (headers: Record<string, string | string[] | undefined>) => boolean,
  challenge?: string,
): RequestHandler {
  return (req, res, next) => {
    if (check(req.headers)) {
      next();
      return;
    }
    if (challenge) res.setHeader('WWW-Authenticate', challenge);
    next(new AppError('UNAUTHORIZED', 'Missing or invalid credentials'));
  };
}

/**
 * Headers that carry a secret on our inbound routes and must never reach a log line. The shared logger
 * already redacts `authorization`; the Freshservice custom header is censored by the request serializer.
 */
export const SECRET_HEADER_NAMES: readonly string[] = [
  'authorization',
  FRESHSERVICE_WEBHOOK_SECRET_HEADER.toLowerCase(),
  'cookie',
];

/** pino-http `req` serializer step: the serialized request with secret headers censored. */
export function censorSecretHeaders<T extends { headers?: Record<string, unknown> }>(req: T): T {
  if (!req.headers) return req;
  const headers: Record<string, unknown> = { ...req.headers };
  for (const name of SECRET_HEADER_NAMES) {
    if (name in headers) headers[name] = '[redacted]';
  }
  return { ...req, headers };
}
