/**
 * Recorded histories of the happy paths (test/fixtures/histories, `npm run record:histories`)
 * replayed against the current workflow code: a change that would break onboardings already
 * running fails here, before it reaches a worker in production.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it, inject } from 'vitest';
import { signingProviders } from '../../src/domain/input';

const dir = join(__dirname, '..', 'fixtures', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const load = (file: string) => historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));

it('holds a recorded happy path for every signing provider', () => {
  expect(files.sort()).toEqual(signingProviders.map((p) => `${p}-happy-path.json`).sort());
});

describe.each(files)('%s', (file) => {
  it('replays against the current workflow code without nondeterminism', async () => {
    await Worker.runReplayHistory({ workflowBundle: { code: inject('workflowBundleCode') } }, load(file));
  });
});

it('fails to replay against an incompatible change (so the check above can fail)', async () => {
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(__dirname, '..', 'fixtures', 'incompatible-onboarding.ts'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
  const error = await Worker.runReplayHistory({ workflowBundle: { code } }, load(files[0]!)).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeterminismViolationError);
});
