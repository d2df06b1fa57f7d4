/**
 * The shortest and longest each duration of a credit policy may be (./credit-policy.ts). With them an onboarding's life has a
 * bound (src/workflows/onboarding/lifetime.ts), which decides how long a patch must stay in the
 * workflow's code and how long personal data can stay in a running onboarding (docs/versioning.md).
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const policyMaxima = {
  /** A person decides a manual review within two weeks. */
  reviewTimeoutMs: 14 * DAY,
  /** Data Trust's tokens live minutes; an applicant gets at most an hour to type each one. */
  smsTokenTimeoutMs: HOUR,
  maxSmsTokenResends: 5,
  /** A CCB out for signature a month is a CCB nobody will sign. */
  signatureDeadlineMs: 30 * DAY,
  reminderIntervalMs: 7 * DAY,
  statusCheckInitialMs: DAY,
  statusCheckMaxMs: DAY,
  /** An onboarding nobody repairs within a week is one nobody will. */
  attentionTimeoutMs: 7 * DAY,
  maxRepairs: 3,
} as const;

/** Shorter than these, a deadline cannot be met by a person, or checks flood a provider and the history. */
export const policyMinima = {
  reviewTimeoutMs: 60_000,
  smsTokenTimeoutMs: 60_000,
  signatureDeadlineMs: 60_000,
  reminderIntervalMs: 60_000,
  statusCheckInitialMs: 1_000,
  statusCheckMaxMs: 1_000,
  attentionTimeoutMs: 60_000,
} as const;
