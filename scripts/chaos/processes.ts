/**
 * The child processes a chaos run starts, and how it ends them: every child is registered, so the
 * run (and the script's Ctrl-C and exit handlers) can kill whatever is still alive, by its own
 * process id or process group, never by name.
 */
import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Child } from '../child-process';
import type { WorkerEntry } from '../spawned-worker';

/** Alive children, each with the signal call that reaches all of it. */
const children = new Map<ChildProcess, (signal: NodeJS.Signals) => void>();

/** Registers a child; `group`: it leads a process group of its own, and signals go to the group. */
export function track(child: ChildProcess, group = false): void {
  const pid = child.pid;
  if (pid === undefined) return;
  children.set(child, (signal) => {
    try {
      process.kill(group ? -pid : pid, signal);
    } catch {
      // already gone
    }
  });
  child.once('exit', () => children.delete(child));
}

/** SIGKILLs every registered child still alive; synchronous, so it also works in an exit handler. */
export function killChildren(): number {
  const alive = [...children.values()];
  for (const kill of alive) kill('SIGKILL');
  children.clear();
  return alive.length;
}

export interface WorkerSpec {
  /** What the worker runs (scripts/prebundled-worker.ts, see spawned-worker.ts). */
  entry: WorkerEntry;
  env: NodeJS.ProcessEnv;
  /** Where the worker's output goes. */
  log: Writable;
}

/**
 * Keeps one worker process running: started again at once after `kill()` (SIGKILL to its process
 * group), and after a crash (a worker that cannot reach Temporal while the server restarts exits).
 */
export class WorkerSupervisor {
  kills = 0;
  starts = 0;
  crashes = 0;
  private child: Child | undefined;
  private killing = false;
  private stopped = false;
  private ready: Promise<void> = Promise.resolve();
  private markReady: () => void = () => undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly spec: WorkerSpec) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Resolves once the current worker polls (it printed `worker ready`). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** SIGKILLs the worker's process group; the supervisor starts a new one. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || !child.alive) return;
    this.killing = true;
    await child.stop({ signal: 'SIGKILL' });
    this.spec.log.write(`--- ${new Date().toISOString()} worker ${child.pid} SIGKILLed\n`);
    this.kills += 1;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.child?.stop({ signal: 'SIGKILL' });
    this.markReady();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.ready = new Promise((resolve) => (this.markReady = resolve));
      // A process group of its own, so SIGKILL reaches everything the worker started.
      const child = new Child(
        'worker',
        process.execPath,
        ['--import', 'tsx', this.spec.entry.script, ...this.spec.entry.args],
        {
          env: this.spec.env,
          group: true,
          output: this.spec.log,
        },
      );
      this.child = child;
      this.starts += 1;
      this.spec.log.write(`--- ${new Date().toISOString()} worker ${child.pid} starting\n`);
      track(child.process, true);
      child.untilLine(/worker ready/).then(this.markReady, () => undefined);
      const code = await child.exited;
      if (this.stopped) break;
      if (this.killing) {
        this.killing = false;
      } else {
        this.crashes += 1;
        this.spec.log.write(`--- ${new Date().toISOString()} worker exited by itself (code ${code})\n`);
        await sleep(500);
      }
    }
  }
}
