/**
 * The engine's ceiling: the skeletons (see variants.ts) and the onboarding, each with the same number in flight on the same dev server, one after the other: throughput and
 * durations, and what each process spent in CPU during the measured window.
 */
import type { Bench } from '../context';
import { closedLoop, type RunRecord } from '../driver';
import { CpuWindow } from '../process-costs';
import type { Shape } from '../skeleton/shape';
import { distribution, type Distribution } from '../stats';
import { runner, variants } from './variants';

export interface VariantResult {
  name: string;
  throughput: number;
  durations: Distribution;
  completed: number;
  /** Status reads per run by the driver (mean). */
  reads: number;
  errors: string[];
  /** % of one core per process during the measured window. */
  cpu: Record<string, number>;
}

export async function measureVariant(
  b: Bench,
  name: string,
  run: (i: number) => Promise<RunRecord>,
  concurrency: number,
  warmupMs: number,
  windowMs: number,
): Promise<VariantResult> {
  let cpu: CpuWindow | undefined;
  let cpuResult: Record<string, number> = {};
  const t1 = setTimeout(() => (cpu = new CpuWindow(b.pids())), warmupMs);
  const t2 = setTimeout(() => (cpuResult = cpu?.stop() ?? {}), warmupMs + windowMs);
  try {
    const result = await closedLoop(run, concurrency, warmupMs, windowMs);
    return {
      name,
      throughput: result.throughput,
      durations: distribution(result.durations),
      completed: result.records.length,
      reads: result.reads,
      errors: result.errors,
      cpu: cpuResult,
    };
  } finally {
    clearTimeout(t1);
    clearTimeout(t2);
  }
}

export async function measureCeiling(b: Bench, shape: Shape, upserts: number): Promise<VariantResult[]> {
  const { concurrency, warmupMs, windowMs } = b.options;
  const results: VariantResult[] = [];
  for (const variant of variants(upserts)) {
    b.log(
      `ceiling: ${variant.name}, ${concurrency} in flight, ${windowMs / 1000} s after ${warmupMs / 1000} s of warm-up`,
    );
    results.push(
      await measureVariant(b, variant.name, runner(b, variant, shape), concurrency, warmupMs, windowMs),
    );
  }
  return results;
}
