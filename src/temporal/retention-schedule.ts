/**
 * The Temporal Schedule that runs the retention sweep (src/workflows/retention/) every hour, on the
 * worker's task queue. Every worker makes sure it exists at start; the period is the worker's
 * PERSONAL_DATA_RETENTION_HOURS, read by the sweep's activity (src/activities/retention.ts). The
 * schedule carries no arguments and no memo: the codec refuses payloads encrypted for no workflow.
 */
import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { ensureSchedule } from './schedules';

export const RETENTION_SCHEDULE_ID = 'personal-data-retention';
export const RETENTION_WORKFLOW_TYPE = 'personalDataRetention';

export async function ensureRetentionSchedule(
  client: Client,
  options: { taskQueue: string; every?: Duration; scheduleId?: string },
): Promise<void> {
  const scheduleId = options.scheduleId ?? RETENTION_SCHEDULE_ID;
  await ensureSchedule(client, {
    scheduleId,
    spec: { intervals: [{ every: options.every ?? ('1 hour' as Duration) }] },
    action: {
      type: 'startWorkflow',
      workflowType: RETENTION_WORKFLOW_TYPE,
      workflowId: scheduleId,
      taskQueue: options.taskQueue,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  });
}
