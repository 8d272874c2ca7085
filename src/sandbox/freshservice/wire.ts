// Freshservice's wire conventions for the sandbox: the error body and its codes, second-precision UTC
// timestamps, zod issues turned into `errors[]`, and page/per_page pagination with the `link` header.
import type { Request, Response } from 'express';
import type { z } from 'zod';

export type FsErrorItem = { field?: string; message: string; code: string };

/** An API failure rendered as Freshservice renders it; `field` is kept on 400 only. */
export class FsApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly errors: FsErrorItem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = 'FsApiError';
  }
}

export const validationError = (errors: FsErrorItem[]): FsApiError =>
  new FsApiError(400, 'Validation failed', errors);

export const invalidValue = (field: string, message: string): FsApiError =>
  validationError([{ field, message, code: 'invalid_value' }]);

export const notFound = (): FsApiError => errorForStatus(404);

export const conflict = (message: string): FsApiError =>
  new FsApiError(409, 'Conflict', [{ message, code: 'inconsistent_state' }]);

const STATUS_DESCRIPTIONS: Record<number, { description: string; code: string; message: string }> = {
  400: { description: 'Validation failed', code: 'invalid_value', message: 'Invalid request' },
  401: {
    description: 'Authentication failure',
    code: 'invalid_credentials',
    message: 'You have to be logged in to perform this action.',
  },
  403: {
    description: 'Access denied',
    code: 'access_denied',
    message: 'You are not authorized to perform this action.',
  },
  404: {
    description: 'Record not found',
    code: 'not_found',
    message: 'The requested resource does not exist.',
  },
  405: { description: 'Method not allowed', code: 'method_not_allowed', message: 'Method not allowed' },
  409: {
    description: 'Conflict',
    code: 'inconsistent_state',
    message: 'The resource is in a conflicting state.',
  },
  415: {
    description: 'Unsupported content type',
    code: 'invalid_content_type',
    message: 'Content-Type header should be application/json',
  },
  429: {
    description: 'Too many requests',
    code: 'rate_limit_exceeded',
    message: 'You have exceeded the limit of requests per minute',
  },
  500: {
    description: 'Internal server error',
    code: 'internal_error',
    message: 'We are facing some issues. Please try again later.',
  },
  502: { description: 'Bad gateway', code: 'internal_error', message: 'Bad gateway' },
  503: {
    description: 'Service unavailable',
    code: 'service_unavailable',
    message: 'The service is temporarily unavailable.',
  },
  504: { description: 'Gateway timeout', code: 'internal_error', message: 'Gateway timeout' },
};

/** A Freshservice error for any status (used by faults and the error middleware). */
export function errorForStatus(status: number): FsApiError {
  const known = STATUS_DESCRIPTIONS[status] ?? {
    description: status >= 500 ? 'Internal server error' : 'Request failed',
    code: status >= 500 ? 'internal_error' : 'invalid_value',
    message: `HTTP ${status}`,
  };
  return new FsApiError(status, known.description, [{ message: known.message, code: known.code }]);
}

export function sendError(res: Response, err: FsApiError): void {
  for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  const errors = err.errors.map((e) =>
    err.status === 400 && e.field !== undefined
      ? { field: e.field, message: e.message, code: e.code }
      : { message: e.message, code: e.code },
  );
  res.status(err.status).json({ description: err.description, errors });
}

/** Freshservice timestamps: UTC, second precision, `YYYY-MM-DDTHH:MM:SSZ`. */
export function fsNow(now: number = Date.now()): string {
  return new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses an ISO date or timestamp from a query parameter; undefined when unreadable. */
export function parseTimestamp(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value))
    return undefined;
  const ms = Date.parse(/T/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? `${value}Z` : value);
  return Number.isNaN(ms) ? undefined : fsNow(ms);
}

/** Plain text of an HTML body, as Freshservice fills `description_text` / `body_text`. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** Maps zod issues to Freshservice error items (missing_field, datatype_mismatch, invalid_field, invalid_value). */
export function zodToFsErrors(error: z.ZodError): FsErrorItem[] {
  return error.issues.map((issue): FsErrorItem => {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return {
        field: [field, ...issue.keys].filter(Boolean).join('.') || issue.keys.join(','),
        message: 'Unexpected/invalid field in request',
        code: 'invalid_field',
      };
    }
    if (issue.code === 'invalid_type') {
      const missing = issue.input === undefined;
      return {
        field,
        message: missing ? 'It should be present' : `It should be a/an ${issue.expected}`,
        code: missing ? 'missing_field' : 'datatype_mismatch',
      };
    }
    return { field, message: issue.message, code: 'invalid_value' };
  });
}

/** Parses a request body or query with zod, throwing Freshservice's 400 on failure. */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(zodToFsErrors(parsed.error));
  return parsed.data;
}

export type Paging = { page: number; perPage: number };

/** `page` from 1, `per_page` 1..100 (default 30); anything else is a 400 naming the parameter. */
export function readPaging(req: Request, opts: { fixedPerPage?: number; maxPage?: number } = {}): Paging {
  const q = req.query as Record<string, unknown>;
  const num = (name: string, def: number, max: number): number => {
    const raw = q[name];
    if (raw === undefined) return def;
    const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw invalidValue(name, `It should be a Positive Integer less than or equal to ${max}`);
    }
    return n;
  };
  const page = num('page', 1, opts.maxPage ?? 100_000);
  const perPage = opts.fixedPerPage ?? num('per_page', 30, 100);
  return { page, perPage };
}

/**
 * Slices one page and sets `link: <…>; rel="next"` only when a further page exists. The link keeps the
 * request's other query parameters and is absolute, built on the sandbox's public URL.
 */
export function paginate<T>(req: Request, res: Response, publicUrl: string, items: T[], paging: Paging): T[] {
  const start = (paging.page - 1) * paging.perPage;
  const slice = items.slice(start, start + paging.perPage);
  if (start + paging.perPage < items.length) {
    // publicUrl may carry a path prefix (a proxy), so it is prepended rather than resolved against.
    const url = new URL(`${publicUrl.replace(/\/+$/, '')}${req.originalUrl}`);
    url.searchParams.set('page', String(paging.page + 1));
    res.setHeader('link', `<${url.toString()}>; rel="next"`);
  }
  return slice;
}
