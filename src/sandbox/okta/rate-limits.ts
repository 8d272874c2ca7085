// Okta's rate limiting for the sandbox: requests map to buckets by method and path (exact path first, then
// the longest prefix, API-CONTRACTS.md §3), each bucket counts per window, and a concurrency cap applies to
// the whole org. Responses carry X-Rate-Limit-Limit/Remaining/Reset; over the limit is 429 E0000047.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { ConcurrencyGauge, WindowRateLimiter } from '../common/rate-limit';
import { oktaErrors, sendOktaError } from './errors';

export const OKTA_RATE_BUCKETS = [
  'users.list',
  'users.create',
  'users.get',
  'users.mutate',
  'groups',
  'groups.id',
  'apps',
  'apps.id',
  'logs',
  'governance',
  'oauth.token',
  'default',
] as const;
export type OktaRateBucket = (typeof OKTA_RATE_BUCKETS)[number];

/** Last published Workforce per-minute limits; governance and the token endpoint are not published (UNCONFIRMED). */
export const WORKFORCE_LIMITS: Record<OktaRateBucket, number> = {
  'users.list': 600,
  'users.create': 600,
  'users.get': 2000,
  'users.mutate': 600,
  groups: 500,
  'groups.id': 1000,
  apps: 100,
  'apps.id': 500,
  logs: 120,
  governance: 600,
  'oauth.token': 600,
  default: 1200,
};

export const ZRateLimitSettings = z.object({
  /** Per-bucket per-window limits; 0 means unlimited. */
  limits: z.partialRecord(z.enum(OKTA_RATE_BUCKETS), z.number().int().min(0)).optional(),
  /** Simultaneous requests per org (75 on Workforce); 0 means unlimited. */
  concurrency: z.number().int().min(0).optional(),
});
export type OktaRateLimitSettings = z.infer<typeof ZRateLimitSettings>;

const RULES: { bucket: OktaRateBucket; methods?: string[]; re: RegExp }[] = [
  { bucket: 'users.list', methods: ['GET'], re: /^\/api\/v1\/users\/?$/ },
  { bucket: 'users.create', methods: ['POST'], re: /^\/api\/v1\/users\/?$/ },
  { bucket: 'users.get', methods: ['GET'], re: /^\/api\/v1\/users\/[^/]+\/?$/ },
  { bucket: 'users.mutate', methods: ['POST', 'PUT', 'DELETE'], re: /^\/api\/v1\/users\/[^/]+(\/.*)?$/ },
  { bucket: 'groups', re: /^\/api\/v1\/groups\/?$/ },
  { bucket: 'groups.id', re: /^\/api\/v1\/groups\/[^/]+(\/.*)?$/ },
  { bucket: 'apps.id', re: /^\/api\/v1\/apps\/[^/]+\/?$/ },
  { bucket: 'apps', re: /^\/api\/v1\/apps(\/.*)?$/ },
  { bucket: 'logs', re: /^\/api\/v1\/logs(\/.*)?$/ },
  { bucket: 'governance', re: /^\/governance\// },
  { bucket: 'oauth.token', re: /^\/oauth2\/v1\/token\/?$/ },
];

export function bucketFor(method: string, path: string): OktaRateBucket {
  for (const r of RULES) if ((!r.methods || r.methods.includes(method)) && r.re.test(path)) return r.bucket;
  return 'default';
}

export class OktaRateLimiter {
  private limits: Record<OktaRateBucket, number>;
  private readonly windows: WindowRateLimiter;
  readonly gauge: ConcurrencyGauge;

  constructor(
    settings: OktaRateLimitSettings = {},
    private readonly windowMs = 60_000,
    private readonly onViolation?: (bucket: OktaRateBucket | 'concurrency', req: Request) => void,
  ) {
    this.limits = { ...WORKFORCE_LIMITS, ...settings.limits };
    this.windows = new WindowRateLimiter(windowMs);
    this.gauge = new ConcurrencyGauge(settings.concurrency ?? 75);
  }

  configure(settings: OktaRateLimitSettings): void {
    this.limits = { ...this.limits, ...settings.limits };
    if (settings.concurrency !== undefined) this.gauge.max = settings.concurrency;
    this.windows.reset();
  }

  settings(): { limits: Record<OktaRateBucket, number>; concurrency: number; windowMs: number } {
    return { limits: { ...this.limits }, concurrency: this.gauge.max, windowMs: this.windowMs };
  }

  resetWindows(): void {
    this.windows.reset();
  }

  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      if (!this.gauge.enter()) {
        // Okta's concurrency 429 carries Limit 0 / Remaining 0 and an estimated reset.
        res.setHeader('X-Rate-Limit-Limit', '0');
        res.setHeader('X-Rate-Limit-Remaining', '0');
        res.setHeader('X-Rate-Limit-Reset', String(Math.ceil((Date.now() + 1000) / 1000)));
        this.onViolation?.('concurrency', req);
        return sendOktaError(res, oktaErrors.rateLimited());
      }
      let left = false;
      const leave = () => {
        if (!left) this.gauge.leave();
        left = true;
      };
      res.once('finish', leave);
      res.once('close', leave);
      const bucket = bucketFor(req.method, req.path);
      const limit = this.limits[bucket];
      const w = this.windows.take(bucket, limit);
      if (limit > 0) {
        res.setHeader('X-Rate-Limit-Limit', String(w.limit));
        res.setHeader('X-Rate-Limit-Remaining', String(w.remaining));
        res.setHeader('X-Rate-Limit-Reset', String(Math.ceil(w.resetAtMs / 1000)));
      }
      if (!w.allowed) {
        this.onViolation?.(bucket, req);
        return sendOktaError(res, oktaErrors.rateLimited());
      }
      next();
    };
  }
}
