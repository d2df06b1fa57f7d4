/** What every phase of a run shares: the stack, the options, the workers, unique ids, the log. */
import type { Options } from './options';
import type { BenchStack } from './bench-stack';
import type { Child } from '../child-process';

export interface Bench {
  stack: BenchStack;
  options: Options;
  /** Letters only: part of every onboarding id of this run. */
  tag: string;
  log(line: string): void;
  /** A fresh index for an onboarding id. */
  next(): number;
  /** The onboarding worker (task queue credit-onboarding) and the skeleton's worker. */
  worker: Child;
  skeleton: Child;
  /** The processes whose CPU each phase reports, by name. */
  pids(): Record<string, number | undefined>;
}
