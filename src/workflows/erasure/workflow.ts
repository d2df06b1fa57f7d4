/**
 * The erasure of one onboarding's personal data (docs/privacy.md), started by the client
 * (`erasePersonalData`, DELETE /v1/onboardings/{id}/personal-data): end the onboarding as a cancel
 * ends it, wait until it has closed, then destroy its data key. Durable: asked once, it completes
 * through worker and server restarts, however long the onboarding takes to close its envelope.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { ErasureActivities } from '../../activities/erasure';
import type { ErasedAnswer, ErasureRequest } from '../../privacy/erasure';

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
  await endOnboardingForErasure(request);
  return destroyOnboardingDataKey(request);
}
