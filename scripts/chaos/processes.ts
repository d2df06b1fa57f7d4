/**
 * The child processes a chaos run starts, and how it ends them: every child is registered, so the
 * run (and the script's Ctrl-C and exit handlers) can kill whatever is still alive, by its own
 * process id or process group, never by name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { createServer, type AddressInfo } from 'node:net';

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

/** Free TCP ports on 127.0.0.1, distinct (all held open until every one is known). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface WorkerSpec {
  /** The worker entry (scripts/worker-process.ts) and its arguments. */
  args: string[];
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
  private child: ChildProcess | undefined;
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
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    this.killing = true;
    await killGroup(child);
    this.spec.log.write(`--- ${new Date().toISOString()} worker ${child.pid} SIGKILLed\n`);
    this.kills += 1;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) await killGroup(child);
    this.markReady();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.ready = new Promise((resolve) => (this.markReady = resolve));
      // A process group of its own, so SIGKILL reaches everything the worker started.
      const child = spawn(process.execPath, ['--import', 'tsx', ...this.spec.args], {
        detached: true,
        env: this.spec.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.child = child;
      this.starts += 1;
      this.spec.log.write(`--- ${new Date().toISOString()} worker ${child.pid} starting\n`);
      track(child, true);
      child.stdout.on('data', (d: Buffer) => {
        this.spec.log.write(d);
        if (d.toString().includes('worker ready')) this.markReady();
      });
      child.stderr.on('data', (d: Buffer) => this.spec.log.write(d));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
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

/** SIGKILLs a child's process group and waits for the child to exit. */
async function killGroup(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // gone already
  }
  if (child.exitCode === null && child.signalCode === null) await exited;
}
