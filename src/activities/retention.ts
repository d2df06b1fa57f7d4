/**
 * The retention sweep's activity (src/workflows/retention/): destroys the data key of every
 * onboarding closed longer ago than the retention period, or whose history Temporal has already
 * deleted, so exported and backed-up copies of its history become unreadable too. Where the history
 * is still there, the onboarding's status without personal data is kept, as an erasure on request
 * keeps it (src/privacy/erasure.ts). Running
 * onboardings keep theirs (an onboarding's life is bounded: src/workflows/onboarding/lifetime.ts).
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { DataKeys } from '../temporal/data-keys/data-keys';
import { erasedStatusOf } from '../domain/erasure';
import { status, type CreditOnboardingWorkflow } from '../messages';

export interface RetentionSweep {
  /** Keys older than the period that were looked at. */
  examined: number;
  destroyed: number;
}

export interface RetentionActivities {
  destroyExpiredDataKeys(): Promise<RetentionSweep>;
}

const PAGE = 200;

/** `retentionMs`: the worker's PERSONAL_DATA_RETENTION_HOURS, so the schedule carries no argument to encrypt. */
export function retentionActivities(
  client: Client,
  dataKeys: DataKeys,
  retentionMs: number,
): RetentionActivities {
  return {
    async destroyExpiredDataKeys() {
      const now = Date.now();
      const cutoff = new Date(now - retentionMs);
      const sweep: RetentionSweep = { examined: 0, destroyed: 0 };
      // A key made after the cutoff belongs to an onboarding that cannot have closed before it.
      let after: string | undefined;
      for (;;) {
        const page = await dataKeys.store.activeBefore(cutoff, after, PAGE);
        for (const workflowId of page) {
          sweep.examined += 1;
          const closedAt = await closeTimeOf(client, workflowId);
          if (closedAt === 'running' || (closedAt instanceof Date && closedAt >= cutoff)) continue;
          const kept = closedAt === 'gone' ? undefined : await keptStatusOf(client, workflowId);
          const done = await dataKeys.erase(workflowId, {
            erasedAt: new Date().toISOString(),
            cause: 'retention',
            ...(kept !== undefined ? { status: kept } : {}),
          });
          if (done === 'erased') sweep.destroyed += 1;
        }
        Context.current().heartbeat(sweep);
        if (page.length < PAGE) return sweep;
        after = page[page.length - 1];
      }
    },
  };
}

/**
 * The closed onboarding's status, nothing personal in it, to keep in its key's place (one replay,
 * once); undefined when no worker answers the query (its build no longer runs): it then reads 410.
 */
async function keptStatusOf(
  client: Client,
  workflowId: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const current = await client.workflow.getHandle<CreditOnboardingWorkflow>(workflowId).query(status);
    return erasedStatusOf(current) as unknown as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function closeTimeOf(client: Client, workflowId: string): Promise<Date | 'running' | 'gone'> {
  try {
    const { status, closeTime } = await client.workflow.getHandle(workflowId).describe();
    if (status.name === 'RUNNING') return 'running';
    return closeTime ?? 'gone';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'gone';
    throw err;
  }
}
