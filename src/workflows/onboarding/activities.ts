/** The activities as the workflow calls them: one proxy per kind of call, each with its timeouts and retries. */
import { proxyActivities } from '@temporalio/workflow';
import type { OnboardingActivities } from '../../activities/types';

/** Provider calls: retried with backoff on retryable errors (Retry-After honoured), given up on after an hour. */
export const providerCalls = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/** Streams the signed PDF from provider to provider: longer calls, with heartbeats. */
export const documentTransfer = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  scheduleToCloseTimeout: '2 hours',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Input validation is pure: a failure is final. */
export const inputCheck = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['InvalidOnboardingInput'] },
});
