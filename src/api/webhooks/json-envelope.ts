// Webhook bodies that are valid JSON but not an object. The API's JSON parser is strict (it reads only a
// body that starts with `{` or `[`), so a delivery of `null`, `42`, `"x"` or `true` fails to parse and
// would be answered "not valid JSON", which it is. This middleware, mounted right after the parser, tells
// the two apart: malformed JSON stays 400 INVALID_JSON; valid JSON of the wrong kind is handed to the
// route's own schema, so it gets the 400 BAD_REQUEST any other wrong envelope gets, naming `(body)`
// (e.g. "(body): Invalid input: expected object, received null").
import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import { parseOr400 } from '../validation';

/** The raw text body-parser attaches to its parse errors. */
function validJsonText(err: unknown): { value: unknown } | undefined {
  const e = err as { type?: unknown; body?: unknown } | null;
  if (e?.type !== 'entity.parse.failed' || typeof e.body !== 'string') return undefined;
  try {
    return { value: JSON.parse(e.body) as unknown };
  } catch {
    return undefined;
  }
}

export function nonObjectJsonAs400(schema: z.ZodType): ErrorRequestHandler {
  return (err, _req, _res, next) => {
    const parsed = validJsonText(err);
    if (!parsed) return next(err);
    try {
      parseOr400(schema, parsed.value);
    } catch (refused) {
      return next(refused);
    }
    // The schema accepted a non-object top level (no webhook schema does): keep the parser's answer.
    next(err);
  };
}
