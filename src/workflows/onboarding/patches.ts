/**
 * Every patch the onboarding's code carries: the only ids `patched()` may be called with (ESLint
 * refuses a literal). A patch keeps onboardings that started on older code replaying as they ran,
 * on deployments that run unversioned or that move running onboardings onto a new build; pinned
 * onboardings never meet new code and need none. When a patch is added, deprecated and removed,
 * and which recorded histories the replay test keeps meanwhile: docs/versioning.md.
 *
 * Each patch also writes the `TemporalChangeVersion` search attribute once per onboarding that
 * takes it, so the changes of one release share one patch.
 */
export const patches = {
  /**
   * A search attribute written only when it changes (state.ts, through attribute-writer.ts),
   * status checks jittered (signatures.ts), and the input validated in a local activity (workflow.ts).
   */
  fewerWritesJitter: 'fewer-attribute-writes-jittered-checks',
  /** A resent token's Data Trust transaction recorded in the search attributes at once (sms-token.ts). */
  recordResentTransaction: 'record-resent-transaction',
  /** Status checks while waiting on signatures as local activities (signatures.ts). */
  localStatusChecks: 'local-status-checks',
  /** The worker's provider routes asked for in a local activity of their own (workflow.ts, calls.ts). */
  providerRoutes: 'provider-routes',
  /** Review, cancel and resend commands accepted only with an authenticated principal (inbox.ts). */
  verifiedCommands: 'verified-commands',
  /** A provider call that fails for good parks the onboarding in needs_attention for a repair (repair.ts). */
  repairs: 'repairs',
  /** A completed onboarding signs its evidence record, in an activity, into its outcome (workflow.ts). */
  evidence: 'evidence',
} as const;

export type PatchId = (typeof patches)[keyof typeof patches];

/** The day each patch reached main: its retirement is counted from there (docs/versioning.md). */
export const patchSince: Record<PatchId, string> = {
  [patches.fewerWritesJitter]: '2026-11-24',
  [patches.recordResentTransaction]: '2026-11-24',
  [patches.localStatusChecks]: '2026-12-03',
  [patches.providerRoutes]: '2026-12-04',
  [patches.verifiedCommands]: '2026-12-04',
  [patches.repairs]: '2026-12-04',
  [patches.evidence]: '2026-12-04',
};
