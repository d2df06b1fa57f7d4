/**
 * The record of a credit decision (LGPD art. 20: the applicant may ask for the criteria and for a
 * review of a decision taken by automated processing): what was decided, when, on which input,
 * under which policy and version, by which rule, and, where a person decided, who and why. It
 * holds no personal data of the applicant: the Data Trust score and transaction stand for the
 * check (docs/decisions.md says how a lender answers a request with it).
 */
import type { Principal } from './principal';

export interface DecisionRecord {
  onboardingId: string;
  tenant: string;
  /** The policy's verdict on the score. */
  verdict: 'approve' | 'reject' | 'review';
  /** What came of it: the verdict, or the manual review's decision (or its expiry). */
  result: 'approved' | 'rejected' | 'pending_review' | 'review_expired';
  /** True while no person took part: an automated decision in art. 20's sense. */
  automated: boolean;
  decidedAt: string;
  inputs: { dataTrustScore: number; dataTrustTransactionId?: string };
  policy: {
    /** Absent for onboardings started before policies had names. */
    name?: string;
    version?: number;
    approveScoreAtLeast: number;
    rejectScoreBelow: number;
  };
  /** The rule, in words: what a lender shows the applicant. */
  criteria: string;
  review?: {
    deadline: string;
    decidedAt?: string;
    approved?: boolean;
    /** Who sent the decision, as the path that sent it authenticated it. */
    principal?: Principal;
    /** The reviewer, in the lender's own words (the key's statement). */
    onBehalfOf?: string;
    /** The reviewer's reason, as the lender wrote it. */
    reason?: string;
  };
}

export const criteriaOf = (policy: DecisionRecord['policy']): string =>
  `approved when the Data Trust score is at least ${policy.approveScoreAtLeast}; rejected when it is below ${policy.rejectScoreBelow}; in between, a person reviews it`;
