/**
 * Once a second: the simulators' hits per route and what the named processes have used (CPU
 * seconds, resident memory). Figures per second come from consecutive samples.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuSeconds, rssBytes, type Processes } from './process-costs';
import { readHits, totalHits, type Hits } from './simulator-client';
import type { SimulatorUrls } from './bench-stack';

export interface Sample {
  /** performance.now() when the hits were read. */
  t: number;
  hits: Hits;
  cpu: Record<string, number | undefined>;
  rss: Record<string, number | undefined>;
}

export class Sampler {
  readonly samples: Sample[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly urls: SimulatorUrls,
    private readonly pids: () => Record<string, Processes | undefined>,
    everyMs = 1000,
  ) {
    this.loop = (async () => {
      const begin = performance.now();
      for (let i = 0; this.running; i++) {
        await this.sample().catch(() => undefined);
        const wait = begin + (i + 1) * everyMs - performance.now();
        if (wait > 0) await sleep(wait);
      }
    })();
  }

  private async sample(): Promise<void> {
    const hits = await readHits(this.urls);
    const t = performance.now();
    const cpu: Sample['cpu'] = {};
    const rss: Sample['rss'] = {};
    for (const [name, pid] of Object.entries(this.pids())) {
      cpu[name] = pid === undefined ? undefined : cpuSeconds(pid);
      rss[name] = pid === undefined ? undefined : rssBytes(pid);
    }
    this.samples.push({ t, hits, cpu, rss });
  }

  async stop(): Promise<Sample[]> {
    this.running = false;
    await this.loop;
    return this.samples;
  }

  /** The samples taken between two instants (performance.now()). */
  between(from: number, to: number): Sample[] {
    return this.samples.filter((s) => s.t >= from && s.t <= to);
  }
}

/** Calls per second between consecutive samples, at one simulator (or all). */
export function callsPerSecond(samples: Sample[], simulator?: string): number[] {
  const out: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    out.push((totalHits(b.hits, simulator) - totalHits(a.hits, simulator)) / ((b.t - a.t) / 1000));
  }
  return out;
}

/** % of one core a process used between the first and last sample. */
export function cpuPercent(samples: Sample[], name: string): number {
  const first = samples.find((s) => s.cpu[name] !== undefined);
  const last = [...samples].reverse().find((s) => s.cpu[name] !== undefined);
  if (!first || !last || last.t <= first.t) return NaN;
  return ((last.cpu[name]! - first.cpu[name]!) / ((last.t - first.t) / 1000)) * 100;
}
