// The bench's flags: every size and budget, parsed with node:util parseArgs and validated by zod, with
// defaults that finish the whole `npm run bench` within 15 minutes on the project's 2-core machine.
import { parseArgs } from 'node:util';
import { z } from 'zod';

const int = (def: number, min = 1) => z.coerce.number().int().min(min).default(def);

export const ZBenchOptions = z.object({
  deliveries: int(2000),
  intakeConcurrency: int(32),
  grants: int(300),
  budgetPerMinute: int(900, 60),
  /** 0: derived from grants and budget so no grant ends before all are moved to one end. */
  grantDurationSeconds: int(0, 0),
  waiting: int(4000),
  resumes: int(5),
  e2e: int(30),
  concurrency: int(32),
  only: z.string().optional(),
  resultsDir: z.string().optional(),
});
export type BenchOptions = z.infer<typeof ZBenchOptions>;

export const FLAGS = {
  deliveries: 'webhook deliveries (scenario 1)',
  'intake-concurrency': 'deliveries in flight (scenario 1)',
  grants: 'catalog requests approved at once (scenarios 2 and 3)',
  'budget-per-minute': 'Okta calls a minute (scenarios 2 and 3)',
  'grant-duration-seconds': 'how long each bulk grant lasts before all are moved to one end (0: derived)',
  waiting: 'workflows waiting on approval (scenario 4)',
  resumes: 'signals timed to completion (scenario 4)',
  e2e: 'OIG requests timed to their ticket (scenario 5)',
  concurrency: 'driver concurrency for setup calls',
  only: 'comma-separated scenarios: intake,bulk,waiting,e2e',
  'results-dir': 'where the JSON and Markdown reports go (default bench/results)',
} as const;

export function parseBenchArgs(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: 'string' as const }])),
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const camel = Object.fromEntries(
    Object.entries(values)
      .filter(([k]) => k !== 'help')
      .map(([k, v]) => [k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), v]),
  );
  return ZBenchOptions.parse(camel);
}

/** Okta calls per grant, measured (docs/BENCHMARKS.md): find the user, grant, read it back. */
const CALLS_PER_GRANT = 3;
/** Grants a second this 2-core machine sustains when the budget is not the limit, rounded down. */
const MACHINE_GRANTS_PER_SECOND = 5;

/** Long enough that no grant ends before the bench has moved every end to one moment, with margin. */
export function grantDurationSeconds(o: BenchOptions): number {
  if (o.grantDurationSeconds > 0) return o.grantDurationSeconds;
  const grantPhase = Math.max(
    (o.grants * CALLS_PER_GRANT) / (o.budgetPerMinute / 60),
    o.grants / MACHINE_GRANTS_PER_SECOND,
  );
  const extendPhase = o.grants / 20;
  return Math.ceil(1.3 * (grantPhase + extendPhase) + 30);
}
