/**
 * The backend API's contract, as zod schemas: what each route takes and answers. The OpenAPI
 * document (`/v1/openapi.json`, see server.ts) is generated from these, and the response types are
 * checked against the domain types the workflow reports (`OnboardingStatus`, `OnboardingOutcome`),
 * so the three cannot drift.
 */
import { z } from 'zod';
import type { OnboardingOutcome, OnboardingStatus, SmsTokenValidation } from '../../domain/onboarding';
import { signedEvidenceSchema } from '../../domain/evidence';
import { onboardingIdSchema } from '../../domain/input';
import { outcomeStatuses, stages } from '../../domain/onboarding';
import { signingProviderNames } from '../../providers/registry';
import { signerRoles } from '../../signing/contract';
import { SMS_TOKEN_PATTERN } from '../../messages';
import { attentionSchema, repairRecordSchema } from './repair-schemas';
import { decisionRecordSchema } from './decision-schemas';
import { principalSchema } from './principal-schema';

export const errorSchema = z
  .object({
    error: z.string().describe('What went wrong, in words; never a value that was sent.'),
    issues: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('One entry per bad field of the body.'),
  })
  .meta({ id: 'Error' });

/** A documented answer: what it means, and its JSON body. */
export const answer = <S extends z.ZodType>(description: string, schema: S) => ({
  description,
  content: { 'application/json': { schema } },
});

/** The errors every `/v1/onboardings` route can answer. */
export const commonErrors = {
  400: answer(
    'Bad input: `issues` names each bad field (`applicant.cpf`, `querystring.stage`); no value is echoed.',
    errorSchema,
  ),
  401: answer('No API key, or one that is not in API_KEYS.', errorSchema),
  403: answer('The API key lacks the scope the route needs.', errorSchema),
  404: answer("No onboarding with this id, or one of another tenant's.", errorSchema),
  503: answer('Temporal is unavailable or slow: try again after the `Retry-After` seconds.', errorSchema),
};

const iso = z.string().describe('ISO 8601 date and time.');
const stage = z.enum(stages);
const outcomeStatus = z.enum(outcomeStatuses);
const provider = z.enum(signingProviderNames);

export const onboardingIdParam = z.object({
  id: onboardingIdSchema.describe('The onboarding id the lender chose.'),
});

export const referencesSchema = z
  .object({
    dataTrustTransactionId: z.string().optional(),
    proposalId: z.string().optional(),
    proposalNumber: z.string().optional(),
    documentKey: z.string().optional(),
    envelopeId: z.string().optional(),
    ccbId: z.string().optional(),
  })
  .meta({ id: 'References' });

const timelineEntry = z.object({ stage, at: iso, note: z.string().optional() });

export const outcomeSchema = z
  .object({
    status: outcomeStatus,
    reason: z.string(),
    onboardingId: z.string(),
    signingProvider: provider.optional(),
    references: referencesSchema,
    timeline: z.array(timelineEntry),
    evidence: signedEvidenceSchema
      .optional()
      .describe("A completed onboarding's signed evidence record (docs/evidence.md)."),
  })
  .meta({ id: 'Outcome' });

const smsTokenResult = z.enum(['Waiting', 'Valid', 'Incorrect', 'Invalid', 'Expired']);

export const smsTokenValidationSchema = z
  .object({
    result: smsTokenResult.describe("Data Trust's answer to the token."),
    attemptsLeft: z.number().int().min(0),
    resendsLeft: z.number().int().min(0),
  })
  .meta({ id: 'SmsTokenValidation' });

export const statusSchema = z
  .object({
    onboardingId: z.string(),
    tenant: z.string(),
    policy: z
      .object({ name: z.string(), version: z.number().int() })
      .optional()
      .describe('The credit policy the onboarding runs on and is judged by.'),
    stage,
    signingProvider: provider.optional(),
    identity: z.object({ score: z.number(), decision: z.enum(['approve', 'reject', 'review']) }).optional(),
    smsToken: z.object({
      attemptsLeft: z.number().int(),
      resendsLeft: z.number().int(),
      lastResult: smsTokenResult.optional(),
      deadline: iso.optional(),
    }),
    review: z
      .object({
        deadline: iso,
        decision: z
          .object({
            approved: z.boolean(),
            reason: z.string().optional(),
            principal: principalSchema,
            onBehalfOf: z.string().optional(),
          })
          .optional(),
      })
      .optional(),
    decision: decisionRecordSchema.optional(),
    signers: z.array(
      z.object({
        index: z.number().int(),
        role: z.enum(signerRoles),
        name: z.string(),
        state: z.enum(['pending', 'signed', 'refused']),
      }),
    ),
    signature: z
      .object({
        deadline: iso,
        remindersSent: z.number().int(),
        nextCheck: iso.optional(),
        parked: z
          .boolean()
          .optional()
          .describe('No checks of its own until a reminder: the signature sweep watches its envelope.'),
        lastFailure: z.string().optional(),
      })
      .optional(),
    references: referencesSchema,
    cancelRequested: z.boolean(),
    cancel: z.object({ reason: z.string(), principal: principalSchema }).optional(),
    refusedCommands: z
      .array(z.object({ command: z.string(), reason: z.string(), at: iso }))
      .describe('The last messages the onboarding refused: not encrypted for it, or with no principal.'),
    attention: attentionSchema.optional(),
    repairs: z.array(repairRecordSchema).optional().describe('Who repaired the onboarding, how and why.'),
    timeline: z.array(timelineEntry),
    outcome: outcomeSchema.optional(),
    personalData: z
      .object({ erasedAt: z.string(), cause: z.enum(['request', 'retention']) })
      .optional()
      .describe(
        "Once the applicant's personal data was erased: when, and whether on request or after the retention period. " +
          'Signer names then read [erased].',
      ),
  })
  .meta({ id: 'Status' });

export const createdSchema = z
  .object({
    onboardingId: z.string(),
    workflowId: z.string(),
    statusUrl: z.string().describe('Where to read the onboarding’s status.'),
  })
  .meta({ id: 'Created' });

export const smsTokenBody = z
  .object({ token: z.string().regex(SMS_TOKEN_PATTERN, 'must be 4 to 8 digits') })
  .meta({ id: 'SmsToken' });

export const reviewBody = z
  .object({
    approved: z.boolean(),
    reason: z.string().trim().max(500).optional(),
    reviewer: z
      .string()
      .trim()
      .min(1)
      .max(120)
      .optional()
      .describe(
        "Who decided, in the lender's own words (e.g. a reviewer's id): recorded as the key's statement, beside the key that sent it.",
      ),
  })
  .meta({ id: 'ReviewDecision' });

export const cancelBody = z.object({ reason: z.string().trim().min(1).max(500) }).meta({ id: 'Cancel' });

export const acceptedSchema = z.object({ accepted: z.literal(true) }).meta({ id: 'Accepted' });

export const outcomeQuery = z.object({
  waitSeconds: z.coerce
    .number()
    .int()
    .min(0)
    .max(25)
    .default(0)
    .describe('How long to wait for the outcome before answering 202 with the status (at most 25).'),
});

export const listQuery = z.object({
  stage: stage.optional(),
  provider: provider.optional(),
  outcome: outcomeStatus.optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  nextPageToken: z.string().max(2048).optional(),
});

export const listSchema = z
  .object({
    onboardings: z.array(
      z.object({
        onboardingId: z.string(),
        workflowId: z.string(),
        stage: stage.optional(),
        signingProvider: provider.optional(),
        outcome: outcomeStatus.optional(),
        startTime: iso,
        closeTime: iso.optional(),
      }),
    ),
    nextPageToken: z.string().optional(),
  })
  .meta({ id: 'OnboardingList' });

// The answers are the workflow's own types: a change there that the API does not describe fails to compile.
type Describes<Schema extends z.ZodType, T> = T extends z.infer<Schema> ? true : never;
export const statusDescribed: Describes<typeof statusSchema, OnboardingStatus> = true;
export const outcomeDescribed: Describes<typeof outcomeSchema, OnboardingOutcome> = true;
export const validationDescribed: Describes<typeof smsTokenValidationSchema, SmsTokenValidation> = true;
