/**
 * The SMS token stage alone, with stubbed activities, by Data Trust's documented states: Valid goes
 * on, Incorrect leaves fewer tries (3 per token), Invalid rejects, Expired allows a resend within
 * the policy's limit, and each wait is bounded by the token deadline.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { SmsTokenResult } from '../../src/domain/onboarding';
import { dataTrustEvent } from '../../src/messages';
import {
  MINUTE,
  RIGHT_TOKEN,
  WRONG_TOKEN,
  defaultScript,
  useStubbedOnboarding,
  type Script,
} from '../helpers/stubbed-onboarding';

const h = useStubbedOnboarding();

/** Data Trust answers `results` in order, then Valid. */
const answers = (...results: SmsTokenResult[]): Script => {
  let i = 0;
  return { checkSmsToken: async () => ({ result: results[i++] ?? 'Valid' }) };
};

const atSmsToken = async (script: Script = {}, policy = {}) => {
  const started = await h.start({ policy }, script);
  await h.waitFor(started.onboardingId, (s) => s.stage === 'sms_token');
  return started.onboardingId;
};

describe('the tries on one token', () => {
  it('an incorrect token, then the right one: the applicant goes on', async () => {
    const id = await atSmsToken();
    expect(await h.client.validateSmsToken(id, WRONG_TOKEN)).toEqual({
      result: 'Incorrect',
      attemptsLeft: 2,
      resendsLeft: 2,
    });
    expect(await h.client.validateSmsToken(id, RIGHT_TOKEN)).toEqual({
      result: 'Valid',
      attemptsLeft: 2,
      resendsLeft: 2,
    });
    expect((await h.client.result(id)).status).toBe('completed');
    expect(h.calls(id, 'checkSmsToken').map((c) => c.args[0])).toEqual([
      { transactionId: 'dt-0', smsToken: WRONG_TOKEN },
      { transactionId: 'dt-0', smsToken: RIGHT_TOKEN },
    ]);
  });

  it('three incorrect tokens: rejected, and no CCB is generated', async () => {
    const id = await atSmsToken();
    const left = [];
    for (let i = 0; i < 3; i++) left.push((await h.client.validateSmsToken(id, WRONG_TOKEN)).attemptsLeft);
    expect(left).toEqual([2, 1, 0]);
    expect(await h.client.result(id)).toMatchObject({
      status: 'rejected',
      reason: 'the SMS token was not confirmed (3 tries used)',
    });
    expect(h.calls(id, 'createCcbProposal')).toHaveLength(0);
  });

  it('Invalid (Data Trust counted the tries itself): rejected at once', async () => {
    const id = await atSmsToken(answers('Invalid'));
    expect(await h.client.validateSmsToken(id, RIGHT_TOKEN)).toMatchObject({
      result: 'Invalid',
      attemptsLeft: 0,
    });
    expect((await h.client.result(id)).status).toBe('rejected');
  });

  it('a token sent as a signal is checked the same way', async () => {
    const id = await atSmsToken();
    await h.client.submitSmsToken(id, RIGHT_TOKEN);
    expect((await h.client.result(id)).status).toBe('completed');
    expect((await h.client.status(id)).smsToken.lastResult).toBe('Valid');
  });
});

describe('expiry and resends', () => {
  it('an expired token, a resend, and the new token: a new Data Trust transaction, and the applicant goes on', async () => {
    const id = await atSmsToken(answers('Expired'));
    expect(await h.client.validateSmsToken(id, RIGHT_TOKEN)).toMatchObject({ result: 'Expired' });
    await h.client.resendSmsToken(id);
    await h.waitFor(id, (s) => s.references.dataTrustTransactionId === 'dt-1');
    expect(await h.client.validateSmsToken(id, RIGHT_TOKEN)).toEqual({
      result: 'Valid',
      attemptsLeft: 3,
      resendsLeft: 1,
    });
    expect((await h.client.result(id)).status).toBe('completed');
    expect(h.calls(id, 'startIdentityCheck').map((c) => (c.args[0] as { attempt: number }).attempt)).toEqual([
      0, 1,
    ]);
    expect(h.calls(id, 'checkSmsToken').at(-1)?.args[0]).toMatchObject({ transactionId: 'dt-1' });
  });

  it('an expired token with no resends left: expired', async () => {
    const id = await atSmsToken(answers('Expired'), { maxSmsTokenResends: 0 });
    await h.client.validateSmsToken(id, RIGHT_TOKEN);
    expect(await h.client.result(id)).toMatchObject({
      status: 'expired',
      reason: 'the SMS token expired and no resends are left',
    });
  });

  it('resends beyond the limit start no new transaction', async () => {
    const id = await atSmsToken({}, { maxSmsTokenResends: 1 });
    await h.client.resendSmsToken(id);
    await h.waitFor(id, (s) => s.smsToken.resendsLeft === 0);
    await h.client.resendSmsToken(id);
    await h.client.resendSmsToken(id);
    expect(await h.client.validateSmsToken(id, RIGHT_TOKEN)).toMatchObject({
      result: 'Valid',
      resendsLeft: 0,
    });
    expect((await h.client.result(id)).status).toBe('completed');
    expect(h.calls(id, 'startIdentityCheck')).toHaveLength(2);
  });

  it('no token before the deadline: expired, after a durable timer of the token timeout', async () => {
    const { onboardingId } = await h.start({ policy: { smsTokenTimeoutMs: '10 minutes' } });
    expect(await h.client.result(onboardingId)).toMatchObject({
      status: 'expired',
      reason: 'no SMS token before the deadline',
    });
    expect(await h.timers(onboardingId)).toEqual([{ ms: 10 * MINUTE, summary: 'SMS token deadline' }]);
  });
});

describe("ClearSale's webhook (dataTrustEvent)", () => {
  const tokenState = (result: SmsTokenResult): Script => ({ readSmsTokenState: async () => ({ result }) });

  it('reads the token back from the transaction: validated elsewhere, the applicant goes on', async () => {
    const id = await atSmsToken(tokenState('Valid'));
    await h.client.handle(id).signal(dataTrustEvent, { typeId: 1 });
    expect((await h.client.result(id)).status).toBe('completed');
    expect(h.calls(id, 'readSmsTokenState').map((c) => c.args[0])).toEqual([{ transactionId: 'dt-0' }]);
    expect(h.calls(id, 'checkSmsToken')).toHaveLength(0);
  });

  it('an expired token is seen at once, and a resend is allowed', async () => {
    const id = await atSmsToken(tokenState('Expired'));
    await h.client.handle(id).signal(dataTrustEvent, { typeId: 1 });
    await h.waitFor(id, (s) => s.smsToken.lastResult === 'Expired');
    await h.client.resendSmsToken(id);
    await h.waitFor(id, (s) => s.references.dataTrustTransactionId === 'dt-1');
  });

  it('a state that changes nothing (still waiting) leaves the stage as it was', async () => {
    const id = await atSmsToken(tokenState('Waiting'));
    await h.client.handle(id).signal(dataTrustEvent, { typeId: 1 });
    await h.waitFor(id, () => h.calls(id, 'readSmsTokenState').length === 1);
    expect(await h.client.validateSmsToken(id, RIGHT_TOKEN)).toMatchObject({
      result: 'Valid',
      attemptsLeft: 3,
    });
    expect((await h.client.result(id)).status).toBe('completed');
  });
});

describe('the validateSmsToken update', () => {
  it('rejects a malformed token in its validator: nothing reaches Data Trust', async () => {
    const id = await atSmsToken();
    const err = await h.client.validateSmsToken(id, '12ab').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    const raw = await h.client
      .handle(id)
      .executeUpdate('validateSmsToken', { args: ['12ab'] })
      .catch((e: unknown) => e);
    expect(raw).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((raw as WorkflowUpdateFailedError).cause?.message).toBe('the token must be 4 to 8 digits');
    expect(h.calls(id, 'checkSmsToken')).toHaveLength(0);
    await h.client.validateSmsToken(id, RIGHT_TOKEN);
    await h.client.result(id);
  });

  it('is refused before the onboarding reaches the SMS token stage', async () => {
    const slowCheck: Script = {
      startIdentityCheck: async (req) => {
        await new Promise((r) => setTimeout(r, 1_000));
        return defaultScript.startIdentityCheck(req);
      },
    };
    const { onboardingId } = await h.start({}, slowCheck);
    await h.waitFor(onboardingId, (s) => s.stage === 'identity_check');
    const err = await h.client.validateSmsToken(onboardingId, RIGHT_TOKEN).catch((e: unknown) => e);
    expect((err as WorkflowUpdateFailedError).cause?.message).toBe(
      'the onboarding is not waiting for an SMS token (stage: identity_check)',
    );
    await h.waitFor(onboardingId, (s) => s.stage === 'sms_token');
    await h.client.validateSmsToken(onboardingId, RIGHT_TOKEN);
    expect((await h.client.result(onboardingId)).status).toBe('completed');
  });
});
