/**
 * The credit policies: named, versioned rules an onboarding is judged by (score thresholds) and
 * runs on (review and token deadlines, the signing deadline, reminders, status checks). They are
 * the server's, from its configuration (CREDIT_POLICIES): an onboarding names one its tenant may
 * use, or gets its tenant's default, and records the name and version it was judged by. A request
 * never carries thresholds or durations.
 */
import { msToNumber } from '@temporalio/common/lib/time';
import { z } from 'zod';
import { policyMaxima as M, policyMinima as N } from './policy-bounds';
import { tenantPattern } from './tenant';

/** Lowercase letters, digits and dashes, at most 32: a name safe in a status, a log and a metric. */
export const policyNamePattern = /^[a-z0-9][a-z0-9-]{0,31}$/;

const describeMs = (ms: number): string =>
  ms % 86_400_000 === 0
    ? `${ms / 86_400_000} days`
    : ms % 3_600_000 === 0
      ? `${ms / 3_600_000} hours`
      : ms % 60_000 === 0
        ? `${ms / 60_000} minutes`
        : ms % 1000 === 0
          ? `${ms / 1000} seconds`
          : `${ms} ms`;

/** A duration as milliseconds or a string Temporal understands ("15 minutes", "2h", "7 days"), within bounds. */
const duration = (minMs: number, maxMs: number) =>
  z.union([z.number(), z.string().max(40)]).transform((v, ctx) => {
    let ms = NaN;
    try {
      ms = msToNumber(v as Parameters<typeof msToNumber>[0]);
    } catch {
      // reported below
    }
    if (!Number.isFinite(ms) || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: 'must be a positive duration, e.g. "15 minutes" or 900000' });
      return z.NEVER;
    }
    if (ms < minMs || ms > maxMs) {
      ctx.addIssue({
        code: 'custom',
        message: `must be between ${describeMs(minMs)} and ${describeMs(maxMs)}`,
      });
      return z.NEVER;
    }
    return ms;
  });

/** A policy's rules; each value bounded (./policy-bounds.ts), each with the default written here. */
export const policyRulesSchema = z
  .object({
    /** Data Trust score (0-100): at or above this the applicant is approved. */
    approveScoreAtLeast: z.number().min(0).max(100).default(70),
    /** Below this the applicant is rejected; in between goes to manual review. */
    rejectScoreBelow: z.number().min(0).max(100).default(30),
    /** How long a manual review may take before the onboarding ends as expired. */
    reviewTimeoutMs: duration(N.reviewTimeoutMs, M.reviewTimeoutMs).default(48 * 3_600_000),
    /** How long the applicant has to type each SMS token, from when it was sent. */
    smsTokenTimeoutMs: duration(N.smsTokenTimeoutMs, M.smsTokenTimeoutMs).default(15 * 60_000),
    /** How many new tokens may be sent after the first (on request or after expiry). */
    maxSmsTokenResends: z.number().int().min(0).max(M.maxSmsTokenResends).default(2),
    /** From sending the CCB for signature to giving up on it. */
    signatureDeadlineMs: duration(N.signatureDeadlineMs, M.signatureDeadlineMs).default(7 * 86_400_000),
    /** Reminder interval, where the signing provider can remind (Assine Bem). */
    reminderIntervalMs: duration(N.reminderIntervalMs, M.reminderIntervalMs).default(24 * 3_600_000),
    /** First wait between status checks; doubles up to the maximum. */
    statusCheckInitialMs: duration(N.statusCheckInitialMs, M.statusCheckInitialMs).default(60_000),
    statusCheckMaxMs: duration(N.statusCheckMaxMs, M.statusCheckMaxMs).default(3_600_000),
    /**
     * Each wait between checks is drawn within ± this fraction of the backoff, so onboardings
     * started together (a batch, a campaign) do not all check the provider at the same moment.
     */
    statusCheckJitter: z.number().min(0).max(0.5).default(0.2),
    /** How long an onboarding waits in `needs_attention` for an operator before it ends as failed. */
    attentionTimeoutMs: duration(N.attentionTimeoutMs, M.attentionTimeoutMs).default(3 * 86_400_000),
    /** How many times one onboarding may wait in `needs_attention` (0: a failure ends it at once). */
    maxRepairs: z.number().int().min(0).max(M.maxRepairs).default(3),
  })
  .strict();

/** A named, versioned policy: change a rule, raise the version, so a verdict can be explained later. */
export const creditPolicySchema = policyRulesSchema
  .extend({
    name: z.string().regex(policyNamePattern, 'must be lowercase letters, digits and dashes, at most 32'),
    version: z.number().int().min(1),
  })
  .refine((p) => p.rejectScoreBelow <= p.approveScoreAtLeast, {
    message: 'rejectScoreBelow must not exceed approveScoreAtLeast',
    path: ['rejectScoreBelow'],
  })
  .refine((p) => p.statusCheckInitialMs <= p.statusCheckMaxMs, {
    message: 'statusCheckInitialMs must not exceed statusCheckMaxMs',
    path: ['statusCheckInitialMs'],
  });

/** The policy an onboarding runs on: its rules, in milliseconds, with its name and version. */
export type Policy = z.infer<typeof creditPolicySchema>;

const policyName = z.string().regex(policyNamePattern, 'must be a policy name');

/** Which policies a tenant may use, and which it gets when the onboarding names none. */
const tenantPoliciesSchema = z.object({
  default: policyName,
  allowed: z.array(policyName).min(1).optional(),
});

export const creditPolicyCatalogSchema = z
  .object({
    policies: z.array(creditPolicySchema).min(1).max(100),
    /** The policy of the tenants not listed below (the default tenant's among them); the first policy if unset. */
    default: policyName.optional(),
    tenants: z
      .record(z.string().regex(tenantPattern, 'must be a tenant name'), tenantPoliciesSchema)
      .default({}),
  })
  .superRefine((catalog, ctx) => {
    const names = catalog.policies.map((p) => p.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i)
        ctx.addIssue({ code: 'custom', path: ['policies', i, 'name'], message: 'appears twice' });
    });
    const known = (name: string, path: Array<string | number>) => {
      if (!names.includes(name))
        ctx.addIssue({ code: 'custom', path, message: 'names no policy of the catalog' });
    };
    if (catalog.default !== undefined) known(catalog.default, ['default']);
    for (const [tenant, entry] of Object.entries(catalog.tenants)) {
      known(entry.default, ['tenants', tenant, 'default']);
      entry.allowed?.forEach((name, i) => known(name, ['tenants', tenant, 'allowed', i]));
      if (entry.allowed !== undefined && !entry.allowed.includes(entry.default))
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', tenant, 'allowed'],
          message: 'must include the default',
        });
    }
  });

export type CreditPolicyCatalog = z.infer<typeof creditPolicyCatalogSchema>;

/** With no CREDIT_POLICIES: one policy, `standard`, version 1, with the defaults above. */
export const builtInCatalog = (): CreditPolicyCatalog =>
  creditPolicyCatalogSchema.parse({ policies: [{ name: 'standard', version: 1 }] });

/**
 * The policy an onboarding of `tenant` runs on: the one it names, if its tenant may use it, or the
 * tenant's default. An unknown name and one the tenant may not use get the same answer, so a key
 * learns nothing of another tenant's policies.
 */
export function resolvePolicy(
  catalog: CreditPolicyCatalog,
  tenant: string,
  requested: string | undefined,
): { policy: Policy } | { problem: string } {
  const fallback = catalog.default ?? catalog.policies[0]!.name;
  const entry = catalog.tenants[tenant] ?? { default: fallback };
  const allowed = entry.allowed ?? [entry.default];
  const name = requested ?? entry.default;
  const policy = allowed.includes(name) ? catalog.policies.find((p) => p.name === name) : undefined;
  return policy ? { policy } : { problem: 'is not a credit policy this tenant may use' };
}
