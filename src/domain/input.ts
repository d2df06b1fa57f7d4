/**
 * The onboarding's input: one zod schema, used by the client before anything starts and again by
 * the workflow's first activity (for onboardings started from the Temporal CLI or another SDK).
 * The schema is idempotent: its output parses again to itself, so a normalized input can be
 * validated twice.
 */
import { z } from 'zod';
import { msToNumber } from '@temporalio/common/lib/time';
import { signingProviderNames, type SigningProviderName } from '../providers/registry';
import { signerRoles } from '../signing/contract';
import { isValidCpf, normalizeCpf } from './cpf';

/** The registered signing providers (src/providers/registry.ts). */
export const signingProviders = signingProviderNames;
export const signingProviderSchema = z.enum(signingProviderNames);
export type { SigningProviderName };

const UFS = [
  'AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA', 'PB', 'PR', 'PE', 'PI', 'RJ',
  'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO',
] as const; // prettier-ignore

/** The lender's own id for the onboarding. It names the workflow, so it must not carry personal data. */
export const onboardingIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'use 1-64 letters, digits, "-" or "_"')
  .refine(
    (v) => !/^\d{11}$/.test(v) && !/^\d{14}$/.test(v),
    'must not be a CPF or CNPJ (it becomes the workflow id)',
  );

export const cpfSchema = z
  .string()
  .transform(normalizeCpf)
  .refine(isValidCpf, 'is not a valid CPF (11 digits with valid check digits)');

/** Brazilian mobile: DDD (11-99) + 9 digits starting with 9, or + 8 digits (older numbers). Stored as digits. */
export const mobilePhoneSchema = z
  .string()
  .transform((v) => v.replace(/[\s().+-]/g, '').replace(/^55(?=\d{10,11}$)/, ''))
  .refine((v) => /^[1-9][1-9](9\d{8}|\d{8})$/.test(v), 'must be a mobile number: DDD + 8 or 9 digits');

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'is not a real date');

const brDate = z.string().regex(/^\d{2}\/\d{2}\/\d{4}$/, 'must be a date as dd/mm/yyyy');

/** Money and rates as decimal strings (the CCB template renders them); numbers are accepted and kept exact. */
const decimal = z
  .union([z.number().nonnegative(), z.string()])
  .transform((v) => String(v))
  .refine((v) => /^\d+(\.\d+)?$/.test(v), 'must be a non-negative decimal number');

const name = z.string().trim().min(3, 'is too short').max(200, 'is too long');
const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'is not a valid e-mail address' }));

export const addressSchema = z.object({
  street: z.string().trim().min(1).max(200),
  number: z.string().trim().min(1).max(20),
  complement: z.string().trim().max(100).optional(),
  district: z.string().trim().min(1).max(100),
  city: z.string().trim().min(1).max(100),
  state: z.enum(UFS, { error: 'must be a Brazilian state (UF), e.g. SP' }),
  zipCode: z
    .string()
    .transform((v) => v.replace(/[.\-\s]/g, ''))
    .refine((v) => /^\d{8}$/.test(v), 'must be a CEP with 8 digits'),
});
export type Address = z.infer<typeof addressSchema>;

export const applicantSchema = z.object({
  name,
  cpf: cpfSchema,
  phone: mobilePhoneSchema,
  email,
  birthDate: isoDate,
  address: addressSchema,
});
export type Applicant = z.infer<typeof applicantSchema>;

export const signerSchema = z.object({
  role: z.enum(signerRoles),
  name,
  cpf: cpfSchema,
  email,
  phone: mobilePhoneSchema,
  birthDate: isoDate.optional(),
});
export type Signer = z.infer<typeof signerSchema>;

/**
 * The CCB `document_data` fields of a personal-credit CCB (docs/providers/securities.md) that the
 * lender supplies. The issuer's name, CPF, e-mail and address come from the applicant, and the
 * guarantor's from the guarantor signer, so they are not repeated here.
 */
export const ccbTermsSchema = z.object({
  financed_amount: decimal,
  disbursed_amount: decimal,
  tac: decimal,
  pmt: decimal,
  iof: decimal,
  ccb_registration_fee: decimal,
  maturity: z.string().trim().min(1),
  first_installment_due_date: brDate,
  last_installment_due_date: brDate,
  commercial_yearly_interest_rate: decimal,
  commercial_monthly_interest_rate: decimal,
  cet_yearly_rate: decimal,
  cet_monthly_rate: decimal,
  bank_name: z.string().trim().min(1),
  bank_agency_number: z.string().trim().min(1),
  bank_account_number: z.string().trim().min(1),
  issuer_rg: z.string().trim().min(1).optional(),
  issuer_cnh: z.string().trim().min(1).optional(),
  guarantor_rg: z.string().trim().min(1).optional(),
  guarantor_full_address: z.string().trim().min(1).optional(),
});
export type CcbTerms = z.infer<typeof ccbTermsSchema>;

export const loanSchema = z.object({
  /** UUID of the CCB template in Securities. */
  templateKey: z.uuid({ error: 'must be the UUID of a Securities template' }),
  installments: z.number().int().min(1).max(480),
  terms: ccbTermsSchema,
});
export type Loan = z.infer<typeof loanSchema>;

/** A duration as milliseconds or a string Temporal understands ("15 minutes", "2h", "7 days"). */
const duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  try {
    const ms = msToNumber(v as Parameters<typeof msToNumber>[0]);
    if (Number.isFinite(ms) && ms > 0) return ms;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'must be a positive duration, e.g. "15 minutes" or 900000' });
  return z.NEVER;
});

/** The policy the lender may override per onboarding; every field has a default. */
export const policySchema = z
  .object({
    /** Data Trust score (0-100): at or above this the applicant is approved. */
    approveScoreAtLeast: z.number().min(0).max(100).default(70),
    /** Below this the applicant is rejected; in between goes to manual review. */
    rejectScoreBelow: z.number().min(0).max(100).default(30),
    /** How long a manual review may take before the onboarding ends as expired. */
    reviewTimeoutMs: duration.default(48 * 3_600_000),
    /** How long to wait for the applicant to type each SMS token. */
    smsTokenTimeoutMs: duration.default(15 * 60_000),
    /** How many new tokens may be sent after the first (on request or after expiry). */
    maxSmsTokenResends: z.number().int().min(0).max(5).default(2),
    /** From sending the CCB for signature to giving up on it. */
    signatureDeadlineMs: duration.default(7 * 86_400_000),
    /** Reminder interval, where the signing provider can remind (Assine Bem). */
    reminderIntervalMs: duration.default(24 * 3_600_000),
    /** First wait between status checks; doubles up to the maximum. */
    statusCheckInitialMs: duration.default(60_000),
    statusCheckMaxMs: duration.default(3_600_000),
  })
  .refine((p) => p.rejectScoreBelow <= p.approveScoreAtLeast, {
    message: 'rejectScoreBelow must not exceed approveScoreAtLeast',
    path: ['rejectScoreBelow'],
  })
  .refine((p) => p.statusCheckInitialMs <= p.statusCheckMaxMs, {
    message: 'statusCheckInitialMs must not exceed statusCheckMaxMs',
    path: ['statusCheckInitialMs'],
  });
export type Policy = z.infer<typeof policySchema>;

export const onboardingInputSchema = z
  .object({
    onboardingId: onboardingIdSchema,
    applicant: applicantSchema,
    loan: loanSchema,
    signers: z.array(signerSchema).min(1).max(10),
    signingProvider: signingProviderSchema,
    policy: policySchema.default(() => policySchema.parse({})),
  })
  .superRefine((input, ctx) => {
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
  });

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

/** Validates and normalizes; the error names every bad field and never echoes a value. */
export function parseOnboardingInput(raw: unknown): OnboardingInput {
  const parsed = onboardingInputSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new InvalidOnboardingInput(
    parsed.error.issues.map((i) => ({
      field: i.path.map(String).join('.') || '(input)',
      message: i.code === 'invalid_type' ? `is required or has the wrong type (${i.message})` : i.message,
    })),
  );
}
