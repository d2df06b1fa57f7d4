/**
 * What a CCB is made of, as the activities that create and register it receive it: the issuer,
 * the loan and the guarantor, and nothing else of the input (no phones, no policy, no other
 * signers). Plain code, no schemas: the workflow builds it.
 */
import type { Applicant, Loan, OnboardingInput } from './input';

export interface CcbContent {
  onboardingId: string;
  issuer: Pick<Applicant, 'name' | 'cpf' | 'email' | 'address'>;
  loan: Loan;
  guarantor?: { name: string; cpf: string };
}

export function ccbContentOf(input: Omit<OnboardingInput, 'policy'>): CcbContent {
  const { name, cpf, email, address } = input.applicant;
  const guarantor = input.signers.find((s) => s.role === 'guarantor');
  return {
    onboardingId: input.onboardingId,
    issuer: { name, cpf, email, address },
    loan: input.loan,
    ...(guarantor ? { guarantor: { name: guarantor.name, cpf: guarantor.cpf } } : {}),
  };
}
