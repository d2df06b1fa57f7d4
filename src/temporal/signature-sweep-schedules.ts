/**
 * The Temporal Schedules that run the signature sweep (src/workflows/signature-sweep/), one per
 * signing provider and task queue, every SIGNATURE_SWEEP_SECONDS. Every worker makes sure they
 * exist at start, as it does the retention schedule. The provider rides on the run's
 * `SigningProvider` search attribute: the schedule carries no arguments and no memo, which the
 * codec would refuse (they are encrypted for no workflow).
 */
import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { signingProviderKey } from '../search-attributes';
import { ensureSchedule } from './schedules';

export const SIGNATURE_SWEEP_WORKFLOW_TYPE = 'signatureSweep';

export const signatureSweepScheduleId = (provider: string, taskQueue: string): string =>
  `signature-sweep-${provider}-${taskQueue}`;

export async function ensureSignatureSweepSchedules(
  client: Client,
  options: { taskQueue: string; everySeconds: number; providers: readonly string[] },
): Promise<void> {
  const { taskQueue, everySeconds } = options;
  for (const provider of options.providers) {
    const scheduleId = signatureSweepScheduleId(provider, taskQueue);
    await ensureSchedule(client, {
      scheduleId,
      // Jitter: the providers' sweeps (and several deployments') do not start together.
      spec: { intervals: [{ every: everySeconds * 1_000 }], jitter: Math.floor(everySeconds * 100) },
      action: {
        type: 'startWorkflow',
        workflowType: SIGNATURE_SWEEP_WORKFLOW_TYPE,
        workflowId: scheduleId,
        taskQueue,
        typedSearchAttributes: [{ key: signingProviderKey, value: provider }],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: Math.max(everySeconds, 60) * 1_000 },
    });
  }
}
