/**
 * `npm run bundle:workflows`: bundles the workflow code once, at build time, into
 * dist/workflow-bundle.js. Workers load it instead of bundling at every start (seconds each).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../src/temporal/data-converter';
import { workflowBundlePath, workflowsPath } from '../src/temporal/workflow-source';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath });
  mkdirSync(dirname(workflowBundlePath), { recursive: true });
  writeFileSync(workflowBundlePath, code);
  console.log(`workflow bundle written to ${workflowBundlePath} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
