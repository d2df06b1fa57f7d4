/**
 * `/v1/repairs`: retry in bulk the onboardings of the key's tenant that wait in `needs_attention`
 * for one failure (after a provider outage), through the typed client's `repairAll`: a dry run
 * answers which; otherwise a durable, rate-bounded job starts (src/workflows/bulk-repair/) and
 * `GET /v1/repairs/{id}` follows it. docs/repair.md#repair-in-bulk.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { OnboardingClient } from '../../client';
import { grpcCodeOf, grpcStatus } from '../../temporal/grpc';
import { withinDeadline } from '../temporal-errors';
import {
  bulkRepairBody,
  bulkRepairDryRunSchema,
  bulkRepairIdParam,
  bulkRepairProgressSchema,
  bulkRepairStartedSchema,
} from './bulk-repair-schemas';
import { principalOf, requireScope } from './principal';
import { answer, commonErrors, errorSchema } from './schemas';

export interface BulkRepairRoutesOptions {
  onboardings: OnboardingClient;
  temporalTimeoutMs: number;
  publicUrl: string | undefined;
}

/** An unknown job, or another tenant's: the answer says nothing of it. */
class NoSuchJob extends Error {
  readonly statusCode = 404;
  constructor() {
    super('no repair job with this id');
  }
}

const MATCH_WAIT_MS = 25_000;

const errors = { ...commonErrors, 404: answer("No job with this id, or another tenant's.", errorSchema) };

export async function bulkRepairRoutes(
  app: FastifyInstance,
  options: BulkRepairRoutesOptions,
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { onboardings } = options;
  const temporal = <T>(call: () => Promise<T>): Promise<T> =>
    withinDeadline(onboardings.client, options.temporalTimeoutMs, call);

  api.post(
    '/v1/repairs',
    {
      preHandler: requireScope('repair'),
      schema: {
        tags: ['repairs'],
        summary: 'Retry in bulk the onboardings that need attention for one failure',
        description:
          "The key's tenant's onboardings in `needs_attention` whose `attention` matches the filter. A dry run " +
          'answers which, and changes nothing; otherwise a job retries each (action `retry` only), at most ' +
          '`perSecond` a second, recorded with the key and the reason: 202 with its id.',
        body: bulkRepairBody,
        response: {
          200: answer(
            'Dry run: the onboardings that match (ids and why each waits).',
            bulkRepairDryRunSchema,
          ),
          202: answer(
            'The job started: its id, and how many onboardings it matched.',
            bulkRepairStartedSchema,
          ),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { filter, reason, dryRun, perSecond } = request.body;
      const client = onboardings.as(principalOf(request));
      if (dryRun) return temporal(() => client.repairAll(filter, { reason, perSecond, dryRun: true }));
      // The job lists the matches first: the answer waits for their count, up to MATCH_WAIT_MS.
      const started = await withinDeadline(
        onboardings.client,
        options.temporalTimeoutMs + MATCH_WAIT_MS,
        () => client.repairAll(filter, { reason, perSecond, matchWaitMs: MATCH_WAIT_MS }),
      );
      return reply
        .status(202)
        .header('location', `${options.publicUrl ?? ''}/v1/repairs/${started.id}`)
        .send(started);
    },
  );

  api.get(
    '/v1/repairs/:id',
    {
      preHandler: requireScope('repair', 'read'),
      schema: {
        tags: ['repairs'],
        summary: 'Read where a bulk repair job stands',
        params: bulkRepairIdParam,
        response: { 200: answer('The job’s progress.', bulkRepairProgressSchema), ...errors },
      },
    },
    async (request) => {
      const answer = await temporal(() =>
        onboardings.as(principalOf(request)).repairJob(request.params.id),
      ).catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError || grpcCodeOf(err) === grpcStatus.NOT_FOUND)
          throw new NoSuchJob();
        throw err;
      });
      if (answer === undefined) throw new NoSuchJob();
      return answer;
    },
  );
}
