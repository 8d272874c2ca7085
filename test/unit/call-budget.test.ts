// The Okta call budget on a fake clock: calls are spaced by 60 s ÷ budget in arrival order, an idle spell
// earns no more than the burst, and a zero or negative budget is refused. No wall-clock timing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallBudget, type CallBudgetClock } from '../../src/integrations/okta/call-budget';

/** A clock whose sleep moves time forward at once. */
function fakeClock(): CallBudgetClock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.t += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

describe('Okta call budget', () => {
  it('given 60 calls a minute, when five calls arrive at once, then they go out one second apart', async () => {
    const clock = fakeClock();
    const budget = new CallBudget(60, 1, clock);
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      await budget.take();
      starts.push(clock.t);
    }
    assert.deepEqual(starts, [0, 1000, 2000, 3000, 4000]);
  });

  it('given concurrent callers, when they take turns, then each waits for its own slot in arrival order', async () => {
    let now = 0;
    const waits: number[] = [];
    const budget = new CallBudget(600, 1, {
      now: () => now,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    await Promise.all(Array.from({ length: 4 }, () => budget.take()));
    assert.deepEqual(waits, [100, 200, 300]);
    // Much later, the budget has recovered: the next call goes at once.
    now = 60_000;
    waits.length = 0;
    await budget.take();
    assert.deepEqual(waits, []);
  });

  it('given a burst of 3, when calls arrive after an idle spell, then three go at once and the fourth waits', async () => {
    const waits: number[] = [];
    const budget = new CallBudget(60, 3, {
      now: () => 10_000,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    for (let i = 0; i < 4; i++) await budget.take();
    assert.deepEqual(waits, [1000]);
  });

  it('given a budget of zero, when built, then it is refused', () => {
    assert.throws(() => new CallBudget(0), /perMinute must be positive/);
  });
});
