/**
 * Recorded histories of the happy paths (test/fixtures/histories, `npm run record:histories`)
 * replayed against the current workflow code: a change that would break onboardings already
 * running fails here, before it reaches a worker in production. Two sets: the plain histories
 * recorded before payloads were encrypted (the codec passes their payloads through), and the
 * encrypted ones (the fixed test keys of test/fixtures/keyring.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it, inject } from 'vitest';
import { signingProviders } from '../../src/domain/input';
import { failureConverterPath } from '../../src/temporal/data-converter';
import { testDataConverter } from '../helpers/temporal';

const dir = join(__dirname, '..', 'fixtures', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const load = (file: string) => historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));

/** Each code path onboardings may still be running on: before encryption, encrypted, and each patch since. */
const recordings = [
  '.json',
  '.encrypted.json',
  '-fewer-writes-jitter.encrypted.json',
  '-upload-identifier-first.encrypted.json',
  '-local-status-checks.encrypted.json',
];

it('holds a recorded happy path for every signing provider and every code path', () => {
  expect(files.sort()).toEqual(
    signingProviders.flatMap((p) => recordings.map((r) => `${p}-happy-path${r}`)).sort(),
  );
});

it('the encrypted histories hold no payload in clear', () => {
  for (const file of files.filter((f) => f.includes('.encrypted.'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).not.toContain(Buffer.from('"applicant"').toString('base64').slice(0, 12));
    expect(text).toContain(Buffer.from('binary/encrypted').toString('base64'));
  }
});

describe.each(files)('%s', (file) => {
  it('replays against the current workflow code without nondeterminism', async () => {
    await Worker.runReplayHistory(
      { workflowBundle: { code: inject('workflowBundleCode') }, dataConverter: testDataConverter },
      load(file),
    );
  });
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
      { workflowBundle: { code }, dataConverter: testDataConverter },
      load(file),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeterminismViolationError);
  },
);
