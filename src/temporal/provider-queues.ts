/**
 * Each provider's activities run on a task queue of their own, beside the onboarding's, so a
 * provider's rate limit holds across every worker: Temporal's matching service dispatches at most
 * `maxTaskQueueActivitiesPerSecond` tasks a second from a queue, however many workers poll it
 * (PROVIDER_RATE_LIMITS). Workflow code and workers both name the queues with this function; it
 * imports nothing, so the workflow bundle can use it.
 */

export const DATA_TRUST = 'datatrust';
export const SECURITIES = 'securities';

/** The task queue of a provider's activities: Data Trust, Securities or a signing provider. */
export const providerTaskQueue = (onboardingTaskQueue: string, provider: string): string =>
  `${onboardingTaskQueue}-${provider}`;
