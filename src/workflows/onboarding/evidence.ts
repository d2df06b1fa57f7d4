/**
 * The completed onboarding's evidence record (docs/evidence.md): the workflow gathers what it knows
 * (ids, times, the decision; no personal data) and an activity, which holds the key, adds what the
 * provider says and signs it. The signed record rides in the outcome, encrypted in history like
 * every payload. A record that cannot be made leaves the onboarding completed, with a note.
 */
import { CancellationScope, isCancellation, workflowInfo } from '@temporalio/workflow';
import type { EvidenceFacts } from '../../domain/evidence';
import type { OnboardingOutcome } from '../../domain/onboarding';
import type { Envelope } from '../../signing/contract';
import type { ProviderCalls } from './calls';
import { describeFailure } from './outcome';
import type { OnboardingState } from './state';

/** Signs the evidence of `outcome` (completed) and adds it; notes in the timeline why when it cannot. */
export async function addEvidence(
  state: OnboardingState,
  calls: ProviderCalls,
  envelope: Envelope,
  outcome: OnboardingOutcome,
): Promise<OnboardingOutcome> {
  const facts = evidenceFacts(state, envelope);
  if (typeof facts === 'string') {
    state.note('finished', `no evidence record: ${facts}`);
    return outcome;
  }
  try {
    // The onboarding is complete: a cancel arriving now does not stop its record.
    outcome.evidence = await CancellationScope.nonCancellable(() =>
      calls.documentTransfer(envelope.provider).signEvidence(facts),
    );
  } catch (err) {
    if (isCancellation(err)) throw err;
    state.note('finished', `no evidence record: ${describeFailure(err)}`);
  }
  return outcome;
}

/** What the workflow knows for the record, or what is missing from it. */
function evidenceFacts(state: OnboardingState, envelope: Envelope): EvidenceFacts | string {
  const { identity, smsTokenTrail, review } = state;
  if (identity === undefined || identity.decision === 'reject') return 'the identity check is not recorded';
  if (smsTokenTrail.validatedAt === undefined) return 'the SMS token validation is not recorded';
  const version = workflowInfo().currentDeploymentVersion;
  const principalType = review?.decision?.principal?.type;
  const { dataTrustTransactionId: _current, envelopeId: _envelope, ...references } = state.references;
  return {
    onboardingId: state.onboardingId,
    tenant: state.tenant,
    completedAt: new Date().toISOString(),
    identityCheck: { dataTrustTransactionIds: [...state.dataTrustTransactions], score: identity.score },
    decision: {
      verdict: identity.decision,
      ...(state.policy ? { policy: { ...state.policy } } : {}),
      ...(review?.decision && principalType
        ? { manualReview: { approved: review.decision.approved, principalType } }
        : {}),
    },
    smsToken: {
      validatedAt: smsTokenTrail.validatedAt,
      checks: smsTokenTrail.checks,
      tokensSent: Math.max(1, state.dataTrustTransactions.length),
    },
    signers: state.signers.map(({ index, role }) => ({ index, role })),
    references,
    // Unversioned, the SDK still names a build id of its own (from the worker's code): kept, if any.
    build: version?.deploymentName
      ? { deploymentName: version.deploymentName, buildId: version.buildId, versioned: true }
      : { versioned: false, ...(version?.buildId ? { buildId: version.buildId } : {}) },
    envelope,
    timeline: state.timeline.map(({ stage, at }) => ({ stage, at })),
  };
}
