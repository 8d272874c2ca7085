// How workflows reach their activities: one proxy per vendor on that vendor's task queue (where the
// Temporal server enforces its rate budget), with retries that outlast outages and rate limits, and a
// helper to recognise the permanent failure types that become notes instead of stuck runs.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { FreshserviceActivities } from '../../activities/freshservice/contract';
import type { OktaActivities } from '../../activities/okta/contract';
import type { SettingsActivities } from '../../activities/settings';
import type { VendorErrorType } from '../../integrations/errors';

export type TaskQueueNames = { okta: string; freshservice: string };

const retry = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '1m',
  // Unlimited attempts: outages and rate limits are waited out; permanent errors are non-retryable.
} as const;

export function vendorActivities(queues: TaskQueueNames) {
  return {
    okta: proxyActivities<OktaActivities>({ taskQueue: queues.okta, startToCloseTimeout: '1m', retry }),
    fs: proxyActivities<FreshserviceActivities>({
      taskQueue: queues.freshservice,
      startToCloseTimeout: '2m',
      heartbeatTimeout: '1m',
      retry,
    }),
  };
}

/** How settings activities run: beside the workflows (no vendor call); each capability proxies its own. */
export const SETTINGS_ACTIVITY_OPTIONS = { startToCloseTimeout: '10s', retry } as const;

/** Every setting and the whole policy: what runs that started before the per-capability loaders called. */
export const { loadSettings } = proxyActivities<SettingsActivities>(SETTINGS_ACTIVITY_OPTIONS);

/** The vendor error type of a failed activity, if it failed with one. */
export function failureType(err: unknown): VendorErrorType | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    return (err.cause.type ?? undefined) as VendorErrorType | undefined;
  }
  return undefined;
}

export function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
