/** The principal of a recorded command, as the API shows it (one schema for every answer). */
import { z } from 'zod';

export const principalSchema = z
  .object({ type: z.enum(['api-key', 'service', 'operator']), name: z.string(), tenant: z.string() })
  .describe(
    'Who sent the command: the API key (its name and tenant), the service that sent it, or the operator whose command the codec server encoded (tenant `*`).',
  )
  .meta({ id: 'Principal' });
