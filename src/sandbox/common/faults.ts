// Fault injection for the sandboxes: the next N calls matching a method and path fail the way real
// vendors fail (an error status, latency, a timeout, or the change committed but the response lost), so
// tests prove retries and idempotency against the real wire path instead of mocks.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';

export const ZFaultRule = z.object({
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .default('*'),
  /**
   * A path prefix (`/api/v1/users`), or an anchored regular expression between slashes
   * (`/^\/api\/v2\/tickets\/\d+$/`): only a body starting with `^` is read as a regex, so plain paths
   * that happen to have three segments stay prefixes.
   */
  path: z.string().min(1),
  kind: z.enum(['status', 'latency', 'timeout', 'drop-response']),
  /** How many matching calls this rule affects. */
  times: z.number().int().min(1).max(100_000).default(1),
  status: z.number().int().min(400).max(599).optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  /** Extra response headers for `status` faults (e.g. Retry-After). */
  headers: z.record(z.string(), z.string()).optional(),
});
export type TFaultRule = z.infer<typeof ZFaultRule>;
export type FaultRuleInput = z.input<typeof ZFaultRule>;

type ActiveRule = TFaultRule & { id: number; remaining: number; matcher: (path: string) => boolean };

/** Renders an error in the vendor's own format for a `status` fault. */
export type FaultRenderer = (res: Response, status: number, req: Request) => void;

function compileMatcher(path: string): (p: string) => boolean {
  const re = /^\/(\^.+)\/([dgimsuy]*)$/.exec(path);
  if (re?.[1]) {
    const regex = new RegExp(re[1], re[2]);
    return (p) => regex.test(p);
  }
  return (p) =>
    p === path || p.startsWith(path.endsWith('/') ? path : `${path}/`) || p.startsWith(`${path}?`);
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  /** Every fault applied, for tests and reports. */
  readonly applied: { id: number; kind: TFaultRule['kind']; method: string; path: string }[] = [];

  add(input: FaultRuleInput): { id: number } {
    const rule = ZFaultRule.parse(input);
    const id = this.nextId++;
    this.rules.push({ ...rule, id, remaining: rule.times, matcher: compileMatcher(rule.path) });
    return { id };
  }

  list(): Omit<ActiveRule, 'matcher'>[] {
    return this.rules.map(({ matcher: _m, ...r }) => r);
  }

  clear(): void {
    this.rules = [];
  }

  private take(method: string, path: string): ActiveRule | undefined {
    const rule = this.rules.find((r) => (r.method === '*' || r.method === method) && r.matcher(path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    this.applied.push({ id: rule.id, kind: rule.kind, method, path });
    return rule;
  }

  /** Must run before the vendor routes (and after the admin routes, which are never faulted). */
  middleware(render: FaultRenderer): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const rule = this.take(req.method, req.path);
      if (!rule) return next();
      switch (rule.kind) {
        case 'status': {
          for (const [k, v] of Object.entries(rule.headers ?? {})) res.setHeader(k, v);
          render(res, rule.status ?? 500, req);
          return;
        }
        case 'latency': {
          setTimeout(next, rule.latencyMs ?? 1000);
          return;
        }
        case 'timeout': {
          // Hold the request without running it, then drop the connection: the caller sees a timeout.
          setTimeout(() => req.socket.destroy(), rule.latencyMs ?? 30_000);
          return;
        }
        case 'drop-response': {
          // Let the handler commit the change, then lose the response on the wire.
          const drop = () => {
            req.socket.destroy();
            return res;
          };
          res.json = drop as Response['json'];
          res.send = drop as Response['send'];
          res.end = drop as Response['end'];
          res.sendStatus = drop as Response['sendStatus'];
          next();
          return;
        }
      }
    };
  }
}
