import { describe, expect, it } from 'vitest';
import example from '../../examples/onboarding-input.json';
import { isValidCpf, withCheckDigits } from '../../src/domain/cpf';
import { InvalidOnboardingInput, parseOnboardingInput } from '../../src/domain/input';

const fieldsOf = (raw: unknown): string[] => {
  try {
    parseOnboardingInput(raw);
  } catch (err) {
    if (err instanceof InvalidOnboardingInput) return err.issues.map((i) => i.field);
    throw err;
  }
  return [];
};

describe('CPF', () => {
  it('accepts valid check digits, formatted or not, and rejects the rest', () => {
    expect(isValidCpf('529.982.247-25')).toBe(true);
    expect(isValidCpf('52998224725')).toBe(true);
    expect(isValidCpf('52998224724')).toBe(false);
    expect(isValidCpf('11111111111')).toBe(false);
    expect(isValidCpf('5299822472')).toBe(false);
    expect(isValidCpf(withCheckDigits('123456789'))).toBe(true);
  });
});

describe('onboarding input', () => {
  it('normalizes the example and parses its own output again to the same value', () => {
    const input = parseOnboardingInput(example);
    expect(input.applicant.cpf).toBe('52998224725');
    expect(input.applicant.phone).toBe('11987654321');
    expect(input.applicant.address.zipCode).toBe('05422010');
    expect(input.policy).toBe('standard');
    expect(input.tenant).toBe('default');
    expect(parseOnboardingInput(input)).toEqual(input);
    expect(parseOnboardingInput(input, { today: new Date('2030-01-01T00:00:00Z') })).toEqual(input);
  });

  it('names every bad field and never echoes the values', () => {
    const bad = {
      ...example,
      onboardingId: '52998224725',
      applicant: { ...example.applicant, cpf: '123.456.789-00', phone: '1234', email: 'maria@' },
      loan: { ...example.loan, templateKey: 'not-a-uuid', installments: 0 },
      signingProvider: 'docusign',
    };
    let error: InvalidOnboardingInput | undefined;
    try {
      parseOnboardingInput(bad);
    } catch (err) {
      error = err as InvalidOnboardingInput;
    }
    expect(error).toBeInstanceOf(InvalidOnboardingInput);
    expect(error!.issues.map((i) => i.field)).toEqual(
      expect.arrayContaining([
        'onboardingId',
        'applicant.cpf',
        'applicant.phone',
        'applicant.email',
        'loan.templateKey',
        'loan.installments',
        'signingProvider',
      ]),
    );
    for (const secret of ['123.456.789-00', '1234', 'maria@', '52998224725']) {
      expect(error!.message).not.toContain(secret);
      expect(JSON.stringify(error!.issues)).not.toContain(secret);
    }
  });

  it('requires exactly one applicant signer, with the applicant CPF, and no signer twice', () => {
    const guarantor = { ...example.signers[0]!, role: 'guarantor', cpf: withCheckDigits('111444777') };
    expect(fieldsOf({ ...example, signers: [guarantor] })).toContain('signers');
    expect(
      fieldsOf({ ...example, signers: [{ ...example.signers[0]!, cpf: withCheckDigits('111444777') }] }),
    ).toContain('signers.0.cpf');
    expect(fieldsOf({ ...example, signers: [example.signers[0]!, guarantor, guarantor] })).toContain(
      'signers.2.cpf',
    );
  });

  it('rejects policy overrides that contradict each other or are not durations', () => {
    expect(fieldsOf({ ...example, policy: { approveScoreAtLeast: 20, rejectScoreBelow: 50 } })).toContain(
      'policy.rejectScoreBelow',
    );
    expect(fieldsOf({ ...example, policy: { smsTokenTimeoutMs: 'soon' } })).toContain(
      'policy.smsTokenTimeoutMs',
    );
  });
});
