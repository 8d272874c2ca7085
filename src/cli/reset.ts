// `npm run cli -- reset`: restarts a failed or stuck run from a point in its history (after a fix is
// deployed), through Temporal's ResetWorkflowExecution. The current run is terminated and a new run
// replays up to the reset point; signals received after it are reapplied. A reason is mandatory: it is
// recorded in the history for whoever reads it later.
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { z } from 'zod';
import {
  commandConfig,
  EXIT,
  parseCommandArgs,
  parseOptions,
  UsageError,
  wholeNumberOption,
  withTemporal,
  type CliIo,
} from './io';

export const RESET_USAGE = `Usage: npm run cli -- reset --workflow-id ID [--run-id RUN] (--to-last-workflow-task | --event-id N) --reason "..."

Resets a workflow run: terminates it and starts a new run from the chosen point of its history.
Prints the new run id on stdout.

Options:
  --workflow-id ID           the workflow to reset
  --run-id RUN               the run to reset (default: the current run)
  --to-last-workflow-task    reset to the last completed workflow task
  --event-id N               reset to this WorkflowTaskCompleted (or Failed/TimedOut/Started) event
  --reason TEXT              why; recorded in the history (required)
  -h, --help                 this help
`;

/** temporal.api.enums.v1.EventType values (stable on the wire) of the events a reset may target. */
const WORKFLOW_TASK_EVENT_TYPES: Record<number, string> = {
  6: 'WorkflowTaskStarted',
  7: 'WorkflowTaskCompleted',
  8: 'WorkflowTaskTimedOut',
  9: 'WorkflowTaskFailed',
};
const EVENT_TYPE_WORKFLOW_TASK_COMPLETED = 7;

const ZResetArgs = z
  .object({
    workflowId: z
      .string({ error: '--workflow-id is required, e.g. --workflow-id fs-ticket:42:access' })
      .min(1, '--workflow-id is required, e.g. --workflow-id fs-ticket:42:access'),
    runId: z.string().min(1, '--run-id takes a run id, e.g. --run-id 0195…').optional(),
    toLastWorkflowTask: z.boolean().default(false),
    eventId: wholeNumberOption('--event-id', 1).optional(),
    reason: z
      .string({ error: '--reason is required: say why the run is reset' })
      .trim()
      .min(1, '--reason is required: say why the run is reset'),
  })
  .refine((a) => a.toLastWorkflowTask !== (a.eventId !== undefined), {
    message: 'choose exactly one of --to-last-workflow-task or --event-id N',
  });

export type ResetRequest = {
  workflowId: string;
  runId?: string;
  /** undefined: the last completed workflow task. */
  eventId?: number;
  reason: string;
};

export type ResetResult = { workflowId: string; resetRunId: string; eventId: number; newRunId: string };

export async function resetWorkflow(client: Client, req: ResetRequest): Promise<ResetResult> {
  const runId = req.runId ?? (await client.workflow.getHandle(req.workflowId).describe()).runId;
  const target = await resetPoint(client, req.workflowId, runId, req.eventId);
  const response = await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId: req.workflowId, runId },
    reason: req.reason,
    workflowTaskFinishEventId: target,
    requestId: randomUUID(),
  });
  return {
    workflowId: req.workflowId,
    resetRunId: runId,
    eventId: Number(target.toString()),
    newRunId: response.runId,
  };
}

type EventId = NonNullable<HistoryEvent['eventId']>;
type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/**
 * The event to reset to, checked against the run's history so a wrong id fails here with a clear message:
 * the given workflow-task event, or the last completed workflow task.
 */
async function resetPoint(
  client: Client,
  workflowId: string,
  runId: string,
  eventId: number | undefined,
): Promise<EventId> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const events = history.events ?? [];
  if (eventId !== undefined) {
    const event = events.find((e) => e.eventId != null && Number(e.eventId.toString()) === eventId);
    if (!event?.eventId) throw new UsageError(`${workflowId} (run ${runId}) has no event ${eventId}`);
    if (!WORKFLOW_TASK_EVENT_TYPES[event.eventType ?? 0]) {
      throw new UsageError(
        `event ${eventId} is not a workflow task event; choose one of type ${Object.values(WORKFLOW_TASK_EVENT_TYPES).join(', ')}`,
      );
    }
    return event.eventId;
  }
  const last = [...events]
    .reverse()
    .find((e) => Number(e.eventType) === EVENT_TYPE_WORKFLOW_TASK_COMPLETED && e.eventId != null);
  if (!last?.eventId) {
    throw new Error(`${workflowId} (run ${runId}) has no completed workflow task to reset to`);
  }
  return last.eventId;
}

export async function runReset(argv: string[], io: CliIo): Promise<number> {
  const raw = parseCommandArgs(argv, {
    'workflow-id': { type: 'string' },
    'run-id': { type: 'string' },
    'to-last-workflow-task': { type: 'boolean' },
    'event-id': { type: 'string' },
    reason: { type: 'string' },
  });
  if (raw.help) {
    io.stdout(RESET_USAGE);
    return EXIT.ok;
  }
  const args = parseOptions(ZResetArgs, {
    workflowId: raw['workflow-id'],
    runId: raw['run-id'],
    toLastWorkflowTask: raw['to-last-workflow-task'],
    eventId: raw['event-id'],
    reason: raw.reason,
  });
  const config = commandConfig(io);
  const result = await withTemporal(config, (client) =>
    resetWorkflow(client, {
      workflowId: args.workflowId,
      ...(args.runId ? { runId: args.runId } : {}),
      ...(args.eventId !== undefined ? { eventId: args.eventId } : {}),
      reason: args.reason,
    }),
  );
  io.stderr(
    `reset ${result.workflowId} run ${result.resetRunId} to event ${result.eventId}; new run ${result.newRunId}\n`,
  );
  io.stdout(`${result.newRunId}\n`);
  return EXIT.ok;
}
