/**
 * Changes to the workflow's commands, each behind one patch id, so onboardings started before a
 * change replay exactly as they ran (`patched`). One id per release: every patch also writes the
 * `TemporalChangeVersion` search attribute, so a release's changes share one.
 */

/**
 * Fewer search-attribute writes (state.ts), jittered status checks (signatures.ts), and the input
 * validated in a local activity (workflow.ts).
 */
export const PATCH_FEWER_WRITES_JITTER = 'fewer-attribute-writes-jittered-checks';

/** Status checks while waiting on signatures as local activities (signatures.ts, activities.ts). */
export const PATCH_LOCAL_STATUS_CHECKS = 'local-status-checks';
