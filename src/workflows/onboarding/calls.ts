/**
 * The activities as the workflow calls them: one proxy per kind of call (call-options.ts), on the
 * task queue its route gives. A provider with a rate limit on the workers has its calls on a task
 * queue of its own (src/temporal/provider-queues.ts), where Temporal holds the limit across
 * workers; the others run on the onboarding's own queue, where the worker completing the workflow
 * task starts them at once (eager dispatch).
 *
 * The routes are the worker's to decide and the onboarding's to keep: they are asked for once, at
 * the start (`providerRoutes`, a local activity), and recorded in its history, so an onboarding
 * keeps its routes, and replays them, whatever the workers' configuration says later.
 */
import {
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { OnboardingActivities, ProviderRoutes } from '../../activities/types';
import { providerTaskQueue } from '../../temporal/provider-queues';
import {
  applicantCallOptions,
  callOptions,
  localStatusCheckOptions,
  statusCheckOptions,
  transferOptions,
  workerCheckOptions,
} from './call-options';

export { DATA_TRUST, SECURITIES } from '../../provider-names';

/** Input validation, once through the server (histories from before it was local). */
export const inputCheck = proxyActivities<OnboardingActivities>(workerCheckOptions);
/** What the worker decides and the onboarding records: its input checked, its routes. Local: they call nobody. */
export const workerChecks = proxyLocalActivities<OnboardingActivities>(workerCheckOptions);

/**
 * The status checks while waiting, as local activities: run by the worker inside the workflow task
 * the timer (or a `signatureEvent`) woke, recorded as one marker. A read needs no durability of its
 * own (a check repeated after a crash asks again), and a parked onboarding's check then costs one
 * workflow task and no activity task. Retries back off locally, then on timers.
 */
const localStatusChecks = proxyLocalActivities<OnboardingActivities>(localStatusCheckOptions);

/** Every provider's calls on its own queue: the routes of onboardings started before the worker chose. */
export const ALL_QUEUED = 'all';

/** One onboarding's provider calls, on the routes it recorded (set once, before the first call). */
export class ProviderCalls {
  private routes: ProviderRoutes | typeof ALL_QUEUED | undefined;

  route(routes: ProviderRoutes | typeof ALL_QUEUED): void {
    if (this.routes !== undefined) throw new Error('the provider routes are set once');
    this.routes = routes;
  }

  /** How often the signature sweep checks parked envelopes, when the routes say it runs. */
  signatureSweepMs(): number | undefined {
    return this.routes === undefined || this.routes === ALL_QUEUED
      ? undefined
      : this.routes.signatureSweep?.everyMs;
  }

  private queued(provider: string): boolean {
    if (this.routes === undefined) throw new Error('a provider is called before the routes are set');
    return this.routes === ALL_QUEUED || this.routes.queued.includes(provider);
  }

  private applicantFirst(): boolean {
    return (
      this.routes !== undefined && this.routes !== ALL_QUEUED && this.routes.priority === 'applicant-first'
    );
  }

  private on(provider: string, { priority, ...options }: ActivityOptions) {
    return proxyActivities<OnboardingActivities>({
      ...options,
      ...(this.applicantFirst() ? { priority } : {}),
      ...(this.queued(provider) ? { taskQueue: providerTaskQueue(workflowInfo().taskQueue, provider) } : {}),
    });
  }

  /**
   * Calls the applicant waits for on a screen (Data Trust's check that sends the SMS token, the
   * token's check): first in the task queue (call-options.ts).
   */
  forApplicant(provider: string) {
    return this.on(provider, applicantCallOptions);
  }

  /** Background calls to `provider` (`datatrust`, `securities` or the envelope's signing provider). */
  to(provider: string) {
    return this.on(provider, callOptions);
  }

  /** A status check that only reads: few retries (call-options.ts). */
  statusChecks(provider: string) {
    return this.on(provider, statusCheckOptions);
  }

  /**
   * Status checks while waiting on signatures: local where `local` (onboardings started before
   * they were, `patched`) and the provider has no queue of its own, where its limit must hold.
   */
  waitingStatusChecks(provider: string, local: boolean) {
    return local && !this.queued(provider) ? localStatusChecks : this.statusChecks(provider);
  }

  /** The signed CCB from the signing provider to Securities: on the signing provider's route. */
  documentTransfer(provider: string) {
    return this.on(provider, transferOptions);
  }
}
