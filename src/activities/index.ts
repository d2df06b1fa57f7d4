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
import type { AdmittedOnboarding, OnboardingActivities } from './types';

export interface ActivityDependencies {
  providers: Pick<Providers, 'datatrust' | 'securities' | 'signing'>;
  /**
   * The providers with a rate limit on this deployment's workers (PROVIDER_RATE_LIMITS): their
   * calls go to their own task queue, where Temporal holds the limit. The others run on the
   * onboarding's queue, where the worker that completes a workflow task starts them at once.
   */
  rateLimits?: Readonly<Record<string, number>>;
}

export function createActivities({ providers, rateLimits = {} }: ActivityDependencies): OnboardingActivities {
  return withFailureTranslation(
    {
      /** The workflow's own check of its input (it may come from the Temporal CLI, not the client). */
      async validateOnboardingInput(raw: unknown): Promise<AdmittedOnboarding> {
        return { ...parseOnboardingInput(raw), queuedProviders: Object.keys(rateLimits) };
      },
      ...identityActivities(providers.datatrust),
      ...ccbActivities(providers.securities, providers.signing),
      ...signingActivities(providers.signing),
    },
    ['checkSignatures'],
  );
}

export type { OnboardingActivities } from './types';
