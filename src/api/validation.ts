// The edge of every JSON route: the body must be JSON (415 otherwise), no larger than the route's limit
// (413), well-formed (400 INVALID_JSON), and then parsed by the route's zod schema, whose first failing
// field path is named in the 400 so a sender (or an admin) sees exactly what to fix.
import express, { type RequestHandler } from 'express';
import type { z } from 'zod';
import { AppError } from './errors';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** Content-type check and JSON parsing with a byte limit; the error middleware maps the parser's errors. */
export function jsonBody(limitBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    const matched = req.is(JSON_TYPES);
    if (matched === null) {
      next(new AppError('BAD_REQUEST', 'Request body is required', { field: '(body)' }));
    } else if (matched === false) {
      next(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json'));
    } else {
      next();
    }
  };
  return [requireJson, express.json({ limit: limitBytes, type: JSON_TYPES, strict: true })];
}

/** Field path of a zod issue as senders read it: `data.events.0.uuid`, or `(body)` for the whole body. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(body)' : path.map(String).join('.');
}

/** Parses `value` with `schema`, or throws a 400 naming the first failing field. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issuePath([...(prefix ? [prefix] : []), ...(issue?.path ?? [])]);
  throw new AppError('BAD_REQUEST', `${field}: ${issue?.message ?? 'invalid'}`, { field });
}
