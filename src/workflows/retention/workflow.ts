/**
 * The retention sweep, started by the `personal-data-retention` schedule (src/temporal/retention-schedule.ts):
 * destroys the data keys of onboardings closed longer ago than the retention period (docs/privacy.md),
 * the period being the worker's configuration: a schedule's arguments are encrypted for no workflow.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { RetentionActivities, RetentionSweep } from '../../activities/retention';

const { destroyExpiredDataKeys } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: { maximumInterval: '1 minute' },
});

export async function personalDataRetention(): Promise<RetentionSweep> {
  return destroyExpiredDataKeys();
}
