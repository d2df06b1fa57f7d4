/**
 * The onboarding's input: one zod schema, used by the client before anything starts and again by
 * the workflow's first activity (for onboardings started from the Temporal CLI or another SDK).
 * The schema is idempotent: its output parses again to itself, so a normalized input can be
 * validated twice.
 *
 * Every message says what is wrong with a field, never what was sent: the input carries personal
 * data (CPF, phone, birth date), and errors end up in logs and in the workflow's failure.
 */
import { z } from 'zod';
import { signingProviderNames, type SigningProviderName } from '../providers/registry';
import { signerRoles } from '../signing/contract';
import { cepDigits, isValidCep, mobileVerdict, phoneDigits } from './phone-and-cep';
import { isValidCpf, normalizeCpf } from './cpf';
import { policyNamePattern, policyRulesSchema } from './credit-policy';
import { DEFAULT_TENANT, tenantPattern } from './tenant';

/** The registered signing providers (src/providers/registry.ts). */
export const signingProviders = signingProviderNames;
export const signingProviderSchema = z.enum(signingProviderNames);
export type { SigningProviderName };

/** The limits the schema enforces (documented in the README's "Validation" section). */
export const inputLimits = {
  /** The JSON serialization of the whole input, in bytes (UTF-8). */
  inputBytes: 64 * 1024,
  onboardingIdLength: 64,
  /** The longest number (digits joined by "-", "_" or ".") an onboarding id may carry, UUIDs aside. */
  onboardingIdNumberDigits: 7,
  signers: 10,
  installments: 480,
  personName: 120,
  email: 254,
  street: 120,
  addressNumber: 20,
  complement: 80,
  district: 80,
  city: 80,
  /** bank_name, bank_agency_number, bank_account_number. */
  bankField: 80,
  maturity: 40,
  /** issuer_rg, issuer_cnh, guarantor_rg. */
  identityDocument: 20,
  guarantorFullAddress: 300,
  /** Raw (formatted) phone, CPF and CEP strings, before their digits are taken. */
  formattedNumber: 30,
  /** A duration given as text ("15 minutes"). */
  durationText: 40,
  /** Money and rates: digits before and after the decimal point. */
  integerDigits: 15,
  fractionDigits: 20,
  minYear: 1900,
  maxYear: 2200,
  applicantMinAge: 18,
  applicantMaxAge: 120,
} as const;

const L = inputLimits;

const UFS = [
  'AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA', 'PB', 'PR', 'PE', 'PI', 'RJ',
  'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO',
] as const; // prettier-ignore

// --- onboarding id -------------------------------------------------------------------------------

/** A canonical UUID (8-4-4-4-12 hex) standing on its own inside an id (not glued to letters or digits). */
const UUID_IN_ID =
  /(?<![A-Za-z0-9])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![A-Za-z0-9])/g;
/** Digits joined by separators read as one number: "529-982-247-25", "98765_4321". */
const NUMBER_IN_ID = /\d+(?:[-_.]+\d+)*/g;

/** How many digits the longest number in an id has, once its UUIDs are set aside. */
export function longestNumberInId(id: string): number {
  const withoutUuids = id.replace(UUID_IN_ID, 'u');
  let longest = 0;
  for (const [run] of withoutUuids.matchAll(NUMBER_IN_ID)) {
    longest = Math.max(longest, run.replace(/\D/g, '').length);
  }
  return longest;
}

/**
 * The lender's own id for the onboarding. It names the workflow (visible in Temporal's UI, its
 * history and logs), so it must not carry personal data: no number long enough to be a CPF, a CNPJ
 * or a phone, however it is formatted. UUIDs are fine.
 */
export const onboardingIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'must be 1-64 characters: letters, digits, "-" or "_", starting with a letter or digit',
  )
  .refine(
    (v) => longestNumberInId(v) <= L.onboardingIdNumberDigits,
    'must not carry a number of 8 or more digits (it could be a CPF, CNPJ or phone); use letters, shorter numbers or a UUID',
  );

// --- Brazilian documents and numbers -------------------------------------------------------------

const formatted = z.string().max(L.formattedNumber, `must be at most ${L.formattedNumber} characters`);

export const cpfSchema = formatted
  .transform(normalizeCpf)
  .refine(isValidCpf, 'is not a valid CPF (11 digits with valid check digits)');

/**
 * A Brazilian mobile number: a DDD from ANATEL's list + 9 digits starting with 9. Accepted as
 * "(11) 98765-4321", "+55 11 98765-4321" or "11987654321"; stored as the 11 digits.
 */
export const mobilePhoneSchema = formatted.transform(phoneDigits).superRefine((digits, ctx) => {
  const verdict = mobileVerdict(digits);
  if (verdict === 'not_mobile')
    ctx.addIssue({ code: 'custom', message: 'must be a mobile number: DDD + 9 digits starting with 9' });
  else if (verdict === 'unknown_ddd')
    ctx.addIssue({ code: 'custom', message: 'has an unknown area code (DDD)' });
});

const cepSchema = formatted.transform(cepDigits).superRefine((digits, ctx) => {
  if (!isValidCep(digits))
    ctx.addIssue({ code: 'custom', message: 'must be a CEP with 8 digits, not all zeros' });
});

// --- dates ---------------------------------------------------------------------------------------

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const isLeapYear = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

function daysIn(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The date, or what is wrong with it: no rolling over (2027-02-31 is not 2027-03-03). */
function calendarDate(year: number, month: number, day: number): CalendarDate | string {
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return 'is not a real calendar date';
  if (year < L.minYear || year > L.maxYear) return `must have a year between ${L.minYear} and ${L.maxYear}`;
  return { year, month, day };
}

function isoDate(value: string): CalendarDate | string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return 'must be a date as YYYY-MM-DD';
  return calendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function brDate(value: string): CalendarDate | string {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (!m) return 'must be a date as dd/mm/yyyy';
  return calendarDate(Number(m[3]), Number(m[2]), Number(m[1]));
}

const dayNumber = (d: CalendarDate): number => d.year * 10_000 + d.month * 100 + d.day;

/** Today's date in UTC. */
const utcDate = (now: Date): CalendarDate => ({
  year: now.getUTCFullYear(),
  month: now.getUTCMonth() + 1,
  day: now.getUTCDate(),
});

/** Whole years from `birth` to `today` (someone born on 29 February comes of age on 1 March). */
function ageOn(birth: CalendarDate, today: CalendarDate): number {
  const beforeBirthday = today.month * 100 + today.day < birth.month * 100 + birth.day;
  return today.year - birth.year - (beforeBirthday ? 1 : 0);
}

/** When the input is parsed: `parseOnboardingInput(raw, { today })` fixes it for tests. */
type Clock = () => Date;
const systemClock: Clock = () => new Date();

/** A birth date (YYYY-MM-DD): a real date, not in the future; for the applicant, of age. */
const birthDateSchema = (clock: Clock, person: 'applicant' | 'signer') =>
  z.string().superRefine((value, ctx) => {
    const birth = isoDate(value);
    if (typeof birth === 'string') return void ctx.addIssue({ code: 'custom', message: birth });
    const today = utcDate(clock());
    if (dayNumber(birth) > dayNumber(today))
      return void ctx.addIssue({ code: 'custom', message: 'must not be in the future' });
    if (person !== 'applicant') return;
    const age = ageOn(birth, today);
    if (age < L.applicantMinAge)
      ctx.addIssue({
        code: 'custom',
        message: `the applicant must be at least ${L.applicantMinAge} years old on the onboarding date`,
      });
    else if (age > L.applicantMaxAge)
      ctx.addIssue({ code: 'custom', message: `must not be more than ${L.applicantMaxAge} years ago` });
  });

const dueDateSchema = z.string().superRefine((value, ctx) => {
  const date = brDate(value);
  if (typeof date === 'string') ctx.addIssue({ code: 'custom', message: date });
});

// --- money and rates -----------------------------------------------------------------------------

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** What is wrong with a decimal string, if anything. */
function decimalProblem(value: string, sign: 'positive' | 'non-negative'): string | undefined {
  const mustBe = sign === 'positive' ? 'must be greater than 0' : 'must not be negative';
  if (value.startsWith('-')) return mustBe;
  const m = DECIMAL.exec(value);
  if (!m) return 'must be a decimal number with "." as the decimal separator, e.g. 1234.56';
  if (m[1]!.length > L.integerDigits)
    return `must have at most ${L.integerDigits} digits before the decimal point`;
  if ((m[2] ?? '').length > L.fractionDigits)
    return `must have at most ${L.fractionDigits} digits after the decimal point`;
  if (sign === 'positive' && !/[1-9]/.test(value)) return mustBe;
  return undefined;
}

/** Compares two valid decimal strings exactly (BigInt on the digits, scaled to the same places). */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const [ai = '0', af = ''] = a.split('.');
  const [bi = '0', bf = ''] = b.split('.');
  const places = Math.max(af.length, bf.length);
  const x = BigInt(ai + af.padEnd(places, '0'));
  const y = BigInt(bi + bf.padEnd(places, '0'));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Money and rates as decimal strings (the CCB template renders them); numbers are accepted and kept exact. */
const decimal = (sign: 'positive' | 'non-negative') =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const value = typeof v === 'number' ? String(v) : v.trim();
    const problem = decimalProblem(value, sign);
    if (problem === undefined) return value;
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });

const isValidDecimal = (v: unknown): v is string =>
  typeof v === 'string' && decimalProblem(v, 'non-negative') === undefined;

// --- text ----------------------------------------------------------------------------------------

/**
 * Control (Cc), format (Cf: zero-width spaces and joiners, bidi overrides), private-use (Co),
 * unassigned (Cn) and lone surrogate (Cs) code points, and line/paragraph separators.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/u;

/** NFC, runs of spaces (any Unicode space) collapsed to one, trimmed. Idempotent. */
const normalizeText = (v: string): string =>
  v
    .normalize('NFC')
    .replace(/\p{Zs}+/gu, ' ')
    .trim();

/**
 * Free text: printable, normalized, at most `max` characters (after normalization); required
 * (at least one character) unless `min` is 0. `refine` adds checks on the normalized text.
 */
const text = (
  max: number,
  min: 0 | 1 = 1,
  refine: (s: z.ZodString) => z.ZodType<string, string> = (s) => s,
) =>
  z
    .string()
    .refine(
      (v) => !UNPRINTABLE.test(v),
      'must contain printable characters only (no control, invisible formatting, private-use or unassigned characters)',
    )
    .transform(normalizeText)
    .pipe(
      refine(
        z
          .string()
          .min(min, { error: 'must not be empty', abort: true })
          .max(max, { error: `must be at most ${max} characters`, abort: true }),
      ),
    );

/** A person's name: letters of any script (with their combining marks), spaces, apostrophes, hyphens, dots. */
const personName = text(L.personName, 1, (s) =>
  s
    .regex(/^[\p{L}\p{M} '\u2019.-]+$/u, 'must contain only letters, spaces, apostrophes, hyphens and dots')
    .refine((v) => (v.match(/\p{L}/gu) ?? []).length >= 2, 'must contain at least 2 letters'),
);

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(
    z
      .email({ error: 'is not a valid e-mail address' })
      .max(L.email, { error: `must be at most ${L.email} characters` }),
  );

// --- the input -----------------------------------------------------------------------------------

export const addressSchema = z.object({
  street: text(L.street),
  number: text(L.addressNumber),
  complement: text(L.complement, 0).optional(),
  district: text(L.district),
  city: text(L.city),
  state: z.enum(UFS, { error: 'must be a Brazilian state (UF), e.g. SP' }),
  zipCode: cepSchema,
});
export type Address = z.infer<typeof addressSchema>;

const applicantSchemaAt = (clock: Clock) =>
  z.object({
    name: personName,
    cpf: cpfSchema,
    phone: mobilePhoneSchema,
    email,
    birthDate: birthDateSchema(clock, 'applicant'),
    address: addressSchema,
  });
export const applicantSchema = applicantSchemaAt(systemClock);
export type Applicant = z.infer<typeof applicantSchema>;

const signerSchemaAt = (clock: Clock) =>
  z.object({
    role: z.enum(signerRoles),
    name: personName,
    cpf: cpfSchema,
    email,
    phone: mobilePhoneSchema,
    birthDate: birthDateSchema(clock, 'signer').optional(),
  });
export const signerSchema = signerSchemaAt(systemClock);
export type Signer = z.infer<typeof signerSchema>;

/**
 * The CCB `document_data` fields of a personal-credit CCB (docs/providers/securities.md) that the
 * lender supplies. The issuer's name, CPF, e-mail and address come from the applicant, and the
 * guarantor's from the guarantor signer, so they are not repeated here.
 */
export const ccbTermsSchema = z
  .object({
    financed_amount: decimal('positive'),
    disbursed_amount: decimal('positive'),
    tac: decimal('non-negative'),
    pmt: decimal('positive'),
    iof: decimal('non-negative'),
    ccb_registration_fee: decimal('non-negative'),
    maturity: text(L.maturity),
    first_installment_due_date: dueDateSchema,
    last_installment_due_date: dueDateSchema,
    commercial_yearly_interest_rate: decimal('non-negative'),
    commercial_monthly_interest_rate: decimal('non-negative'),
    cet_yearly_rate: decimal('non-negative'),
    cet_monthly_rate: decimal('non-negative'),
    bank_name: text(L.bankField),
    bank_agency_number: text(L.bankField),
    bank_account_number: text(L.bankField),
    issuer_rg: text(L.identityDocument).optional(),
    issuer_cnh: text(L.identityDocument).optional(),
    guarantor_rg: text(L.identityDocument).optional(),
    guarantor_full_address: text(L.guarantorFullAddress).optional(),
  })
  .superRefine((terms, ctx) => {
    // Fields that failed their own checks are not compared.
    const { financed_amount: financed, disbursed_amount: disbursed } = terms;
    if (isValidDecimal(financed) && isValidDecimal(disbursed) && compareDecimals(disbursed, financed) > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['disbursed_amount'],
        message: 'must not exceed financed_amount',
      });
    const first =
      typeof terms.first_installment_due_date === 'string' && brDate(terms.first_installment_due_date);
    const last =
      typeof terms.last_installment_due_date === 'string' && brDate(terms.last_installment_due_date);
    if (
      first &&
      last &&
      typeof first !== 'string' &&
      typeof last !== 'string' &&
      dayNumber(first) > dayNumber(last)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['first_installment_due_date'],
        message: 'must not be after last_installment_due_date',
      });
  });
export type CcbTerms = z.infer<typeof ccbTermsSchema>;

export const loanSchema = z.object({
  /** UUID of the CCB template in Securities. */
  templateKey: z.uuid({ error: 'must be the UUID of a Securities template' }),
  installments: z.number().int().min(1).max(L.installments),
  terms: ccbTermsSchema,
});
export type Loan = z.infer<typeof loanSchema>;

/**
 * The credit policy the onboarding asks for, by name (./credit-policy.ts): its tenant's default when
 * absent. Thresholds and durations are the server's: an input that carries them is refused, naming
 * each (never its value).
 */
const policyField = z
  .unknown()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return undefined;
    if (typeof v === 'string' && policyNamePattern.test(v)) return v;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const rules = Object.keys(v).filter((k) => k in policyRulesSchema.shape);
      for (const rule of rules)
        ctx.addIssue({ code: 'custom', path: [rule], message: POLICY_IS_THE_SERVERS });
      if (rules.length === 0) ctx.addIssue({ code: 'custom', message: POLICY_IS_THE_SERVERS });
      return z.NEVER;
    }
    ctx.addIssue({
      code: 'custom',
      message: 'must be the name of a credit policy: lowercase letters, digits and dashes',
    });
    return z.NEVER;
  })
  .meta({
    type: 'string',
    pattern: policyNamePattern.source,
    description: "The name of a credit policy the key's tenant may use; its tenant's default when absent.",
  });

const POLICY_IS_THE_SERVERS =
  "is the credit policy's, on the server, not the request's: name a policy (docs/credit-policies.md)";

export type { Policy } from './credit-policy';

const inputFieldsAt = (clock: Clock) => ({
  onboardingId: onboardingIdSchema,
  applicant: applicantSchemaAt(clock),
  loan: loanSchema,
  signers: z.array(signerSchemaAt(clock)).min(1).max(L.signers),
  signingProvider: signingProviderSchema,
  policy: policyField,
});

/** The tenant the onboarding belongs to (src/domain/tenant.ts); set by who starts it, never by the applicant. */
export const tenantSchema = z
  .string()
  .regex(tenantPattern, 'must be lowercase letters, digits and dashes, at most 32')
  .default(DEFAULT_TENANT);

const onboardingInputSchemaAt = (clock: Clock) =>
  z.object({ ...inputFieldsAt(clock), tenant: tenantSchema }).superRefine(signerRules);

/**
 * What a lender's backend sends the HTTP API to start an onboarding: the input, but the tenant is
 * the API key's, so a body that names one is refused.
 */
export const startRequestSchema = z
  .object({
    ...inputFieldsAt(systemClock),
    tenant: z.never({ error: 'is the API key’s tenant: it cannot be set in the request' }).optional(),
  })
  .superRefine(signerRules);

/** Exactly one signer is the applicant, with the applicant's CPF; no CPF signs twice. */
function signerRules(
  input: { applicant: { cpf: string }; signers: Array<{ role: string; cpf: string }> },
  ctx: z.RefinementCtx,
): void {
  const applicants = input.signers.filter((s) => s.role === 'applicant');
  if (applicants.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['signers'],
      message: 'must contain exactly one signer with role "applicant"',
    });
  } else if (applicants[0]?.cpf !== input.applicant.cpf) {
    ctx.addIssue({
      code: 'custom',
      path: ['signers', input.signers.indexOf(applicants[0]!), 'cpf'],
      message: "the applicant signer must have the applicant's CPF",
    });
  }
  const seen = new Set<string>();
  input.signers.forEach((s, i) => {
    if (seen.has(s.cpf))
      ctx.addIssue({ code: 'custom', path: ['signers', i, 'cpf'], message: 'appears twice' });
    seen.add(s.cpf);
  });
}

/**
 * The whole input. The applicant's age and "not in the future" are judged on the day it is parsed
 * (UTC). The size limit (`inputLimits.inputBytes`) is checked by `parseOnboardingInput`, before this.
 */
export const onboardingInputSchema = onboardingInputSchemaAt(systemClock);

/** What the lender's backend passes in (before normalization). */
export type OnboardingInputDraft = z.input<typeof onboardingInputSchema>;
/** The validated, normalized input the workflow runs on. */
export type OnboardingInput = z.infer<typeof onboardingInputSchema>;

export class InvalidOnboardingInput extends Error {
  constructor(readonly issues: Array<{ field: string; message: string }>) {
    super(`Invalid onboarding input: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
    this.name = 'InvalidOnboardingInput';
  }
}

/** What is wrong with the input as a whole (too large, not JSON), before any field is looked at. */
function wholeInputProblem(raw: unknown): string | undefined {
  let json: string | undefined;
  try {
    json = JSON.stringify(raw) as string | undefined;
  } catch {
    return 'must be plain JSON data (it cannot be serialized: a cycle, a BigInt or a failing toJSON)';
  }
  if (json === undefined) return undefined; // undefined or a function: the schema names the type
  // UTF-8 takes at least one byte per UTF-16 unit, so a long string is too large without encoding it.
  if (json.length > L.inputBytes || new TextEncoder().encode(json).length > L.inputBytes)
    return `is larger than ${L.inputBytes / 1024} KiB`;
  return undefined;
}

export interface ParseOptions {
  /** The onboarding date the applicant's age is judged on (UTC); defaults to now. */
  today?: Date;
}

/** Validates and normalizes; the error names every bad field and never echoes a value. */
export function parseOnboardingInput(raw: unknown, options: ParseOptions = {}): OnboardingInput {
  const problem = wholeInputProblem(raw);
  if (problem !== undefined) throw new InvalidOnboardingInput([{ field: '(input)', message: problem }]);
  const { today } = options;
  const schema = today === undefined ? onboardingInputSchema : onboardingInputSchemaAt(() => today);
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new InvalidOnboardingInput(
    parsed.error.issues.map((i) => ({
      field: i.path.map(String).join('.') || '(input)',
      message: i.code === 'invalid_type' ? `is required or has the wrong type (${i.message})` : i.message,
    })),
  );
}
