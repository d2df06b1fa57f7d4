/**
 * `/v1/events`: what was delivered to the tenant's endpoints, and a re-send (docs/events.md).
 * Another tenant's onboarding, or one that made no event, is answered 404 like any unknown one.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eventIdParts } from '../../domain/events';
import { EventDeliveries } from '../../event-deliveries';
import type { OnboardingClient } from '../../client';
import { withinDeadline } from '../temporal-errors';
import { deliveryLogSchema, eventIdParam, eventsQuery, resendAnswerSchema } from './event-schemas';
import { callerOf, principalOf, requireScope } from './principal';
import { answer, commonErrors, errorSchema } from './schemas';

export interface EventRoutesOptions {
  onboardings: OnboardingClient;
  temporalTimeoutMs: number;
}

class NoEvents extends Error {
  readonly statusCode = 404;
  constructor() {
    super('no events for this onboarding');
  }
}

class ResendRefused extends Error {
  readonly statusCode = 409;
}

export async function eventRoutes(app: FastifyInstance, options: EventRoutesOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const deliveries = new EventDeliveries(options.onboardings.client);
  const temporal = <T>(call: () => Promise<T>): Promise<T> =>
    withinDeadline(options.onboardings.client, options.temporalTimeoutMs, call);
  /** The onboarding's log, if it is the caller's tenant's and has made events. */
  const logOf = async (tenant: string, onboardingId: string) => {
    try {
      const log = await temporal(() => deliveries.log(onboardingId));
      if (log.tenant !== tenant) throw new NoEvents();
      return log;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new NoEvents();
      throw err;
    }
  };

  api.get(
    '/v1/events',
    {
      preHandler: requireScope('read'),
      schema: {
        tags: ['events'],
        summary: "An onboarding's events and their delivery",
        description:
          'Each event the onboarding made, in order: delivered (to which endpoints, at which attempt), pending, ' +
          'failed after retrying, or made when the tenant had no endpoint; and who asked for re-sends.',
        querystring: eventsQuery,
        response: { 200: answer('The delivery log.', deliveryLogSchema), ...commonErrors },
      },
    },
    async (request) => logOf(callerOf(request).tenant, request.query.onboardingId),
  );

  api.post(
    '/v1/events/:eventId/resend',
    {
      preHandler: requireScope('events'),
      schema: {
        tags: ['events'],
        summary: 'Deliver an event again',
        description:
          'To every endpoint of the tenant, with the same `webhook-id` (a receiver that keeps the ids it has seen ' +
          'takes it once), after the events before it. Recorded with the key that asked.',
        params: eventIdParam,
        response: {
          202: answer('The event will be delivered again.', resendAnswerSchema),
          409: answer(
            'The event has not been delivered or given up yet, or its delivery has ended (it takes re-sends ' +
              'until `resendableUntil`).',
            errorSchema,
          ),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const { eventId } = request.params;
      const parts = eventIdParts(eventId)!;
      await logOf(callerOf(request).tenant, parts.onboardingId);
      try {
        const answered = await temporal(() => deliveries.resend(eventId, principalOf(request)));
        return reply.status(202).send(answered);
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError)
          throw new ResendRefused(err.cause?.message ?? 'the delivery refused the re-send');
        if (err instanceof WorkflowNotFoundError || /workflow execution already completed/i.test(String(err)))
          throw new ResendRefused('the delivery of these events has ended');
        throw err;
      }
    },
  );
}
