import { resolve } from 'node:path';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as activities from '../fixtures/infrastructure-activities';
import { finish, greeting, longNap, waitForFinish } from '../fixtures/infrastructure-workflows';
import { devServerEnv, testDataConverter, timeSkippingEnv, uniqueTaskQueue } from '../helpers/temporal';

const workflowsPath = resolve(__dirname, '../fixtures/infrastructure-workflows.ts');

/** An environment for this describe block's tests, torn down after them. */
function useEnvironment(create: () => Promise<TestWorkflowEnvironment>): () => TestWorkflowEnvironment {
  let env: TestWorkflowEnvironment | undefined;
  beforeAll(async () => {
    env = await create();
  });
  afterAll(() => env?.teardown());
  return () => env!;
}

/** A worker of the infrastructure fixtures on a task queue of its own. */
async function fixtureWorker(env: TestWorkflowEnvironment, name: string) {
  const taskQueue = uniqueTaskQueue(name);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath,
    activities,
    dataConverter: testDataConverter,
  });
  return { worker, taskQueue };
}

describe('Temporal dev server (real server, real clock)', () => {
  const environment = useEnvironment(devServerEnv);

  it('runs a workflow that calls an activity, through a worker on the project binary', async () => {
    expect(['env', 'cache', 'path', 'pypi', 'go', 'sdk-download']).toContain(inject('temporalCliSource'));
    const env = environment();
    const { worker, taskQueue } = await fixtureWorker(env, 'infra-dev');
    const result = await worker.runUntil(
      env.client.workflow.execute(greeting, {
        taskQueue,
        workflowId: `greeting-${taskQueue}`,
        args: ['lender'],
      }),
    );
    expect(result).toBe('hello, lender');
  });

  it('has the onboarding search attributes registered', async () => {
    const res = await environment().connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(res.customAttributes ?? {})).toEqual(
      expect.arrayContaining(['OnboardingStage', 'SigningProvider', 'OnboardingOutcome']),
    );
  });
});

describe('Temporal time-skipping test server', () => {
  const environment = useEnvironment(timeSkippingEnv);

  it('skips a 30-day durable timer and a signal deadline in moments', async () => {
    const env = environment();
    expect(env.supportsTimeSkipping).toBe(true);
    const { worker, taskQueue } = await fixtureWorker(env, 'infra-ts');
    const wallStart = Date.now();
    const [slept, timedOut, signalled] = await worker.runUntil(async () => {
      const nap = await env.client.workflow.execute(longNap, {
        taskQueue,
        workflowId: `nap-${taskQueue}`,
        args: [30],
      });
      const noSignal = await env.client.workflow.execute(waitForFinish, {
        taskQueue,
        workflowId: `wait-${taskQueue}`,
        args: ['2 days'],
      });
      const withSignal = await env.client.workflow.start(waitForFinish, {
        taskQueue,
        workflowId: `wait-signalled-${taskQueue}`,
        args: ['2 days'],
      });
      await withSignal.signal(finish);
      return [nap, noSignal, await withSignal.result()] as const;
    });
    expect(slept).toBeGreaterThanOrEqual(30 * 24 * 3600 * 1000);
    expect(timedOut).toBe(false);
    expect(signalled).toBe(true);
    expect(Date.now() - wallStart).toBeLessThan(5 * 60_000);
  });
});
