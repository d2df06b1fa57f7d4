/**
 * Recorded histories (test/fixtures/histories, `npm run record:histories`) replayed against the
 * current workflow code: a change that would break onboardings already running fails here, before
 * it reaches a worker. One set per code path onboardings may still run on (./recordings.ts): the
 * oldest recorded before payloads were encrypted (the codec passes their payloads through), the
 * others encrypted with the fixed test keys of test/fixtures/keyring.ts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { beforeAll, describe, expect, it, inject } from 'vitest';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Resource } from '@opentelemetry/resources';
import { signingProviders } from '../../src/domain/input';
import { failureConverterPath } from '../../src/temporal/data-converter';
import { workflowsPath } from '../../src/temporal/workflow-source';
import { workerTracingOptions, workflowTracingModules } from '../../src/tracing/worker-tracing';
import { dataConverter } from '../../src/temporal/data-converter';
import { testKeyring } from '../fixtures/keyring';
import { codePathOf, codePaths, currentRecordings, recordingFile } from './recordings';

const dir = join(__dirname, '..', 'fixtures', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const load = (file: string) => historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));

/**
 * The workflow id a recording ran under, as its input's payload names it (a history holds no
 * workflow id): bound payloads are read only as their own onboarding's. Older recordings: any.
 */
function workflowIdOf(file: string): string | undefined {
  const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
    events: Array<{
      workflowExecutionStartedEventAttributes?: {
        input?: { payloads?: Array<{ metadata?: Record<string, string> }> };
      };
    }>;
  };
  const bound =
    json.events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.metadata?.[
      'encryption-onboarding'
    ];
  return bound === undefined ? undefined : Buffer.from(bound, 'base64').toString('utf8');
}

it("holds the current path's recordings for every signing provider", () => {
  const current = codePaths.at(-1)!;
  for (const { provider, scenario } of currentRecordings(signingProviders)) {
    expect(files).toContain(recordingFile(provider, scenario, current));
  }
});

it('holds only recordings of a registered provider on a code path still replayed', () => {
  const known = signingProviders.flatMap((provider) =>
    codePaths.flatMap((path) =>
      (['happy-path', 'sms-resend', 'repair'] as const).map((scenario) =>
        recordingFile(provider, scenario, path),
      ),
    ),
  );
  expect(files.filter((f) => !known.includes(f))).toEqual([]);
});

it('the encrypted histories hold no payload in clear', () => {
  for (const file of files.filter((f) => f.includes('.encrypted.'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).not.toContain(Buffer.from('"applicant"').toString('base64').slice(0, 12));
    expect(text).toContain(Buffer.from('binary/encrypted').toString('base64'));
  }
});

/** A worker's converter; for recordings made before payloads were bound, one in a migration window. */
const converterFor = (file: string) =>
  dataConverter(testKeyring, {
    refusalsAsValues: true,
    acceptUnbound: codePathOf(file)?.unbound ?? false,
  });

describe.each(files)('%s', (file) => {
  it('replays against the current workflow code without nondeterminism', async () => {
    await Worker.runReplayHistory(
      { workflowBundle: { code: inject('workflowBundleCode') }, dataConverter: converterFor(file) },
      load(file),
      workflowIdOf(file),
    );
  });
});

/**
 * Onboardings started on untraced workers go on on traced ones: turning tracing on (docs/tracing.md)
 * puts Temporal's OpenTelemetry interceptors in the workflow code, and the histories recorded
 * without them replay on it.
 */
describe('on a traced worker', () => {
  let tracedCode = '';
  beforeAll(async () => {
    tracedCode = (
      await bundleWorkflowCode({
        workflowsPath,
        failureConverterPath,
        workflowInterceptorModules: workflowTracingModules,
        logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
      })
    ).code;
  }, 60_000);
  it.each(files)('%s replays without nondeterminism', async (file) => {
    const { sinks } = workerTracingOptions({
      spanProcessor: new SimpleSpanProcessor(new InMemorySpanExporter()),
      resource: new Resource({}),
      shutdown: async () => undefined,
    });
    await Worker.runReplayHistory(
      {
        workflowBundle: { code: tracedCode },
        dataConverter: converterFor(file),
        ...(sinks ? { sinks } : {}),
      },
      load(file),
      workflowIdOf(file),
    );
  });
});

it("the current path's recordings are bound: they replay with no migration window", () => {
  const current = codePaths.at(-1)!;
  for (const file of files.filter((f) => f.endsWith(current.suffix))) {
    expect(workflowIdOf(file), file).toMatch(/^onboarding-replay-/);
  }
});

it.each(files.filter((_, i) => i < 2))(
  'fails to replay %s against an incompatible change (so the check above can fail)',
  async (file) => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: join(__dirname, '..', 'fixtures', 'incompatible-onboarding.ts'),
      failureConverterPath,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    const error = await Worker.runReplayHistory(
      { workflowBundle: { code }, dataConverter: converterFor(file) },
      load(file),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeterminismViolationError);
  },
);
