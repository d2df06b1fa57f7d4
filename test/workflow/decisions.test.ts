/** The decision after the Data Trust check: by score, or by a person within the review deadline. */
import { describe, expect, it } from 'vitest';
import { simulatorState } from '../helpers/simulators';
import {
  answerSmsToken,
  useOnboardingServer,
  cpfs,
  onboardingInput,
  waitForStatus,
} from '../helpers/onboarding';

const server = useOnboardingServer('time-skipping');
const h = server.harness({ autoSignMs: 0 });

const proposalCount = async () =>
  (await simulatorState<{ counts: { proposals: number } }>(h.simulators.baseUrls.SECURITIES_BASE_URL)).counts
    .proposals;

it('rejects a low score at once, and creates no CCB', async () => {
  const before = await proposalCount();
  const input = onboardingInput({ cpf: cpfs.reject });
  const { outcome, status } = await h.run(async () => {
    await h.client.start(input);
    const outcome = await h.client.result(input.onboardingId);
    return { outcome, status: await h.client.status(input.onboardingId) };
  });
  expect(outcome.status).toBe('rejected');
  expect(outcome.reason).toMatch(/score [\d.]+ is below 30$/);
  expect(outcome.references.dataTrustTransactionId).toEqual(expect.any(String));
  expect(outcome.references.proposalId).toBeUndefined();
  expect(status.identity).toMatchObject({ decision: 'reject' });
  expect(outcome.timeline.map((t) => t.stage)).toEqual([
    'validating_input',
    'identity_check',
    'decision',
    'finished',
  ]);
  expect(await proposalCount()).toBe(before);
});

it('honours the policy thresholds the lender passes', async () => {
  // The same "approve" CPF goes to manual review when the lender asks for a higher score.
  const input = onboardingInput({ policy: { approveScoreAtLeast: 100, reviewTimeoutMs: '1 hour' } });
  const outcome = await h.run(async () => {
    await h.client.start(input);
    const s = await waitForStatus(h.client, input.onboardingId, (x) => x.stage === 'manual_review');
    expect(s.review?.deadline).toEqual(expect.any(String));
    return h.client.result(input.onboardingId);
  });
  expect(outcome.status).toBe('expired');
});

describe('manual review', () => {
  it('approved by a reviewer: the onboarding goes on to the SMS token and completes', async () => {
    const input = onboardingInput({ cpf: cpfs.review });
    const { outcome, status } = await h.run(async () => {
      await h.client.start(input);
      const waiting = await waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'manual_review');
      expect(waiting.identity?.decision).toBe('review');
      await h.client.review(input.onboardingId, {
        approved: true,
        onBehalfOf: 'ana.credito',
        reason: 'renda ok',
      });
      await answerSmsToken(h, input.onboardingId);
      const outcome = await h.client.result(input.onboardingId);
      return { outcome, status: await h.client.status(input.onboardingId) };
    });
    expect(outcome.status).toBe('completed');
    expect(status.review?.decision).toMatchObject({
      approved: true,
      onBehalfOf: 'ana.credito',
      principal: h.client.principal,
    });
    expect(outcome.timeline.map((t) => t.stage)).toContain('manual_review');
  });

  it('denied by a reviewer: rejected with the reviewer’s reason', async () => {
    const input = onboardingInput({ cpf: cpfs.review });
    const outcome = await h.run(async () => {
      await h.client.start(input);
      await waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'manual_review');
      await h.client.review(input.onboardingId, {
        approved: false,
        onBehalfOf: 'ana.credito',
        reason: 'comprometimento de renda',
      });
      return h.client.result(input.onboardingId);
    });
    expect(outcome.status).toBe('rejected');
    expect(outcome.reason).toBe('manual review denied: comprometimento de renda');
    expect(outcome.references.proposalId).toBeUndefined();
  });

  it('not decided before the review deadline: expired (the deadline is a durable timer)', async () => {
    const input = onboardingInput({ cpf: cpfs.review, policy: { reviewTimeoutMs: '2 days' } });
    const outcome = await h.run(async () => {
      await h.client.start(input);
      await waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'manual_review');
      return h.client.result(input.onboardingId);
    });
    const at = (stage: string) => Date.parse(outcome.timeline.find((t) => t.stage === stage)!.at);
    expect(outcome.status).toBe('expired');
    expect(outcome.reason).toBe('the manual review was not decided in time');
    // Two days of workflow time went by (the test server skipped them).
    expect(at('finished') - at('manual_review')).toBeGreaterThanOrEqual(2 * 86_400_000);
  });

  it('ignores a review decision sent when no review is pending', async () => {
    const input = onboardingInput({ cpf: cpfs.approve });
    const outcome = await h.run(async () => {
      await h.client.start(input);
      await waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'sms_token');
      await h.client.review(input.onboardingId, { approved: false, reason: 'late' });
      await answerSmsToken(h, input.onboardingId);
      return h.client.result(input.onboardingId);
    });
    expect(outcome.status).toBe('completed');
  });
});
