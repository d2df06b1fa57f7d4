/**
 * One block per validation rule of the onboarding input (docs/input.md): each refused value
 * names its field and is never echoed; accepted edge cases parse, and parse again to themselves.
 */
import { describe, expect, it } from 'vitest';
import example from '../../examples/onboarding-input.json';
import { withCheckDigits } from '../../src/domain/cpf';
import {
  compareDecimals,
  InvalidOnboardingInput,
  parseOnboardingInput,
  type OnboardingInput,
  type ParseOptions,
} from '../../src/domain/input';

type Path = ReadonlyArray<string | number>;

/** The example with one value replaced (or removed, with `undefined`) at `path`. */
function variant(changes: Array<[Path, unknown]>): unknown {
  const draft = structuredClone(example) as unknown as Record<string, unknown>;
  for (const [path, value] of changes) {
    let node = draft as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path[path.length - 1]!] = value;
  }
  return draft;
}
const withValue = (path: Path, value: unknown): unknown => variant([[path, value]]);

function refusal(raw: unknown, options?: ParseOptions): InvalidOnboardingInput {
  try {
    parseOnboardingInput(raw, options);
  } catch (err) {
    if (err instanceof InvalidOnboardingInput) return err;
    throw err;
  }
  throw new Error('the input was accepted');
}

/**
 * Parses `value` at `path`: refused, naming exactly that field (with a message matching `message`,
 * if given), and neither the issues nor the error's message contain the value.
 */
function expectRefused(path: Path, value: unknown, message?: RegExp | string, options?: ParseOptions): void {
  const error = refusal(withValue(path, value), options);
  const field = path.join('.');
  const issues = error.issues.filter((i) => i.field === field);
  expect(issues, `${field} should be refused; issues: ${JSON.stringify(error.issues)}`).not.toHaveLength(0);
  if (message !== undefined)
    expect(issues.map((i) => i.message)).toContainEqual(
      typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message),
    );
  // Values of one or two characters ("", "0") may well appear in any message by chance.
  const echoed = typeof value === 'string' ? value.trim() : JSON.stringify(value);
  if (echoed.length < 3) return;
  expect(JSON.stringify(error.issues)).not.toContain(echoed);
  expect(error.message).not.toContain(echoed);
}

/** Parses `value` at `path`, expects it accepted and stored as `stored`; the output parses to itself. */
function expectAccepted(
  path: Path,
  value: unknown,
  stored?: unknown,
  options?: ParseOptions,
): OnboardingInput {
  const input = parseOnboardingInput(withValue(path, value), options);
  let node: unknown = input;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  if (stored !== undefined) expect(node).toEqual(stored);
  expect(parseOnboardingInput(input, options)).toEqual(input);
  return input;
}

const applicantSigner = ['signers', 0] as const;

describe('1. phones: a Brazilian mobile number, DDD from ANATEL + 9 digits starting with 9', () => {
  it.each([
    ['(11) 98765-4321', '11987654321'],
    ['+55 11 98765-4321', '11987654321'],
    ['+55 (11) 9 8765-4321', '11987654321'],
    ['11987654321', '11987654321'],
    ['5511987654321', '11987654321'],
    ['(55) 99876-5432', '55998765432'],
    ['+55 55 99876-5432', '55998765432'],
    ['(99) 91234-5678', '99912345678'],
  ])('accepts %s, stored as the 11 digits', (phone, digits) => {
    expectAccepted(['applicant', 'phone'], phone, digits);
    expectAccepted([...applicantSigner, 'phone'], phone, digits);
  });

  it.each(['(23) 98765-4321', '+55 23 98765-4321', '20987654321', '(10) 98765-4321', '(90) 98765-4321'])(
    'refuses an unknown area code: %s',
    (phone) => {
      expectRefused(['applicant', 'phone'], phone, 'unknown area code (DDD)');
      expectRefused([...applicantSigner, 'phone'], phone, 'unknown area code (DDD)');
    },
  );

  it.each([
    '(11) 3212-3456', // landline: 8 digits
    '(11) 9876-5432', // the old 8-digit mobile
    '(11) 88765-4321', // 9 digits not starting with 9
    '+55 11 3212-3456',
    '119876543210',
    '1234',
    '11 9876S-4321',
    '',
  ])('refuses %j as not a mobile number', (phone) => {
    expectRefused(['applicant', 'phone'], phone, 'must be a mobile number: DDD + 9 digits starting with 9');
    expectRefused(
      [...applicantSigner, 'phone'],
      phone,
      'must be a mobile number: DDD + 9 digits starting with 9',
    );
  });

  it('refuses a number of any shape that is far too long', () => {
    expectRefused(['applicant', 'phone'], `11 9${'8'.repeat(40)}`, 'at most 30 characters');
  });
});

describe('2. real calendar dates', () => {
  it('refuses birth dates that are not real dates (no rolling over), naming the field', () => {
    expectRefused(['applicant', 'birthDate'], '1988-02-30', 'is not a real calendar date');
    expectRefused(['applicant', 'birthDate'], '1900-02-29', 'is not a real calendar date');
    expectRefused(['applicant', 'birthDate'], '1988-13-01', 'is not a real calendar date');
    expectRefused(['applicant', 'birthDate'], '1988-04-00', 'is not a real calendar date');
    expectRefused(['applicant', 'birthDate'], '12/04/1988', 'must be a date as YYYY-MM-DD');
    expectRefused(['applicant', 'birthDate'], '1988-4-12', 'must be a date as YYYY-MM-DD');
    expectRefused(['applicant', 'birthDate'], '1899-12-31', 'year between 1900 and 2200');
    expectRefused([...applicantSigner, 'birthDate'], '1990-02-30', 'is not a real calendar date');
    expectAccepted(['applicant', 'birthDate'], '2000-02-29', '2000-02-29');
    expectAccepted([...applicantSigner, 'birthDate'], '1988-04-12', '1988-04-12');
  });

  const first = ['loan', 'terms', 'first_installment_due_date'] as const;
  const last = ['loan', 'terms', 'last_installment_due_date'] as const;

  it('refuses CCB due dates that are not real dd/mm/yyyy dates between 1900 and 2200', () => {
    for (const field of [first, last]) {
      expectRefused(field, '99/99/9999', 'is not a real calendar date');
      expectRefused(field, '31/02/2027', 'is not a real calendar date');
      expectRefused(field, '29/02/2027', 'is not a real calendar date');
      expectRefused(field, '00/01/2027', 'is not a real calendar date');
      expectRefused(field, '2027-01-10', 'must be a date as dd/mm/yyyy');
      expectRefused(field, '1/1/2027', 'must be a date as dd/mm/yyyy');
      expectRefused(field, '01/01/1899', 'year between 1900 and 2200');
      expectRefused(field, '01/01/2201', 'year between 1900 and 2200');
    }
    expectAccepted(last, '29/02/2028', '29/02/2028');
    expectAccepted(last, '31/12/2200', '31/12/2200');
  });

  it('refuses a first due date after the last one; the same day is fine', () => {
    const error = refusal(variant([[first, '11/12/2027']]));
    expect(error.issues).toEqual([
      {
        field: 'loan.terms.first_installment_due_date',
        message: 'must not be after last_installment_due_date',
      },
    ]);
    expect(error.message).not.toContain('11/12/2027');
    expect(refusal(variant([[first, '01/01/2028']])).issues.map((i) => i.field)).toEqual([first.join('.')]);
    expect(parseOnboardingInput(variant([[first, '10/12/2027']])).loan.terms.first_installment_due_date).toBe(
      '10/12/2027',
    );
  });
});

describe('3. amounts and rates: exact decimal strings within bounds', () => {
  const terms = (field: string) => ['loan', 'terms', field] as const;
  const positive = ['financed_amount', 'disbursed_amount', 'pmt'];
  const nonNegative = [
    'tac',
    'iof',
    'ccb_registration_fee',
    'commercial_yearly_interest_rate',
    'commercial_monthly_interest_rate',
    'cet_yearly_rate',
    'cet_monthly_rate',
  ];

  it.each(positive)('%s must be greater than 0', (field) => {
    expectRefused(terms(field), '0.00', 'must be greater than 0');
    expectRefused(terms(field), '-480.15', 'must be greater than 0');
    expectRefused(terms(field), -480.15, 'must be greater than 0');
    expectRefused(terms(field), 0, 'must be greater than 0');
  });

  it.each(nonNegative)('%s must not be negative; 0 is fine', (field) => {
    expectRefused(terms(field), '-0.01', 'must not be negative');
    expectRefused(terms(field), -12.5, 'must not be negative');
    expectAccepted(terms(field), '0', '0');
    expectAccepted(terms(field), 0, '0');
  });

  it.each([...positive, ...nonNegative])('%s refuses what is not a decimal or is absurdly large', (field) => {
    expectRefused(terms(field), '1,234.56', 'must be a decimal number');
    expectRefused(terms(field), '12.', 'must be a decimal number');
    expectRefused(terms(field), 'NaN', 'must be a decimal number');
    expectRefused(terms(field), 1e21, 'must be a decimal number');
    expectRefused(terms(field), '1234567890123456', 'at most 15 digits before the decimal point');
    expectRefused(terms(field), `1.${'1'.repeat(21)}`, 'at most 20 digits after the decimal point');
    const largest = '123456789012345.12';
    const input = parseOnboardingInput(
      variant([
        [terms(field), largest],
        [terms('financed_amount'), largest], // so that disbursed_amount may be as large
      ]),
    );
    expect(input.loan.terms[field as keyof typeof input.loan.terms]).toBe(largest);
  });

  it('keeps numbers and strings exact, with as many decimals as given', () => {
    expectAccepted(terms('financed_amount'), 5000.5, '5000.5');
    expectAccepted(terms('financed_amount'), ' 5000.125 ', '5000.125');
    expectAccepted(terms('tac'), '150.0000', '150.0000');
  });

  it('refuses a disbursed amount above the financed amount, compared exactly (not as floats)', () => {
    // Both are the same double: only an exact comparison sees the difference.
    expect(Number('999999999999999.02')).toBe(Number('999999999999999.01'));
    const error = refusal(
      variant([
        [terms('financed_amount'), '999999999999999.01'],
        [terms('disbursed_amount'), '999999999999999.02'],
      ]),
    );
    expect(error.issues).toEqual([
      { field: 'loan.terms.disbursed_amount', message: 'must not exceed financed_amount' },
    ]);
    expect(JSON.stringify(error.issues)).not.toContain('999999999999999');
    expectRefused(terms('disbursed_amount'), '5000.001', 'must not exceed financed_amount');
    expectAccepted(terms('disbursed_amount'), '5000.000', '5000.000');
    expectAccepted(terms('disbursed_amount'), 5000, '5000');
  });

  it('compares decimals exactly', () => {
    expect(compareDecimals('10', '9.999999999999999999')).toBe(1);
    expect(compareDecimals('0.1', '0.10')).toBe(0);
    expect(compareDecimals('0012.5', '12.50')).toBe(0);
    expect(compareDecimals('999999999999999.01', '999999999999999.02')).toBe(-1);
  });
});

describe('4. the applicant is of age on the onboarding date (UTC); birth dates are not in the future', () => {
  const birthDate = ['applicant', 'birthDate'] as const;
  const today = new Date('2026-06-15T12:00:00Z');

  it('accepts an applicant who turns 18 today, refuses one who turns 18 tomorrow', () => {
    expectAccepted(birthDate, '2008-06-15', '2008-06-15', { today });
    expectRefused(birthDate, '2008-06-16', 'must be at least 18 years old', { today });
    expectRefused(birthDate, '2020-01-01', 'must be at least 18 years old', { today });
  });

  it('judges the date in UTC', () => {
    // 23:30 in São Paulo on 15 June is already 16 June in UTC.
    const lateEvening = new Date('2026-06-15T23:30:00-03:00');
    expectAccepted(birthDate, '2008-06-16', '2008-06-16', { today: lateEvening });
  });

  it('someone born on 29 February comes of age on 1 March in a common year', () => {
    expectRefused(birthDate, '2008-02-29', 'at least 18', { today: new Date('2026-02-28T12:00:00Z') });
    expectAccepted(birthDate, '2008-02-29', '2008-02-29', { today: new Date('2026-03-01T00:00:00Z') });
  });

  it('refuses birth dates in the future and ages above 120', () => {
    expectRefused(birthDate, '2026-06-16', 'must not be in the future', { today });
    expectRefused(birthDate, '2099-01-01', 'must not be in the future', { today });
    expectAccepted(birthDate, '1905-06-16', '1905-06-16', { today }); // 120, 121 tomorrow
    expectRefused(birthDate, '1905-06-15', 'must not be more than 120 years ago', { today });
  });

  it("signers' birth dates must not be in the future, without a minimum age", () => {
    const signerBirthDate = [...applicantSigner, 'birthDate'] as const;
    expectRefused(signerBirthDate, '2026-06-16', 'must not be in the future', { today });
    expectAccepted(signerBirthDate, '2026-06-15', '2026-06-15', { today });
    expectAccepted(signerBirthDate, '2010-01-01', '2010-01-01', { today });
    expect(parseOnboardingInput(withValue(signerBirthDate, undefined)).signers[0]!.birthDate).toBeUndefined();
  });

  it('with one argument, judges on the day it runs', () => {
    const now = new Date();
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    const tomorrow = new Date(now.getTime() + 86_400_000);
    const seventeen = new Date(Date.UTC(now.getUTCFullYear() - 17, 0, 1));
    expectRefused(birthDate, iso(tomorrow), 'must not be in the future');
    expectRefused(birthDate, iso(seventeen), 'at least 18');
    expect(parseOnboardingInput(example).applicant.birthDate).toBe('1988-04-12');
  });
});

describe('5. printable, normalized text; person names are letters', () => {
  const unprintable: Array<[string, string]> = [
    ['NUL (Cc)', 'Maria\u0000Souza'],
    ['a tab (Cc)', 'Maria\tSouza'],
    ['a trailing newline (Cc)', 'Maria Souza\n'],
    ['a right-to-left override (Cf)', 'Maria \u202ESouza'],
    ['a zero-width space (Cf)', 'Maria\u200BSouza'],
    ['a zero-width joiner (Cf)', 'Maria\u200DSouza'],
    ['a byte order mark (Cf)', '\uFEFFMaria Souza'],
    ['private use (Co)', 'Maria \uE000Souza'],
    ['an unassigned code point (Cn)', 'Maria \u0378Souza'],
    ['a lone surrogate', 'Maria \uD800Souza'],
    ['a line separator', 'Maria\u2028Souza'],
  ];
  const textFields: Path[] = [
    ['applicant', 'name'],
    [...applicantSigner, 'name'],
    ['applicant', 'address', 'street'],
    ['applicant', 'address', 'number'],
    ['applicant', 'address', 'complement'],
    ['applicant', 'address', 'district'],
    ['applicant', 'address', 'city'],
    ['loan', 'terms', 'maturity'],
    ['loan', 'terms', 'bank_name'],
    ['loan', 'terms', 'bank_agency_number'],
    ['loan', 'terms', 'bank_account_number'],
    ['loan', 'terms', 'issuer_rg'],
    ['loan', 'terms', 'issuer_cnh'],
    ['loan', 'terms', 'guarantor_rg'],
    ['loan', 'terms', 'guarantor_full_address'],
  ];

  it.each(unprintable)('refuses %s in every free-text field', (_, value) => {
    for (const field of textFields) {
      const short =
        field.includes('number') || /_rg$|_cnh$/.test(String(field.at(-1))) ? value.slice(0, 12) : value;
      const error = refusal(withValue(field, short));
      expect(error.issues).toEqual([
        { field: field.join('.'), message: expect.stringContaining('printable characters only') },
      ]);
    }
  });

  it.each([
    ['José Dávila-Sá Jr.', 'José Dávila-Sá Jr.'],
    ["Joana D'Arc", "Joana D'Arc"],
    ['Zoë O’Brien', 'Zoë O’Brien'],
    ['  Maria   Aparecida\u00A0 Souza  ', 'Maria Aparecida Souza'],
    ['Jose\u0301 Ma\u0301rio', 'José Mário'], // NFD → NFC
    ['李小龍', '李小龍'],
    ['Łukasz Żółć', 'Łukasz Żółć'],
    ['Li', 'Li'],
  ])('accepts the name %j, stored as %j', (name, stored) => {
    expectAccepted(['applicant', 'name'], name, stored);
    expectAccepted([...applicantSigner, 'name'], name, stored);
  });

  it.each([
    ['digits', 'Maria Souza 2'],
    ['an @', 'maria@souza'],
    ['an emoji', 'Maria 😀 Souza'],
    ['a slash', 'Maria/Souza'],
    ['underscores', 'Maria_Souza'],
  ])('refuses a name with %s', (_, name) => {
    expectRefused(
      ['applicant', 'name'],
      name,
      'must contain only letters, spaces, apostrophes, hyphens and dots',
    );
    expectRefused([...applicantSigner, 'name'], name, 'must contain only letters');
  });

  it('refuses names with fewer than 2 letters, and empty names', () => {
    expectRefused(['applicant', 'name'], 'M.', 'must contain at least 2 letters');
    expectRefused(['applicant', 'name'], "- ' -", 'must contain at least 2 letters');
    expectRefused([...applicantSigner, 'name'], 'J', 'must contain at least 2 letters');
    expect(refusal(withValue(['applicant', 'name'], '   ')).issues).toEqual([
      { field: 'applicant.name', message: 'must not be empty' },
    ]);
  });

  it('normalizes other free text the same way, keeping punctuation and digits', () => {
    expectAccepted(['applicant', 'address', 'city'], ' Sa\u0303o   Paulo ', 'São Paulo');
    expectAccepted(['applicant', 'address', 'number'], 'S/N', 'S/N');
    expectAccepted(['loan', 'terms', 'bank_name'], 'Banco C6 S.A.', 'Banco C6 S.A.');
    expectAccepted(['applicant', 'address', 'complement'], '', '');
    expectRefused(['applicant', 'address', 'street'], '   ', 'must not be empty');
  });
});

describe('6. length limits on every string and array', () => {
  const email = (length: number) => {
    const domain = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
    return `${'a'.repeat(length - 1 - domain.length)}@${domain}`;
  };
  it.each<[string, number, Path, (n: number) => string]>([
    ['applicant.name', 120, ['applicant', 'name'], (n) => 'a'.repeat(n)],
    ['signers.0.name', 120, [...applicantSigner, 'name'], (n) => 'a'.repeat(n)],
    ['applicant.email', 254, ['applicant', 'email'], email],
    ['signers.0.email', 254, [...applicantSigner, 'email'], email],
    ['street', 120, ['applicant', 'address', 'street'], (n) => 'r'.repeat(n)],
    ['number', 20, ['applicant', 'address', 'number'], (n) => '1'.repeat(n)],
    ['complement', 80, ['applicant', 'address', 'complement'], (n) => 'c'.repeat(n)],
    ['district', 80, ['applicant', 'address', 'district'], (n) => 'd'.repeat(n)],
    ['city', 80, ['applicant', 'address', 'city'], (n) => 'c'.repeat(n)],
    ['maturity', 40, ['loan', 'terms', 'maturity'], (n) => 'm'.repeat(n)],
    ['bank_name', 80, ['loan', 'terms', 'bank_name'], (n) => 'b'.repeat(n)],
    ['bank_agency_number', 80, ['loan', 'terms', 'bank_agency_number'], (n) => '1'.repeat(n)],
    ['bank_account_number', 80, ['loan', 'terms', 'bank_account_number'], (n) => '1'.repeat(n)],
    ['issuer_rg', 20, ['loan', 'terms', 'issuer_rg'], (n) => '1'.repeat(n)],
    ['issuer_cnh', 20, ['loan', 'terms', 'issuer_cnh'], (n) => '1'.repeat(n)],
    ['guarantor_rg', 20, ['loan', 'terms', 'guarantor_rg'], (n) => '1'.repeat(n)],
    ['guarantor_full_address', 300, ['loan', 'terms', 'guarantor_full_address'], (n) => 'g'.repeat(n)],
  ])('%s: at most %i characters', (_, max, path, make) => {
    expect(make(max)).toHaveLength(max);
    expectAccepted(path, make(max));
    expectRefused(path, make(max + 1), `must be at most ${max} characters`);
  });

  it('counts the length after normalization (spaces collapsed and trimmed)', () => {
    expectAccepted(['applicant', 'name'], `  ${'a'.repeat(60)}     ${'b'.repeat(59)}  `);
  });

  it('refuses formatted CPFs, CEPs and durations that are far too long', () => {
    expectRefused(['applicant', 'cpf'], `529.982.247-25${' '.repeat(30)}`, 'at most 30 characters');
    expectRefused(['applicant', 'address', 'zipCode'], `05422-010${' '.repeat(30)}`, 'at most 30 characters');
  });

  it('at most 10 signers', () => {
    const witness = (i: number) => ({
      ...example.signers[0]!,
      role: 'witness',
      cpf: withCheckDigits(String(100_000_000 + i * 1111)),
    });
    const ten = [example.signers[0]!, ...Array.from({ length: 9 }, (_, i) => witness(i + 1))];
    expect(parseOnboardingInput(withValue(['signers'], ten)).signers).toHaveLength(10);
    const error = refusal(withValue(['signers'], [...ten, witness(10)]));
    expect(error.issues.map((i) => i.field)).toEqual(['signers']);
  });
});

describe('the credit policy is named, never carried', () => {
  it('refuses thresholds and durations in the input, naming each rule and echoing no value', () => {
    const error = refusal({ ...example, policy: { approveScoreAtLeast: 0, rejectScoreBelow: 0 } });
    expect(error.issues.map((i) => i.field)).toEqual([
      'policy.approveScoreAtLeast',
      'policy.rejectScoreBelow',
    ]);
    expect(error.issues[0]!.message).toContain("is the credit policy's, on the server");
    const checks = refusal({ ...example, policy: { statusCheckInitialMs: 1 } });
    expect(checks.issues.map((i) => i.field)).toEqual(['policy.statusCheckInitialMs']);
  });

  it('takes a policy name, and refuses anything else as one', () => {
    expect(parseOnboardingInput({ ...example, policy: 'premium-2' }).policy).toBe('premium-2');
    expect(parseOnboardingInput({ ...example, policy: undefined }).policy).toBeUndefined();
    for (const bad of ['Premium', '', 'a'.repeat(33), 7, ['standard']]) {
      expect(refusal({ ...example, policy: bad }).issues.map((i) => i.field)).toEqual(['policy']);
    }
  });
});

describe('7. the whole input is at most 64 KiB of JSON', () => {
  it('refuses a 3 MB field with one issue on (input), quickly, echoing nothing', () => {
    const huge = 'a'.repeat(3 * 1024 * 1024);
    const started = performance.now();
    const error = refusal(withValue(['applicant', 'name'], huge));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error.issues).toEqual([{ field: '(input)', message: 'is larger than 64 KiB' }]);
    expect(error.message.length).toBeLessThan(200);
  });

  it('counts bytes (UTF-8), not characters', () => {
    const name = 'ã'.repeat(40_000); // 40,000 characters, 80,000 bytes
    expect(refusal(withValue(['applicant', 'address', 'street'], name)).issues).toEqual([
      { field: '(input)', message: 'is larger than 64 KiB' },
    ]);
  });

  it('an input just under the limit reaches the field checks', () => {
    const error = refusal(withValue(['applicant', 'address', 'street'], 'r'.repeat(60_000)));
    expect(error.issues.map((i) => i.field)).toEqual(['applicant.address.street']);
  });

  it('refuses input that is not JSON data (a cycle, a BigInt) with a clear error, not a crash', () => {
    const cyclic = structuredClone(example) as Record<string, unknown>;
    cyclic['self'] = cyclic;
    expect(refusal(cyclic).issues).toEqual([
      { field: '(input)', message: expect.stringContaining('must be plain JSON data') },
    ]);
    expect(refusal(withValue(['loan', 'installments'], 12n)).issues).toEqual([
      { field: '(input)', message: expect.stringContaining('must be plain JSON data') },
    ]);
    expect(refusal(undefined).issues.map((i) => i.field)).toEqual(['(input)']);
  });
});

describe('8. onboarding ids carry no personal data', () => {
  const numberMessage =
    'must not carry a number of 8 or more digits (it could be a CPF, CNPJ or phone); use letters, shorter numbers or a UUID';

  it.each([
    '52998224725', // CPF
    '529-982-247-25',
    '529_982_247_25',
    'cpf-529-982-247-25',
    '11222333000181', // CNPJ
    '11-222-333-0001-81',
    '5511987654321', // phone
    '11987654321',
    'x_98765_4321',
    'onb-98765--4321',
    'a12345678',
    'onb-123e4567-e89b-12d3-a456-426614174000-1234-5678',
    '5299822123e4567-e89b-12d3-a456-426614174000', // digits glued to a UUID
  ])('refuses %s', (id) => {
    expectRefused(['onboardingId'], id, numberMessage);
  });

  it.each([
    ['11.222.333/0001-81'],
    ['529.982.247-25'],
    ['-leading-dash'],
    ['_leading'],
    ['has space'],
    ['ação'],
    [''],
    ['a'.repeat(65)],
  ])('refuses %j: outside the safe alphabet or length', (id) => {
    expectRefused(['onboardingId'], id, 'must be 1-64 characters: letters, digits, "-" or "_"');
  });

  it.each([
    'demo-0001',
    'demo-0001-mwuajqzh',
    't-mwu9x1-0',
    'bench-abc123-17',
    'replay-assinebem',
    'act-1',
    'order-1234567',
    'onb-123e4567-e89b-12d3-a456-426614174000',
    '123e4567-e89b-12d3-a456-426614174000',
    '12345678-1234-1234-1234-123456789012',
    '123E4567-E89B-12D3-A456-426614174000_retry-2',
    'a'.repeat(64),
  ])('accepts %s', (id) => {
    expectAccepted(['onboardingId'], id, id);
  });
});

describe('9. e-mails', () => {
  it('trims and lower-cases', () => {
    expectAccepted(['applicant', 'email'], '  Maria.Souza@Example.COM ', 'maria.souza@example.com');
    expectAccepted([...applicantSigner, 'email'], 'MARIA@EXAMPLE.COM', 'maria@example.com');
  });

  it.each(['maria@', 'maria.souza', 'maria souza@example.com', 'maria@exa\u0000mple.com', '@example.com'])(
    'refuses %j',
    (email) => {
      expectRefused(['applicant', 'email'], email, 'is not a valid e-mail address');
      expectRefused([...applicantSigner, 'email'], email, 'is not a valid e-mail address');
    },
  );
});

describe('10. CEP and CPF', () => {
  const zip = ['applicant', 'address', 'zipCode'] as const;
  it('CEP: 8 digits, formatted or not, not all zeros', () => {
    expectAccepted(zip, '05422-010', '05422010');
    expectAccepted(zip, '05.422-010', '05422010');
    expectAccepted(zip, '05422010', '05422010');
    expectRefused(zip, '00000-000', 'must be a CEP with 8 digits, not all zeros');
    expectRefused(zip, '0542-010', 'must be a CEP with 8 digits');
    expectRefused(zip, '054220100', 'must be a CEP with 8 digits');
    expectRefused(zip, '05422-01O', 'must be a CEP with 8 digits');
  });

  it('CPF: valid check digits, formatted or not', () => {
    expectAccepted(['applicant', 'cpf'], '529.982.247-25', '52998224725');
    expectAccepted([...applicantSigner, 'cpf'], '529.982.247-25', '52998224725');
    expectRefused(['applicant', 'cpf'], '529.982.247-24', 'is not a valid CPF');
    expectRefused(['applicant', 'cpf'], '111.111.111-11', 'is not a valid CPF');
    expectRefused(['applicant', 'cpf'], '5299822472', 'is not a valid CPF');
  });
});

describe('idempotency', () => {
  it('a messy but valid input normalizes, and its output parses again to itself', () => {
    const messy = variant([
      [['onboardingId'], 'onb-123e4567-e89b-12d3-a456-426614174000'],
      [['applicant', 'name'], '  Jose\u0301   D\u2019A\u0301vila  '],
      [['applicant', 'phone'], '+55 (11) 9 8765-4321'],
      [['applicant', 'email'], ' Jose@Example.COM '],
      [['applicant', 'address', 'city'], ' Sa\u0303o\u00A0Paulo '],
      [['applicant', 'address', 'zipCode'], '05.422-010'],
      [['loan', 'terms', 'financed_amount'], 5000.5],
      [['loan', 'terms', 'disbursed_amount'], ' 4800.00 '],
      [['loan', 'terms', 'guarantor_full_address'], ' Rua  A,  10 — São Paulo/SP '],
      [[...applicantSigner, 'name'], 'José   D’Ávila'],
      [[...applicantSigner, 'phone'], '(11) 98765-4321'],
    ]);
    const input = parseOnboardingInput(messy);
    expect(input.applicant.name).toBe('José D’Ávila');
    expect(input.signers[0]!.name).toBe('José D’Ávila');
    expect(input.applicant.phone).toBe('11987654321');
    expect(input.applicant.email).toBe('jose@example.com');
    expect(input.applicant.address.city).toBe('São Paulo');
    expect(input.loan.terms.financed_amount).toBe('5000.5');
    expect(input.loan.terms.disbursed_amount).toBe('4800.00');
    expect(input.loan.terms.guarantor_full_address).toBe('Rua A, 10 — São Paulo/SP');
    const again = parseOnboardingInput(input);
    expect(again).toEqual(input);
    expect(parseOnboardingInput(again)).toEqual(input);
  });
});

describe('no refused value is ever echoed', () => {
  it('an input wrong everywhere names every field and contains none of its values', () => {
    const secrets = {
      id: 'cpf-529-982-247-25',
      name: 'Maria\u202ESouza',
      cpf: '529.982.247-24',
      phone: '(23) 98765-4321',
      email: 'maria.souza@',
      birthDate: '1988-02-30',
      street: 'Rua\u200BSecreta',
      zip: '00000-000',
      financed: '-123456.78',
      first: '31/02/2027',
      bank: 'Banco\u0000Secreto',
    };
    const error = refusal(
      variant([
        [['onboardingId'], secrets.id],
        [['applicant', 'name'], secrets.name],
        [['applicant', 'cpf'], secrets.cpf],
        [['applicant', 'phone'], secrets.phone],
        [['applicant', 'email'], secrets.email],
        [['applicant', 'birthDate'], secrets.birthDate],
        [['applicant', 'address', 'street'], secrets.street],
        [['applicant', 'address', 'zipCode'], secrets.zip],
        [['loan', 'terms', 'financed_amount'], secrets.financed],
        [['loan', 'terms', 'first_installment_due_date'], secrets.first],
        [['loan', 'terms', 'bank_name'], secrets.bank],
      ]),
    );
    expect(error.issues.map((i) => i.field)).toEqual(
      expect.arrayContaining([
        'onboardingId',
        'applicant.name',
        'applicant.cpf',
        'applicant.phone',
        'applicant.email',
        'applicant.birthDate',
        'applicant.address.street',
        'applicant.address.zipCode',
        'loan.terms.financed_amount',
        'loan.terms.first_installment_due_date',
        'loan.terms.bank_name',
      ]),
    );
    const serialized = JSON.stringify(error.issues);
    for (const secret of [...Object.values(secrets), '52998224724', '23987654321', '123456.78', 'Secret']) {
      expect(serialized).not.toContain(secret);
      expect(error.message).not.toContain(secret);
    }
  });
});
