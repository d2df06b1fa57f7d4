/**
 * Waiting on signatures, alone, with stubbed activities: the doubling backoff between checks and
 * its cap, the early check on `signatureEvent`, reminders on the policy's interval, the deadline
 * with the envelope cancelled, refusals, and cancellation with its compensation.
 */
import { describe, expect, it } from 'vitest';
import { calledProviders } from '../../src/providers/registry';
import {
  DAY,
  HOUR,
  MINUTE,
  neverSigned,
  pendingThen,
  providerFailure,
  useStubbedOnboarding,
} from '../helpers/stubbed-onboarding';

const h = useStubbedOnboarding();

/** Starts an onboarding, types the token, and waits until it waits on signatures. */

const checkTimers = async (id: string) =>
  (await h.timers(id)).filter((t) => t.summary === 'next signature check').map((t) => t.ms);

describe('checking the status', () => {
  it('doubles the wait between checks from the first interval up to the maximum', async () => {
    const id = await h.waitingOnSignatures(
      { policy: { statusCheckInitialMs: '1 minute', statusCheckMaxMs: '10 minutes', statusCheckJitter: 0 } },
      { checkSignatures: pendingThen(6) },
    );
    expect((await h.client.result(id)).status).toBe('completed');
    expect(await checkTimers(id)).toEqual([1, 2, 4, 8, 10, 10].map((m) => m * MINUTE));
    expect(h.calls(id, 'checkSignatures')).toHaveLength(7);
  });

  it('spreads the waits within the jitter, so onboardings started together do not check together', async () => {
    const ids = await Promise.all(
      [0, 1].map(() =>
        h.waitingOnSignatures(
          {
            policy: {
              statusCheckInitialMs: '1 minute',
              statusCheckMaxMs: '10 minutes',
              statusCheckJitter: 0.2,
            },
          },
          { checkSignatures: pendingThen(6) },
        ),
      ),
    );
    const timers = [];
    for (const id of ids) {
      expect((await h.client.result(id)).status).toBe('completed');
      const waits = await checkTimers(id);
      [1, 2, 4, 8, 10, 10].forEach((m, i) => {
        expect(waits[i]).toBeGreaterThanOrEqual(0.8 * m * MINUTE);
        expect(waits[i]).toBeLessThanOrEqual(1.2 * m * MINUTE);
      });
      timers.push(waits);
    }
    expect(timers[0]).not.toEqual([1, 2, 4, 8, 10, 10].map((m) => m * MINUTE));
    expect(timers[0]).not.toEqual(timers[1]);
  });

  it('checks at once on a signatureEvent, and starts the backoff again', async () => {
    const id = await h.waitingOnSignatures(
      { policy: { statusCheckInitialMs: '1 hour', statusCheckMaxMs: '8 hours' } },
      { checkSignatures: pendingThen(1) },
    );
    await h.waitFor(id, (s) => s.signature?.nextCheck !== undefined);
    await h.client.signatureEvent(id, 'webhook');
    expect((await h.client.result(id)).status).toBe('completed');
    const checks = h.calls(id, 'checkSignatures');
    expect(checks).toHaveLength(2);
    // The second check came with the event, long before the one-hour timer.
    expect(checks[1]!.at - checks[0]!.at).toBeLessThan(HOUR);
  });

  it('records each signer as the provider reports them', async () => {
    const id = await h.waitingOnSignatures(
      {
        extraSigners: [
          {
            role: 'guarantor',
            name: 'Joana Avalista',
            cpf: '11144477735',
            email: 'joana@example.com',
            phone: '11987654321',
          },
        ],
      },
      {
        checkSignatures: async () => ({
          state: 'pending',
          signers: [
            { index: 0, state: 'signed' },
            { index: 1, state: 'pending' },
          ],
        }),
      },
    );
    const status = await h.waitFor(id, (s) => s.signers[0]?.state === 'signed');
    expect(status.signers.map((s) => [s.role, s.state])).toEqual([
      ['applicant', 'signed'],
      ['guarantor', 'pending'],
    ]);
    await h.client.cancel(id, 'test over');
    await h.client.result(id);
  });
});

describe('reminders and the deadline', () => {
  it('reminds on the interval where the provider can, then cancels the envelope at the deadline: expired', async () => {
    const id = await h.waitingOnSignatures(
      {
        signingProvider: 'assinebem',
        policy: { signatureDeadlineMs: '3 days', reminderIntervalMs: '1 day', statusCheckMaxMs: '6 hours' },
      },
      { checkSignatures: neverSigned },
    );
    const outcome = await h.client.result(id);
    expect(outcome).toMatchObject({
      status: 'expired',
      reason:
        'the signatures were not all collected before the deadline; envelope env-1 cancelled at assinebem',
    });
    const reminders = h.calls(id, 'remindSigners');
    const sent = h.calls(id, 'sendForSignature')[0]!.at;
    expect(reminders.map((r) => Math.round((r.at - sent) / DAY))).toEqual([1, 2]);
    expect(h.calls(id, 'cancelEnvelope').map((c) => c.args[0])).toEqual([
      expect.objectContaining({ reason: 'signature deadline passed' }),
    ]);
    expect((await h.client.status(id)).signature?.remindersSent).toBe(2);
  });

  it('sends no reminders where the provider has none', async () => {
    const id = await h.waitingOnSignatures(
      {
        signingProvider: 'signio',
        policy: { signatureDeadlineMs: '3 days', reminderIntervalMs: '1 day', statusCheckMaxMs: '12 hours' },
      },
      { checkSignatures: neverSigned },
    );
    expect((await h.client.result(id)).status).toBe('expired');
    expect(h.calls(id, 'remindSigners')).toHaveLength(0);
    expect(h.calls(id, 'cancelEnvelope')).toHaveLength(1);
  });

  it('a signature found by the last look at the deadline completes the onboarding', async () => {
    const id = await h.waitingOnSignatures(
      {
        policy: { signatureDeadlineMs: '1 hour', statusCheckInitialMs: '1 hour', statusCheckMaxMs: '1 hour' },
      },
      { checkSignatures: pendingThen(1) },
    );
    expect((await h.client.result(id)).status).toBe('completed');
    expect(h.calls(id, 'cancelEnvelope')).toHaveLength(0);
    expect(h.calls(id, 'finalizeSignedCcb')).toHaveLength(1);
  });
});

describe('endings at the provider', () => {
  it('a refusal ends as refused, and nothing is cancelled', async () => {
    const id = await h.waitingOnSignatures(
      {},
      { checkSignatures: async () => ({ state: 'refused', signers: [{ index: 0, state: 'refused' }] }) },
    );
    expect(await h.client.result(id)).toMatchObject({
      status: 'refused',
      reason: 'a signer refused to sign the CCB',
    });
    expect(h.calls(id, 'cancelEnvelope')).toHaveLength(0);
  });

  it('an envelope cancelled outside the onboarding ends as failed', async () => {
    const id = await h.waitingOnSignatures(
      { signingProvider: 'signio' },
      { checkSignatures: async () => ({ state: 'cancelled', signers: [{ index: 0, state: 'pending' }] }) },
    );
    expect(await h.client.result(id)).toMatchObject({
      status: 'failed',
      reason: 'the envelope was cancelled at signio outside the onboarding',
    });
  });
});

describe('cancellation', () => {
  it('before any envelope exists: cancelled, nothing to undo', async () => {
    const { onboardingId } = await h.start();
    await h.waitFor(onboardingId, (s) => s.stage === 'sms_token');
    await h.client.cancel(onboardingId, 'customer gave up');
    expect(await h.client.result(onboardingId)).toMatchObject({
      status: 'cancelled',
      reason: 'customer gave up',
    });
    expect(h.calls(onboardingId, 'cancelEnvelope')).toHaveLength(0);
  });

  it('by signal while waiting on signatures: the envelope is cancelled at the provider first', async () => {
    const id = await h.idleOnSignatures({ signingProvider: 'assinebem' }, { checkSignatures: neverSigned });
    await h.client.cancel(id, 'customer gave up');
    const outcome = await h.client.result(id);
    expect(outcome).toMatchObject({
      status: 'cancelled',
      reason: 'customer gave up; envelope env-1 cancelled at assinebem',
    });
    expect(outcome.timeline.map((t) => t.stage).slice(-2)).toEqual(['compensating', 'finished']);
    expect(h.calls(id, 'cancelEnvelope').map((c) => c.args[0])).toEqual([
      expect.objectContaining({ reason: 'onboarding cancelled' }),
    ]);
  });

  it('by Temporal (Web UI, CLI, handle.cancel): the same compensation', async () => {
    const id = await h.idleOnSignatures({ signingProvider: 'signio' }, { checkSignatures: neverSigned });
    await h.client.handle(id).cancel();
    expect(await h.client.result(id)).toMatchObject({
      status: 'cancelled',
      reason: 'the workflow was cancelled; envelope env-1 cancelled at signio',
    });
  });

  it('a compensation that fails is reported in the outcome, which is still cancelled', async () => {
    const id = await h.idleOnSignatures(
      {},
      {
        checkSignatures: neverSigned,
        cancelEnvelope: async () => {
          throw providerFailure('assinebem invalidateDocument failed: HTTP 403');
        },
      },
    );
    await h.client.cancel(id, 'customer gave up');
    expect(await h.client.result(id)).toMatchObject({
      status: 'cancelled',
      reason:
        'customer gave up; envelope env-1 at assinebem could not be cancelled: ProviderError: assinebem invalidateDocument failed: HTTP 403',
    });
  });

  it('a second cancel changes nothing: one compensation, the first reason', async () => {
    const id = await h.idleOnSignatures({}, { checkSignatures: neverSigned });
    await h.client.cancel(id, 'first');
    await h.client.cancel(id, 'second');
    const outcome = await h.client.result(id);
    expect(outcome.reason).toMatch(/^first;/);
    expect(h.calls(id, 'cancelEnvelope')).toHaveLength(1);
  });
});

describe('parked, where the signature sweep runs', () => {
  const sweptRoutes = async () => ({
    queued: [...calledProviders],
    signatureSweep: { everyMs: 10 * MINUTE },
  });

  it('stops checking by itself once the backoff reaches the sweep interval: only reminders and the deadline wake it', async () => {
    const id = await h.waitingOnSignatures(
      {
        signingProvider: 'assinebem',
        policy: {
          statusCheckInitialMs: '1 minute',
          statusCheckMaxMs: '10 minutes',
          statusCheckJitter: 0,
          reminderIntervalMs: '1 day',
          signatureDeadlineMs: '3 days',
        },
      },
      { providerRoutes: sweptRoutes, checkSignatures: neverSigned },
    );
    expect((await h.client.result(id)).status).toBe('expired');
    // 1, 2, 4 and 8 minutes, then parked: one wait per reminder, and the last to the deadline.
    expect(await checkTimers(id)).toEqual([1, 2, 4, 8].map((m) => m * MINUTE));
    const parked = (await h.timers(id)).filter((t) => t.summary?.startsWith('parked'));
    expect(parked).toHaveLength(3);
    // The first check, four on the backoff, one at each reminder, and the ending's last look.
    expect(h.calls(id, 'checkSignatures')).toHaveLength(8);
  });

  it('checks by itself as before where its policy asks for checks more often than the sweep runs', async () => {
    const id = await h.waitingOnSignatures(
      {
        policy: { statusCheckInitialMs: '1 minute', statusCheckMaxMs: '5 minutes', statusCheckJitter: 0 },
      },
      { providerRoutes: sweptRoutes, checkSignatures: pendingThen(6) },
    );
    expect((await h.client.result(id)).status).toBe('completed');
    expect(await checkTimers(id)).toEqual([1, 2, 4, 5, 5, 5].map((m) => m * MINUTE));
  });
});
