/**
 * Made at every worker start: a schedule that exists already takes the spec and action this worker
 * has, and keeps its state (paused, recent runs). Its policies are set when it is made.
 */
import {
  ScheduleAlreadyRunning,
  type Client,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

export async function ensureSchedule(
  client: Client,
  schedule: {
    scheduleId: string;
    spec: ScheduleSpec;
    action: ScheduleOptionsStartWorkflowAction<Workflow>;
    policies: ScheduleOptions['policies'];
  },
): Promise<void> {
  const { scheduleId, spec, action } = schedule;
  try {
    await client.schedule.create(schedule);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
  }
}
