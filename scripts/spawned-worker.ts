/**
 * A worker in a process of its own (`src/worker.ts`, or scripts/prebundled-worker.ts on a
 * prebundled build), killable with SIGKILL and restartable, like a container of the worker image:
 * the stack's workers, and the tests' (test/helpers/spawned-worker.ts).
 */
import { join } from 'node:path';
import { Child } from './child-process';
import { projectRoot } from './temporal/config';

/** What a worker process runs: a script run by tsx, and its arguments. */
export interface WorkerEntry {
  script: string;
  args: string[];
}

/** The real worker entry point, which bundles the workflow code at start. */
export const sourceWorker: WorkerEntry = { script: join(projectRoot, 'src', 'worker.ts'), args: [] };

/** The worker entry on workflow code bundled beforehand, at `bundlePath`: a restart takes a moment. */
export const prebundledWorker = (bundlePath: string): WorkerEntry => ({
  script: join(projectRoot, 'scripts', 'prebundled-worker.ts'),
  args: [bundlePath],
});

/** What both entries print once they poll. */
const READY = /credit-onboarding worker on|worker ready/;

export class SpawnedWorker {
  private child: Child | undefined;
  /** How many times it was started. */
  starts = 0;

  constructor(
    readonly name: string,
    readonly env: Record<string, string>,
    private readonly logFile: string,
    private readonly entry: WorkerEntry = sourceWorker,
  ) {}

  get metricsUrl(): string {
    return `http://${this.env['TEMPORAL_METRICS_ADDRESS']}/metrics`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts it and waits until it says it polls. */
  async start(): Promise<void> {
    // Its own process group: tsx runs the worker in a child process, and a kill must reach both.
    this.child = new Child(
      `worker ${this.name}`,
      join(projectRoot, 'node_modules', '.bin', 'tsx'),
      [this.entry.script, ...this.entry.args],
      { env: { ...process.env, ...this.env }, group: true, output: this.logFile },
    );
    this.starts += 1;
    await this.child.untilLine(READY);
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    await this.child?.stop({ signal });
  }
}
