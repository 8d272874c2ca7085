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
   * A path prefix (`/api/v1/users`, `/api/v1/groups/`), or an anchored regular expression between slashes
   * (`/^\/api\/v2\/tickets\/\d+$/`): only a body starting with `^` is read as a regex, so plain paths
   * that happen to have three segments stay prefixes. See compileFaultPath.
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

/** A call a rule matched, whatever became of it. */
export type MatchedFault = { id: number; kind: TFaultRule['kind']; method: string; path: string };

/**
 * A fault that took effect. `status`, `latency` and `timeout` take effect when the call matches; a
 * `drop-response` only once the handler committed and answered 2xx (`status`) and that answer was lost,
 * with the body it would have carried (`response`, when it was JSON) so a test can look for the artifact a
 * retry could duplicate.
 */
export type AppliedFault = MatchedFault & { status?: number; response?: unknown };

/** Response header carrying the rule id on every answer a `status` fault rendered. */
export const FAULT_HEADER = 'x-sandbox-fault';

/**
 * A rule's path as a matcher. `/^…$/flags` is a regular expression; anything else is a literal prefix that
 * ends at a segment boundary: `/api/v1/users` matches `/api/v1/users`, `/api/v1/users/00u1/lifecycle/suspend`
 * and `/api/v1/users?limit=2`, never `/api/v1/usersX`; a prefix ending in `/` (`/api/v1/groups/`, `/`)
 * matches every path that starts with it. Nothing in a literal path is special.
 */
export function compileFaultPath(path: string): (p: string) => boolean {
  const re = /^\/(\^.+)\/([dgimsuy]*)$/.exec(path);
  if (re?.[1]) {
    const regex = new RegExp(re[1], re[2]);
    return (p) => regex.test(p);
  }
  if (path.endsWith('/')) return (p) => p.startsWith(path);
  return (p) => p === path || p.startsWith(`${path}/`) || p.startsWith(`${path}?`);
}

/** Where rule ids come from: a sandbox with a data file persists them, so a restart never reuses one. */
export type FaultRuleIds = { next(): number };

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private lastId = 0;
  /** Every fault that took effect, for tests and reports (see AppliedFault for when a drop counts). */
  readonly applied: AppliedFault[] = [];
  /** Every call a rule matched, including lost-response candidates whose handler refused (not applied). */
  readonly matched: MatchedFault[] = [];
  /** While paused, rules stay listed but no call is faulted (a test's "fault switched off" run). */
  paused = false;

  /** Without `ids`, rule ids count from 1 in memory. */
  constructor(private readonly ids?: FaultRuleIds) {}

  add(input: FaultRuleInput): { id: number } {
    const rule = ZFaultRule.parse(input);
    const matcher = compileFaultPath(rule.path);
    const id = this.ids ? this.ids.next() : ++this.lastId;
    this.rules.push({ ...rule, id, remaining: rule.times, matcher });
    return { id };
  }

  list(): Omit<ActiveRule, 'matcher'>[] {
    return this.rules.map(({ matcher: _m, ...r }) => r);
  }

  clear(): void {
    this.rules = [];
  }

  private take(method: string, path: string): ActiveRule | undefined {
    if (this.paused) return undefined;
    const rule = this.rules.find((r) => (r.method === '*' || r.method === method) && r.matcher(path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    this.matched.push({ id: rule.id, kind: rule.kind, method, path });
    if (rule.kind !== 'drop-response') this.applied.push({ id: rule.id, kind: rule.kind, method, path });
    return rule;
  }

  /**
   * A lost-response candidate whose handler did not commit (it answered 4xx/5xx) hands its turn back, so
   * `times: n` always means n committed changes whose answers were lost.
   */
  private giveBack(rule: ActiveRule): void {
    rule.remaining += 1;
    if (!this.rules.includes(rule)) {
      this.rules.push(rule);
      this.rules.sort((a, b) => a.id - b.id);
    }
  }

  /** Must run before the vendor routes (and after the admin routes, which are never faulted). */
  middleware(render: FaultRenderer): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const rule = this.take(req.method, req.path);
      if (!rule) return next();
      switch (rule.kind) {
        case 'status': {
          for (const [k, v] of Object.entries(rule.headers ?? {})) res.setHeader(k, v);
          // Tells a test's counting proxy an injected error from one the sandbox itself gave (a rate limit).
          res.setHeader(FAULT_HEADER, String(rule.id));
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
          this.dropCommittedResponse(rule, req, res);
          next();
          return;
        }
      }
    };
  }

  /**
   * Lets the handler run; the first answer it sends decides. A 2xx means the change is committed: the
   * answer is lost on the wire and the fault is applied. Anything else (a validation error, a 404) did not
   * commit, so it reaches the caller untouched and the rule waits for the next matching call.
   */
  private dropCommittedResponse(rule: ActiveRule, req: Request, res: Response): void {
    // Only ever put back on (and called with) this same response, so `this` stays bound right.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const originals = { json: res.json, send: res.send, end: res.end, sendStatus: res.sendStatus };
    const restore = () => Object.assign(res, originals);
    const entry = { id: rule.id, kind: rule.kind, method: req.method, path: req.path };
    const intercept =
      <K extends keyof typeof originals>(name: K, statusOf: (args: unknown[]) => number) =>
      (...args: unknown[]): Response => {
        const status = statusOf(args);
        restore();
        if (status >= 200 && status < 300) {
          this.applied.push({ ...entry, status, ...(name === 'json' ? { response: args[0] } : {}) });
          req.socket.destroy();
          return res;
        }
        this.giveBack(rule);
        return (originals[name] as (...a: unknown[]) => Response).apply(res, args);
      };
    const current = () => res.statusCode;
    res.json = intercept('json', current) as Response['json'];
    res.send = intercept('send', current) as Response['send'];
    res.end = intercept('end', current) as Response['end'];
    res.sendStatus = intercept('sendStatus', (args) => Number(args[0])) as Response['sendStatus'];
  }
}
