/**
 * A bulk repair job: lists the tenant's onboardings that wait in `needs_attention` for the failure
 * the filter names (page by page, through an activity), then retries each with the `repair` update
 * as the API key that asked, at most `perSecond` a second. Durable: a worker or server restart
 * resumes where it stopped, and each onboarding's update carries an id of this job, so a repeated
 * attempt is taken once. The list is taken once, first: retried onboardings leave the query's
 * results, which paging while retrying would skip over.
 */
import { condition, log, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { BulkRepairActivities } from '../../activities/bulk-repair';
import { matched, progress } from '../../bulk-repair-messages';
import { bulkRepairJobIdOf, type BulkRepairJob, type BulkRepairProgress } from '../../domain/bulk-repair';

const { findOnboardingsToRepair } = proxyActivities<BulkRepairActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '30 seconds' },
});
const { retryOnboarding } = proxyActivities<BulkRepairActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds', maximumAttempts: 20 },
});

export async function bulkRepair(job: BulkRepairJob): Promise<BulkRepairProgress> {
  const { workflowId } = workflowInfo();
  const state: BulkRepairProgress = {
    id: bulkRepairJobIdOf(workflowId),
    tenant: job.tenant,
    state: 'running',
    retried: 0,
    refused: [],
    perSecond: job.perSecond,
    startedAt: new Date().toISOString(),
  };
  setHandler(progress, () => state);
  setHandler(matched, async () => {
    await condition(() => state.matched !== undefined);
    return state.matched!;
  });

  const ids = new Set<string>();
  let pageToken: string | undefined;
  do {
    const page = await findOnboardingsToRepair(job.tenant, job.filter, pageToken);
    for (const id of page.onboardingIds) ids.add(id);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  state.matched = ids.size;
  log.info('bulk repair started', { job: state.id, tenant: job.tenant, matched: ids.size });

  const all = [...ids];
  for (let i = 0; i < all.length; i += job.perSecond) {
    const second = Date.now();
    const batch = all.slice(i, i + job.perSecond);
    const answers = await Promise.all(
      batch.map((onboardingId) =>
        retryOnboarding(onboardingId, {
          reason: job.reason,
          principal: job.principal,
          filter: job.filter,
          updateId: `${workflowId}/${onboardingId}`,
        }).catch(() => ({ refused: 'the retry could not be sent' })),
      ),
    );
    answers.forEach((answer, n) => {
      if ('retried' in answer) state.retried += 1;
      else state.refused.push({ onboardingId: batch[n]!, reason: answer.refused });
    });
    const rest = 1000 - (Date.now() - second);
    if (i + job.perSecond < all.length && rest > 0) await sleep(rest);
  }

  state.state = 'done';
  state.finishedAt = new Date().toISOString();
  log.info('bulk repair done', {
    job: state.id,
    tenant: job.tenant,
    matched: state.matched,
    retried: state.retried,
    refused: state.refused.length,
  });
  return state;
}
