/**
 * The workers one process runs: the onboarding's (workflows, and the activities scheduled on its
 * queue: those of providers without a rate limit) and one per provider task queue (the calls of a
 * provider with a rate limit), all on one connection. Each provider queue's worker sets the
 * provider's rate limit, which Temporal enforces across every worker polling that queue. They
 * start, run and stop together, like one worker.
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
        | 'maxCachedWorkflows'
        | 'workerDeploymentOptions'
        | 'identity'
      >
    > {
  /** Every provider with a task queue of its own: Data Trust, Securities, the signing providers. */
  providers: readonly string[];
  /** Activities a second per provider, across all workers (unset: no limit). */
  rateLimits?: Readonly<Record<string, number>>;
}

export class OnboardingWorkers {
  private constructor(readonly workers: Worker[]) {}

  static async create(options: OnboardingWorkersOptions): Promise<OnboardingWorkers> {
    const { providers, rateLimits, ...common } = options;
    const main = await Worker.create(common);
    const { maxCachedWorkflows: _cache, ...shared } = common;
    const activityOnly = { ...shared, workflowBundle: undefined, workflowsPath: undefined };
    const perProvider = await Promise.all(
      [...new Set(providers)].map((provider) =>
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
