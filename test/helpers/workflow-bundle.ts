/** Runs once per `vitest run` and project: bundles the workflow code once for every worker of the run. */
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { failureConverterPath } from '../../src/temporal/data-converter';
import { workflowsPath } from '../../src/temporal/workflow-source';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The onboarding workflows, bundled once for every worker of the run. */
    workflowBundleCode: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: quietLogger });
  project.provide('workflowBundleCode', code);
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
