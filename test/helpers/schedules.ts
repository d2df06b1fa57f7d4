/** Runs a schedule's action once, now, and waits for that run's result (what a test of a schedule's workflow reads). */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';

export async function runScheduleOnce(client: Client, scheduleId: string): Promise<unknown> {
  const schedule = client.schedule.getHandle(scheduleId);
  await schedule.trigger();
  let workflowId: string | undefined;
  while (workflowId === undefined) {
    workflowId = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId;
    if (workflowId === undefined) await sleep(100);
  }
  return client.workflow.getHandle(workflowId).result();
}
