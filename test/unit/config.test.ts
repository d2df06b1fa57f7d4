/** The worker's deployment version: both variables or neither, in Temporal's alphabet, values never echoed. */
import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { deploymentOptions } from '../../src/worker';

const refusal = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
};

it('a worker deployment version is both variables or neither', () => {
  expect(deploymentOptions(loadConfig({}))).toEqual({});
  expect(
    deploymentOptions(
      loadConfig({ TEMPORAL_DEPLOYMENT_NAME: 'credit-onboarding', TEMPORAL_BUILD_ID: 'v1.2.3+abc' }),
    ),
  ).toEqual({
    workerDeploymentOptions: {
      useWorkerVersioning: true,
      version: { deploymentName: 'credit-onboarding', buildId: 'v1.2.3+abc' },
      defaultVersioningBehavior: 'PINNED',
    },
  });
  expect(refusal({ TEMPORAL_BUILD_ID: 'b7' })).toMatch(/TEMPORAL_DEPLOYMENT_NAME and TEMPORAL_BUILD_ID/);
  expect(refusal({ TEMPORAL_DEPLOYMENT_NAME: 'credit-onboarding' })).toMatch(/set together/);
});

it('refuses a deployment name with a dot (Temporal joins name and build id with one), naming the variable only', () => {
  const message = refusal({ TEMPORAL_DEPLOYMENT_NAME: 'credit.onboarding', TEMPORAL_BUILD_ID: 'b7' });
  expect(message).toMatch(/TEMPORAL_DEPLOYMENT_NAME/);
  expect(message).not.toContain('credit.onboarding');
  expect(refusal({ TEMPORAL_DEPLOYMENT_NAME: 'credit-onboarding', TEMPORAL_BUILD_ID: 'has space' })).toMatch(
    /TEMPORAL_BUILD_ID/,
  );
});
