/**
 * A tenant's onboardings waiting in `needs_attention` for the failure a bulk repair filter names:
 * one page of the visibility query `OnboardingStage = "needs_attention"` (search attributes, no
 * personal data), each onboarding then asked for its status, whose `attention` the filter reads.
 * The dry run of `POST /v1/repairs` and the bulk repair job's activity both read them here.
 */
import type { Client } from '@temporalio/client';
import { matchesFilter, type BulkRepairFilter, type MatchedOnboarding } from '../domain/bulk-repair';
import { DEFAULT_TENANT } from '../domain/onboarding';
import { WORKFLOW_TYPE, status, workflowIdFor, type CreditOnboardingWorkflow } from '../messages';
import { onboardingStageKey, onboardingTenantKey } from '../search-attributes';
import { tenantFilter, visibilityLiteral } from './visibility';

export interface NeedsAttentionPage {
  onboardings: MatchedOnboarding[];
  /** Temporal's token for the next page, when there is one. */
  nextPageToken?: Uint8Array;
}

const PREFIX = workflowIdFor('');
/** Status queries in flight at once, per page. */
const QUERIES_AT_ONCE = 10;

export async function needsAttentionPage(
  client: Client,
  tenant: string,
  filter: BulkRepairFilter,
  options: { pageToken?: Uint8Array; pageSize?: number } = {},
): Promise<NeedsAttentionPage> {
  const query = [
    `WorkflowType = ${visibilityLiteral(WORKFLOW_TYPE)}`,
    `ExecutionStatus = 'Running'`,
    tenantFilter(onboardingTenantKey.name, tenant, DEFAULT_TENANT),
    `${onboardingStageKey.name} = 'needs_attention'`,
  ].join(' AND ');
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query,
    pageSize: options.pageSize ?? 100,
    ...(options.pageToken ? { nextPageToken: options.pageToken } : {}),
  });
  const ids = (response.executions ?? [])
    .map((e) => e.execution?.workflowId ?? '')
    .filter((id) => id.startsWith(PREFIX))
    .map((id) => id.slice(PREFIX.length));
  const onboardings: MatchedOnboarding[] = [];
  for (let i = 0; i < ids.length; i += QUERIES_AT_ONCE) {
    const statuses = await Promise.all(
      ids.slice(i, i + QUERIES_AT_ONCE).map(async (onboardingId) => ({
        onboardingId,
        current: await client.workflow
          .getHandle<CreditOnboardingWorkflow>(workflowIdFor(onboardingId))
          .query(status),
      })),
    );
    // The search attribute may lag behind the onboarding: its own status decides.
    for (const { onboardingId, current } of statuses)
      if (
        current.stage === 'needs_attention' &&
        current.attention &&
        matchesFilter(current.attention, filter)
      )
        onboardings.push({ onboardingId, attention: current.attention });
  }
  const next = response.nextPageToken;
  return { onboardings, ...(next && next.length > 0 ? { nextPageToken: next } : {}) };
}

/** Every page: what a dry run answers. */
export async function allNeedingAttention(
  client: Client,
  tenant: string,
  filter: BulkRepairFilter,
): Promise<MatchedOnboarding[]> {
  const all: MatchedOnboarding[] = [];
  const seen = new Set<string>();
  let pageToken: Uint8Array | undefined;
  do {
    const page = await needsAttentionPage(client, tenant, filter, pageToken ? { pageToken } : {});
    for (const o of page.onboardings)
      if (!seen.has(o.onboardingId)) {
        seen.add(o.onboardingId);
        all.push(o);
      }
    pageToken = page.nextPageToken;
  } while (pageToken);
  return all;
}
