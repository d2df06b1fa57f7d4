/**
 * `npm run record:histories`: runs the current code path's recordings that are missing
 * (test/replay/recordings.ts: the happy path of every signing provider, a resent SMS token, and a
 * refused CCB proposal retried by an operator; all of them again with `--again`) on the time-skipping test server against the simulators, and
 * writes each workflow history, its payloads encrypted with the fixed test keys of
 * test/fixtures/keyring.ts, to test/fixtures/histories/, formatted as Prettier would. The current path is
 * named after the newest patch (src/workflows/onboarding/patches.ts), so a new patch gets new files
 * and the recordings of earlier paths stay, replaying, until the replay test lets them go
 * (docs/versioning.md). A new signing provider's recordings come from this command too.
 *
 * The histories hold the example input (examples/onboarding-input.json): fictitious people only.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { format, resolveConfig } from 'prettier';
import example from '../examples/onboarding-input.json';
import { createActivities } from '../src/activities';
import { OnboardingClient, type OnboardingInputDraft } from '../src/client';
import { loadConfig } from '../src/config';
import { signingProviders } from '../src/domain/input';
import { buildProviders } from '../src/providers';
import { OnboardingWorkers } from '../src/temporal/onboarding-workers';
import { dataConverter } from '../src/temporal/data-converter';
import { workflowsPath } from '../src/temporal/workflow-source';
import { testEvidenceKey } from '../test/fixtures/evidence-key';
import { testKeyring } from '../test/fixtures/keyring';
import { codePaths, currentRecordings, recordingFile } from '../test/replay/recordings';
import { startSimulators } from '../simulators';
import { loadSimulatorConfig } from '../simulators/config';
import { loadToolingConfig, projectRoot } from './temporal/config';
import { createTimeSkippingEnvironment } from './temporal/test-environment';

export const historiesDir = join(projectRoot, 'test', 'fixtures', 'histories');
const again = process.argv.includes('--again');

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const converter = dataConverter(testKeyring);
  const env = await createTimeSkippingEnvironment(loadToolingConfig(), converter);
  const simulators = await startSimulators(loadSimulatorConfig(), { randomPorts: true, autoSignMs: 0 });
  const providers = buildProviders(loadConfig(simulators.baseUrls));
  try {
    const taskQueue = 'record-histories';
    const worker = await OnboardingWorkers.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath,
      activities: createActivities({ providers, evidenceKey: testEvidenceKey }),
      dataConverter: dataConverter(testKeyring, { refusalsAsValues: true }),
    });
    const client = new OnboardingClient(env.client, taskQueue);
    mkdirSync(historiesDir, { recursive: true });
    await worker.runUntil(async () => {
      for (const { provider, scenario } of currentRecordings(signingProviders)) {
        const file = join(historiesDir, recordingFile(provider, scenario, codePaths.at(-1)!));
        if (existsSync(file) && !again) continue;
        const input: OnboardingInputDraft = {
          ...(example as OnboardingInputDraft),
          onboardingId: `replay-${provider}-${scenario}`,
          signingProvider: provider,
        };
        if (scenario === 'repair') {
          // Securities refuses the proposal once: the onboarding parks until the retry below.
          simulators.servers.securities.addFaults([
            { route: 'POST /v1/proposals', kind: 'status', status: 422, times: 1 },
          ]);
        }
        const { handle } = await client.start(input);
        let transactionId = await tokenTransaction(client, input.onboardingId);
        if (scenario === 'sms-resend') {
          await client.resendSmsToken(input.onboardingId);
          transactionId = await tokenTransaction(client, input.onboardingId, transactionId);
        }
        await client.validateSmsToken(
          input.onboardingId,
          await simulators.datatrust.smsTokenFor(transactionId),
        );
        if (scenario === 'repair') {
          while ((await client.status(input.onboardingId)).stage !== 'needs_attention') await setTimeout(50);
          await client.repair(input.onboardingId, { action: 'retry', reason: 'the template was fixed' });
        }
        const outcome = await handle.result();
        if (outcome.status !== 'completed')
          throw new Error(`${provider} ${scenario} ended ${outcome.status}`);
        const json = historyToJSON(await handle.fetchHistory());
        writeFileSync(file, await format(json, { ...(await resolveConfig(file)), filepath: file }));
        console.log(`${provider} ${scenario}: ${outcome.status}, history written to ${file}`);
      }
    });
  } finally {
    await providers.close();
    await simulators.close();
    await env.teardown();
  }
}

/** The Data Trust transaction whose SMS token the onboarding waits for, once it is not `previous`. */
async function tokenTransaction(
  client: OnboardingClient,
  onboardingId: string,
  previous?: string,
): Promise<string> {
  for (;;) {
    const s = await client.status(onboardingId);
    const id = s.references.dataTrustTransactionId;
    if (s.stage === 'sms_token' && id !== undefined && id !== previous) return id;
    await setTimeout(50);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
