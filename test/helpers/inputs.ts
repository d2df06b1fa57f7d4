/** Onboarding inputs for tests: the example input with one change set, and CPFs by Data Trust verdict. */
import { TEST_POLICY, policyWith, testRules, type PolicyRules } from './policies';
import example from '../../examples/onboarding-input.json';
import { withCheckDigits } from '../../src/domain/cpf';
import type { OnboardingInputDraft } from '../../src/domain/input';

let counter = 0;
/** A unique onboarding id per test. */
export const newOnboardingId = (label: string): string =>
  `${label}-${Date.now().toString(36)}-n${(counter++).toString(36)}`.slice(0, 64);

let phones = 0;
/** A mobile number per input, as each applicant has one: the API starts few onboardings a day per phone. */
const newPhone = (): string => `119${87_000_000 + phones++}`;

/** CPFs that the Data Trust simulator scores as approve (first digit 2-9), review (1) or reject (0). */
export const cpfs = {
  approve: withCheckDigits('529982247'),
  review: withCheckDigits('123456789'),
  reject: withCheckDigits('012345678'),
};

/** The example input with one change set: a new id and phone, the provider, the applicant's CPF, policy. */
export function onboardingInput(
  changes: {
    onboardingId?: string;
    signingProvider?: OnboardingInputDraft['signingProvider'];
    cpf?: string;
    applicantName?: string;
    /** Rules over the test defaults: the input names a test policy with them (./policies.ts). */
    policy?: PolicyRules;
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
    applicant: { ...base.applicant, cpf, name, phone: newPhone() },
    signers: [{ ...base.signers[0]!, cpf, name, role: 'applicant' }, ...(changes.extraSigners ?? [])],
    policy: changes.policy === undefined ? TEST_POLICY : policyWith({ ...testRules, ...changes.policy }),
  };
}
