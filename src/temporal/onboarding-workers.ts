/**
 * The workers one process runs, on one connection: the onboarding's (workflows, and the activities
 * scheduled on its queue) and one for each provider queue this deployment has a reason for: a
 * provider with a rate limit (PROVIDER_RATE_LIMITS), whose worker sets the limit Temporal enforces
 * across every worker polling that queue, and a queue left to drain (PROVIDER_QUEUES_DRAINING).
 * With no limit, the process runs one worker. They start, run and stop together, like one worker.
 */
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { providerTaskQueue } from './provider-queues';

export interface OnboardingWorkersOptions
  extends
    Pick<WorkerOptions, 'connection' | 'namespace' | 'taskQueue' | 'activities' | 'dataConverter'>,
    Partial<
      Pick<
        WorkerOptions,
        | 'workflowBundle'
        | 'workflowsPath'
        | 'shutdownGraceTime'
        | 'interceptors'
        | 'sinks'
        | 'maxCachedWorkflows'
        | 'workerDeploymentOptions'
        | 'identity'
      >
    > {
  /** Activities a second per provider, across all workers: each gets a task queue of its own. */
  rateLimits?: Readonly<Record<string, number>>;
  /**
   * Providers whose queue is polled without a limit and without new calls routed to it: where
   * onboardings started under an earlier configuration still send their calls (docs/configuration.md).
   */
  drainingQueues?: readonly string[];
}

/** The provider queues a worker with these options polls. */
export const polledProviderQueues = (
  options: Pick<OnboardingWorkersOptions, 'rateLimits' | 'drainingQueues'>,
) => [...new Set([...Object.keys(options.rateLimits ?? {}), ...(options.drainingQueues ?? [])])];

export class OnboardingWorkers {
  private constructor(readonly workers: Worker[]) {}

  static async create(options: OnboardingWorkersOptions): Promise<OnboardingWorkers> {
    const { rateLimits, drainingQueues, ...common } = options;
    const main = await Worker.create(common);
    const { maxCachedWorkflows: _cache, ...shared } = common;
    const activityOnly = { ...shared, workflowBundle: undefined, workflowsPath: undefined };
    const perProvider = await Promise.all(
      polledProviderQueues({ rateLimits, drainingQueues }).map((provider) =>
        Worker.create({
          ...activityOnly,
          taskQueue: providerTaskQueue(options.taskQueue, provider),
          ...(rateLimits?.[provider] !== undefined
            ? { maxTaskQueueActivitiesPerSecond: rateLimits[provider] }
            : {}),
        }),
      ),
    );
    return new OnboardingWorkers([main, ...perProvider]);
  }

  /** Runs every worker until all have stopped (after `shutdown()` or a shutdown signal). */
  async run(): Promise<void> {
    // One worker failing stops the others: the process must not run half a worker.
    const results = await Promise.allSettled(
      this.workers.map((w) =>
        w.run().catch((err: unknown) => {
          this.shutdown();
          throw err;
        }),
      ),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Runs every worker while `fn` runs, then shuts them down (like `Worker.runUntil`). */
  async runUntil<T>(fn: () => Promise<T>): Promise<T> {
    const running = this.run();
    try {
      return await fn();
    } finally {
      this.shutdown();
      await running;
    }
  }

  shutdown(): void {
    for (const w of this.workers) if (w.getState() === 'RUNNING') w.shutdown();
  }

  getState(): ReturnType<Worker['getState']> {
    return this.workers[0]!.getState();
  }
}
