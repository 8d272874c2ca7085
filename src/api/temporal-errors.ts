// How the API turns Temporal client failures into HTTP answers, in one place for webhooks and admin routes:
// an unreachable or overloaded Temporal is 503 with Retry-After (the sender retries, nothing was applied),
// a missing workflow is 404, a rejected update is 409; anything else stays a 500 from the error middleware.
// An accepted update still running when the wait ends is none of these: the caller answers 202.
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
  type Client,
  type WorkflowUpdateHandle,
} from '@temporalio/client';
import { AppError } from './errors';

/** What we ask senders to wait before retrying while Temporal is unreachable. */
export const TEMPORAL_RETRY_AFTER_SECONDS = 5;

/**
 * How long a call may take: `rpcMs` is the gRPC deadline of each RPC, `budgetMs` the most the caller
 * waits in all. The client's default retry interceptor sleeps between attempts (100 ms x 1.7^n, +-20 %
 * jitter) without looking at the deadline, so a call can outlive its RPC deadline by one sleep. A 1.4 s
 * deadline ends even a refused connection's retries by about 2.2 s, inside Okta's 3 s; the budget is a
 * timer that answers in time whatever happens (a call still running then ends on its own deadline).
 */
export type TemporalDeadline = { rpcMs: number; budgetMs: number };

/** Webhooks: a hung or unreachable Temporal is a 503 before Okta gives up at 3 s. */
export const WEBHOOK_DEADLINE: TemporalDeadline = { rpcMs: 1400, budgetMs: 2500 };

/** Admin reads (describe, query) answer an operator waiting at a terminal. */
export const ADMIN_READ_DEADLINE: TemporalDeadline = { rpcMs: 1400, budgetMs: 3000 };

/**
 * Admin updates wait for the workflow's worker to accept them (run the validator), so they get longer;
 * an update not accepted by then is a 503: nothing is known to have taken it.
 */
export const ADMIN_UPDATE_DEADLINE: TemporalDeadline = { rpcMs: 4400, budgetMs: 8000 };

/**
 * How long an admin update's POST then waits for the handler's result. A handler may outlive it (a
 * revocation re-reads Okta for half a minute): the POST then answers 202 with where to follow the update.
 */
export const ADMIN_UPDATE_RESULT_WAIT_MS = ADMIN_UPDATE_DEADLINE.budgetMs;

/** How long a poll of an accepted update waits for its result before answering that it still runs. */
export const ADMIN_UPDATE_POLL_WAIT_MS = 1000;

// gRPC status codes meaning "not now, try again": UNAVAILABLE (no connection), DEADLINE_EXCEEDED (our
// deadline passed), RESOURCE_EXHAUSTED (the server's rate limits).
const RETRYABLE_GRPC_CODES = new Set([14, 4, 8]);

function* causes(err: unknown): Generator<unknown> {
  let current = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    yield current;
    current = current instanceof Error ? current.cause : undefined;
  }
}

/** True when the error (or one of its causes) says Temporal could not be reached in time. */
export function isTemporalUnavailable(err: unknown): boolean {
  for (const e of causes(err)) {
    if (isGrpcServiceError(e) && RETRYABLE_GRPC_CODES.has(e.code)) return true;
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  }
  return false;
}

export function temporalUnavailable(message = 'Temporal is unreachable; retry later'): AppError {
  return new AppError('TEMPORAL_UNAVAILABLE', message, { retryAfterSeconds: TEMPORAL_RETRY_AFTER_SECONDS });
}

/** The deepest message of an update failure: the validator's or handler's ApplicationFailure message. */
function updateFailureMessage(err: WorkflowUpdateFailedError): string {
  let message = err.message;
  for (const e of causes(err.cause)) {
    if (e instanceof Error && e.message) message = e.message;
  }
  return message;
}

/**
 * The AppError for a Temporal client failure, or undefined when it is not one we classify (the caller
 * rethrows it and the middleware answers 500 with a safe message).
 */
export function temporalErrorToAppError(err: unknown, workflowId?: string): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof WorkflowUpdateFailedError) {
    return new AppError('CONFLICT', updateFailureMessage(err), workflowId ? { workflowId } : undefined);
  }
  if (err instanceof WorkflowNotFoundError) {
    return new AppError('NOT_FOUND', `No workflow ${workflowId ?? err.workflowId}`, {
      workflowId: workflowId ?? err.workflowId,
    });
  }
  if (isTemporalUnavailable(err)) return temporalUnavailable();
  return undefined;
}

/** Runs Temporal calls under a deadline and maps their failures; unclassified errors are rethrown. */
export async function callTemporal<T>(
  client: Client,
  deadline: TemporalDeadline,
  fn: () => Promise<T>,
  workflowId?: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const overBudget = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(temporalUnavailable(`Temporal did not answer within ${deadline.budgetMs} ms; retry later`)),
      deadline.budgetMs,
    );
  });
  try {
    return await Promise.race([client.connection.withDeadline(Date.now() + deadline.rpcMs, fn), overBudget]);
  } catch (err) {
    throw temporalErrorToAppError(err, workflowId) ?? err;
  } finally {
    clearTimeout(timer);
  }
}

/** An accepted update after a bounded wait: its result, or still running. */
export type UpdateOutcome<T> = { done: true; result: T } | { done: false };

/**
 * Waits up to `waitMs` for the result of an update the workflow has accepted. Running out of time means
 * the handler is still at work, not an outage: the update is durable in the workflow's history. A failed
 * update throws a CONFLICT, an unknown one NOT_FOUND, an unreachable Temporal TEMPORAL_UNAVAILABLE.
 */
export async function awaitUpdateOutcome<T>(
  client: Client,
  update: WorkflowUpdateHandle<T>,
  waitMs: number,
): Promise<UpdateOutcome<T>> {
  // The timer answers on time; aborting then ends the server's long poll, so no RPC outlives the answer.
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<UpdateOutcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), waitMs);
  });
  try {
    return await Promise.race([
      client.connection
        .withAbortSignal(abort.signal, () => update.result())
        .then((result): UpdateOutcome<T> => ({ done: true, result })),
      timeUp,
    ]);
  } catch (err) {
    // The server ended the poll without an outcome: the update is still running.
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return { done: false };
    throw temporalErrorToAppError(err, update.workflowId) ?? err;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}
