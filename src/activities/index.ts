/**
 * The onboarding's activities, built from their dependencies so tests can hand in others. Each is a
 * thin wrapper over a provider client; errors go through `toFailure` (retryable or final, typed).
 */
import { builtInCatalog, resolvePolicy, type CreditPolicyCatalog } from '../domain/credit-policy';
import { InvalidOnboardingInput, parseOnboardingInput, type OnboardingInput } from '../domain/input';
import type { Providers } from '../providers';
import type { EvidenceKey } from '../evidence/keys';
import type { EventSetup } from '../events/endpoints';
import { ccbActivities } from './ccb';
import { evidenceActivities } from './evidence';
import { withFailureTranslation } from './failures';
import { identityActivities } from './identity';
import { signingActivities } from './signing';
import type { AdmittedOnboarding, OnboardingActivities, ProviderRoutes, RunningOnboarding } from './types';

export interface ActivityDependencies {
  providers: Pick<Providers, 'datatrust' | 'securities' | 'signing'>;
  /** This worker's provider rate limits (PROVIDER_RATE_LIMITS): the providers whose calls get a queue of their own. */
  rateLimits?: Readonly<Record<string, number>>;
  /** The credit policies onboardings run on (CREDIT_POLICIES); the built-in `standard` when unset. */
  policies?: CreditPolicyCatalog;
  /** The key that signs evidence records (src/evidence/keys.ts). Unset: completed onboardings have none. */
  evidenceKey?: EvidenceKey;
  /** Where events go and how they are delivered (src/events/endpoints.ts). Unset: no onboarding makes events. */
  events?: EventSetup;
  /** How often the signature sweep runs (SIGNATURE_SWEEP_SECONDS, in ms). Unset or 0: onboardings check by themselves. */
  signatureSweepMs?: number;
  /** The applicant's calls before background work (TASK_QUEUE_PRIORITY); unset: off. */
  applicantFirst?: boolean;
}

/** The input with its credit policy resolved: the one it names, if its tenant may use it, or the tenant's default. */
export function admit(input: OnboardingInput, policies: CreditPolicyCatalog): RunningOnboarding {
  const resolved = resolvePolicy(policies, input.tenant, input.policy);
  if ('problem' in resolved)
    throw new InvalidOnboardingInput([{ field: 'policy', message: resolved.problem }]);
  return { ...input, policy: resolved.policy };
}

export function createActivities({
  providers,
  rateLimits = {},
  policies = builtInCatalog(),
  evidenceKey,
  events,
  signatureSweepMs,
  applicantFirst = false,
}: ActivityDependencies): OnboardingActivities {
  const calls = withFailureTranslation(
    {
      /** The workflow's own check of its input (it may come from the Temporal CLI, not the client). */
      async validateOnboardingInput(raw: unknown): Promise<AdmittedOnboarding> {
        return admit(parseOnboardingInput(raw), policies);
      },
      ...identityActivities(providers.datatrust),
      ...ccbActivities(providers.securities, providers.signing),
      ...signingActivities(providers.signing),
      ...evidenceActivities(providers.signing, evidenceKey),
    },
    ['checkSignatures', 'findIdentityCheck', 'findCcbProposal', 'findSentEnvelope'],
  );
  return {
    ...calls,
    /** Where this worker's configuration sends each provider's calls (src/workflows/onboarding/calls.ts). */
    async providerRoutes(): Promise<ProviderRoutes> {
      const tenants = events?.routes.tenants ?? [];
      return {
        queued: Object.keys(rateLimits),
        ...(tenants.length > 0 ? { events: { tenants, policy: events!.policy } } : {}),
        ...(signatureSweepMs ? { signatureSweep: { everyMs: signatureSweepMs } } : {}),
        visibleStages: 'waits',
        ...(applicantFirst ? { priority: 'applicant-first' as const } : {}),
      };
    },
  };
}

export type { OnboardingActivities } from './types';
