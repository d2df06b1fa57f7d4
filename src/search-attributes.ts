/**
 * The onboarding's custom search attributes. They hold no personal data: only the stage, the
 * signing provider and the outcome, so operators can filter in the Web UI
 * (e.g. `OnboardingStage = "waiting_signatures" AND SigningProvider = "signio"`).
 * Registered by `npm run temporal` on the dev server; on a cluster, register them once with
 * `temporal operator search-attribute create` (see README).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const onboardingStageKey = defineSearchAttributeKey('OnboardingStage', SearchAttributeType.KEYWORD);
export const signingProviderKey = defineSearchAttributeKey('SigningProvider', SearchAttributeType.KEYWORD);
export const onboardingOutcomeKey = defineSearchAttributeKey(
  'OnboardingOutcome',
  SearchAttributeType.KEYWORD,
);

export const searchAttributeKeys = [onboardingStageKey, signingProviderKey, onboardingOutcomeKey];
