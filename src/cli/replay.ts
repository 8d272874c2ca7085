// `npm run cli -- replay`: replays recorded workflow histories against the current workflow code, the check
// to run before deploying a workflow change (DESIGN.md section 7). A determinism error means the change
// needs `patched()`; a clean replay means running workflows will resume on the new code.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Client, HistoryAndWorkflowId } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { z } from 'zod';
import { prebuiltWorkflowBundle } from '../worker';
import { CAPABILITY_CONTRACTS } from '../workflows/contracts';
import { historyFromJson } from './history-json';
import {
  commandConfig,
  errorMessage,
  EXIT,
  parseCommandArgs,
  parseOptions,
  UsageError,
  wholeNumberOption,
  withTemporal,
  type CliIo,
} from './io';

/** The workflow types whose runs carry access decisions, from the capabilities' contracts. */
export const ACCESS_WORKFLOW_TYPES = CAPABILITY_CONTRACTS.filter((c) => c.audited).map((c) => c.workflowType);
export const DEFAULT_REPLAY_QUERY = `WorkflowType IN (${ACCESS_WORKFLOW_TYPES.map((t) => `'${t}'`).join(',')})`;

export const REPLAY_USAGE = `Usage: npm run cli -- replay [--workflow-id ID ...] [--query "<visibility query>"] [--limit N]
       npm run cli -- replay --file history.json

Replays workflow histories against the current workflow code and prints one line per run:
  ok  <workflowId> <runId>
  DETERMINISM ERROR  <workflowId> <runId>: <message>
Exit 1 when any replay fails.

Options:
  --workflow-id ID       the latest run of this workflow (repeatable)
  --query Q              every run matching a visibility query
                         (default: ${DEFAULT_REPLAY_QUERY})
  --limit N              at most N runs from the query (default 100)
  --file PATH            a history JSON exported from the Temporal UI or \`temporal workflow show -o json\`
  --workflows-path PATH  replay against another workflows module (default: src/workflows, or the
                         prebuilt bundle when running from dist/)
  -h, --help             this help
`;

export type WorkflowSource = { workflowsPath: string } | { workflowBundlePath: string };

export type ReplayOutcome = { workflowId: string; runId: string; error?: { kind: string; message: string } };

/** The code to replay against: an explicit module, else the deployed bundle, else src/workflows. */
export function defaultWorkflowSource(): WorkflowSource {
  const bundle = prebuiltWorkflowBundle();
  return bundle ? { workflowBundlePath: bundle } : { workflowsPath: require.resolve('../workflows') };
}

/** Replays every history; never throws for a failed replay, which is reported in its outcome. */
export async function replayHistories(
  histories: AsyncIterable<HistoryAndWorkflowId> | Iterable<HistoryAndWorkflowId>,
  source: WorkflowSource,
  onResult?: (outcome: ReplayOutcome) => void,
): Promise<ReplayOutcome[]> {
  const options: ReplayWorkerOptions =
    'workflowBundlePath' in source
      ? { workflowBundle: { codePath: source.workflowBundlePath } }
      : { workflowsPath: source.workflowsPath };
  const outcomes: ReplayOutcome[] = [];
  for await (const result of Worker.runReplayHistories(options, histories)) {
    const outcome: ReplayOutcome = { workflowId: result.workflowId, runId: result.runId };
    if (result.error) {
      outcome.error = {
        kind: result.error instanceof DeterminismViolationError ? 'DETERMINISM ERROR' : 'REPLAY ERROR',
        message: result.error.message,
      };
    }
    outcomes.push(outcome);
    onResult?.(outcome);
  }
  return outcomes;
}

export function formatReplayOutcome(o: ReplayOutcome): string {
  const run = o.runId ? ` ${o.runId}` : '';
  return o.error
    ? `${o.error.kind}  ${o.workflowId}${run}: ${o.error.message}\n`
    : `ok  ${o.workflowId}${run}\n`;
}

const ZReplayArgs = z.object({
  workflowIds: z.array(
    z.string().min(1, '--workflow-id takes a workflow id, e.g. --workflow-id fs-ticket:42:access'),
  ),
  query: z
    .string()
    .min(1, `--query takes a visibility query, e.g. --query "${DEFAULT_REPLAY_QUERY}"`)
    .optional(),
  limit: wholeNumberOption('--limit', 1, 10_000).default(100),
  file: z.string().min(1, '--file takes a path, e.g. --file history.json').optional(),
  workflowsPath: z
    .string()
    .min(1, '--workflows-path takes a path, e.g. --workflows-path dist/workflows')
    .optional(),
});

/** The start of a history: which workflow ran, so the replay knows what code to run it against. */
const ZStartedEvent = z.looseObject({
  eventType: z.union(
    [z.literal('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED'), z.literal('WorkflowExecutionStarted'), z.literal(1)],
    {
      error: "must be EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: a history starts with the workflow's start",
    },
  ),
  workflowExecutionStartedEventAttributes: z.looseObject({
    workflowType: z.looseObject({
      name: z.string({ error: 'must name the workflow type' }).min(1, 'must name the workflow type'),
    }),
  }),
});

/**
 * A history file as `temporal workflow show --output json` or the Temporal UI writes it: events, each with
 * its id and type, the first the workflow's start. Checked before replay, so a wrong file is a usage error
 * naming the field, not an exception from inside the SDK.
 */
export const ZHistoryFile = z.looseObject({
  events: z
    .array(
      z.looseObject({
        eventId: z.union([z.string().regex(/^\d+$/, 'must be a number'), z.number().int().positive()], {
          error: 'must be the event\'s number, e.g. "1"',
        }),
        eventType: z.union([z.string().min(1), z.number().int()], { error: "must be the event's type" }),
      }),
      { error: "must be the list of the run's events" },
    )
    .min(1, 'must hold at least one event')
    .refine((events) => ZStartedEvent.safeParse(events[0]).success, {
      message: "must start with the workflow's WorkflowExecutionStarted event (with its workflow type)",
    }),
});

export async function runReplay(argv: string[], io: CliIo): Promise<number> {
  const raw = parseCommandArgs(argv, {
    'workflow-id': { type: 'string', multiple: true },
    query: { type: 'string' },
    limit: { type: 'string' },
    file: { type: 'string' },
    'workflows-path': { type: 'string' },
  });
  if (raw.help) {
    io.stdout(REPLAY_USAGE);
    return EXIT.ok;
  }
  const args = parseOptions(ZReplayArgs, {
    workflowIds: raw['workflow-id'] ?? [],
    query: raw.query,
    limit: raw.limit,
    file: raw.file,
    workflowsPath: raw['workflows-path'],
  });
  const sources = [args.workflowIds.length > 0, args.query !== undefined, args.file !== undefined];
  if (sources.filter(Boolean).length > 1) {
    throw new UsageError('use one of --workflow-id, --query or --file');
  }
  const source: WorkflowSource = args.workflowsPath
    ? { workflowsPath: resolve(args.workflowsPath) }
    : defaultWorkflowSource();
  const print = (o: ReplayOutcome) => io.stdout(formatReplayOutcome(o));

  let outcomes: ReplayOutcome[];
  if (args.file) {
    const history = readHistoryFile(args.file);
    outcomes = await replayHistories([{ workflowId: basename(args.file), history }], source, print);
  } else {
    const config = commandConfig(io);
    outcomes = await withTemporal(config, (client) =>
      replayHistories(
        args.workflowIds.length > 0
          ? historiesOf(client, args.workflowIds)
          : historiesMatching(client, args.query ?? DEFAULT_REPLAY_QUERY, args.limit),
        source,
        print,
      ),
    );
  }
  const failed = outcomes.filter((o) => o.error).length;
  io.stderr(`replayed ${outcomes.length} run(s), ${failed} failed\n`);
  return failed > 0 ? EXIT.failure : EXIT.ok;
}

function readHistoryFile(path: string): History {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--file ${path}: ${errorMessage(err)}`);
  }
  const checked = ZHistoryFile.safeParse(json);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = issue?.path.length ? issue.path.map(String).join('.') : '(file)';
    throw new UsageError(
      `--file ${path}: ${field} ${issue?.message ?? 'is not a workflow history'} (expected a history as \`temporal workflow show --output json\` writes it: {"events": [...]})`,
    );
  }
  try {
    return historyFromJson(json);
  } catch (err) {
    throw new UsageError(`--file ${path}: not a workflow history: ${errorMessage(err)}`);
  }
}

/** The latest run of each workflow ID. */
async function* historiesOf(client: Client, workflowIds: string[]): AsyncGenerator<HistoryAndWorkflowId> {
  for (const workflowId of workflowIds) {
    yield { workflowId, history: await client.workflow.getHandle(workflowId).fetchHistory() };
  }
}

async function* historiesMatching(
  client: Client,
  query: string,
  limit: number,
): AsyncGenerator<HistoryAndWorkflowId> {
  let n = 0;
  for await (const info of client.workflow.list({ query })) {
    if (n++ >= limit) return;
    const history = await client.workflow.getHandle(info.workflowId, info.runId).fetchHistory();
    yield { workflowId: info.workflowId, history };
  }
}
