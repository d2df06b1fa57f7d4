/**
 * The activities as the workflow calls them: one proxy per kind of call, each with its timeouts and
 * retries. A call to a provider with a rate limit is scheduled on that provider's task queue
 * (src/temporal/provider-queues.ts), where the limit holds across workers; the others on the
 * onboarding's own queue, where the worker completing the workflow task starts them at once
 * (eager dispatch: no trip through the server's matching).
 */
import {
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { OnboardingActivities } from '../../activities/types';
import { providerTaskQueue } from '../../temporal/provider-queues';

export { DATA_TRUST, SECURITIES } from '../../temporal/provider-queues';

/**
 * Every activity heartbeats every 2 seconds while it runs (src/activities/heartbeat.ts), so an
 * attempt that died with its worker times out on its heartbeat within seconds and is retried on
 * another worker; the start-to-close timeouts only bound a provider that answers very slowly.
 */
const HEARTBEAT_TIMEOUT = '10 seconds';

/** Provider calls: retried with backoff on retryable errors (Retry-After honoured), given up on after an hour. */
const callOptions: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
};

/**
 * Status checks only read. A failed or garbled answer is retried five times within about a
 * minute; then the check counts as failed and the wait goes on to the next check (the signature
 * deadline bounds it), since a bad answer says nothing about the envelope.
 */
const statusCheckOptions: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  scheduleToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 5,
  },
};

/** Streams the signed PDF from provider to provider: longer calls, heartbeating as bytes flow. */
const transferOptions: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  scheduleToCloseTimeout: '2 hours',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
};

/** The providers whose calls go to their own queue; undefined (histories from before the choice): all. */
let queued: readonly string[] | undefined;

/** Set once, from the validation's answer, before any provider is called. */
export function routeProviderCalls(providers: readonly string[] | undefined): void {
  queued = providers;
}

const on = (provider: string, options: ActivityOptions) =>
  proxyActivities<OnboardingActivities>({
    ...options,
    ...(queued === undefined || queued.includes(provider)
      ? { taskQueue: providerTaskQueue(workflowInfo().taskQueue, provider) }
      : {}),
  });

/** Calls to `provider` (`datatrust`, `securities` or the envelope's signing provider). */
export const providerCalls = (provider: string) => on(provider, callOptions);
export const statusChecks = (provider: string) => on(provider, statusCheckOptions);

const { heartbeatTimeout: _none, ...localStatusCheckOptions } = statusCheckOptions;
/**
 * The same checks as local activities: run by the worker inside the workflow task the timer (or a
 * `signatureEvent`) woke, recorded as one marker. A read needs no durability of its own (a check
 * repeated after a crash asks again), and a parked onboarding's check then costs one workflow task
 * and no activity task. Retries back off locally, then on timers. A provider with a rate limit
 * keeps its queue, where the limit holds across workers.
 */
const localStatusChecks = proxyLocalActivities<OnboardingActivities>(localStatusCheckOptions);

/** Status checks while waiting on signatures: local where the provider has no queue of its own. */
export const waitingStatusChecks = (provider: string, local: boolean) =>
  local && queued !== undefined && !queued.includes(provider) ? localStatusChecks : statusChecks(provider);
/** The signed CCB from the signing provider to Securities: on the signing provider's queue. */
export const documentTransfer = (provider: string) => on(provider, transferOptions);

const inputCheckOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['InvalidOnboardingInput'] },
};

/** Input validation is pure: a failure is final. */
export const inputCheck = proxyActivities<OnboardingActivities>(inputCheckOptions);
/** The same, as a local activity: no round trip through the server, since it calls nobody. */
export const localInputCheck = proxyLocalActivities<OnboardingActivities>(inputCheckOptions);
