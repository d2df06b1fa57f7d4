/**
 * The timeouts and retries of each kind of activity call. They bound how long a call can keep an
 * onboarding in a stage, so they are part of its longest life (lifetime.ts).
 */
import type { ActivityOptions } from '@temporalio/workflow';
import { APPLICANT_PRIORITY_KEY, BACKGROUND_PRIORITY_KEY } from '../../temporal/priorities';

/** Background calls go after the applicant's in the task queues (src/temporal/priorities.ts). */
const background = { priority: { priorityKey: BACKGROUND_PRIORITY_KEY } } satisfies ActivityOptions;

/**
 * Every activity heartbeats every 2 seconds while it runs (src/activities/heartbeat.ts), so an
 * attempt that died with its worker times out on its heartbeat within seconds and is retried on
 * another worker; the start-to-close timeouts only bound a provider that answers very slowly.
 */
const HEARTBEAT_TIMEOUT = '10 seconds';

/** Provider calls: retried with backoff on retryable errors (Retry-After honoured), given up on after an hour. */
export const callOptions = {
  ...background,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
} satisfies ActivityOptions;

/**
 * Status checks only read. A failed or garbled answer is retried five times within about a
 * minute; then the check counts as failed and the wait goes on to the next check (the signature
 * deadline bounds it), since a bad answer says nothing about the envelope.
 */
export const statusCheckOptions = {
  ...background,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  scheduleToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 5,
  },
} satisfies ActivityOptions;

const { heartbeatTimeout: _heartbeat, priority: _priority, ...local } = statusCheckOptions;
/** The same checks run as local activities: no heartbeat (a local activity cannot send one), no queue. */
export const localStatusCheckOptions = local satisfies ActivityOptions;

/** The applicant's calls: the provider calls' timeouts and retries, first in the queue. */
export const applicantCallOptions = {
  ...callOptions,
  priority: { priorityKey: APPLICANT_PRIORITY_KEY },
} satisfies ActivityOptions;

/** Streams the signed PDF from provider to provider: longer calls, heartbeating as bytes flow. */
export const transferOptions = {
  ...background,
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  scheduleToCloseTimeout: '2 hours',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
} satisfies ActivityOptions;

/** Input validation and the worker's routes call nobody: a failure is final. */
export const workerCheckOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['InvalidOnboardingInput'] },
} satisfies ActivityOptions;
