/** The manual review: a person decides when the score falls between the policy's thresholds. */
import { condition } from '@temporalio/workflow';
import type { Policy } from '../../domain/input';
import type { Inbox } from './inbox';
import { Finished } from './outcome';
import type { OnboardingState } from './state';

/** Waits for the `reviewDecision` signal until the review deadline; a denial or no decision ends the onboarding. */
export async function awaitManualReview(state: OnboardingState, inbox: Inbox, policy: Policy): Promise<void> {
  state.enter('manual_review');
  const review = { deadline: new Date(Date.now() + policy.reviewTimeoutMs).toISOString() };
  state.review = review;
  if (state.decision) state.decision.review = { ...review };
  const decided = await condition(() => inbox.reviewDecision !== undefined, policy.reviewTimeoutMs, {
    summary: 'manual review deadline',
  });
  const decision = inbox.reviewDecision;
  if (!decided || decision === undefined) {
    if (state.decision) state.decision.result = 'review_expired';
    throw new Finished('expired', 'the manual review was not decided in time');
  }
  state.review = { ...review, decision };
  if (state.decision) {
    // A person took part: no longer a decision taken solely by automated processing.
    state.decision.automated = false;
    state.decision.result = decision.approved ? 'approved' : 'rejected';
    state.decision.review = {
      ...review,
      decidedAt: new Date().toISOString(),
      approved: decision.approved,
      principal: decision.principal,
      ...(decision.onBehalfOf ? { onBehalfOf: decision.onBehalfOf } : {}),
      ...(decision.reason ? { reason: decision.reason } : {}),
    };
  }
  if (!decision.approved) {
    throw new Finished('rejected', `manual review denied${decision.reason ? `: ${decision.reason}` : ''}`);
  }
}
