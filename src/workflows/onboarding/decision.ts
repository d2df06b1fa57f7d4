/** The policy's verdict on a Data Trust score. Pure: no Temporal, no I/O. */
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
