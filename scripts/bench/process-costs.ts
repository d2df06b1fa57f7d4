/**
 * What a process costs, read from Linux's /proc: CPU time (`/proc/<pid>/stat`, user + system, in
 * clock ticks) and resident memory (`/proc/<pid>/status`, VmRSS; for several processes,
 * `smaps_rollup`'s Pss). Elsewhere the figures are unknown.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second (`getconf CLK_TCK`, 100 on Linux). */
export const CLK_TCK = ((): number => {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
})();

/** A process, or a process with every descendant of its (`{ tree }`: PostgreSQL and its backends). */
export type ProcessRef = number | { tree: number };
/** What a figure is read from: one process, or several summed (the stack's two workers). */
export type Processes = ProcessRef | readonly ProcessRef[];

/** A process's /proc/<pid>/stat fields after the command name, or undefined when it is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Every process's children, read at most once per sampling instant (a scan of /proc). */
let scanned: { at: number; children: Map<number, number[]> } | undefined;
function childrenByPid(): Map<number, number[]> {
  if (scanned !== undefined && performance.now() - scanned.at < 250) return scanned.children;
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(statFields(Number(entry))?.[1]);
    if (!Number.isFinite(ppid)) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  scanned = { at: performance.now(), children };
  return children;
}

/** A process and every live descendant of its. */
function treeOf(root: number): number[] {
  const children = childrenByPid();
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

const refsOf = (processes: Processes): readonly ProcessRef[] =>
  Array.isArray(processes) ? processes : [processes as ProcessRef];
const rootOf = (ref: ProcessRef): number => (typeof ref === 'number' ? ref : ref.tree);

/**
 * CPU seconds (user + system) the processes have used, or undefined when one is gone; a tree's
 * counts its live descendants and the reaped ones (the cutime and cstime of their parents).
 */
export function cpuSeconds(processes: Processes): number | undefined {
  const refs = refsOf(processes);
  if (refs.some((ref) => statFields(rootOf(ref)) === undefined)) return undefined;
  let ticks = 0;
  for (const ref of refs) {
    if (typeof ref === 'number') {
      const f = statFields(ref)!;
      ticks += Number(f[11]) + Number(f[12]);
      continue;
    }
    for (const pid of treeOf(ref.tree)) {
      const f = statFields(pid);
      if (f !== undefined) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    }
  }
  return ticks / CLK_TCK;
}

function memoryKb(pid: number, field: 'VmRSS' | 'Pss'): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/${field === 'Pss' ? 'smaps_rollup' : 'status'}`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text)?.[1];
    return kb === undefined ? undefined : Number(kb);
  } catch {
    return undefined;
  }
}

/**
 * Resident memory in bytes, or undefined when a process given is gone: one process's resident set
 * (VmRSS); for several, the sum of their proportional sets (Pss), so memory they share (PostgreSQL's
 * shared buffers) counts once.
 */
export function rssBytes(processes: Processes): number | undefined {
  const refs = refsOf(processes);
  if (refs.length === 1 && typeof refs[0] === 'number') {
    const kb = memoryKb(refs[0], 'VmRSS');
    return kb === undefined ? undefined : kb * 1024;
  }
  if (refs.some((ref) => statFields(rootOf(ref)) === undefined)) return undefined;
  const pids = refs.flatMap((ref) => (typeof ref === 'number' ? [ref] : treeOf(ref.tree)));
  return pids.reduce((sum, pid) => sum + (memoryKb(pid, 'Pss') ?? 0), 0) * 1024;
}

/** CPU used by a set of processes between `start()` and `stop()`, as % of one core. */
export class CpuWindow {
  private readonly begin = new Map<string, number>();
  private t0 = 0;

  constructor(private readonly pids: Record<string, Processes | undefined>) {
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
