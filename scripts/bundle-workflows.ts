/**
 * `npm run bundle:workflows`: bundles the workflow code once, at build time, into
 * dist/workflow-bundle.js, and with the tracing interceptors into dist/workflow-bundle-traced.js
 * (src/temporal/workflow-source.ts). Workers load one instead of bundling at every start (seconds each).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../src/temporal/data-converter';
import { tracedWorkflowBundlePath, workflowBundlePath, workflowsPath } from '../src/temporal/workflow-source';
import { workflowTracingModules } from '../src/tracing/worker-tracing';

async function main(): Promise<void> {
  for (const [path, workflowInterceptorModules] of [
    [workflowBundlePath, []],
    [tracedWorkflowBundlePath, workflowTracingModules],
  ] as const) {
    const { code } = await bundleWorkflowCode({
      workflowsPath,
      failureConverterPath,
      workflowInterceptorModules: [...workflowInterceptorModules],
    });
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, code);
    console.log(`workflow bundle written to ${path} (${Math.round(code.length / 1024)} KiB)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
