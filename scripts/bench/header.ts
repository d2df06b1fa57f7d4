/** What every bench report starts with: when, on what machine and versions, with what options and build. */
import type { Machine, Versions } from './machine';
import type { Options } from './options';
import type { WorkerMode } from './bench-stack';

export interface Header {
  startedAt: string;
  machine: Machine;
  versions: Versions;
  options: Options;
  /** What the figures were measured on (BenchStack.topology); the server's CPU is its processes'. */
  topology?: string;
  build: { ok: boolean; buildMs: number; bundleMs: number; error?: string };
  workerMode: WorkerMode;
  /** Variables of the product's worker set in this environment that change what is measured. */
  workerEnv: Record<string, string>;
  /** Wall-clock seconds of the whole run. */
  seconds?: number;
  loadAverageAtEnd?: number[];
}
