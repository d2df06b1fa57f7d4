/**
 * The engine's ceiling for the onboarding's shape: a workflow that gives Temporal the same commands
 * in the same order as a happy-path onboarding (read from its history, see shape.ts), with
 * activities that do nothing, the same `validateSmsToken`-like update answered after the next
 * activity, the same timers, a `status` query, and, when `upserts` is set, a search attribute
 * upsert wherever the onboarding upserts, on the same keys, and, when `queues` is set, each activity
 * on the task queue the onboarding's went to (its provider's queue). Bundled by the SDK's bundler in the
 * skeleton worker (worker.ts); benchmark tooling only.
 */
import {
  ApplicationFailure,
  condition,
  defineQuery,
  defineUpdate,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from './activities';
import type { Shape } from './shape';
import { attributeFor } from './values';

export const skeletonStatus = defineQuery<{ stage: string; step: number }>('status');
export const skeletonValidateToken = defineUpdate<{ result: string }, [token: string]>('validateSmsToken');

// The onboarding's provider-call options (src/workflows/onboarding/call-options.ts): timeouts
// and retries cost nothing until used, but are the same commands.
const callOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
} as const;
const onOwnQueue = proxyActivities<typeof activities>(callOptions);
const proxies = new Map<string, typeof onOwnQueue>();
/** The no-op on the workflow's own task queue, or on `<own queue><suffix>` as the onboarding's provider calls. */
const noopOn = (suffix: string): typeof onOwnQueue.noop => {
  if (suffix === '') return onOwnQueue.noop;
  let proxy = proxies.get(suffix);
  if (proxy === undefined) {
    proxy = proxyActivities<typeof activities>({
      ...callOptions,
      taskQueue: `${workflowInfo().taskQueue}${suffix}`,
    });
    proxies.set(suffix, proxy);
  }
  return proxy.noop;
};

const local = proxyLocalActivities<typeof activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

export interface SkeletonOptions {
  /** Upsert where the onboarding upserts (and write its patch marker). */
  upserts: boolean;
  /** Schedule each activity on the task queue the onboarding's went to (else all on the workflow's own). */
  queues: boolean;
}

export async function skeletonOnboarding(shape: Shape, options: SkeletonOptions): Promise<{ steps: number }> {
  let stage = 'running';
  let step = 0;
  let token: string | undefined;
  let answer: { result: string } | undefined;
  setHandler(skeletonStatus, () => ({ stage, step }));
  setHandler(
    skeletonValidateToken,
    async (value) => {
      token = value;
      await condition(() => answer !== undefined);
      return answer!;
    },
    {
      validator: (_value: string) => {
        if (stage !== 'sms_token' || token !== undefined) {
          throw ApplicationFailure.create({ type: 'NotWaitingForToken', message: `stage: ${stage}` });
        }
      },
    },
  );

  let answerAfterNextActivity = false;
  for (const s of shape.steps) {
    step += 1;
    switch (s.kind) {
      case 'upsert':
        if (options.upserts) {
          const pairs = s.keys.map((k) => attributeFor(k, `step-${step}`)).filter((p) => p !== undefined);
          if (pairs.length > 0) upsertSearchAttributes(pairs);
        }
        break;
      case 'patch':
        // A patch marker, and the SDK's upsert of TemporalChangeVersion with it: upserts too.
        if (options.upserts) patched(`bench-skeleton-${step}`);
        break;
      case 'localActivity':
        await local.noop(step);
        break;
      case 'activity':
        await noopOn(options.queues ? s.queue : '')(step);
        if (answerAfterNextActivity) {
          answerAfterNextActivity = false;
          answer = { result: 'Valid' };
          stage = 'running';
        }
        break;
      case 'awaitUpdate':
        stage = 'sms_token';
        if (!(await condition(() => token !== undefined, s.timeoutMs)))
          throw new Error('no token before the deadline');
        answerAfterNextActivity = true;
        break;
      case 'sleep':
        await sleep(s.ms);
        break;
    }
  }
  stage = 'finished';
  return { steps: step };
}
