/**
 * Where workers get workflow code. The built worker (dist/, `npm run build`) loads the bundle made
 * at build time by `npm run bundle:workflows`; running from sources (tsx, tests) bundles the
 * sources at start, so a stale bundle can never run in development.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';

const runningBuiltCode = __filename.endsWith('.js');
/** dist/, seen from dist/src/temporal (built) or from src/temporal (sources). */
const distDir = runningBuiltCode ? join(__dirname, '..', '..') : join(__dirname, '..', '..', 'dist');

export const workflowBundlePath = join(distDir, 'workflow-bundle.js');
/** The workflows' entry (src/workflows/index.ts); the bundler resolves the folder's index. */
export const workflowsPath = join(__dirname, '..', 'workflows');

export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (runningBuiltCode) {
    if (!existsSync(workflowBundlePath)) {
      throw new Error(
        `${workflowBundlePath} is missing: run \`npm run bundle:workflows\` after \`npm run build\``,
      );
    }
    return { workflowBundle: { codePath: workflowBundlePath } };
  }
  return { workflowsPath };
}
