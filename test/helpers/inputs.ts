/** Onboarding inputs for tests: the example input with one change set, and CPFs by Data Trust verdict. */
import example from '../../examples/onboarding-input.json';
import { withCheckDigits } from '../../src/domain/cpf';
import type { OnboardingInputDraft } from '../../src/domain/input';

let counter = 0;
/** A unique onboarding id per test. */
export const newOnboardingId = (label: string): string =>
  `${label}-${Date.now().toString(36)}-n${(counter++).toString(36)}`.slice(0, 64);

/** CPFs that the Data Trust simulator scores as approve (first digit 2-9), review (1) or reject (0). */
export const cpfs = {
  approve: withCheckDigits('529982247'),
  review: withCheckDigits('123456789'),
  reject: withCheckDigits('012345678'),
};

/** The example input with one change set: a new id, the provider, the applicant's CPF, policy. */
export function onboardingInput(
  changes: {
    onboardingId?: string;
    signingProvider?: OnboardingInputDraft['signingProvider'];
    cpf?: string;
    applicantName?: string;
    policy?: OnboardingInputDraft['policy'];
    extraSigners?: OnboardingInputDraft['signers'];
  } = {},
): OnboardingInputDraft {
  const cpf = changes.cpf ?? cpfs.approve;
  const name = changes.applicantName ?? example.applicant.name;
  const base = example as OnboardingInputDraft;
  return {
    ...base,
    onboardingId: changes.onboardingId ?? newOnboardingId('t'),
    signingProvider: changes.signingProvider ?? 'assinebem',
    applicant: { ...base.applicant, cpf, name },
    signers: [{ ...base.signers[0]!, cpf, name, role: 'applicant' }, ...(changes.extraSigners ?? [])],
    policy: { statusCheckInitialMs: '1 minute', statusCheckMaxMs: '10 minutes', ...(changes.policy ?? {}) },
  };
}
