/**
 * The signature sweep, on the real dev server with the simulators: onboardings whose checks have
 * backed off to the sweep's interval park (no checks of their own), and the sweep, run by its
 * schedule, wakes the one whose envelope was signed and leaves the other asleep: no signal, no
 * workflow task, nothing in its history.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { workflowIdFor } from '../../src/messages';
import { signingProviderKey } from '../../src/search-attributes';
import { signingProviderNames } from '../../src/providers/registry';
import {
  ensureSignatureSweepSchedules,
  signatureSweepScheduleId,
} from '../../src/temporal/signature-sweep-schedules';
import { answerSmsToken, onboardingInput, useOnboardingServer, waitForStatus } from '../helpers/onboarding';
import { runScheduleOnce } from '../helpers/schedules';
import { signAtProvider } from '../helpers/simulators';

const server = useOnboardingServer('dev-server');
const SWEEP_MS = 2_000;
const h = server.harness({ autoSignMs: null, signatureSweepMs: SWEEP_MS });

afterAll(async () => {
  for (const provider of signingProviderNames)
    await h.env.client.schedule
      .getHandle(signatureSweepScheduleId(provider, h.taskQueue))
      .delete()
      .catch(() => undefined);
});

const parkingPolicy = {
  statusCheckInitialMs: '1 second',
  statusCheckMaxMs: '2 seconds',
  statusCheckJitter: 0,
  reminderIntervalMs: '1 day',
};

const historyOf = async (onboardingId: string) =>
  (await h.env.client.workflow.getHandle(workflowIdFor(onboardingId)).fetchHistory()).events ?? [];

describe.each(signingProviderNames)('at %s', (provider) => {
  it('the sweep wakes the onboarding whose envelope was signed, and no other', async () => {
    const signed = onboardingInput({ signingProvider: provider, policy: parkingPolicy });
    const unsigned = onboardingInput({ signingProvider: provider, policy: parkingPolicy });
    await h.run(async () => {
      for (const input of [signed, unsigned]) {
        await h.client.start(input);
        await answerSmsToken(h, input.onboardingId);
      }
      const parked = await Promise.all(
        [signed, unsigned].map((input) =>
          waitForStatus(h.client, input.onboardingId, (s) => s.signature?.parked === true),
        ),
      );
      // Parked: the next wake-up is the reminder, the deadline or the daily check, not a status check.
      expect(Date.parse(parked[1]!.signature!.nextCheck!) - Date.now()).toBeGreaterThan(3_600_000);
      await signAtProvider(h.simulators.baseUrls, provider, parked[0]!.references.envelopeId!);
      // Nothing wakes either of them by itself now.
      await sleep(2 * SWEEP_MS);
      expect((await h.client.status(signed.onboardingId)).stage).toBe('waiting_signatures');
      const before = (await historyOf(unsigned.onboardingId)).length;

      await ensureSignatureSweepSchedules(h.env.client, {
        taskQueue: h.taskQueue,
        everySeconds: 3_600,
        providers: [provider],
      });
      const sweep = await runScheduleOnce(h.env.client, signatureSweepScheduleId(provider, h.taskQueue));
      expect(sweep).toEqual({ provider, examined: 2, checked: 2, woken: 1, failed: 0 });

      expect((await h.client.result(signed.onboardingId)).status).toBe('completed');
      // The unchanged envelope's onboarding did not run: its history is as it was.
      expect((await historyOf(unsigned.onboardingId)).length).toBe(before);
      expect((await h.client.status(unsigned.onboardingId)).signature?.parked).toBe(true);
      await h.client.cancel(unsigned.onboardingId, 'test over');
      expect((await h.client.result(unsigned.onboardingId)).status).toBe('cancelled');
    });
    const signals = (await historyOf(signed.onboardingId)).filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'signatureEvent',
    );
    expect(signals).toHaveLength(1);
  });
});

it('a sweep started by hand for a provider that is not registered is refused before it queries or calls anything', async () => {
  // Someone with Temporal access tries to widen the sweep's visibility query through the provider's name.
  const forged = `signio' OR ${signingProviderKey.name} != '`;
  await h.run(async () => {
    const handle = await h.env.client.workflow.start('signatureSweep', {
      taskQueue: h.taskQueue,
      workflowId: `signature-sweep-forged-${h.taskQueue}`,
      typedSearchAttributes: [{ key: signingProviderKey, value: forged }],
    });
    const failure = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause?.cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('UnknownProvider');
    expect((cause as ApplicationFailure).message).not.toContain(forged);
  });
});
