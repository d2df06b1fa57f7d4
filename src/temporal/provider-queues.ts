/**
 * A provider with a rate limit (PROVIDER_RATE_LIMITS) has its activities on a task queue of its
 * own, beside the onboarding's, so the limit holds across every worker: Temporal's matching service
 * dispatches at most `maxTaskQueueActivitiesPerSecond` tasks a second from a queue, however many
 * workers poll it. Every worker polls every provider's queue. Workflow code and workers both name
 * the queues with this function; it imports nothing, so the workflow bundle can use it.
 */

/** The task queue of a provider's activities: Data Trust, Securities or a signing provider. */
export const providerTaskQueue = (onboardingTaskQueue: string, provider: string): string =>
  `${onboardingTaskQueue}-${provider}`;
