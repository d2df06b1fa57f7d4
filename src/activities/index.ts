/**
 * The onboarding's activities, built from their dependencies so tests can hand in others. Each is a
 * thin wrapper over a provider client; errors go through `toFailure` (retryable or final, typed).
 */
import { parseOnboardingInput, type OnboardingInput } from '../domain/input';
import type { Providers } from '../providers';
import { ccbActivities } from './ccb';
import { withFailureTranslation } from './failures';
import { identityActivities } from './identity';
import { signingActivities } from './signing';
import type { OnboardingActivities } from './types';

export interface ActivityDependencies {
  providers: Pick<Providers, 'datatrust' | 'securities' | 'signing'>;
}

export function createActivities({ providers }: ActivityDependencies): OnboardingActivities {
  return withFailureTranslation(
    {
      /** The workflow's own check of its input (it may come from the Temporal CLI, not the client). */
      async validateOnboardingInput(raw: unknown): Promise<OnboardingInput> {
        return parseOnboardingInput(raw);
      },
      ...identityActivities(providers.datatrust),
      ...ccbActivities(providers.securities, providers.signing),
      ...signingActivities(providers.signing),
    },
    ['checkSignatures'],
  );
}

export type { OnboardingActivities } from './types';
