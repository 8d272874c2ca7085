// Turns a failed Freshservice exchange into the one VendorError vocabulary: the HTTP status picks the
// type, the first `errors[].code` refines it (duplicate_value is a CONFLICT even on a 400), 429 carries
// Retry-After, and anything that never got a response is VENDOR_UNAVAILABLE. Messages name the method and
// path only: never a query string, a body value or the API key.
import { isAxiosError } from 'axios';
import { VendorError, errorTypeForStatus, outcomeUnknownFor, type VendorErrorType } from '../errors';
import { ZFsErrorBody } from './schemas';

type Exchange = { method: string; path: string };

/** `Retry-After` is seconds (Freshservice) or, per HTTP, a date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function errorFromResponse(
  status: number,
  body: unknown,
  headers: Record<string, unknown>,
  ex: Exchange,
): VendorError {
  const parsed = ZFsErrorBody.safeParse(body);
  const errBody = parsed.success ? parsed.data : {};
  const errors = errBody.errors ?? [];
  const causes = errors.map((e) => ({
    ...(e.field !== undefined ? { field: e.field } : {}),
    message: e.message ?? e.code ?? 'error',
    ...(e.code !== undefined ? { code: e.code } : {}),
  }));
  const vendorCode = errors.find((e) => e.code)?.code ?? errBody.code;
  let type: VendorErrorType = errorTypeForStatus(status);
  if (errors.some((e) => e.code === 'duplicate_value')) type = 'CONFLICT';
  const summary = errBody.description ?? errBody.message ?? `HTTP ${status}`;
  const detail = causes
    .map((c) => (c.field ? `${c.field}: ${c.message}` : c.message))
    .join('; ')
    .slice(0, 500);
  const requestId = headers['x-request-id'];
  return new VendorError({
    vendor: 'freshservice',
    type,
    status,
    message: `Freshservice ${ex.method} ${ex.path} failed with ${status}: ${summary}${detail ? ` (${detail})` : ''}`,
    ...(vendorCode !== undefined ? { vendorCode } : {}),
    summary,
    causes,
    ...(status === 429 ? { retryAfterMs: parseRetryAfterMs(headers['retry-after']) ?? 60_000 } : {}),
    ...(typeof requestId === 'string' ? { requestId } : {}),
    method: ex.method,
    path: ex.path,
  });
}

/** Errors thrown before any response: DNS, refused, reset, timeout, aborted. */
export function errorFromTransport(err: unknown, ex: Exchange): VendorError {
  const code = isAxiosError(err) ? err.code : undefined;
  const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
  return new VendorError({
    vendor: 'freshservice',
    type: 'VENDOR_UNAVAILABLE',
    message: `Freshservice ${ex.method} ${ex.path} got no response (${timedOut ? 'timeout' : (code ?? 'network error')})`,
    method: ex.method,
    path: ex.path,
    outcomeUnknown: outcomeUnknownFor(code),
  });
}

export function unexpectedResponse(ex: Exchange, status: number, why: string): VendorError {
  return new VendorError({
    vendor: 'freshservice',
    type: 'UNEXPECTED_RESPONSE',
    status,
    message:
      `Freshservice ${ex.method} ${ex.path} answered ${status} with a body we could not read: ${why}`.slice(
        0,
        800,
      ),
    method: ex.method,
    path: ex.path,
  });
}
