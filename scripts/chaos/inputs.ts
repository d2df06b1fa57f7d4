/** The chaos run's onboardings: the example input with a new id, a signing provider in turn and a seeded CPF. */
import example from '../../examples/onboarding-input.json';
import type { OnboardingInputDraft } from '../../src/client';
import { withCheckDigits } from '../../src/domain/cpf';
import { signingProviders } from '../../src/domain/input';
import { seededRandom } from '../../simulators/kit';

export function chaosInputs(count: number, seed: number): OnboardingInputDraft[] {
  const random = seededRandom(seed ^ 0x63706673);
  const digit = () => Math.floor(random() * 10);
  const base = example as OnboardingInputDraft;
  return Array.from({ length: count }, (_, i) => {
    // First digit 2-9: the Data Trust simulator scores it 70 or more, which the default policy approves.
    const cpf = withCheckDigits([2 + Math.floor(random() * 8), ...Array.from({ length: 8 }, digit)].join(''));
    return {
      ...base,
      onboardingId: `chaos-${String(i + 1).padStart(4, '0')}`,
      signingProvider: signingProviders[i % signingProviders.length]!,
      applicant: { ...base.applicant, cpf },
      signers: [{ ...base.signers[0]!, cpf, role: 'applicant' }],
      // Signers sign a second after the envelope is sent: check soon and often (scripts/tooling-policies.ts).
      policy: 'chaos',
    };
  });
}
