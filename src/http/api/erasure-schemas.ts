/** The erasure route's answers (DELETE /v1/onboardings/{id}/personal-data; docs/privacy.md). */
import { z } from 'zod';
import { erasureCauses } from '../../domain/erasure';

export const erasedSchema = z
  .object({
    state: z.literal('erased'),
    erasedAt: z.string().describe('When the data key was destroyed (ISO 8601).'),
    cause: z.enum(erasureCauses).describe('`request`: this route; `retention`: the retention schedule.'),
  })
  .meta({ id: 'Erased' });

export const endingSchema = z
  .object({ state: z.literal('ending') })
  .describe(
    'The onboarding was running: it is being ended (its envelope closed at the provider), then its key is destroyed, with no further request.',
  )
  .meta({ id: 'ErasureEnding' });
