// Replays the histories recorded from real runs (test/fixtures/histories, written by
// scripts/record-histories.ts from the commit each fixture names) against the production workflow code
// (src/workflows/index.ts, bundled once the way a worker bundles it). A change to the workflows that would
// issue other commands than a recorded run did (an activity moved, added or dropped, a child or signal
// reordered) fails with a determinism error before it reaches running workflows: the proof that a
// restructuring step is behaviour-neutral for every recorded path.
//
// Temporal's determinism check compares command types and order, not what the commands carry, so the replay
// also records (through a pass-through interceptor and a sink) the arguments of every activity, child
// workflow, signal and continue-as-new the code issues, every timer's duration and the run's result, and
// compares them with the history: a refactor that passes another stepId, ticket text, target workflow or
// wait fails here too.
// No Temporal server is needed; replay runs in the SDK's replay worker.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type InjectedSinks } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { CAPABILITY_CONTRACTS } from '../../../src/workflows/contracts';
import { historyFromJson } from '../../../src/cli/history-json';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'histories');

/** The product's workflow types, from the capabilities' contracts: each must have recorded histories. */
const WORKFLOW_TYPES = CAPABILITY_CONTRACTS.map((c) => c.workflowType);

/** The main paths of every workflow type; each must have its fixture (the README lists them all). */
const REQUIRED_PATHS = [
  // catalogAccessRequest (Freshservice → Okta)
  'catalog-approve',
  'catalog-deny',
  'catalog-escalate',
  'catalog-expire',
  'catalog-time-bound-revoke',
  'catalog-admin-decision-update',
  'catalog-extend-update',
  'catalog-extension-approval-cancel-update',
  'catalog-oig-approve',
  'catalog-oig-deny',
  'catalog-oig-expire',
  'catalog-can-first-run',
  'catalog-can-resumed-at-freshservice-approval',
  'catalog-can-resumed-at-granted',
  'catalog-can-resumed-at-okta-approval',
  // oktaAccessRequest (Okta → Freshservice)
  'okta-approve',
  'okta-deny',
  'okta-expire',
  'okta-time-bound-revoke',
  'okta-forward-to-catalog',
  'okta-can-first-run',
  'okta-can-carried-run',
  // freshserviceTicket (the ticket router)
  'router-forward-catalog',
  'router-forward-okta',
  'router-can-carried-run',
  // reconciler
  'reconciler-okta-system-log-pass',
  'reconciler-freshservice-tickets-pass',
];

type Fixture = {
  file: string;
  name: string;
  proves: string;
  workflowType: string;
  workflowId: string;
  runId: string;
  history: History;
};

/** One command as the code issued it in replay, or as the history recorded it. */
type Command = { kind: string; name: string; target: string; args: unknown };

type ReplayCheckSinks = {
  replayCheck: {
    command(kind: string, name: string, target: string, args: unknown[]): void;
    timer(durationMs: number): void;
    result(value: unknown): void;
  };
};

/**
 * Bundled with the workflows for this replay only: passes every call on unchanged and reports what it
 * carries to the `replayCheck` sink (called during replay). Written to a temporary file, importing the
 * SDK by its resolved path, so nothing but this test file lives in the repository for it.
 */
const RECORDER_MODULE = `
const { proxySinks } = require(${JSON.stringify(require.resolve('@temporalio/workflow'))});
const { replayCheck } = proxySinks();
exports.interceptors = () => ({
  inbound: [
    {
      async execute(input, next) {
        const result = await next(input);
        replayCheck.result(result);
        return result;
      },
    },
  ],
  outbound: [
    {
      startTimer(input, next) {
        replayCheck.timer(input.durationMs);
        return next(input);
      },
      scheduleActivity(input, next) {
        replayCheck.command('activity', input.activityType, '', input.args);
        return next(input);
      },
      startChildWorkflowExecution(input, next) {
        replayCheck.command('child', input.workflowType, input.options.workflowId, input.options.args ?? []);
        return next(input);
      },
      signalWorkflow(input, next) {
        const t = input.target;
        replayCheck.command('signal', input.signalName, t.type === 'child' ? t.childWorkflowId : t.workflowExecution.workflowId, input.args);
        return next(input);
      },
      continueAsNew(input, next) {
        replayCheck.command('continue-as-new', input.options.workflowType, '', input.args);
        return next(input);
      },
    },
  ],
});
`;

/** JSON's view of a value, as a payload carries it (undefined fields dropped, dates as strings). */
const plain = (v: unknown): unknown => (v === undefined ? null : (JSON.parse(JSON.stringify(v)) as unknown));

const decode = (payloads: { payloads?: unknown[] | null } | null | undefined): unknown =>
  plain(
    (payloads?.payloads ?? []).map((p) =>
      defaultPayloadConverter.fromPayload(p as Parameters<typeof defaultPayloadConverter.fromPayload>[0]),
    ),
  );

/** What a replay issued, or its history recorded: commands in order, timer durations, the run's result. */
type Issued = { commands: Command[]; timers: number[]; result: unknown };

/** What the history recorded (the result undefined when the run did not complete). */
function recorded(history: History): Issued {
  const commands: Command[] = [];
  const timers: number[] = [];
  let result: unknown = undefined;
  for (const e of history.events ?? []) {
    const activity = e.activityTaskScheduledEventAttributes;
    const child = e.startChildWorkflowExecutionInitiatedEventAttributes;
    const signal = e.signalExternalWorkflowExecutionInitiatedEventAttributes;
    const can = e.workflowExecutionContinuedAsNewEventAttributes;
    const completed = e.workflowExecutionCompletedEventAttributes;
    const timer = e.timerStartedEventAttributes?.startToFireTimeout;
    if (timer) {
      timers.push(Number(timer.seconds ?? 0) * 1000 + Math.round((timer.nanos ?? 0) / 1e6));
    } else if (activity) {
      commands.push({
        kind: 'activity',
        name: activity.activityType?.name ?? '',
        target: '',
        args: decode(activity.input),
      });
    } else if (child) {
      const name = child.workflowType?.name ?? '';
      commands.push({ kind: 'child', name, target: child.workflowId ?? '', args: decode(child.input) });
    } else if (signal) {
      const target = signal.workflowExecution?.workflowId ?? '';
      commands.push({ kind: 'signal', name: signal.signalName ?? '', target, args: decode(signal.input) });
    } else if (can) {
      const name = can.workflowType?.name ?? '';
      commands.push({ kind: 'continue-as-new', name, target: '', args: decode(can.input) });
    } else if (completed) {
      result = (decode(completed.result) as unknown[])[0] ?? null;
    }
  }
  return { commands, timers, result };
}

function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const raw = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Omit<
        Fixture,
        'file' | 'history'
      > & {
        history: unknown;
      };
      return { ...raw, file, history: historyFromJson(raw.history) };
    });
}

/** The same history with its first activity renamed: what a changed workflow looks like to replay. */
function tampered(history: History): History {
  const copy = structuredClone(history);
  const scheduled = copy.events?.find((e) => e.activityTaskScheduledEventAttributes?.activityType);
  assert.ok(
    scheduled?.activityTaskScheduledEventAttributes?.activityType,
    'the history schedules an activity',
  );
  scheduled.activityTaskScheduledEventAttributes.activityType.name = 'anActivityTheCodeNeverCalls';
  return copy;
}

const brief = (v: unknown) => {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
};

describe('recorded workflow histories replay on the current workflow code', () => {
  let fixtures: Fixture[];
  let probe: Fixture;
  /** Per replayed history (the fixtures in order, then the tampered probe): its error and what it issued. */
  const replays: (Issued & { error?: Error })[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'access-bridge-replay-'));

  before(async () => {
    try {
      // Quiet: the tampered probe makes the replay worker log the determinism error it is meant to find.
      Runtime.install({
        logger: new DefaultLogger('ERROR'),
        telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
      });
    } catch {
      // Already installed in this process.
    }
    fixtures = loadFixtures();
    probe = fixtures.find((f) => f.name === 'catalog-approve') ?? fixtures[0]!;

    const recorder = join(scratch, 'replay-check-interceptor.js');
    writeFileSync(recorder, RECORDER_MODULE);
    const bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../../src/workflows'),
      workflowInterceptorModules: [recorder],
      logger: new DefaultLogger('WARN'),
    });

    // One replay worker for every history; the sink collects what the replay under way issues.
    let current: Issued = { commands: [], timers: [], result: undefined };
    const sinks: InjectedSinks<ReplayCheckSinks> = {
      replayCheck: {
        command: {
          fn: (_info, kind, name, target, args) => {
            current.commands.push({ kind, name, target, args: plain(args) });
          },
          callDuringReplay: true,
        },
        timer: { fn: (_info, ms) => void current.timers.push(ms), callDuringReplay: true },
        result: { fn: (_info, value) => void (current.result = plain(value)), callDuringReplay: true },
      },
    };
    function* inputs(): Generator<HistoryAndWorkflowId> {
      const all = fixtures.map((f) => ({ workflowId: f.workflowId, history: f.history }));
      all.push({ workflowId: probe.workflowId, history: tampered(probe.history) });
      for (const item of all) {
        current = { commands: [], timers: [], result: undefined };
        yield item;
      }
    }
    for await (const r of Worker.runReplayHistories({ workflowBundle: bundle, sinks }, inputs())) {
      replays.push({ ...(r.error ? { error: r.error } : {}), ...current });
    }
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('given the fixtures, then every main path and every workflow type has a recorded history', () => {
    const names = fixtures.map((f) => f.name);
    assert.ok(
      fixtures.length >= REQUIRED_PATHS.length,
      `${fixtures.length} fixtures in ${FIXTURES}; at least ${REQUIRED_PATHS.length} paths are required`,
    );
    assert.deepEqual(
      REQUIRED_PATHS.filter((p) => !names.includes(p)),
      [],
      'required paths without a fixture',
    );
    assert.deepEqual(
      WORKFLOW_TYPES.filter((t) => !fixtures.some((f) => f.workflowType === t)),
      [],
      'workflow types without a fixture',
    );
    for (const f of fixtures) {
      assert.equal(`${f.name}.json`, f.file, `${f.file}: its name`);
      const started = f.history.events?.[0]?.workflowExecutionStartedEventAttributes;
      assert.equal(started?.workflowType?.name, f.workflowType, `${f.file}: the history's workflow type`);
      assert.ok((f.history.events?.length ?? 0) > 3, `${f.file}: a history with events`);
    }
  });

  it('given every recorded history, when replayed, then none fails with a determinism or replay error', () => {
    assert.equal(replays.length, fixtures.length + 1, 'every history was replayed');
    const failed = fixtures.flatMap((f, i) => {
      const error = replays[i]?.error;
      if (!error) return [];
      const why = /\[TMPRL\d+\][^"]*/.exec(error.message)?.[0] ?? error.message.slice(0, 500);
      return [`${f.file} (${f.proves}):\n    ${error.name}: ${why}`];
    });
    if (failed.length) {
      assert.fail(
        `${failed.length} of ${fixtures.length} recorded histories no longer replay:\n  ${failed.join('\n  ')}`,
      );
    }
  });

  it('given a history the code no longer matches (its first activity renamed), when replayed, then it fails with a determinism error', () => {
    const check = replays.at(-1)?.error;
    assert.ok(
      check instanceof DeterminismViolationError,
      `the tampered ${probe.file} must fail with a determinism error, got ${String(check)}`,
    );
    assert.match(check.message, /anActivityTheCodeNeverCalls/);
  });

  it('given every recorded history, when replayed, then each activity, child, signal and continue-as-new carries the recorded arguments, each timer its duration, and the result is the recorded one', () => {
    const differing = fixtures.flatMap((f, i) => {
      const replay = replays[i];
      if (!replay || replay.error) return []; // reported by the replay test above
      const want = recorded(f.history);
      const n = Math.max(want.commands.length, replay.commands.length);
      for (let k = 0; k < n; k++) {
        const w: Command | undefined = want.commands[k];
        const g: Command | undefined = replay.commands[k];
        try {
          assert.deepStrictEqual(g, w);
        } catch {
          return [
            `${f.file}: command ${k + 1} of ${want.commands.length}\n    recorded: ${brief(w)}\n    replayed: ${brief(g)}`,
          ];
        }
      }
      // A timer started and cancelled in one activation never reaches the history, so the recorded timers
      // must appear, in order and with their durations, among those the replay started.
      let j = 0;
      for (const [k, ms] of want.timers.entries()) {
        while (j < replay.timers.length && replay.timers[j] !== ms) j++;
        if (j++ === replay.timers.length) {
          return [
            `${f.file}: timer ${k + 1} of ${want.timers.length} (${ms} ms) was not started by the replay\n    recorded: ${brief(want.timers)}\n    replayed: ${brief(replay.timers)}`,
          ];
        }
      }
      try {
        assert.deepStrictEqual(replay.result, want.result);
      } catch {
        return [
          `${f.file}: the result\n    recorded: ${brief(want.result)}\n    replayed: ${brief(replay.result)}`,
        ];
      }
      return [];
    });
    if (differing.length) {
      assert.fail(
        `${differing.length} replays issued what their history did not record:\n  ${differing.join('\n  ')}`,
      );
    }
  });
});
