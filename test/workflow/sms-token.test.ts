/** The SMS token stage, by Data Trust's documented rules (docs/providers/datatrust.md): Valid, Incorrect (3 tries), Invalid, Expired and resends. */
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { validateSmsToken } from '../../src/messages';
import {
  answerSmsToken,
  useOnboardingServer,
  onboardingInput,
  waitForStatus,
  wrongToken,
  type Harness,
} from '../helpers/onboarding';
import { simulatorState } from '../helpers/simulators';

const TOKEN_TTL_MS = 4_000;

const server = useOnboardingServer('time-skipping');
const h = server.harness({ autoSignMs: 0 });
/** Simulated tokens that expire after TOKEN_TTL_MS of real time. */
const shortLived = server.harness({ autoSignMs: 0, smsTokenTtlMs: TOKEN_TTL_MS });

const dataTrustCounts = async () =>
  (await simulatorState<{ counts: { validations: number } }>(h.simulators.baseUrls.DATATRUST_BASE_URL))
    .counts;

const sentToken = async (harness: Harness, onboardingId: string) => {
  const s = await waitForStatus(harness.client, onboardingId, (x) => x.stage === 'sms_token');
  return harness.simulators.datatrust.smsTokenFor(s.references.dataTrustTransactionId!);
};

it('an incorrect token, then the right one: the applicant goes on', async () => {
  const input = onboardingInput();
  const { answers, outcome, status } = await h.run(async () => {
    await h.client.start(input);
    const right = await sentToken(h, input.onboardingId);
    const answers = [
      await h.client.validateSmsToken(input.onboardingId, wrongToken(right)),
      await h.client.validateSmsToken(input.onboardingId, right),
    ];
    const outcome = await h.client.result(input.onboardingId);
    return { answers, outcome, status: await h.client.status(input.onboardingId) };
  });
  expect(answers).toEqual([
    { result: 'Incorrect', attemptsLeft: 2, resendsLeft: 2 },
    { result: 'Valid', attemptsLeft: 2, resendsLeft: 2 },
  ]);
  expect(outcome.status).toBe('completed');
  expect(status.smsToken).toMatchObject({ lastResult: 'Valid', attemptsLeft: 2 });
});

it('three incorrect tokens: rejected, and no CCB is generated', async () => {
  const input = onboardingInput();
  const { answers, outcome } = await h.run(async () => {
    await h.client.start(input);
    const wrong = wrongToken(await sentToken(h, input.onboardingId));
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await h.client.validateSmsToken(input.onboardingId, wrong));
    return { answers, outcome: await h.client.result(input.onboardingId) };
  });
  expect(answers.map((a) => [a.result, a.attemptsLeft])).toEqual([
    ['Incorrect', 2],
    ['Incorrect', 1],
    // The third wrong try exhausts the token: Data Trust answers Invalid.
    ['Invalid', 0],
  ]);
  expect(outcome.status).toBe('rejected');
  expect(outcome.reason).toBe('the SMS token was not confirmed (3 tries used)');
  expect(outcome.references.proposalId).toBeUndefined();
});

it('a token sent as a signal is checked the same way', async () => {
  const input = onboardingInput();
  const outcome = await h.run(async () => {
    await h.client.start(input);
    const right = await sentToken(h, input.onboardingId);
    await h.client.submitSmsToken(input.onboardingId, wrongToken(right));
    await waitForStatus(h.client, input.onboardingId, (s) => s.smsToken.lastResult === 'Incorrect');
    await h.client.submitSmsToken(input.onboardingId, right);
    return h.client.result(input.onboardingId);
  });
  expect(outcome.status).toBe('completed');
});

describe('expiry and resends', () => {
  it('an expired token, a resend, and the new token: the applicant goes on', async () => {
    const input = onboardingInput();
    const { expired, valid, outcome, transactions } = await shortLived.run(async () => {
      await shortLived.client.start(input);
      const first = await waitForStatus(
        shortLived.client,
        input.onboardingId,
        (s) => s.stage === 'sms_token',
      );
      const firstToken = await shortLived.simulators.datatrust.smsTokenFor(
        first.references.dataTrustTransactionId!,
      );
      await sleep(TOKEN_TTL_MS + 500);
      const expired = await shortLived.client.validateSmsToken(input.onboardingId, firstToken);

      await shortLived.client.resendSmsToken(input.onboardingId);
      const second = await waitForStatus(
        shortLived.client,
        input.onboardingId,
        (s) => s.references.dataTrustTransactionId !== first.references.dataTrustTransactionId,
      );
      const valid = await answerSmsToken(shortLived, input.onboardingId);
      const outcome = await shortLived.client.result(input.onboardingId);
      return {
        expired,
        valid,
        outcome,
        transactions: [first.references.dataTrustTransactionId, second.references.dataTrustTransactionId],
      };
    });
    expect(expired).toEqual({ result: 'Expired', attemptsLeft: 3, resendsLeft: 2 });
    expect(valid).toEqual({ result: 'Valid', attemptsLeft: 3, resendsLeft: 1 });
    expect(new Set(transactions).size).toBe(2);
    expect(outcome.status).toBe('completed');
    expect(outcome.references.dataTrustTransactionId).toBe(transactions[1]);
    expect(outcome.timeline.some((t) => t.note === 'token resent (1)')).toBe(true);
  });

  it('an expired token with no resends left: expired', async () => {
    const input = onboardingInput({ policy: { maxSmsTokenResends: 0 } });
    const { answer, outcome } = await shortLived.run(async () => {
      await shortLived.client.start(input);
      const token = await sentToken(shortLived, input.onboardingId);
      await sleep(TOKEN_TTL_MS + 500);
      const answer = await shortLived.client.validateSmsToken(input.onboardingId, token);
      return { answer, outcome: await shortLived.client.result(input.onboardingId) };
    });
    expect(answer).toEqual({ result: 'Expired', attemptsLeft: 3, resendsLeft: 0 });
    expect(outcome.status).toBe('expired');
    expect(outcome.reason).toBe('the SMS token expired and no resends are left');
  });

  it('no token before the deadline: expired, after the durable timer', async () => {
    const input = onboardingInput({ policy: { smsTokenTimeoutMs: '30 minutes' } });
    const outcome = await h.run(async () => {
      await h.client.start(input);
      await waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'sms_token');
      return h.client.result(input.onboardingId);
    });
    expect(outcome.status).toBe('expired');
    expect(outcome.reason).toBe('no SMS token before the deadline');
    const at = (stage: string) => Date.parse(outcome.timeline.find((t) => t.stage === stage)!.at);
    expect(at('finished') - at('sms_token')).toBeGreaterThanOrEqual(30 * 60_000);
  });
});

describe('the validateSmsToken update', () => {
  it('rejects a malformed token in its validator: nothing reaches history or Data Trust', async () => {
    const input = onboardingInput({ policy: { smsTokenTimeoutMs: '5 minutes' } });
    const { error, status, acceptedUpdates, validations } = await h.run(async () => {
      const { handle } = await h.client.start(input);
      await waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'sms_token');
      const before = await dataTrustCounts();
      const error = await handle.executeUpdate(validateSmsToken, { args: ['12ab'] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const after = await dataTrustCounts();
      const status = await h.client.status(input.onboardingId);
      // A well-formed token does reach history, as an accepted update: the control for the check below.
      await handle.executeUpdate(validateSmsToken, { args: ['000001'] });
      const history = await handle.fetchHistory();
      const events = history.events ?? [];
      await handle.terminate('test done');
      return {
        error,
        status,
        acceptedUpdates: events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length,
        validations: after.validations - before.validations,
      };
    });
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('InvalidSmsToken');
    expect(acceptedUpdates).toBe(1);
    expect(validations).toBe(0);
    expect(status.smsToken.attemptsLeft).toBe(3);
  });

  it('is refused before the onboarding reaches the SMS token stage', async () => {
    const input = onboardingInput({ cpf: undefined, policy: { approveScoreAtLeast: 100 } });
    const error = await h.run(async () => {
      const { handle } = await h.client.start(input);
      await waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'manual_review');
      const error = await handle.executeUpdate(validateSmsToken, { args: ['123456'] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      await handle.terminate('test done');
      return error;
    });
    expect((error as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'NotWaitingForToken' });
  });
});
