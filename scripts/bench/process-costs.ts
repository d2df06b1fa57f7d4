/**
 * What a process costs, read from Linux's /proc: CPU time (`/proc/<pid>/stat`, user + system, in
 * clock ticks) and resident memory (`/proc/<pid>/status`, VmRSS). Elsewhere the figures are unknown.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second (`getconf CLK_TCK`, 100 on Linux). */
export const CLK_TCK = ((): number => {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) the process has used, or undefined when it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** Resident set size in bytes, or undefined when the process is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** CPU used by a set of processes between `start()` and `stop()`, as % of one core. */
export class CpuWindow {
  private readonly begin = new Map<string, number>();
  private t0 = 0;

  constructor(private readonly pids: Record<string, number | undefined>) {
    this.t0 = performance.now();
    for (const [name, pid] of Object.entries(pids)) {
      const s = pid === undefined ? undefined : cpuSeconds(pid);
      if (s !== undefined) this.begin.set(name, s);
    }
  }

  /** % of one core per process over the window; `bench` is this process. */
  stop(): Record<string, number> {
    const seconds = (performance.now() - this.t0) / 1000;
    const out: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const s0 = this.begin.get(name);
      const s1 = pid === undefined ? undefined : cpuSeconds(pid);
      if (s0 !== undefined && s1 !== undefined) out[name] = ((s1 - s0) / seconds) * 100;
    }
    return out;
  }
}
