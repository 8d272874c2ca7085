// The one error vocabulary for vendor calls. Clients turn every failed HTTP exchange into a VendorError
// with a type from VENDOR_ERROR_TYPES; activities turn those into Temporal failures (retryable or not,
// with the vendor's retry-after), and workflows branch on `type`, never on messages.

/** Error types, stored in workflow histories as ApplicationFailure types: add, never rename. */
export const VENDOR_ERROR_TYPES = [
  /** 429: retry after `retryAfterMs`. */
  'RATE_LIMITED',
  /** 5xx, network error, timeout: retry with backoff. */
  'VENDOR_UNAVAILABLE',
  /** 401: bad or expired credentials. Not retryable by the caller. */
  'UNAUTHORIZED',
  /** 403: missing permission or scope, or a state rule (Okta E0000038). */
  'FORBIDDEN',
  /** 404: the object does not exist. */
  'NOT_FOUND',
  /** 400/422: the request was invalid (Okta E0000001, Freshservice invalid_value...). */
  'VALIDATION',
  /** 409, or a duplicate (login exists, duplicate_value). */
  'CONFLICT',
  /** Any other 4xx. */
  'BAD_REQUEST',
  /** The vendor answered 2xx with a body we could not parse. */
  'UNEXPECTED_RESPONSE',
] as const;

export type VendorErrorType = (typeof VENDOR_ERROR_TYPES)[number];
export type Vendor = 'okta' | 'freshservice';

export type VendorErrorInit = {
  vendor: Vendor;
  type: VendorErrorType;
  message: string;
  status?: number;
  /** Okta errorCode (E0000007) or the first Freshservice error code (invalid_value). */
  vendorCode?: string;
  /** The vendor's own one-line summary (Okta errorSummary, Freshservice description), for notes to agents. */
  summary?: string;
  /** Field-level causes: Okta errorCauses[].errorSummary, Freshservice errors[] field + message. */
  causes?: { field?: string; message: string; code?: string }[];
  /** What an agent must do about a permanent refusal, when the activity can tell (e.g. the granting groups). */
  remedy?: string;
  retryAfterMs?: number;
  /** X-Okta-Request-Id, or Freshservice's x-request-id when present. */
  requestId?: string;
  method?: string;
  /** Path only: never a query string that could carry data, never a host with credentials. */
  path?: string;
  /**
   * No answer came back after the request may have reached the vendor (connection reset, timeout): the
   * change may be committed. A side effect the vendor offers no way to look up must not be sent again.
   */
  outcomeUnknown?: boolean;
};

/**
 * Network error codes that prove the request never left (nothing listened, no route, no address): any
 * other failure before an answer may have reached the vendor, which may have committed the change.
 */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** Whether a failure without an answer (an axios error `code`) may have left a committed change behind. */
export function outcomeUnknownFor(code: string | undefined): boolean {
  return code === undefined || !NEVER_SENT_CODES.has(code);
}

export class VendorError extends Error {
  readonly vendor: Vendor;
  readonly type: VendorErrorType;
  readonly status: number | undefined;
  readonly vendorCode: string | undefined;
  readonly summary: string | undefined;
  readonly causes: { field?: string; message: string; code?: string }[];
  readonly remedy: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly outcomeUnknown: boolean;

  constructor(init: VendorErrorInit) {
    super(init.message);
    this.name = 'VendorError';
    this.vendor = init.vendor;
    this.type = init.type;
    this.status = init.status;
    this.vendorCode = init.vendorCode;
    this.summary = init.summary;
    this.causes = init.causes ?? [];
    this.remedy = init.remedy;
    this.retryAfterMs = init.retryAfterMs;
    this.requestId = init.requestId;
    this.method = init.method;
    this.path = init.path;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }

  /** The same failure with what an agent must do about it. */
  withRemedy(remedy: string): VendorError {
    return new VendorError({
      vendor: this.vendor,
      type: this.type,
      message: this.message,
      status: this.status,
      vendorCode: this.vendorCode,
      summary: this.summary,
      causes: this.causes,
      remedy,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      method: this.method,
      path: this.path,
      outcomeUnknown: this.outcomeUnknown,
    });
  }

  /** Whether a later identical call may succeed (rate limit, outage); permanent 4xx are not. */
  get retryable(): boolean {
    return this.type === 'RATE_LIMITED' || this.type === 'VENDOR_UNAVAILABLE';
  }
}

/** The error type for an HTTP status, before vendor codes refine it. */
export function errorTypeForStatus(status: number): VendorErrorType {
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'VENDOR_UNAVAILABLE';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 400 || status === 422) return 'VALIDATION';
  return 'BAD_REQUEST';
}
