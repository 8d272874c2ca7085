// The safety net under the webhooks: one long-running workflow per source (Okta System Log, Freshservice
// tickets by `updated_since`) reads what changed since its cursor and replays it through the webhooks'
// intake, every RECONCILE_INTERVAL_SECONDS or at once on the `reconcileNow` update. Its cursor is its own
// state (carried across continue-as-new), so there is no side table and the Temporal UI shows every pass.
import {
  reconcileNowUpdate,
  type ReconcilePassSummary,
  type ReconcilerInput,
  type ReconcilerPosition,
  type ReconcilerSource,
  type ReconcilerState,
  reconcilerStateQuery,
} from './contract';
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type {
  FreshserviceReconcileActivities,
  TicketPassResult,
} from '../../activities/freshservice/contract';
import type { OktaReconcileActivities } from '../../activities/okta/contract';
import type { ReconcileSettings, SettingsActivities } from '../../activities/settings';
import { failureMessage } from '../shared/activity-proxies';

const PASSES_PER_RUN = 200;

const { loadReconcileSettings } = proxyActivities<SettingsActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/** Both vendors' reconcile activities (each proxy runs on its vendor's task queue). */
type ReconcileActivities = OktaReconcileActivities & FreshserviceReconcileActivities;

/** A pass gives up after a few attempts and the next one retries: the loop must keep its pace. */
function reconcileActivities(settings: ReconcileSettings) {
  const options = {
    startToCloseTimeout: '10m',
    heartbeatTimeout: '2m',
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 5 },
  } as const;
  return {
    okta: proxyActivities<ReconcileActivities>({ ...options, taskQueue: settings.taskQueues.okta }),
    fs: proxyActivities<ReconcileActivities>({ ...options, taskQueue: settings.taskQueues.freshservice }),
  };
}

const initialPosition = (source: ReconcilerSource): ReconcilerPosition =>
  source === 'okta-system-log' ? { source, cursor: null } : { source, since: null, seenAtSince: [] };

export async function reconciler(input: ReconcilerInput): Promise<ReconcilerState> {
  const state: ReconcilerState = input.carried ?? {
    source: input.source,
    position: initialPosition(input.source),
    passes: 0,
    totals: { received: 0, signalled: 0, ignored: 0, failedPasses: 0 },
    lastPass: null,
    stopped: false,
  };
  state.stopped = false;
  let running = false;
  let wake = false;
  setHandler(reconcilerStateQuery, () => state);
  setHandler(reconcileNowUpdate, async () => {
    // A pass already under way may have read before the caller's change: wait for the one after it.
    const wanted = state.passes + (running ? 2 : 1);
    wake = true;
    await condition(() => state.passes >= wanted || state.stopped);
    if (state.passes < wanted || !state.lastPass) {
      throw ApplicationFailure.create({
        message: 'the reconciler is switched off (RECONCILE_INTERVAL_SECONDS=0)',
        type: 'STOPPED',
        nonRetryable: true,
      });
    }
    return state.lastPass;
  });

  for (let passesThisRun = 0; ;) {
    const settings = await loadReconcileSettings();
    if (settings.intervalSeconds === 0) {
      state.stopped = true;
      log.info('reconciler switched off', { source: state.source });
      await condition(allHandlersFinished);
      return state;
    }
    wake = false;
    running = true;
    await runPass(settings);
    running = false;
    passesThisRun += 1;
    if (passesThisRun >= (input.passesPerRun ?? PASSES_PER_RUN) || workflowInfo().continueAsNewSuggested) {
      // A caller waiting for a pass gets it first (it set `wake`); then the cursor moves to a new run.
      await condition(() => allHandlersFinished() || wake);
      if (allHandlersFinished()) await continueAsNew<typeof reconciler>({ ...input, carried: state });
      continue;
    }
    await condition(() => wake, settings.intervalSeconds * 1000);
  }

  async function runPass(settings: ReconcileSettings): Promise<void> {
    const startedAt = new Date().toISOString();
    const pass = state.passes + 1;
    let summary: Omit<ReconcilePassSummary, 'pass' | 'startedAt' | 'finishedAt'>;
    try {
      const { okta, fs } = reconcileActivities(settings);
      const position = state.position;
      if (position.source === 'okta-system-log') {
        const r = await okta.reconcileOktaSystemLog({
          cursor: position.cursor,
          lookbackMinutes: settings.lookbackMinutes,
          maxPages: 50,
        });
        state.position = { source: 'okta-system-log', cursor: r.cursor };
        summary = { received: r.received, signalled: r.routed, ignored: r.ignored, error: null };
      } else {
        const r: TicketPassResult = await fs.reconcileFreshserviceTickets({
          since: position.since,
          seenAtSince: position.seenAtSince,
          lookbackMinutes: settings.lookbackMinutes,
        });
        state.position = { source: 'freshservice-tickets', since: r.since, seenAtSince: r.seenAtSince };
        summary = { received: r.received, signalled: r.nudged, ignored: r.received - r.nudged, error: null };
      }
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      state.totals.failedPasses += 1;
      summary = { received: 0, signalled: 0, ignored: 0, error: failureMessage(err) };
      log.warn('reconciler pass failed; the next pass starts from the same place', {
        source: state.source,
        error: summary.error,
      });
    }
    state.totals.received += summary.received;
    state.totals.signalled += summary.signalled;
    state.totals.ignored += summary.ignored;
    state.lastPass = { pass, startedAt, finishedAt: new Date().toISOString(), ...summary };
    state.passes = pass;
  }
}
