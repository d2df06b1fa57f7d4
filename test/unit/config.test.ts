/** The configuration's checks: the deployment version (both variables or neither, Temporal's alphabet) and where traces may go; values never echoed. */
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

it('sends traces over plain http only on loopback: a collector elsewhere must be https', () => {
  for (const endpoint of [
    'http://collector.example:4318',
    'http://127.evil.example:4318',
    'ftp://127.0.0.1',
  ]) {
    const message = refusal({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    expect(message, endpoint).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(message, endpoint).not.toContain(new URL(endpoint).hostname);
  }
  for (const endpoint of ['https://collector.example:4318', 'http://127.0.0.1:4318', 'http://localhost:4318'])
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }).OTEL_EXPORTER_OTLP_ENDPOINT).toBe(endpoint);
  expect(loadConfig({}).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
});
