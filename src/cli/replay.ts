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
  UsageError,
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
  workflowIds: z.array(z.string().min(1, '--workflow-id must not be empty')),
  query: z.string().min(1, '--query must not be empty').optional(),
  limit: z.coerce.number().int().min(1, '--limit must be at least 1').max(10_000).default(100),
  file: z.string().min(1).optional(),
  workflowsPath: z.string().min(1).optional(),
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
  const parsed = ZReplayArgs.safeParse({
    workflowIds: raw['workflow-id'] ?? [],
    query: raw.query,
    limit: raw.limit,
    file: raw.file,
    workflowsPath: raw['workflows-path'],
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
  const args = parsed.data;
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
  return historyFromJson(json);
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
