/**
 * Where workers get workflow code. The built worker (dist/, `npm run build`) loads the bundle made
 * at build time by `npm run bundle:workflows`; running from sources (tsx, tests) bundles the
 * sources at start, so a stale bundle can never run in development. A traced worker
 * (docs/tracing.md) runs the same code with Temporal's OpenTelemetry workflow interceptors bundled
 * in: a bundle of its own, so an untraced worker pays nothing for them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';

const runningBuiltCode = __filename.endsWith('.js');
/** dist/, seen from dist/src/temporal (built) or from src/temporal (sources). */
const distDir = runningBuiltCode ? join(__dirname, '..', '..') : join(__dirname, '..', '..', 'dist');

export const workflowBundlePath = join(distDir, 'workflow-bundle.js');
export const tracedWorkflowBundlePath = join(distDir, 'workflow-bundle-traced.js');
/** The workflows' entry (src/workflows/index.ts); the bundler resolves the folder's index. */
export const workflowsPath = join(__dirname, '..', 'workflows');

/** Traced or not: from sources, the worker's `interceptors.workflowModules` go into its bundle. */
export function workflowSource(traced = false): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (runningBuiltCode) {
    const codePath = traced ? tracedWorkflowBundlePath : workflowBundlePath;
    if (!existsSync(codePath)) {
      throw new Error(`${codePath} is missing: run \`npm run bundle:workflows\` after \`npm run build\``);
    }
    return { workflowBundle: { codePath } };
  }
  return { workflowsPath };
}
