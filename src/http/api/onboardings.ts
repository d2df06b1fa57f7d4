/**
 * `/v1/onboardings`: what a backend in any language does with an onboarding, over HTTP. Every
 * route is a thin call to the typed client (src/client.ts); every Temporal call runs under the
 * configured deadline (503 with Retry-After past it).
 */
import { ApplicationFailure, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { OnboardingClient } from '../../client';
import { resolvePolicy, type CreditPolicyCatalog } from '../../domain/credit-policy';
import { InvalidOnboardingInput, startRequestSchema } from '../../domain/input';
import { DEFAULT_TENANT } from '../../domain/onboarding';
import { onboardingTenantKey } from '../../search-attributes';
import { notFound, withinDeadline } from '../temporal-errors';
import type { OnboardingStatus } from '../../domain/onboarding';
import { workflowIdFor } from '../../messages';
import { signedEvidenceSchema } from '../../domain/evidence';
import { decisionRecordSchema } from './decision-schemas';
import { endingSchema, erasedSchema } from './erasure-schemas';
import { OnboardingErasedWithoutRecord } from '../../client';
import { NotErasableByKey } from '../../privacy/erasure';
import { listOnboardings, type PageTokens } from './list';
import { repairAnswerSchema, repairBody } from './repair-schemas';
import { callerOf, principalOf, requireScope } from './principal';
import {
  acceptedSchema,
  answer,
  commonErrors,
  cancelBody,
  createdSchema,
  errorSchema,
  listQuery,
  listSchema,
  onboardingIdParam,
  outcomeQuery,
  outcomeSchema,
  reviewBody,
  smsTokenBody,
  smsTokenValidationSchema,
  statusSchema,
} from './schemas';

export interface OnboardingRoutesOptions {
  onboardings: OnboardingClient;
  temporalTimeoutMs: number;
  /** Where the API is reached from outside, for the status links it answers with. */
  publicUrl: string | undefined;
  pageTokens: PageTokens;
  policies: CreditPolicyCatalog;
}

const errors = commonErrors;

export class ApiConflict extends Error {
  readonly statusCode = 409;
}

/** Another tenant's onboarding is answered as one that does not exist: the answer says nothing of it. */
class NotThisTenants extends Error {
  readonly statusCode = 404;
  constructor() {
    super(notFound.body.error);
  }
}

export async function onboardingRoutes(
  app: FastifyInstance,
  options: OnboardingRoutesOptions,
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { onboardings } = options;
  const temporal = <T>(call: () => Promise<T>): Promise<T> =>
    withinDeadline(onboardings.client, options.temporalTimeoutMs, call);
  const statusOf = (id: string): Promise<OnboardingStatus> =>
    temporal(() => onboardings.status(id)).catch(keptOr);
  /** Every route on one onboarding asks first whose it is. */
  const owned = async (request: FastifyRequest, id: string): Promise<void> => {
    if ((await temporal(() => onboardings.tenantOf(id))) !== callerOf(request).tenant)
      throw new NotThisTenants();
  };
  const statusUrl = (id: string): string =>
    `${options.publicUrl ?? ''}/v1/onboardings/${encodeURIComponent(id)}`;

  api.post(
    '/v1/onboardings',
    {
      preHandler: requireScope('start'),
      schema: {
        tags: ['onboardings'],
        summary: 'Start an onboarding',
        description:
          'Validates the input (400 names every bad field, echoes no value, and nothing starts) and starts the ' +
          'onboarding: 201. The same id with the same input again: 200, nothing new starts. The same id with a ' +
          'different input: 409.',
        body: startRequestSchema,
        response: {
          200: createdSchema,
          201: createdSchema,
          409: errorSchema,
          413: errorSchema,
          415: errorSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { tenant } = callerOf(request);
      const resolved = resolvePolicy(options.policies, tenant, request.body.policy);
      if ('problem' in resolved)
        throw new InvalidOnboardingInput([{ field: 'policy', message: resolved.problem }]);
      const started = await temporal(() =>
        onboardings.as(principalOf(request)).start({ ...request.body, tenant }),
      );
      const onboardingId = started.workflowId.slice(workflowIdFor('').length);
      if (!started.sameInput) {
        throw new ApiConflict('an onboarding with this id was already started with a different input');
      }
      const url = statusUrl(onboardingId);
      return reply
        .status(started.started ? 201 : 200)
        .header('location', url)
        .send({ onboardingId, workflowId: started.workflowId, statusUrl: url });
    },
  );

  api.get(
    '/v1/onboardings',
    {
      preHandler: requireScope('read'),
      schema: {
        tags: ['onboardings'],
        summary: 'List onboardings',
        description:
          'Filtered by stage, signing provider and outcome (search attributes: no personal data); running ' +
          'onboardings first, then the most recently ended; one page at a time.',
        querystring: listQuery,
        response: { 200: answer('One page of onboardings.', listSchema), ...errors },
      },
    },
    async (request) =>
      temporal(() =>
        listOnboardings(onboardings.client, options.pageTokens, callerOf(request).tenant, request.query),
      ),
  );

  api.get(
    '/v1/onboardings/:id',
    {
      preHandler: requireScope('read'),
      schema: {
        tags: ['onboardings'],
        summary: 'Read where an onboarding stands',
        params: onboardingIdParam,
        response: { 200: answer('Where the onboarding stands.', statusSchema), ...erasedGone, ...errors },
      },
    },
    async (request) => {
      await owned(request, request.params.id);
      return statusOf(request.params.id);
    },
  );

  api.post(
    '/v1/onboardings/:id/sms-token',
    {
      preHandler: requireScope('sms-token'),
      schema: {
        tags: ['onboardings'],
        summary: 'Validate the SMS token the applicant typed',
        description: "Waits for Data Trust's answer: the result and the attempts left.",
        params: onboardingIdParam,
        body: smsTokenBody,
        response: {
          200: answer("Data Trust's answer to the token.", smsTokenValidationSchema),
          409: answer('The onboarding is not waiting for an SMS token (or has ended).', errorSchema),
          ...errors,
        },
      },
    },
    async (request) => {
      await owned(request, request.params.id);
      return temporal(() => onboardings.validateSmsToken(request.params.id, request.body.token)).catch(
        (err) => endedOr(err, request.params.id),
      );
    },
  );

  api.post(
    '/v1/onboardings/:id/sms-token/resend',
    {
      preHandler: requireScope('sms-token'),
      schema: {
        tags: ['onboardings'],
        summary: 'Send the applicant a new SMS token',
        params: onboardingIdParam,
        response: {
          202: answer('A new token will be sent.', acceptedSchema),
          409: answer('The onboarding is not waiting for a token, or no new token may be sent.', errorSchema),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await owned(request, id);
      const current = await statusOf(id);
      if (current.stage !== 'sms_token')
        throw new ApiConflict('the onboarding is not waiting for an SMS token');
      if (current.smsToken.resendsLeft <= 0) throw new ApiConflict('no new SMS token may be sent');
      await temporal(() => onboardings.as(principalOf(request)).resendSmsToken(id));
      return accepted(reply);
    },
  );

  api.post(
    '/v1/onboardings/:id/review',
    {
      preHandler: requireScope('review'),
      schema: {
        tags: ['onboardings'],
        summary: "Decide the onboarding's manual review",
        params: onboardingIdParam,
        body: reviewBody,
        response: {
          202: answer('The decision was delivered.', acceptedSchema),
          409: answer('The onboarding is not waiting for a review decision.', errorSchema),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await owned(request, id);
      const current = await statusOf(id);
      if (current.stage !== 'manual_review' || current.review?.decision !== undefined) {
        throw new ApiConflict('the onboarding is not waiting for a review decision');
      }
      const { reviewer, ...decision } = request.body;
      await temporal(() =>
        onboardings
          .as(principalOf(request))
          .review(id, { ...decision, ...(reviewer !== undefined ? { onBehalfOf: reviewer } : {}) }),
      );
      return accepted(reply);
    },
  );

  api.post(
    '/v1/onboardings/:id/repair',
    {
      preHandler: requireScope('repair'),
      schema: {
        tags: ['onboardings'],
        summary: 'Repair an onboarding that needs attention',
        description:
          'For an onboarding in `needs_attention` (its status says why, and which actions its step allows): ' +
          'retry the failed step, correct it and retry, or abandon the onboarding. Recorded with the key and the reason.',
        params: onboardingIdParam,
        body: repairBody,
        response: {
          200: answer('The repair was taken: what happens next.', repairAnswerSchema),
          409: answer(
            'The onboarding does not need attention, or another repair is being taken.',
            errorSchema,
          ),
          422: answer(
            'The corrections do not apply to the failed step, or the corrected input is not valid (the fields are named).',
            errorSchema,
          ),
          ...errors,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      await owned(request, id);
      const current = await statusOf(id);
      if (current.stage !== 'needs_attention')
        throw new ApiConflict('the onboarding does not need attention');
      try {
        return await temporal(() => onboardings.as(principalOf(request)).repair(id, request.body));
      } catch (err) {
        throw repairRefusal(err);
      }
    },
  );

  api.post(
    '/v1/onboardings/:id/cancel',
    {
      preHandler: requireScope('cancel'),
      schema: {
        tags: ['onboardings'],
        summary: 'Cancel an onboarding',
        description:
          'Stops the onboarding and undoes at the providers what can be undone; the outcome says what was. ' +
          'Cancelling again is accepted.',
        params: onboardingIdParam,
        body: cancelBody,
        response: {
          202: answer('The cancellation was delivered.', acceptedSchema),
          409: answer('The onboarding has already ended.', errorSchema),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await owned(request, id);
      const current = await statusOf(id);
      if (current.outcome !== undefined) throw new ApiConflict('the onboarding has already ended');
      await temporal(() => onboardings.as(principalOf(request)).cancel(id, request.body.reason)).catch(
        (err) => endedOr(err, id),
      );
      return accepted(reply);
    },
  );

  api.get(
    '/v1/onboardings/:id/outcome',
    {
      preHandler: requireScope('read'),
      schema: {
        tags: ['onboardings'],
        summary: "Wait for the onboarding's outcome",
        description: 'Waits up to `waitSeconds` for the outcome.',
        params: onboardingIdParam,
        querystring: outcomeQuery,
        response: {
          200: answer('The onboarding ended with this outcome.', outcomeSchema),
          202: answer('Not ended yet: where it stands.', statusSchema),
          409: answer('The onboarding ended without an outcome (terminated from outside).', errorSchema),
          ...erasedGone,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const handle = onboardings.handle(id);
      const description = await temporal(() => handle.describe());
      if (
        (description.typedSearchAttributes.get(onboardingTenantKey) ?? DEFAULT_TENANT) !==
        callerOf(request).tenant
      )
        throw new NotThisTenants();
      if (description.status.name === 'RUNNING' && request.query.waitSeconds > 0) {
        const signal = AbortSignal.timeout(request.query.waitSeconds * 1000);
        try {
          return await onboardings.client.withAbortSignal(signal, () => onboardings.result(id));
        } catch (err) {
          if (!signal.aborted) return endedWithoutOutcome(err);
        }
      } else if (description.status.name === 'COMPLETED') {
        return temporal(() => onboardings.result(id)).catch(keptOr);
      } else if (description.status.name !== 'RUNNING') {
        throw new ApiConflict('the onboarding ended without an outcome');
      }
      return reply.status(202).send(await statusOf(id));
    },
  );

  api.get(
    '/v1/onboardings/:id/evidence',
    {
      preHandler: requireScope('read'),
      schema: {
        tags: ['onboardings'],
        summary: "A completed onboarding's signed evidence record",
        description:
          'The evidence a lender keeps for a disputed signature: ids, times, hashes and the decision, signed ' +
          'with Ed25519; no personal data (docs/evidence.md says how to verify it). 409 while the onboarding ' +
          'runs, when it ended otherwise than completed, or completed without a record.',
        params: onboardingIdParam,
        response: {
          200: answer('The signed evidence record.', signedEvidenceSchema),
          409: answer('The onboarding has no evidence record: not completed (or not yet).', errorSchema),
          ...erasedGone,
          ...errors,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const description = await temporal(() => onboardings.handle(id).describe());
      if (
        (description.typedSearchAttributes.get(onboardingTenantKey) ?? DEFAULT_TENANT) !==
        callerOf(request).tenant
      )
        throw new NotThisTenants();
      if (description.status.name !== 'COMPLETED') throw new ApiConflict('the onboarding has not completed');
      const outcome = await temporal(() => onboardings.result(id)).catch(keptOr);
      if (outcome.status !== 'completed') throw new ApiConflict(`the onboarding ended ${outcome.status}`);
      if (outcome.evidence === undefined)
        throw new ApiConflict('the onboarding completed without an evidence record (its timeline says why)');
      return outcome.evidence;
    },
  );

  api.get(
    '/v1/onboardings/:id/decision',
    {
      preHandler: requireScope('read'),
      schema: {
        tags: ['onboardings'],
        summary: 'The credit decision and how it was taken',
        description:
          "The verdict on the Data Trust score, the policy's name, version and thresholds, the rule in words, " +
          'when, whether a person took part and, for a manual review, who decided and why: what a lender shows ' +
          'an applicant who asks (LGPD art. 20; docs/decisions.md). No personal data of the applicant.',
        params: onboardingIdParam,
        response: {
          200: answer('The decision record.', decisionRecordSchema),
          ...erasedGone,
          409: answer(
            'No credit decision was taken (not yet, or the onboarding ended before it).',
            errorSchema,
          ),
          ...errors,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      await owned(request, id);
      const { decision } = await statusOf(id);
      if (decision === undefined) throw new ApiConflict('no credit decision was taken on this onboarding');
      return decision;
    },
  );

  api.delete(
    '/v1/onboardings/:id/personal-data',
    {
      preHandler: requireScope('erase'),
      schema: {
        tags: ['onboardings'],
        summary: "Erase the applicant's personal data",
        description:
          "Destroys the onboarding's data key: its personal data can no longer be read anywhere (Temporal's history, " +
          'an export, a backup). A running onboarding is ended first, as a cancel ends it: 202 while that goes on ' +
          '(the erasure completes by itself; asking again answers when it was erased), then 200. Its status, outcome and decision record still read, ' +
          'signer names shown as [erased]. 409 for an onboarding from before data keys (docs/privacy.md).',
        params: onboardingIdParam,
        response: {
          200: answer('Erased.', erasedSchema),
          202: answer('Being ended first; the erasure completes by itself.', endingSchema),
          409: answer('Started before data keys: delete its workflow execution instead.', errorSchema),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await owned(request, id);
      const answer = await temporal(() =>
        onboardings.as(principalOf(request)).erasePersonalData(id, { waitMs: options.temporalTimeoutMs / 2 }),
      ).catch((err: unknown) => {
        if (err instanceof NotErasableByKey) throw new ApiConflict(err.message);
        throw err;
      });
      if (answer.state === 'ending') return reply.status(202).send(answer);
      return answer;
    },
  );

  /** A message to an onboarding that ended in the meantime is a conflict, not a missing onboarding. */
  async function endedOr(err: unknown, id: string): Promise<never> {
    const answer = (err as { name?: string })?.name;
    if (answer === 'WorkflowNotFoundError' || /already completed/i.test(String((err as Error)?.message))) {
      const exists = await temporal(() => onboardings.handle(id).describe()).then(
        () => true,
        () => false,
      );
      if (exists) throw new ApiConflict('the onboarding has already ended');
    }
    throw err;
  }
}

function endedWithoutOutcome(err: unknown): never {
  if (err instanceof WorkflowFailedError) throw new ApiConflict('the onboarding ended without an outcome');
  throw err;
}

/** Erased after its history was gone: nothing of the onboarding was kept to answer with. */
class ErasedWithoutRecord extends Error {
  readonly statusCode = 410;
}

/** Reads of an erased onboarding with nothing kept answer 410. */
function keptOr(err: unknown): never {
  if (err instanceof OnboardingErasedWithoutRecord) throw new ErasedWithoutRecord(err.message);
  throw err;
}

/** What reads of an onboarding may answer besides the common errors. */
const erasedGone = {
  410: answer(
    "The applicant's personal data was erased after the onboarding's history was deleted: nothing was kept.",
    errorSchema,
  ),
};

class UnprocessableRepair extends Error {
  readonly statusCode = 422;
}

/** The onboarding's refusal of a repair as an answer: 409 when it is not waiting for one, 422 for the corrections. */
function repairRefusal(err: unknown): unknown {
  if (!(err instanceof WorkflowUpdateFailedError)) return err;
  const cause = err.cause;
  const type = cause instanceof ApplicationFailure ? cause.type : undefined;
  const message = cause instanceof Error ? cause.message : 'the repair was refused';
  if (type === 'NotWaitingForRepair' || type === 'RepairInProgress') return new ApiConflict(message);
  return new UnprocessableRepair(message);
}

const accepted = (reply: FastifyReply) => reply.status(202).send({ accepted: true as const });
