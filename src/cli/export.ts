// `npm run cli -- export`: the audit trail of access requests as CSV or JSON: one row per decision (who,
// when, through which channel, at which approval level, why) with the request it belongs to and its outcome.
// The workflows' `state` query is the source; a run whose state cannot be queried (no worker polls its
// task queue) still appears, from its search attributes, with stateAvailable=false.
import { writeFileSync } from 'node:fs';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import { nonExistentDateMessage } from '../policy/access';
import { contractOf } from '../workflows/contracts';
import {
  OktaRequestIdKey,
  OutcomeKey,
  RequesterEmailKey,
  ResourceNameKey,
  stateQuery,
  TicketIdKey,
  type AuditFields,
} from '../workflows/shared/contract';
import { toCsv } from './csv';
import {
  commandConfig,
  errorMessage,
  EXIT,
  parseCommandArgs,
  parseOptions,
  positiveNumberOption,
  withTemporal,
  type CliIo,
} from './io';
import { ACCESS_WORKFLOW_TYPES, DEFAULT_REPLAY_QUERY } from './replay';

/** "a, b and c". */
const listed = (names: string[]) =>
  names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names.join('');

export const EXPORT_USAGE = `Usage: npm run cli -- export [--format csv|json] [--since ISO] [--out FILE] [--query Q]

Exports the audit trail of ${listed(ACCESS_WORKFLOW_TYPES)} runs: one row
per decision, and one row (empty decision columns) for a run without decisions.

Options:
  --format csv|json        output format (default csv)
  --since ISO              only runs started at or after this instant, e.g. 2025-01-01 or 2025-01-01T00:00:00Z
  --out FILE               write to FILE instead of stdout
  --query Q                an extra visibility filter, ANDed, e.g. "ExecutionStatus = 'Completed'"
  --query-timeout SECONDS  how long to wait for each run's state query (default 10)
  -h, --help               this help
`;

export const AUDIT_COLUMNS = [
  'workflowId',
  'runId',
  'type',
  'status',
  'startTime',
  'closeTime',
  'ticketId',
  'oktaRequestId',
  'requesterEmail',
  'requestedForEmail',
  'resource',
  'decision',
  'by',
  'at',
  'channel',
  'level',
  'reason',
  'outcome',
  'stateAvailable',
] as const;

export type AuditColumn = (typeof AUDIT_COLUMNS)[number];
export type AuditRow = Record<AuditColumn, string | number | boolean | null>;

export type ExportOptions = {
  since?: Date;
  /** An extra visibility filter, ANDed with the workflow types. */
  query?: string;
  queryTimeoutMs?: number;
  /** Runs whose state is queried at once. */
  concurrency?: number;
};

export function exportQuery(opts: Pick<ExportOptions, 'since' | 'query'>): string {
  const parts = [DEFAULT_REPLAY_QUERY];
  if (opts.since) parts.push(`StartTime >= '${opts.since.toISOString()}'`);
  if (opts.query) parts.push(`(${opts.query})`);
  return parts.join(' AND ');
}

/** Every audit row of the matching runs, newest run first, decisions in the order they were taken. */
export async function collectAuditRows(client: Client, opts: ExportOptions = {}): Promise<AuditRow[]> {
  const runs: WorkflowExecutionInfo[] = [];
  for await (const info of client.workflow.list({ query: exportQuery(opts) })) runs.push(info);
  const concurrency = opts.concurrency ?? 8;
  const rows: AuditRow[][] = [];
  for (let i = 0; i < runs.length; i += concurrency) {
    const batch = runs.slice(i, i + concurrency);
    rows.push(
      ...(await Promise.all(
        batch.map(async (info) =>
          rowsOf(info, await queryState(client, info, opts.queryTimeoutMs ?? 10_000)),
        ),
      )),
    );
  }
  return rows.flat();
}

async function queryState(
  client: Client,
  info: WorkflowExecutionInfo,
  timeoutMs: number,
): Promise<AuditFields | undefined> {
  try {
    const raw = await client.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(info.workflowId, info.runId).query(stateQuery),
    );
    // Each capability's contract reads its own state; a run of an unknown type has none to read.
    return contractOf(info.type)?.auditFields(raw);
  } catch {
    // No worker for its task queue, or the query timed out: the row falls back to search attributes.
    return undefined;
  }
}

function rowsOf(info: WorkflowExecutionInfo, state: AuditFields | undefined): AuditRow[] {
  const sa = info.typedSearchAttributes;
  const ticketFromSa = sa.get(TicketIdKey);
  const base: AuditRow = {
    workflowId: info.workflowId,
    runId: info.runId,
    type: info.type,
    status: info.status.name,
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime?.toISOString() ?? null,
    ticketId: state?.ticketId ?? (ticketFromSa ? Number(ticketFromSa) : null),
    oktaRequestId: state?.oktaRequestId ?? sa.get(OktaRequestIdKey) ?? null,
    requesterEmail: state?.requesterEmail ?? sa.get(RequesterEmailKey) ?? null,
    requestedForEmail: state?.requestedForEmail ?? null,
    resource: state?.resource || sa.get(ResourceNameKey) || null,
    decision: null,
    by: null,
    at: null,
    channel: null,
    level: null,
    reason: null,
    outcome: state?.outcome ?? sa.get(OutcomeKey) ?? null,
    stateAvailable: state !== undefined,
  };
  const decisions = state?.decisions ?? [];
  if (decisions.length === 0) return [base];
  return decisions.map((d) => ({
    ...base,
    decision: d.decision,
    by: d.by,
    at: d.at,
    channel: d.channel,
    level: d.level ?? null,
    reason: d.reason ?? null,
  }));
}

const ZExportArgs = z.object({
  format: z.enum(['csv', 'json'], { error: '--format takes csv or json, e.g. --format json' }).default('csv'),
  since: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return undefined;
      const missing = nonExistentDateMessage('--since', s);
      if (missing) {
        ctx.addIssue({ code: 'custom', message: `${missing} (e.g. --since 2025-01-01)` });
        return z.NEVER;
      }
      const d = new Date(s);
      if (Number.isNaN(d.getTime())) {
        ctx.addIssue({
          code: 'custom',
          message:
            '--since takes an ISO date or instant, e.g. --since 2025-01-01 or --since 2025-01-01T00:00:00Z',
        });
        return z.NEVER;
      }
      return d;
    }),
  out: z.string().min(1, '--out takes a file path, e.g. --out audit.csv').optional(),
  query: z
    .string()
    .min(1, '--query takes a visibility query, e.g. --query "Outcome = \'granted\'"')
    .optional(),
  queryTimeout: positiveNumberOption('--query-timeout', 300, 10).default(10),
});

export async function runExport(argv: string[], io: CliIo): Promise<number> {
  const raw = parseCommandArgs(argv, {
    format: { type: 'string' },
    since: { type: 'string' },
    out: { type: 'string' },
    query: { type: 'string' },
    'query-timeout': { type: 'string' },
  });
  if (raw.help) {
    io.stdout(EXPORT_USAGE);
    return EXIT.ok;
  }
  const args = parseOptions(ZExportArgs, {
    format: raw.format,
    since: raw.since,
    out: raw.out,
    query: raw.query,
    queryTimeout: raw['query-timeout'],
  });
  const config = commandConfig(io);
  io.stderr(`listing runs: ${exportQuery(args)}\n`);
  const rows = await withTemporal(config, (client) =>
    collectAuditRows(client, {
      ...(args.since ? { since: args.since } : {}),
      ...(args.query ? { query: args.query } : {}),
      queryTimeoutMs: args.queryTimeout * 1000,
    }),
  );
  const text = args.format === 'json' ? JSON.stringify(rows, null, 2) + '\n' : toCsv(AUDIT_COLUMNS, rows);
  const unavailable = rows.filter((r) => !r.stateAvailable).length;
  if (args.out) {
    try {
      writeFileSync(args.out, text);
    } catch (err) {
      io.stderr(`cannot write ${args.out}: ${errorMessage(err)}\n`);
      return EXIT.failure;
    }
  } else {
    io.stdout(text);
  }
  io.stderr(
    `exported ${rows.length} row(s)${args.out ? ` to ${args.out}` : ''}` +
      (unavailable > 0 ? `; ${unavailable} without queryable state (search attributes only)` : '') +
      '\n',
  );
  return EXIT.ok;
}
