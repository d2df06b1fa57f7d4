/**
 * What stays of an onboarding whose personal data was erased: when, on whose request, and its last
 * status with nothing personal in it (no signer's name), so the lender can still show the outcome
 * and the credit decision (docs/privacy.md).
 */
import { z } from 'zod';
import type { OnboardingStatus } from './onboarding';

export const erasureCauses = ['request', 'retention'] as const;

export const erasureRecordSchema = z.object({
  erasedAt: z.string(),
  /** `request`: DELETE .../personal-data; `retention`: the schedule, past the retention period. */
  cause: z.enum(erasureCauses),
  /** Who asked (a principal's `kind:name@tenant`), for a request. */
  by: z.string().optional(),
  /** The onboarding's status when erased, its signers' names removed (an object: src/domain/onboarding.ts). */
  status: z.record(z.string(), z.unknown()).optional(),
});

export type ErasureRecord = z.infer<typeof erasureRecordSchema>;

/** Stands where a personal value was, in what is kept of an erased onboarding. */
export const ERASED = '[erased]';

/**
 * The onboarding's status as kept after erasure: the signers' names replaced, and what may carry
 * values typed by people about the applicant (repairs' corrections, refused commands, why it waited
 * for attention) left out. Ids, stages, times, the outcome and the decision record stay.
 */
export function erasedStatusOf(status: OnboardingStatus): OnboardingStatus {
  const { repairs: _repairs, attention: _attention, ...kept } = status;
  return {
    ...kept,
    signers: status.signers.map((s) => ({ ...s, name: ERASED })),
    refusedCommands: [],
  };
}
