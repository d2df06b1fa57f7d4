/**
 * `npm run bench`: how many complete onboardings one worker runs on the embedded default, and how
 * long each takes. Starts (or reuses) the dev server, the simulators (signers sign at once) and a
 * worker, runs N onboardings with C in flight at a time, and prints the figures. Loopback only.
 *
 *   npm run bench -- --count 100 --concurrency 20 --provider assinebem
 */
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import example from '../examples/onboarding-input.json';
import { OnboardingClient, type OnboardingInputDraft } from '../src/client';
import { withCheckDigits } from '../src/domain/cpf';
import { startLocalStack } from './local-stack';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '10' },
    provider: { type: 'string', default: 'assinebem' },
  },
});

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const count = Number(args.count);
  const concurrency = Number(args.concurrency);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const stack = await startLocalStack({ autoSignMs: 0 });
  const { config, simulators } = stack;
  const cleanups: Array<() => Promise<void>> = [() => stack.stop()];
  try {
    const client = await OnboardingClient.connect(config);
    cleanups.push(() => client.client.connection.close());

    const runId = Date.now().toString(36);
    const durations: number[] = [];
    const outcomes = new Map<string, number>();
    let next = 0;
    const one = async (i: number): Promise<void> => {
      const base = String(100_000_000 + ((i * 7919 + Number.parseInt(runId, 36)) % 800_000_000)).slice(0, 9);
      const cpf = withCheckDigits(`5${base.slice(1)}`);
      const input: OnboardingInputDraft = {
        ...(example as OnboardingInputDraft),
        onboardingId: `bench-${runId}-n${i}`,
        signingProvider: args.provider as OnboardingInputDraft['signingProvider'],
        applicant: { ...(example as OnboardingInputDraft).applicant, cpf },
        signers: [{ ...(example as OnboardingInputDraft).signers[0]!, cpf }],
        policy: { statusCheckInitialMs: '1 second', statusCheckMaxMs: '2 seconds' },
      };
      const started = performance.now();
      await client.start(input);
      for (;;) {
        const status = await client.status(input.onboardingId);
        if (status.stage === 'sms_token' && status.references.dataTrustTransactionId) {
          const token = await simulators.datatrust.smsTokenFor(status.references.dataTrustTransactionId);
          await client.validateSmsToken(input.onboardingId, token);
          break;
        }
        if (status.outcome) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const outcome = await client.result(input.onboardingId);
      durations.push(performance.now() - started);
      outcomes.set(outcome.status, (outcomes.get(outcome.status) ?? 0) + 1);
    };
    const wall = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (next < count) await one(next++);
      }),
    );
    const seconds = (performance.now() - wall) / 1000;
    durations.sort((a, b) => a - b);
    console.log(`onboardings: ${count} (${args.provider}), ${concurrency} in flight, one worker`);
    console.log(`outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
    console.log(`throughput: ${(count / seconds).toFixed(2)} onboardings/s over ${seconds.toFixed(1)} s`);
    console.log(
      `duration per onboarding (ms): p50 ${percentile(durations, 50).toFixed(0)}, p95 ${percentile(durations, 95).toFixed(0)}, max ${(durations.at(-1) ?? NaN).toFixed(0)}`,
    );
  } finally {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
