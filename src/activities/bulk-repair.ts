/**
 * The bulk repair job's activities (src/workflows/bulk-repair/): list one page of the tenant's
 * onboardings that need attention and match the filter, and send one onboarding the `repair`
 * update (`retry`) as the API key that asked. They use a Temporal client of the worker's own.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { matchesFilter, type BulkRepairFilter } from '../domain/bulk-repair';
import type { Principal } from '../domain/onboarding';
import { repair, status, workflowIdFor, type CreditOnboardingWorkflow } from '../messages';
import { needsAttentionPage } from '../temporal/needs-attention';

export interface RetryCommand {
  reason: string;
  principal: Principal;
  filter: BulkRepairFilter;
  /** The same for every attempt of one job on one onboarding: a repeated update is taken once. */
  updateId: string;
}

export type RetryAnswer = { retried: true } | { refused: string };

export interface BulkRepairActivities {
  findOnboardingsToRepair(
    tenant: string,
    filter: BulkRepairFilter,
    pageToken?: string,
  ): Promise<{ onboardingIds: string[]; nextPageToken?: string }>;
  retryOnboarding(onboardingId: string, command: RetryCommand): Promise<RetryAnswer>;
}

export function bulkRepairActivities(client: Client): BulkRepairActivities {
  return {
    async findOnboardingsToRepair(tenant, filter, pageToken) {
      const page = await needsAttentionPage(
        client,
        tenant,
        filter,
        pageToken === undefined ? {} : { pageToken: Buffer.from(pageToken, 'base64') },
      );
      return {
        onboardingIds: page.onboardings.map((o) => o.onboardingId),
        ...(page.nextPageToken ? { nextPageToken: Buffer.from(page.nextPageToken).toString('base64') } : {}),
      };
    },

    async retryOnboarding(onboardingId, { reason, principal, filter, updateId }) {
      const handle = client.workflow.getHandle<CreditOnboardingWorkflow>(workflowIdFor(onboardingId));
      try {
        // Checked again: since the job listed it, it may have been repaired, or parked for another failure.
        const current = await handle.query(status);
        if (current.stage !== 'needs_attention' || current.attention === undefined)
          return { refused: 'it no longer needs attention' };
        if (!matchesFilter(current.attention, filter))
          return { refused: 'it now waits for another failure than the filter names' };
        await handle.executeUpdate(repair, {
          args: [{ action: 'retry', reason, principal }],
          updateId,
        });
        return { retried: true };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return { refused: 'no onboarding with this id' };
        if (err instanceof WorkflowUpdateFailedError) return { refused: refusalOf(err) };
        if (/already completed/i.test(String((err as Error)?.message))) return { refused: 'it has ended' };
        throw err;
      }
    },
  };
}

/** The onboarding's refusal in our own words (its message may name a field, never a value). */
function refusalOf(err: WorkflowUpdateFailedError): string {
  const type = err.cause instanceof ApplicationFailure ? err.cause.type : undefined;
  if (type === 'NotWaitingForRepair') return 'it no longer needs attention';
  if (type === 'RepairInProgress') return 'another repair was being taken';
  return `the onboarding refused the retry${type ? ` (${type})` : ''}`;
}
