/** What every phase of a run shares: the stack, the options, the workers, unique ids, the log. */
import type { Options } from './options';
import type { BenchStack } from './bench-stack';
import type { Processes } from './process-costs';

export interface Bench {
  stack: BenchStack;
  options: Options;
  /** Letters only: part of every onboarding id of this run. */
  tag: string;
  log(line: string): void;
  /** A fresh index for an onboarding id. */
  next(): number;
  /**
   * The processes whose CPU each phase reports, by name: `server` (Temporal, and PostgreSQL on the
   * production topology), `worker` (the onboarding workers), `skeleton`, `simulators`, `driver`.
   */
  pids(): Record<string, Processes | undefined>;
}
