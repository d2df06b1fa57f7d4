/**
 * The repair route's contract (`POST /v1/onboardings/{id}/repair`): the action, why, and the
 * corrected fields, each checked as the input checks it, and only the fields a step may correct
 * (src/domain/repair.ts). The onboarding checks the corrected input whole again before it runs.
 */
import { z } from 'zod';
import { applicantSchema, ccbTermsSchema, loanSchema, signerSchema } from '../../domain/input';
import { repairActions, repairableSteps } from '../../domain/repair';
import { principalSchema } from './principal-schema';

const optionalFields = <S extends z.ZodRawShape>(shape: S) =>
  Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, (v as z.ZodType).optional()])) as unknown as {
    [K in keyof S]: z.ZodOptional<S[K]>;
  };

const applicant = applicantSchema.shape;
const signer = signerSchema.shape;

export const correctionsSchema = z
  .object({
    applicant: z
      .object(
        optionalFields({
          name: applicant.name,
          phone: applicant.phone,
          email: applicant.email,
          birthDate: applicant.birthDate,
          address: applicant.address,
        }),
      )
      .strict()
      .optional()
      .describe('For the identity check: the applicant as Data Trust is sent it (not the CPF).'),
    loan: z
      .object({
        templateKey: loanSchema.shape.templateKey.optional(),
        installments: loanSchema.shape.installments.optional(),
        terms: z
          .object(optionalFields(ccbTermsSchema.shape))
          .strict()
          .optional()
          .describe('Only the terms named are replaced.'),
      })
      .strict()
      .optional()
      .describe("For the CCB proposal: the loan's template, installments and terms."),
    signers: z
      .array(
        z
          .object({
            index: z.number().int().min(0).describe("The signer's position in the input's `signers`."),
            ...optionalFields({
              name: signer.name,
              email: signer.email,
              phone: signer.phone,
              birthDate: signer.birthDate.unwrap(),
            }),
          })
          .strict(),
      )
      .min(1)
      .optional()
      .describe('For sending for signature: each signer by its index (not the CPF or role).'),
  })
  .strict()
  .meta({ id: 'Corrections' });

export const repairBody = z
  .object({
    action: z
      .enum(repairActions)
      .describe('`retry` the step, `correct` it with `corrections` and retry, or `abandon` the onboarding.'),
    reason: z.string().trim().min(1).max(500).describe('Why: kept in the onboarding’s record of repairs.'),
    corrections: correctionsSchema.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.action === 'correct' && body.corrections === undefined)
      ctx.addIssue({ code: 'custom', path: ['corrections'], message: 'is required with the action correct' });
    if (body.action !== 'correct' && body.corrections !== undefined)
      ctx.addIssue({ code: 'custom', path: ['corrections'], message: 'comes with the action correct only' });
  })
  .meta({ id: 'Repair' });

export const repairAnswerSchema = z
  .object({
    action: z.enum(repairActions),
    next: z.string().describe('The stage the onboarding goes back to, or `finished`.'),
  })
  .meta({ id: 'RepairAnswer' });

export const attentionSchema = z
  .object({
    step: z.enum(repairableSteps),
    provider: z.string().optional(),
    call: z.string().optional(),
    status: z.number().int().optional(),
    failure: z.string().describe('The failure in one line, with personal data removed.'),
    since: z.string(),
    deadline: z.string().describe('When it ends as failed if nobody repairs it.'),
    actions: z.array(z.enum(repairActions)),
  })
  .describe('Why the onboarding waits in needs_attention, and what may be done.')
  .meta({ id: 'Attention' });

export const repairRecordSchema = z
  .object({
    step: z.enum(repairableSteps),
    action: z.enum(repairActions),
    reason: z.string(),
    principal: principalSchema,
    at: z.string(),
    corrected: z
      .array(z.string())
      .optional()
      .describe('The names of the fields corrected, never their values.'),
  })
  .meta({ id: 'RepairRecord' });
