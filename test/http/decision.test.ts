/**
 * The record of each credit decision, over HTTP (LGPD art. 20): an approved, a rejected and a
 * reviewed onboarding each answer GET /v1/onboardings/{id}/decision with the verdict, the score, the
 * policy's name, version and thresholds, the rule in words, whether a person took part and, for the
 * review, who decided and why; no personal data of the applicant; another tenant gets 404.
 */
import { expect, it } from 'vitest';
import type { DecisionRecord } from '../../src/domain/decision-record';
import type { OnboardingInputDraft } from '../../src/domain/input';
import { sha256Hex } from '../../src/http/api-keys';
import { API_KEYS, useApi, waitForApiStage } from '../helpers/api';
import { answerSmsToken, cpfs, onboardingInput, useOnboardingServer } from '../helpers/onboarding';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: 200 });
const OTHER_KEY = 'decision-other-tenant-0123456789';
const api = useApi(h, { API_KEYS: `${API_KEYS},lender-b@lender-b:all:${sha256Hex(OTHER_KEY)}` });

const decisionOf = async (id: string) => {
  const answer = await api.call('GET', `/v1/onboardings/${id}/decision`);
  return { status: answer.status, record: (await answer.json()) as DecisionRecord };
};

const noPersonalData = (record: DecisionRecord, input: OnboardingInputDraft) => {
  const text = JSON.stringify(record);
  for (const value of [
    input.applicant.cpf,
    input.applicant.name,
    input.applicant.phone,
    input.applicant.email,
  ])
    expect(text).not.toContain(value);
};

it('an approved, a rejected and a reviewed onboarding each say how they were decided', async () => {
  await h.run(async () => {
    const approved = onboardingInput({ cpf: cpfs.approve, signingProvider: 'securities' });
    const rejected = onboardingInput({ cpf: cpfs.reject, signingProvider: 'securities' });
    const reviewed = onboardingInput({ cpf: cpfs.review, signingProvider: 'securities' });
    for (const input of [approved, rejected, reviewed])
      expect((await api.call('POST', '/v1/onboardings', input)).status).toBe(201);

    await answerSmsToken(h, approved.onboardingId);
    const a = await decisionOf(approved.onboardingId);
    expect(a.status).toBe(200);
    expect(a.record).toMatchObject({
      onboardingId: approved.onboardingId,
      tenant: 'default',
      verdict: 'approve',
      result: 'approved',
      automated: true,
      policy: { name: expect.any(String), version: expect.any(Number) },
    });
    expect(a.record.inputs.dataTrustScore).toBeGreaterThanOrEqual(a.record.policy.approveScoreAtLeast);
    expect(a.record.inputs.dataTrustTransactionId).toBeDefined();
    expect(a.record.criteria).toContain(`at least ${a.record.policy.approveScoreAtLeast}`);
    noPersonalData(a.record, approved);

    const r = await (async () => {
      await waitForApiStage(api, rejected.onboardingId, 'finished');
      return decisionOf(rejected.onboardingId);
    })();
    expect(r.record).toMatchObject({ verdict: 'reject', result: 'rejected', automated: true });
    expect(r.record.inputs.dataTrustScore).toBeLessThan(r.record.policy.rejectScoreBelow);
    noPersonalData(r.record, rejected);

    await waitForApiStage(api, reviewed.onboardingId, 'manual_review');
    const pending = await decisionOf(reviewed.onboardingId);
    expect(pending.record).toMatchObject({ verdict: 'review', result: 'pending_review', automated: true });
    expect(pending.record.review?.deadline).toBeDefined();
    const sent = await api.call('POST', `/v1/onboardings/${reviewed.onboardingId}/review`, {
      approved: true,
      reviewer: 'analyst-7',
      reason: 'income confirmed by payslip',
    });
    expect(sent.status).toBe(202);
    await waitForApiStage(api, reviewed.onboardingId, 'sms_token');
    const v = await decisionOf(reviewed.onboardingId);
    expect(v.record).toMatchObject({
      verdict: 'review',
      result: 'approved',
      automated: false,
      review: {
        approved: true,
        principal: { type: 'api-key', name: 'backend-test', tenant: 'default' },
        onBehalfOf: 'analyst-7',
        reason: 'income confirmed by payslip',
        decidedAt: expect.any(String),
      },
    });
    noPersonalData(v.record, reviewed);

    const other = { authorization: `Bearer ${OTHER_KEY}` };
    expect(
      (await api.call('GET', `/v1/onboardings/${approved.onboardingId}/decision`, undefined, other)).status,
    ).toBe(404);
    await h.client.cancel(reviewed.onboardingId, 'the test is over');
  });
});
