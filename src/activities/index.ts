/**
 * The onboarding's activities, built from their dependencies so tests can hand in others. Each is a
 * thin wrapper over a provider client; errors go through `toFailure` (retryable or final, typed).
 */
import { parseOnboardingInput } from '../domain/input';
import type { Providers } from '../providers';
import { ccbActivities } from './ccb';
import { withFailureTranslation } from './failures';
import { identityActivities } from './identity';
import { signingActivities } from './signing';
import type { AdmittedOnboarding, OnboardingActivities, ProviderRoutes } from './types';

export interface ActivityDependencies {
  providers: Pick<Providers, 'datatrust' | 'securities' | 'signing'>;
  /** This worker's provider rate limits (PROVIDER_RATE_LIMITS): the providers whose calls get a queue of their own. */
  rateLimits?: Readonly<Record<string, number>>;
}

export function createActivities({ providers, rateLimits = {} }: ActivityDependencies): OnboardingActivities {
  const calls = withFailureTranslation(
    {
      /** The workflow's own check of its input (it may come from the Temporal CLI, not the client). */
      async validateOnboardingInput(raw: unknown): Promise<AdmittedOnboarding> {
        return parseOnboardingInput(raw);
      },
      ...identityActivities(providers.datatrust),
      ...ccbActivities(providers.securities, providers.signing),
      ...signingActivities(providers.signing),
    },
    ['checkSignatures'],
  );
  return {
    ...calls,
    /** Where this worker's configuration sends each provider's calls (src/workflows/onboarding/calls.ts). */
    async providerRoutes(): Promise<ProviderRoutes> {
      return { queued: Object.keys(rateLimits) };
    },
  };
}

export type { OnboardingActivities } from './types';
