/**
 * A worker in a process of its own (`src/worker.ts`, or scripts/worker-process.ts on a prebundled
 * build), killable with SIGKILL and restartable, like a container of the worker image: the stack's
 * workers, and the crash tests' (test/helpers/worker-process.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './temporal/config';

export class WorkerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** How many times it was started. */
  starts = 0;

  constructor(
    readonly name: string,
    readonly env: Record<string, string>,
    private readonly logFile: string,
    private readonly entry: { script: string; args: string[] } = {
      script: join(projectRoot, 'src', 'worker.ts'),
      args: [],
    },
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
    const child = spawn(
      join(projectRoot, 'node_modules', '.bin', 'tsx'),
      [this.entry.script, ...this.entry.args],
      {
        detached: true,
        env: { ...process.env, ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.starts += 1;
    const out = createWriteStream(this.logFile, { flags: 'a' });
    child.stderr!.pipe(out);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out.write(d);
        if (/credit-onboarding worker on|worker ready/.test(d.toString())) resolve();
      });
      child.once('exit', (code, signal) =>
        reject(new Error(`worker ${this.name} exited (${code ?? signal}) at start; see ${this.logFile}`)),
      );
    });
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.child?.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      try {
        process.kill(-this.child.pid, signal);
      } catch {
        // already gone
      }
    }
    await this.exited;
  }
}
