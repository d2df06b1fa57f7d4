/**
 * Cold start: from spawn to the worker's "credit-onboarding worker on ..." line (printed once it
 * polls), for the built worker loading the prebundled workflow code (`node dist/src/worker.js`)
 * and, as the reference, `tsx src/worker.ts`, which bundles the workflow code at start. Both poll a
 * task queue of their own, so they take no work from the others.
 */
import { join } from 'node:path';
import type { Options } from '../options';
import { projectRoot } from '../../temporal/config';
import { distribution, type Distribution } from '../stats';
import { workerCommand, type BenchStack } from '../bench-stack';

export interface ColdStartResult {
  built: Distribution;
  tsx: Distribution;
  builtRuns: number[];
  tsxRuns: number[];
}

export async function measureColdStart(
  stack: BenchStack,
  options: Options,
  log: (line: string) => void,
): Promise<ColdStartResult> {
  const env = stack.env({ TEMPORAL_TASK_QUEUE: 'bench-cold-start' });
  const ready = /credit-onboarding worker on/;
  const builtRuns: number[] = [];
  const tsxRuns: number[] = [];
  log(
    `cold start: ${options.coldStarts} × node dist/src/worker.js, ${options.coldStarts} × tsx src/worker.ts`,
  );
  for (let i = 0; i < options.coldStarts; i++) {
    const { command, args } = workerCommand('built');
    const built = await stack.spawn('cold start (built)', command, args, { env, ready });
    builtRuns.push(built.readyMs);
    await stack.stopChild(built.child);
    const tsx = await stack.spawn(
      'cold start (tsx)',
      join(projectRoot, 'node_modules', '.bin', 'tsx'),
      ['src/worker.ts'],
      {
        env,
        ready,
        group: true,
      },
    );
    tsxRuns.push(tsx.readyMs);
    await stack.stopChild(tsx.child);
  }
  return { built: distribution(builtRuns), tsx: distribution(tsxRuns), builtRuns, tsxRuns };
}
