/**
 * The bulk repair job's messages (src/workflows/bulk-repair/), shared by the workflow and the
 * client, as src/messages.ts is for the onboarding.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BulkRepairJob, BulkRepairProgress } from './domain/bulk-repair';

/** The job's signature, for typed handles without importing the workflow module. */
export type BulkRepairWorkflow = (job: BulkRepairJob) => Promise<BulkRepairProgress>;
/** Where the job stands: matched, retried, refused. */
export const progress = defineQuery<BulkRepairProgress>('progress');
/** Answers how many onboardings the filter matched, once the job has listed them all. */
export const matched = defineUpdate<number>('matched');
