/**
 * One signing provider's signature sweep, started by its schedule (src/temporal/signature-sweep-schedules.ts):
 * checks the envelopes of the onboardings parked on that provider's signatures and wakes those whose
 * envelope changed (src/activities/signature-sweep.ts). The provider comes from the run's
 * `SigningProvider` search attribute, set by the schedule: a schedule's arguments would be encrypted
 * for no workflow, and the attribute lets operators filter the sweeps by provider in the Web UI.
 */
import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SignatureSweepActivities, SweepResult } from '../../activities/signature-sweep';
import { signingProviderKey } from '../../search-attributes';

const { sweepSignatures } = proxyActivities<SignatureSweepActivities>({
  // A sweep of 100,000 envelopes at 10 a second takes under three hours.
  startToCloseTimeout: '4 hours',
  heartbeatTimeout: '2 minutes',
  retry: { maximumInterval: '1 minute', maximumAttempts: 5 },
});

export async function signatureSweep(): Promise<SweepResult> {
  const { typedSearchAttributes, taskQueue } = workflowInfo();
  const provider = typedSearchAttributes.get(signingProviderKey);
  if (provider === undefined)
    throw ApplicationFailure.nonRetryable('a signature sweep needs its SigningProvider search attribute');
  return sweepSignatures({ provider, taskQueue });
}
