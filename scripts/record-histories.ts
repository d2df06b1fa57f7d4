/**
 * `npm run record:histories -- --version <name>`: runs the happy path once per signing provider on
 * the time-skipping test server against the simulators, and writes each workflow history (its
 * payloads encrypted with the fixed test keys of test/fixtures/keyring.ts) to
 * test/fixtures/histories/<provider>-happy-path[-<name>].encrypted.json. Name each recording after
 * the patch it follows, so the histories of every earlier code path stay and keep replaying. The plain `<provider>-happy-path.json`
 * files were recorded before payloads were encrypted; they are kept, and must still replay. test/workflow/replay.test.ts replays them
 * against the current workflow code, so a change that would break onboardings already running in
 * production fails CI. Record again only when a change is deliberately incompatible and guarded
 * (with `patched`), keeping the old files for the old code path.
 *
 * The histories hold the example input (examples/onboarding-input.json): fictitious people only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import example from '../examples/onboarding-input.json';
import { createActivities } from '../src/activities';
import { OnboardingClient, type OnboardingInputDraft } from '../src/client';
import { loadConfig } from '../src/config';
import { signingProviders } from '../src/domain/input';
import { buildProviders } from '../src/providers';
import { calledProviders } from '../src/providers/registry';
import { OnboardingWorkers } from '../src/temporal/onboarding-workers';
import { dataConverter } from '../src/temporal/data-converter';
import { workflowsPath } from '../src/temporal/workflow-source';
import { testKeyring } from '../test/fixtures/keyring';
import { startSimulators } from '../simulators';
import { loadSimulatorConfig } from '../simulators/config';
import { loadToolingConfig, projectRoot } from './temporal/config';
import { createTimeSkippingEnvironment } from './temporal/test-environment';

export const historiesDir = join(projectRoot, 'test', 'fixtures', 'histories');

const { values: args } = parseArgs({ options: { version: { type: 'string' } } });
const suffix = args.version ? `-${args.version.replace(/[^A-Za-z0-9-]/g, '-')}` : '';

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
      activities: createActivities({ providers }),
      dataConverter: converter,
      providers: calledProviders,
    });
    const client = new OnboardingClient(env.client, taskQueue);
    mkdirSync(historiesDir, { recursive: true });
    await worker.runUntil(async () => {
      for (const provider of signingProviders) {
        const input: OnboardingInputDraft = {
          ...(example as OnboardingInputDraft),
          onboardingId: `replay-${provider}`,
          signingProvider: provider,
        };
        const { handle } = await client.start(input);
        let transactionId: string | undefined;
        while (!transactionId) {
          const s = await client.status(input.onboardingId);
          if (s.stage === 'sms_token') transactionId = s.references.dataTrustTransactionId;
          else await new Promise((r) => setTimeout(r, 50));
        }
        await client.validateSmsToken(
          input.onboardingId,
          await simulators.datatrust.smsTokenFor(transactionId),
        );
        const outcome = await handle.result();
        if (outcome.status !== 'completed')
          throw new Error(`${provider}: the happy path ended ${outcome.status}`);
        const file = join(historiesDir, `${provider}-happy-path${suffix}.encrypted.json`);
        writeFileSync(file, historyToJSON(await handle.fetchHistory()));
        console.log(`${provider}: ${outcome.status}, history written to ${file}`);
      }
    });
  } finally {
    await providers.close();
    await simulators.close();
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
