/**
 * How the scripts and tests run a long-running child process (a server, a worker, the
 * simulators): its output written to a log and its last lines kept for errors, ready once a line
 * of its output matches, and stopped by its own pid or process group, never by name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';

export interface ChildOptions {
  /** The child's whole environment; this process's by default. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** A process group of its own, so a signal reaches what it starts too (tsx's CLI runs node in a child). */
  group?: boolean;
  /**
   * Where its stdout and stderr go, besides the last lines kept: a stream (left open), a file
   * (appended to), or this process's own (`inherit`: then no line is kept or matched).
   */
  output?: Writable | string | 'inherit';
}

/** How many of the last lines of output are kept, for the error of a child that failed. */
const KEPT_LINES = 40;

/** A child process, started by `new Child(name, command, args, options)`. */
export class Child {
  readonly process: ChildProcess;
  /** Resolves with the exit code (null when a signal ended it) once it has exited. */
  readonly exited: Promise<number | null>;
  private readonly lines: string[] = [];
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly startedAt = performance.now();
  private readonly logFile: string | undefined;
  private error: Error | undefined;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    private readonly options: ChildOptions = {},
  ) {
    const inherit = options.output === 'inherit';
    this.process = spawn(command, args, {
      env: options.env ?? process.env,
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      detached: options.group ?? false,
      stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    const child = this.process;
    // A child that could not be spawned emits `error` and no `exit`.
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.on('error', (err) => {
        this.error ??= err;
        resolve(child.exitCode);
      });
    });
    if (inherit) return;
    const output = options.output;
    this.logFile = typeof output === 'string' ? output : undefined;
    const log = typeof output === 'string' ? createWriteStream(output, { flags: 'a' }) : output;
    if (typeof output === 'string') child.once('close', () => log?.end());
    for (const stream of [child.stdout!, child.stderr!]) {
      if (log) stream.on('data', (d: Buffer) => log.write(d));
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        if (this.lines.length > KEPT_LINES) this.lines.shift();
        for (const listener of this.lineListeners) listener(line);
      });
    }
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get alive(): boolean {
    return this.pid !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  /** The last lines it wrote (stdout and stderr). */
  tail(): string {
    return this.lines.join('\n');
  }

  /** Sends `signal` to it, or to its process group. */
  signal(signal: NodeJS.Signals): void {
    if (!this.alive) return;
    try {
      if (this.options.group) process.kill(-this.pid!, signal);
      else this.process.kill(signal);
    } catch {
      // already gone
    }
  }

  /**
   * Resolves with the first line of its output (stdout or stderr) from now on that matches, and the
   * ms from spawn to it; rejects, with its last lines, if it exits first or after `timeoutMs`.
   */
  untilLine(pattern: RegExp, timeoutMs?: number): Promise<{ line: string; ms: number }> {
    if (this.options.output === 'inherit') throw new Error(`the output of ${this.name} is not read`);
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (outcome: () => void) => {
        if (!this.lineListeners.delete(onLine)) return;
        clearTimeout(timer);
        outcome();
      };
      const onLine = (line: string) => {
        if (pattern.test(line)) settle(() => resolve({ line, ms: performance.now() - this.startedAt }));
      };
      const failed = (why: string) =>
        settle(() => {
          const log = this.logFile !== undefined ? ` (log: ${this.logFile})` : '';
          reject(new Error(`${this.name} ${why}${log}; its last lines:\n${this.tail()}`));
        });
      this.lineListeners.add(onLine);
      if (timeoutMs !== undefined)
        timer = setTimeout(() => failed(`was not ready after ${timeoutMs} ms`), timeoutMs);
      void this.exited.then((code) =>
        failed(
          this.error !== undefined
            ? `could not run: ${this.error.message}`
            : `exited (${code ?? this.process.signalCode}) before it was ready`,
        ),
      );
    });
  }

  /**
   * Sends `signal` (SIGTERM by default) and resolves once it has exited; with `graceMs`, SIGKILL
   * follows if it is still alive by then.
   */
  async stop(options: { signal?: NodeJS.Signals; graceMs?: number } = {}): Promise<void> {
    if (!this.alive) return;
    this.signal(options.signal ?? 'SIGTERM');
    const timer =
      options.graceMs === undefined ? undefined : setTimeout(() => this.signal('SIGKILL'), options.graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
