/** The contract of a credit decision's record (src/domain/decision-record.ts). */
import { z } from 'zod';
import type { DecisionRecord } from '../../domain/decision-record';
import { principalSchema } from './principal-schema';

export const decisionRecordSchema = z
  .object({
    onboardingId: z.string(),
    tenant: z.string(),
    verdict: z.enum(['approve', 'reject', 'review']).describe("The policy's verdict on the score."),
    result: z
      .enum(['approved', 'rejected', 'pending_review', 'review_expired'])
      .describe("What came of it: the verdict, or the manual review's decision, or its expiry."),
    automated: z.boolean().describe('True while no person took part (LGPD art. 20).'),
    decidedAt: z.string(),
    inputs: z.object({ dataTrustScore: z.number(), dataTrustTransactionId: z.string().optional() }),
    policy: z.object({
      name: z.string().optional(),
      version: z.number().int().optional(),
      approveScoreAtLeast: z.number(),
      rejectScoreBelow: z.number(),
    }),
    criteria: z.string().describe('The rule, in words.'),
    review: z
      .object({
        deadline: z.string(),
        decidedAt: z.string().optional(),
        approved: z.boolean().optional(),
        principal: principalSchema.optional(),
        onBehalfOf: z.string().optional(),
        reason: z.string().optional(),
      })
      .optional(),
  })
  .meta({ id: 'DecisionRecord' });

type Describes<Schema extends z.ZodType, T> = T extends z.infer<Schema> ? true : never;
export const decisionRecordDescribed: Describes<typeof decisionRecordSchema, DecisionRecord> = true;
