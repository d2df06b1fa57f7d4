/**
 * Repair in bulk: after an outage, one job retries every onboarding of a tenant that waits in
 * `needs_attention` for the failure a filter names, at a bounded rate. Only `retry`: corrections
 * are per onboarding. Plain types and checks (the workflow bundle holds no zod); the HTTP API's
 * schemas are in src/http/api/bulk-repair-schemas.ts. docs/repair.md#repair-in-bulk says why.
 */
import type { Principal } from './onboarding';
import type { Attention, RepairableStep } from './repair';

/** Which parked onboardings: every field given must hold for the onboarding's `attention`. */
export interface BulkRepairFilter {
  step?: RepairableStep;
  provider?: string;
  call?: string;
  /** Parked at or after this time (ISO 8601). */
  since?: string;
  /** Parked before this time (ISO 8601). */
  until?: string;
}

/** What a bulk repair job is started with: its tenant and who asked (the API key). */
export interface BulkRepairJob {
  tenant: string;
  filter: BulkRepairFilter;
  /** Why: recorded in each onboarding's repairs, as the single repair records it. */
  reason: string;
  principal: Principal;
  /** Onboardings retried a second, at most. */
  perSecond: number;
}

export const BULK_REPAIR_MAX_PER_SECOND = 20;
export const BULK_REPAIR_DEFAULT_PER_SECOND = 5;

export interface BulkRepairRefusal {
  onboardingId: string;
  /** Why it was not retried, in words of our own (never a value of the onboarding). */
  reason: string;
}

/** Where a job stands (its `progress` query, and its result once done). */
export interface BulkRepairProgress {
  id: string;
  tenant: string;
  state: 'running' | 'done';
  /** How many onboardings the filter matched; unknown while the job is still listing them. */
  matched?: number;
  retried: number;
  refused: BulkRepairRefusal[];
  perSecond: number;
  startedAt: string;
  finishedAt?: string;
}

/** One matched onboarding, as a dry run answers it: its id and why it waits (no personal data). */
export interface MatchedOnboarding {
  onboardingId: string;
  attention: Attention;
}

export const BULK_REPAIR_WORKFLOW_TYPE = 'bulkRepair';
const PREFIX = 'bulk-repair-';
/** A job's workflow id: a random id, nothing of any onboarding. */
export const bulkRepairWorkflowIdFor = (jobId: string): string => `${PREFIX}${jobId}`;
export const bulkRepairJobIdOf = (workflowId: string): string => workflowId.slice(PREFIX.length);

/** Whether an onboarding waiting for `attention` is one `filter` names. */
export function matchesFilter(attention: Attention, filter: BulkRepairFilter): boolean {
  if (filter.step !== undefined && attention.step !== filter.step) return false;
  if (filter.provider !== undefined && attention.provider !== filter.provider) return false;
  if (filter.call !== undefined && attention.call !== filter.call) return false;
  const since = Date.parse(attention.since);
  if (filter.since !== undefined && !(since >= Date.parse(filter.since))) return false;
  if (filter.until !== undefined && !(since < Date.parse(filter.until))) return false;
  return true;
}
