/**
 * The bulk repair routes' contract (`POST /v1/repairs`, `GET /v1/repairs/{id}`): which parked
 * onboardings to retry, why, and at what rate; a dry run's list and a job's progress. Only `retry`
 * in bulk: corrections are per onboarding (src/domain/bulk-repair.ts).
 */
import { z } from 'zod';
import { BULK_REPAIR_DEFAULT_PER_SECOND, BULK_REPAIR_MAX_PER_SECOND } from '../../domain/bulk-repair';
import { repairableSteps } from '../../domain/repair';
import { attentionSchema } from './repair-schemas';

const dateTime = z.iso.datetime({ offset: true });
const name = z.string().trim().min(1).max(100);

export const bulkRepairFilterSchema = z
  .object({
    step: z.enum(repairableSteps).optional().describe('The step the onboardings wait on.'),
    provider: name.optional().describe('The provider whose call failed (`attention.provider`).'),
    call: name.optional().describe('The call that failed (`attention.call`).'),
    since: dateTime.optional().describe('Parked at or after this time (`attention.since`, ISO 8601).'),
    until: dateTime.optional().describe('Parked before this time (ISO 8601).'),
  })
  .strict()
  .meta({ id: 'BulkRepairFilter' });

export const bulkRepairBody = z
  .object({
    filter: bulkRepairFilterSchema,
    reason: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .describe('Why: kept in each onboarding’s record of repairs, with the key.'),
    dryRun: z.boolean().default(false).describe('Answer which onboardings match, and change nothing.'),
    perSecond: z
      .number()
      .int()
      .min(1)
      .max(BULK_REPAIR_MAX_PER_SECOND)
      .default(BULK_REPAIR_DEFAULT_PER_SECOND)
      .describe('Onboardings retried a second, at most.'),
  })
  .strict()
  .meta({ id: 'BulkRepair' });

export const bulkRepairDryRunSchema = z
  .object({
    dryRun: z.literal(true),
    matched: z.number().int(),
    onboardings: z.array(z.object({ onboardingId: z.string(), attention: attentionSchema })),
  })
  .meta({ id: 'BulkRepairDryRun' });

export const bulkRepairStartedSchema = z
  .object({
    id: z.string().describe('The job’s id: `GET /v1/repairs/{id}` follows it.'),
    matched: z
      .number()
      .int()
      .optional()
      .describe('How many onboardings the job will retry; absent when it was still listing them after 25 s.'),
  })
  .meta({ id: 'BulkRepairStarted' });

export const bulkRepairProgressSchema = z
  .object({
    id: z.string(),
    state: z.enum(['running', 'done']),
    matched: z.number().int().optional().describe('Unknown while the job is still listing them.'),
    retried: z.number().int(),
    refused: z
      .array(z.object({ onboardingId: z.string(), reason: z.string() }))
      .describe('The onboardings not retried, and why (one repaired meanwhile, say).'),
    perSecond: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
  })
  .meta({ id: 'BulkRepairProgress' });

export const bulkRepairIdParam = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f-]{36}$/)
    .describe('The job id `POST /v1/repairs` answered.'),
});
