/** The contract of `/v1/events` (src/domain/events.ts): the delivery log and a re-send. */
import { z } from 'zod';
import type { DeliveryLog } from '../../domain/events';
import { deliveryStates, onboardingEventTypes } from '../../domain/events';
import { onboardingIdSchema } from '../../domain/input';

export const eventsQuery = z.object({ onboardingId: onboardingIdSchema });

export const eventIdParam = z.object({
  eventId: z
    .string()
    .regex(
      /^evt_[A-Za-z0-9][A-Za-z0-9_-]{0,63}\.[1-9][0-9]{0,5}$/,
      'must be an event id: evt_<onboardingId>.<sequence>',
    ),
});

export const deliveryLogSchema = z
  .object({
    onboardingId: z.string(),
    tenant: z.string(),
    deliveries: z.array(
      z.object({
        eventId: z.string(),
        type: z.enum(onboardingEventTypes),
        sequence: z.number().int(),
        occurredAt: z.string(),
        state: z
          .enum(deliveryStates)
          .describe(
            '`no_endpoint`: the tenant had no endpoint when it was delivered; `failed`: given up after retrying.',
          ),
        endpoints: z.array(
          z.object({
            endpoint: z.string().describe("The endpoint's name in EVENT_ENDPOINTS (never its URL)."),
            deliveredAt: z.string(),
            status: z.number().int(),
            attempt: z.number().int().describe('The attempt that got a 2xx: 1 is the first.'),
          }),
        ),
        lastError: z.string().optional(),
        resends: z.array(z.object({ at: z.string(), principal: z.string() })),
      }),
    ),
    resendableUntil: z.string().optional(),
  })
  .meta({ id: 'DeliveryLog' });

export const resendAnswerSchema = z
  .object({ eventId: z.string(), state: z.string() })
  .meta({ id: 'ResendAnswer' });

type Describes<Schema extends z.ZodType, T> = T extends z.infer<Schema> ? true : never;
export const deliveryLogDescribed: Describes<typeof deliveryLogSchema, DeliveryLog> = true;
