// This capability's own settings activity: only its part of the policy is recorded in its runs.
import { proxyActivities } from '@temporalio/workflow';
import type { SettingsActivities } from '../../activities/settings';
import { SETTINGS_ACTIVITY_OPTIONS } from '../shared/activity-proxies';

export const { loadOktaRequestSettings } =
  proxyActivities<Pick<SettingsActivities, 'loadOktaRequestSettings'>>(SETTINGS_ACTIVITY_OPTIONS);
