/**
 * The benchmark's child processes: spawned with their output kept (the last lines, for errors),
 * ready when a line matches, stopped by their own pid (SIGTERM, then SIGKILL after a grace time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** Milliseconds from spawn to the ready line. */
  readyMs: number;
  /** The ready line itself. */
  readyLine: string;
  /** The last lines the process wrote (stdout and stderr). */
  tail(): string;
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Resolves once a line of stdout or stderr matches. */
  ready: RegExp;
  readyTimeoutMs?: number;
  /** Own process group, so `stop` reaches its children too (tsx's CLI runs node in a child). */
  group?: boolean;
}

export async function spawnChild(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions,
): Promise<Child> {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.group ?? false,
  });
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > 40) lines.shift();
  };
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const signal = (sig: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (options.group) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // already gone
    }
  };
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const ready = new Promise<{ line: string; ms: number }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} was not ready after ${options.readyTimeoutMs ?? 120_000} ms`)),
      options.readyTimeoutMs ?? 120_000,
    );
    const onLine = (line: string) => {
      keep(line);
      if (options.ready.test(line)) {
        clearTimeout(timer);
        resolve({ line, ms: performance.now() - started });
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code}:\n${lines.join('\n')}`));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  try {
    const { line, ms } = await ready;
    return {
      name,
      pid: child.pid!,
      process: child,
      readyMs: ms,
      readyLine: line,
      tail: () => lines.join('\n'),
      stop,
    };
  } catch (err) {
    await stop(2_000);
    throw err;
  }
}
