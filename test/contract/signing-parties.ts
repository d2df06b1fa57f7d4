/** The two signers the signing contract tests send: an applicant and a guarantor (made-up data). */
import type { SigningParty, SigningRequest } from '../../src/signing/contract';

export const sampleParty = (index: number, overrides: Partial<SigningParty> = {}): SigningParty => ({
  index,
  role: index === 0 ? 'applicant' : 'guarantor',
  name: index === 0 ? 'Maria Souza' : 'Carlos Lima',
  cpf: index === 0 ? '52998224725' : '11144477735',
  email: index === 0 ? 'maria.souza@example.com' : 'carlos.lima@example.com',
  phone: index === 0 ? '11987654321' : '21912345678',
  ...overrides,
});

let sequence = 0;

/** A send for a new onboarding each call (`<prefix>-<n>`), by the two sample signers. */
export function sampleSigningRequest(prefix: string): SigningRequest {
  sequence += 1;
  return {
    key: `onboarding-${prefix}-${sequence}`,
    onboardingId: `${prefix}-${sequence}`,
    proposal: { proposalId: 'p', number: `${prefix}-${sequence}`, documentKey: 'doc' },
    signers: [sampleParty(0), sampleParty(1)],
  };
}
