/**
 * The erasure of one onboarding's personal data (docs/privacy.md), started by the client
 * (`erasePersonalData`, DELETE /v1/onboardings/{id}/personal-data): end the onboarding as a cancel
 * ends it, wait until it has closed, then destroy its data key. Durable: asked once, it completes
 * through worker and server restarts, however long the onboarding takes to close its envelope.
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { ErasureActivities } from '../../activities/erasure';
import type { ErasedAnswer, ErasureRequest } from '../../privacy/erasure';
import { isOnboardingWorkflowId } from '../../messages';

const { endOnboardingForErasure } = proxyActivities<ErasureActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute' },
});
// Retried while the onboarding has not closed (StillRunning): its ending may wait on a provider.
const { destroyOnboardingDataKey } = proxyActivities<ErasureActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 1.5, maximumInterval: '1 minute' },
});

export async function personalDataErasure(request: ErasureRequest): Promise<ErasedAnswer> {
  // Only the client, which holds the keyring, writes a request the codec lets through: anything
  // else (sent in clear, or a payload refused on its way in) arrives as something else, and stops here.
  if (!isErasureRequest(request)) {
    throw ApplicationFailure.nonRetryable('the erasure request was refused', 'InvalidErasureRequest');
  }
  await endOnboardingForErasure(request);
  return destroyOnboardingDataKey(request);
}

function isErasureRequest(value: unknown): value is ErasureRequest {
  const request = value as Partial<ErasureRequest> | null;
  const principal = request?.principal;
  return (
    typeof request?.workflowId === 'string' &&
    isOnboardingWorkflowId(request.workflowId) &&
    typeof principal?.type === 'string' &&
    typeof principal.name === 'string' &&
    typeof principal.tenant === 'string'
  );
}
