// One HTTP exchange with Okta: authorization (with the single OAuth refresh on 401), the rate-limit
// headers read on every response, Link-header cursors, and every failure turned into a VendorError.
// No retries: Temporal activities retry, using VendorError.retryAfterMs for 429s.
import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import type { z } from 'zod';
import type { Logger } from '../../logging';
import { errorTypeForStatus, outcomeUnknownFor, VendorError, type VendorErrorType } from '../errors';
import { createAuthProvider, type AuthProvider, type OktaAuth } from './auth';
import { CallBudget } from './call-budget';
import { ZOktaErrorBody } from './schemas';

export type TransportOptions = {
  orgUrl: string;
  auth: OktaAuth;
  timeoutMs?: number;
  logger?: Logger;
  /**
   * Pause a bucket when X-Rate-Limit-Remaining falls to this share of X-Rate-Limit-Limit (default 0.05)
   * until its X-Rate-Limit-Reset; waits longer than maxThrottleWaitMs are not taken (the call goes out
   * and a 429 lets Temporal schedule the retry instead).
   */
  lowRemainingRatio?: number;
  maxThrottleWaitMs?: number;
  userAgent?: string;
  /**
   * At most this many calls a minute from this client (every endpoint together), paced evenly with a
   * second's worth of burst; unset: no limit.
   */
  callsPerMinute?: number;
};

export type RequestSpec = {
  method: Method;
  /** A path under the org (`/api/v1/users`) or an absolute URL on the same origin (a Link cursor). */
  url: string;
  params?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
};

export type Response<T> = {
  data: T;
  status: number;
  headers: Record<string, string>;
  next: string | undefined;
};

/** Parses `Link` headers (one or several, comma-joined) and returns the `rel="next"` URL. */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const all = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const part of all.split(/,\s*(?=<)/)) {
    const m = /^\s*<([^>]+)>\s*;(.*)$/.exec(part);
    if (m && /\brel="?next"?/.test(m[2] ?? '')) return m[1];
  }
  return undefined;
}

/**
 * Rate buckets as the client sees them: method plus the path with id-like segments folded, which lines
 * up with Okta's path+method buckets closely enough to pause the right calls.
 */
export function bucketKey(method: string, path: string): string {
  const segs = path.split('?')[0]!.split('/').filter(Boolean);
  const folded = segs.map((s, i) =>
    i >= 3 && !/^(lifecycle|users|groups|apps|factors|sessions|messages|entries|catalogs|default)$/.test(s)
      ? '{id}'
      : s,
  );
  return `${method.toUpperCase()} /${folded.join('/')}`;
}

export class OktaTransport {
  readonly http: AxiosInstance;
  readonly auth: AuthProvider;
  readonly origin: string;
  private readonly pausedUntil = new Map<string, number>();
  private readonly budget: CallBudget | undefined;

  constructor(private readonly opts: TransportOptions) {
    const orgUrl = opts.orgUrl.replace(/\/+$/, '');
    this.origin = new URL(orgUrl).origin;
    this.http = axios.create({
      baseURL: orgUrl,
      timeout: opts.timeoutMs ?? 15_000,
      validateStatus: () => true,
      // Okta answers JSON or nothing; keep the raw text to tell "empty" from "garbled".
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      maxRedirects: 0,
      headers: { 'user-agent': opts.userAgent ?? 'access-bridge' },
    });
    this.auth = createAuthProvider(opts.auth, orgUrl, this.http);
    // A second's worth of burst: a pause in the flow of calls is not lost capacity, and no 60 s window
    // goes more than that over the budget.
    this.budget = opts.callsPerMinute
      ? new CallBudget(opts.callsPerMinute, Math.max(1, Math.floor(opts.callsPerMinute / 60)))
      : undefined;
  }

  /** Never send credentials off the org's origin, whatever a Link header says. */
  private checkOrigin(url: string): void {
    if (/^https?:\/\//i.test(url) && new URL(url).origin !== this.origin)
      throw new VendorError({
        vendor: 'okta',
        type: 'VALIDATION',
        message: `refusing to follow a URL outside the Okta org (${new URL(url).origin})`,
      });
  }

  private pathOf(url: string): string {
    return /^https?:\/\//i.test(url) ? new URL(url).pathname : url.split('?')[0]!;
  }

  async request<S extends z.ZodType>(
    spec: RequestSpec,
    schema: S | undefined,
  ): Promise<Response<z.infer<S>>> {
    this.checkOrigin(spec.url);
    const path = this.pathOf(spec.url);
    const bucket = bucketKey(spec.method, path);
    await this.throttle(bucket);
    let res = await this.send(spec, path);
    if (res.status === 401 && this.auth.kind === 'oauth') {
      // The token may have been revoked or the server restarted: one fresh token, one more try.
      this.auth.invalidate();
      res = await this.send(spec, path);
    }
    this.noteRateLimit(bucket, res);
    const headers = Object.fromEntries(
      Object.entries(res.headers).map(([k, v]) => [
        k.toLowerCase(),
        Array.isArray(v) ? v.join(', ') : String(v),
      ]),
    );
    const requestId = headers['x-okta-request-id'];
    this.opts.logger?.debug({ method: spec.method, path, status: res.status, requestId }, 'okta call');
    if (res.status < 200 || res.status >= 300) throw this.toError(spec.method, path, res, headers);
    const next = nextLink(res.headers.link as string | string[] | undefined);
    const text = typeof res.data === 'string' ? res.data : '';
    if (!schema) return { data: undefined as z.infer<S>, status: res.status, headers, next };
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw this.unexpected(spec.method, path, res.status, requestId, 'body is not JSON');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw this.unexpected(
        spec.method,
        path,
        res.status,
        requestId,
        parsed.error.issues[0]?.message ?? 'parse failed',
      );
    return { data: parsed.data, status: res.status, headers, next };
  }

  private async send(spec: RequestSpec, path: string): Promise<AxiosResponse<string>> {
    const authorization = await this.auth.header();
    await this.budget?.take();
    try {
      return await this.http.request<string>({
        method: spec.method,
        url: spec.url,
        params: spec.params,
        data: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        headers: {
          authorization,
          accept: 'application/json',
          ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      });
    } catch (err) {
      const code = axios.isAxiosError(err) ? err.code : undefined;
      const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
      throw new VendorError({
        vendor: 'okta',
        type: 'VENDOR_UNAVAILABLE',
        message: `Okta ${spec.method} ${path} ${timedOut ? 'timed out' : 'failed on the network'}${code ? ` (${code})` : ''}`,
        method: spec.method.toUpperCase(),
        path,
        outcomeUnknown: outcomeUnknownFor(code),
      });
    }
  }

  private retryAfterMs(headers: { [k: string]: unknown }): number | undefined {
    const reset = Number(headers['x-rate-limit-reset']);
    if (!Number.isFinite(reset) || reset <= 0) return undefined;
    // Okta's advice (and its SDK): Reset epoch seconds minus the response's own Date, so clock skew
    // between us and Okta cancels out.
    const rawDate = headers.date;
    const date = typeof rawDate === 'string' ? Date.parse(rawDate) : NaN;
    const now = Number.isNaN(date) ? Date.now() : date;
    return Math.max(0, reset * 1000 - now);
  }

  private noteRateLimit(bucket: string, res: AxiosResponse): void {
    const limit = Number(res.headers['x-rate-limit-limit']);
    const remaining = Number(res.headers['x-rate-limit-remaining']);
    if (!Number.isFinite(limit) || !Number.isFinite(remaining) || limit <= 0) return;
    const ratio = this.opts.lowRemainingRatio ?? 0.05;
    if (remaining > Math.max(0, Math.floor(limit * ratio))) return;
    const wait = this.retryAfterMs(res.headers);
    if (wait === undefined || wait > (this.opts.maxThrottleWaitMs ?? 60_000)) return;
    this.pausedUntil.set(bucket, Date.now() + wait);
    this.opts.logger?.debug(
      { bucket, remaining, limit, waitMs: wait },
      'okta rate budget low: pausing bucket',
    );
  }

  private async throttle(bucket: string): Promise<void> {
    const until = this.pausedUntil.get(bucket);
    if (until === undefined) return;
    this.pausedUntil.delete(bucket);
    const wait = until - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  private toError(
    method: string,
    path: string,
    res: AxiosResponse,
    headers: Record<string, string>,
  ): VendorError {
    let body: z.infer<typeof ZOktaErrorBody> | undefined;
    try {
      const parsed = ZOktaErrorBody.safeParse(JSON.parse(String(res.data)));
      if (parsed.success) body = parsed.data;
    } catch {
      // Not JSON (a proxy's HTML page): the status alone decides.
    }
    const causes = (body?.errorCauses ?? []).map((c) => {
      const m = /^([\w.]+):\s*(.*)$/.exec(c.errorSummary);
      return m ? { field: m[1]!, message: m[2]! } : { message: c.errorSummary };
    });
    let type: VendorErrorType = errorTypeForStatus(res.status);
    if (body?.errorCode === 'E0000001' && causes.some((c) => /already exists/i.test(c.message)))
      type = 'CONFLICT';
    return new VendorError({
      vendor: 'okta',
      type,
      message: `Okta ${method.toUpperCase()} ${path} failed: ${res.status}${body ? ` ${body.errorCode} ${body.errorSummary}` : ''}`,
      status: res.status,
      vendorCode: body?.errorCode,
      summary: body?.errorSummary,
      causes,
      retryAfterMs: res.status === 429 ? this.retryAfterMs(headers) : undefined,
      requestId: headers['x-okta-request-id'],
      method: method.toUpperCase(),
      path,
    });
  }

  private unexpected(
    method: string,
    path: string,
    status: number,
    requestId: string | undefined,
    why: string,
  ) {
    return new VendorError({
      vendor: 'okta',
      type: 'UNEXPECTED_RESPONSE',
      message: `Okta ${method.toUpperCase()} ${path} answered ${status} with an unexpected body: ${why}`,
      status,
      requestId,
      method: method.toUpperCase(),
      path,
    });
  }
}
