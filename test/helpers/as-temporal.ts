// Runs an activity the way a Temporal worker retries it, without a server: the lost-response tests use it to
// prove that a retry after a vendor committed (and the answer was lost) does not repeat the side effect.
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';

/** Attempts Temporal would make before giving up in these tests. */
export const MAX_ATTEMPTS = 4;

export type Attempts<T> = { result: T; attempts: number };

/**
 * Runs an activity as Temporal does: a retryable failure runs it again with the same input, a
 * non-retryable one (or the last attempt's) fails the call. Every attempt shares the first schedule time.
 */
export async function asTemporal<T>(
  run: () => Promise<T>,
  scheduledTimestampMs = Date.now(),
): Promise<Attempts<T>> {
  for (let attempt = 1; ; attempt++) {
    const env = new MockActivityEnvironment({ attempt, scheduledTimestampMs });
    try {
      return { result: await env.run(run), attempts: attempt };
    } catch (err) {
      if (!(err instanceof ApplicationFailure) || err.nonRetryable || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}
