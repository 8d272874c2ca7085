// Freshservice's per-minute, account-wide rate limits (API-CONTRACTS.md §8): an overall budget plus
// sub-limits for the ticket and people endpoints, `include=` surcharges, the X-RateLimit-* headers on
// every response and 429 with Retry-After (seconds) when a budget is spent.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { WindowRateLimiter } from '../common/rate-limit';
import { FsApiError, sendError } from './wire';

/** Per-minute limits; 0 means unlimited. Defaults: the Enterprise plan. */
export const ZRateLimits = z.strictObject({
  overall: z.number().int().min(0).default(500),
  listTickets: z.number().int().min(0).default(140),
  viewTicket: z.number().int().min(0).default(160),
  createTicket: z.number().int().min(0).default(160),
  updateTicket: z.number().int().min(0).default(160),
  listAgents: z.number().int().min(0).default(140),
  listRequesters: z.number().int().min(0).default(140),
});
export type TRateLimits = z.infer<typeof ZRateLimits>;
export type RateLimitsInput = z.input<typeof ZRateLimits>;

type Bucket = Exclude<keyof TRateLimits, 'overall'>;

/** The sub-limit a call counts against, if any (`path` is relative to /api/v2). */
export function bucketFor(method: string, path: string): Bucket | undefined {
  if (method === 'GET' && (path === '/tickets' || path === '/tickets/filter')) return 'listTickets';
  if (/^\/tickets\/\d+$/.test(path)) {
    if (method === 'GET') return 'viewTicket';
    if (method === 'PUT') return 'updateTicket';
  }
  if (method === 'POST' && path === '/tickets') return 'createTicket';
  if (method === 'GET' && path === '/agents') return 'listAgents';
  if (method === 'GET' && path === '/requesters') return 'listRequesters';
  return undefined;
}

/** `include=` costs 1 extra credit on a single ticket and 3 on a list. */
function extraCredits(req: Request, bucket: Bucket | undefined): number {
  if (typeof req.query.include !== 'string' || req.query.include === '') return 0;
  if (bucket === 'viewTicket') return 1;
  if (bucket === 'listTickets') return 3;
  return 0;
}

/**
 * Mounted on /api/v2. The headers report the tighter of the overall budget and the endpoint's sub-limit
 * (Freshservice documents the headers, not which budget they show when both apply).
 */
export function rateLimitMiddleware(limiter: WindowRateLimiter, limits: () => TRateLimits): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const l = limits();
    const bucket = bucketFor(req.method, req.path);
    const now = Date.now();
    const overall = limiter.take('overall', l.overall);
    let shown = overall;
    let allowed = overall.allowed;
    if (allowed && bucket) {
      const sub = limiter.take(bucket, l[bucket]);
      if (!sub.allowed || sub.remaining < overall.remaining) shown = sub;
      allowed = sub.allowed;
    }
    const extra = allowed ? extraCredits(req, bucket) : 0;
    for (let i = 0; i < extra; i++) limiter.take('overall', l.overall);
    const unlimited = shown.limit === Number.MAX_SAFE_INTEGER;
    if (!unlimited) {
      res.setHeader('X-RateLimit-Total', String(shown.limit));
      res.setHeader(
        'X-RateLimit-Remaining',
        String(Math.max(0, shown.remaining - (shown === overall ? extra : 0))),
      );
    }
    res.setHeader('X-RateLimit-Used-CurrentRequest', String(1 + extra));
    if (!allowed) {
      const retryAfter = Math.max(1, Math.ceil((shown.resetAtMs - now) / 1000));
      sendError(
        res,
        new FsApiError(
          429,
          'Too many requests',
          [
            {
              message: `You have exceeded the limit of requests per minute. Retry after ${retryAfter} seconds.`,
              code: 'rate_limit_exceeded',
            },
          ],
          { 'Retry-After': String(retryAfter) },
        ),
      );
      return;
    }
    next();
  };
}
