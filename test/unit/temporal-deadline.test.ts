// Proves the API's answer-in-time bound without measuring wall time: with Node's mocked clock, a Temporal
// call that never returns ends as a 503 TEMPORAL_UNAVAILABLE exactly when its budget runs out, and the
// webhook budget is inside Okta's 3 s event hook timeout. (The HTTP tests then only check the answer.)
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { AppError } from '../../src/api/errors';
import {
  ADMIN_READ_DEADLINE,
  ADMIN_UPDATE_DEADLINE,
  callTemporal,
  WEBHOOK_DEADLINE,
  type TemporalDeadline,
} from '../../src/api/temporal-errors';

/** Okta waits 3 s for an event hook's answer, then retries once (Okta's event hooks documentation). */
const OKTA_EVENT_HOOK_TIMEOUT_MS = 3000;

/** A client whose connection records the deadline it was given and runs the call as is. */
function fakeClient(): { client: Client; deadlines: number[] } {
  const deadlines: number[] = [];
  const connection = {
    withDeadline: <T>(deadline: number, fn: () => Promise<T>) => {
      deadlines.push(deadline);
      return fn();
    },
  };
  return { client: { connection } as unknown as Client, deadlines };
}

/** Settles `p` into an observable record, so a test can ask "settled yet?" after moving the clock. */
function track<T>(p: Promise<T>): { settled: () => boolean; error: () => unknown } {
  let done = false;
  let error: unknown;
  p.then(
    () => (done = true),
    (err: unknown) => {
      done = true;
      error = err;
    },
  );
  return { settled: () => done, error: () => error };
}

/** Lets the promise callbacks queued by a timer run. */
const flush = () => new Promise<void>((r) => setImmediate(r));

describe('callTemporal: the answer-in-time bound', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  for (const [name, deadline] of [
    ['webhooks', WEBHOOK_DEADLINE],
    ['admin reads', ADMIN_READ_DEADLINE],
    ['admin updates', ADMIN_UPDATE_DEADLINE],
  ] as [string, TemporalDeadline][]) {
    it(`given a Temporal that never answers, when ${name} call it, then a 503 comes exactly at the ${deadline.budgetMs} ms budget`, async () => {
      const { client, deadlines } = fakeClient();
      const call = track(callTemporal(client, deadline, () => new Promise<never>(() => undefined)));
      assert.deepEqual(deadlines, [1_000_000 + deadline.rpcMs], 'each RPC carries the gRPC deadline');
      assert.ok(deadline.rpcMs < deadline.budgetMs, 'an RPC ends on its own deadline inside the budget');

      mock.timers.tick(deadline.budgetMs - 1);
      await flush();
      assert.equal(call.settled(), false, 'still waiting 1 ms before the budget');

      mock.timers.tick(1);
      await flush();
      assert.equal(call.settled(), true, 'answered at the budget');
      const err = call.error();
      assert.ok(err instanceof AppError, String(err));
      assert.equal(err.code, 'TEMPORAL_UNAVAILABLE');
      assert.equal(err.status, 503);
      assert.equal(err.details?.retryAfterSeconds, 5);
    });
  }

  it('given the webhook budget, when compared with Okta event hook timeout, then Okta gets its answer first', () => {
    assert.ok(WEBHOOK_DEADLINE.budgetMs < OKTA_EVENT_HOOK_TIMEOUT_MS);
  });

  it('given a call that answers, when it returns before the budget, then its result comes back and no 503 follows', async () => {
    const { client } = fakeClient();
    const result = await callTemporal(client, WEBHOOK_DEADLINE, () => Promise.resolve('signalled'));
    assert.equal(result, 'signalled');
  });
});
