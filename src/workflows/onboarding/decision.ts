/** The policy's verdict on a Data Trust score, and its record. Pure: no Temporal, no I/O. */
import { criteriaOf, type DecisionRecord } from '../../domain/decision-record';
import type { Policy } from '../../domain/input';

export type Verdict = 'approve' | 'reject' | 'review';

/** Approve at or above `approveScoreAtLeast`, reject below `rejectScoreBelow`, a person decides in between. */
export function decide(
  score: number,
  policy: Pick<Policy, 'approveScoreAtLeast' | 'rejectScoreBelow'>,
): Verdict {
  if (score >= policy.approveScoreAtLeast) return 'approve';
  if (score < policy.rejectScoreBelow) return 'reject';
  return 'review';
}

/** The record of the verdict (src/domain/decision-record.ts), as it stands when the score is judged. */
export function decisionRecordOf(
  on: {
    onboardingId: string;
    tenant: string;
    policy?: { name: string; version: number };
    references: { dataTrustTransactionId?: string };
  },
  verdict: Verdict,
  score: number,
  policy: Pick<Policy, 'approveScoreAtLeast' | 'rejectScoreBelow'>,
): DecisionRecord {
  const rules = {
    ...(on.policy ? { name: on.policy.name, version: on.policy.version } : {}),
    approveScoreAtLeast: policy.approveScoreAtLeast,
    rejectScoreBelow: policy.rejectScoreBelow,
  };
  const transaction = on.references.dataTrustTransactionId;
  return {
    onboardingId: on.onboardingId,
    tenant: on.tenant,
    verdict,
    result: verdict === 'approve' ? 'approved' : verdict === 'reject' ? 'rejected' : 'pending_review',
    automated: true,
    decidedAt: new Date().toISOString(),
    inputs: { dataTrustScore: score, ...(transaction ? { dataTrustTransactionId: transaction } : {}) },
    policy: rules,
    criteria: criteriaOf(rules),
  };
}
