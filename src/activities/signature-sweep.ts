/**
 * The signature sweep's activity (src/workflows/signature-sweep/): pages through one signing
 * provider's parked onboardings on this task queue (visibility: stage, provider; the envelope from
 * each one's memo), asks the provider for each envelope's state at a steady pace, and sends a
 * `signatureEvent` only to the onboardings whose envelope changed. An unchanged envelope costs one
 * provider call and nothing in Temporal: its onboarding stays asleep (docs/signature-sweep.md).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { signingProviderSchema, type SigningProviderName } from '../domain/input';
import { WORKFLOW_TYPE, signatureEvent } from '../messages';
import { onboardingStageKey, signingProviderKey } from '../search-attributes';
import type { SignatureProvider } from '../signing/contract';
import { PARKED_ENVELOPE_MEMO, changedSince, type ParkedEnvelope } from '../domain/parked-envelope';
import { visibilityLiteral } from '../temporal/visibility';

export interface SweepRequest {
  provider: string;
  taskQueue: string;
}

export interface SweepResult {
  provider: string;
  /** Onboardings waiting on this provider's signatures. */
  examined: number;
  /** Of those, parked: their envelope was checked. */
  checked: number;
  /** Sent a `signatureEvent`: their envelope changed. */
  woken: number;
  /** Checks that failed (the provider's answer, or a memo that could not be read): the next sweep tries again. */
  failed: number;
}

export interface SignatureSweepActivities {
  sweepSignatures(request: SweepRequest): Promise<SweepResult>;
}

const PAGE = 100;

/** What a parked onboarding wrote (src/domain/parked-envelope.ts), validated like anything that comes in. */
const parkedSchema = z.object({
  envelope: z.object({
    provider: z.string(),
    envelopeId: z.string().min(1),
    signers: z.array(z.object({ index: z.number().int().min(0), providerSignerId: z.string() })),
    supportsReminders: z.boolean(),
  }),
  state: z.enum(['pending', 'completed', 'refused', 'cancelled']),
  signed: z.array(z.number().int().min(0)),
});

export function signatureSweepActivities(
  client: Client,
  signing: Record<SigningProviderName, SignatureProvider>,
  checksPerSecond: number,
): SignatureSweepActivities {
  return {
    async sweepSignatures({ provider: name, taskQueue }) {
      const known = signingProviderSchema.safeParse(name);
      if (!known.success)
        throw ApplicationFailure.nonRetryable(
          'the sweep names no registered signing provider',
          'UnknownProvider',
        );
      const provider = signing[known.data];
      const query = [
        `WorkflowType = ${visibilityLiteral(WORKFLOW_TYPE)}`,
        `ExecutionStatus = 'Running'`,
        `TaskQueue = ${visibilityLiteral(taskQueue)}`,
        `${onboardingStageKey.name} = 'waiting_signatures'`,
        `${signingProviderKey.name} = ${visibilityLiteral(known.data)}`,
      ].join(' AND ');
      const result: SweepResult = { provider: known.data, examined: 0, checked: 0, woken: 0, failed: 0 };
      const gapMs = 1_000 / checksPerSecond;
      let nextCheckAt = Date.now();
      const executions = client.workflow.list({ query, pageSize: PAGE })[Symbol.asyncIterator]();
      for (;;) {
        let next;
        try {
          next = await executions.next();
        } catch (err) {
          // One memo that cannot be read (its key unavailable) would end the page: the sweep says so and stops.
          Context.current().log.warn('the signature sweep stopped early: a page could not be read', {
            provider: known.data,
            failure: err instanceof Error ? err.name : 'unknown',
          });
          result.failed += 1;
          return result;
        }
        if (next.done) return result;
        const execution = next.value;
        result.examined += 1;
        if (result.examined % PAGE === 0) Context.current().heartbeat(result);
        const memo = execution.memo?.[PARKED_ENVELOPE_MEMO];
        if (memo === undefined) continue; // not parked: it checks by itself
        const parked = parkedSchema.safeParse(memo);
        if (!parked.success || parked.data.envelope.provider !== known.data) {
          result.failed += 1;
          continue;
        }
        const wait = nextCheckAt - Date.now();
        if (wait > 0) await sleep(wait);
        nextCheckAt = Math.max(Date.now(), nextCheckAt) + gapMs;
        result.checked += 1;
        if (await changed(provider, parked.data)) {
          try {
            await client.workflow
              .getHandle(execution.workflowId)
              .signal(signatureEvent, { source: `${known.data} signature sweep` });
            result.woken += 1;
          } catch (err) {
            // Closed since it was listed: nothing left to wake.
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          }
        }
      }

      async function changed(p: SignatureProvider, parked: ParkedEnvelope): Promise<boolean> {
        try {
          return changedSince(parked, await p.status(parked.envelope));
        } catch {
          result.failed += 1;
          return false;
        }
      }
    },
  };
}
