/**
 * The erasure workflow's activities (src/workflows/erasure/): end the onboarding, then destroy its
 * data key once it has closed (src/privacy/erasure.ts). They use a Temporal client of the worker's.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import {
  destroyDataKey,
  endForErasure,
  NotErasableByKey,
  type ErasedAnswer,
  type ErasureRequest,
} from '../privacy/erasure';
import type { DataKeys } from '../temporal/data-keys/data-keys';

export interface ErasureActivities {
  endOnboardingForErasure(request: ErasureRequest): Promise<void>;
  /** Fails, to be retried, while the onboarding has not closed. */
  destroyOnboardingDataKey(request: ErasureRequest): Promise<ErasedAnswer>;
}

export function erasureActivities(client: Client, dataKeys: DataKeys): ErasureActivities {
  return {
    endOnboardingForErasure: (request) => endForErasure(client, request),
    async destroyOnboardingDataKey(request) {
      try {
        const answer = await destroyDataKey(client, dataKeys, request);
        if (answer === 'running')
          throw ApplicationFailure.retryable('the onboarding has not ended yet', 'StillRunning');
        return answer;
      } catch (err) {
        if (err instanceof NotErasableByKey)
          throw ApplicationFailure.nonRetryable(err.message, 'NotErasableByKey');
        throw err;
      }
    },
  };
}
