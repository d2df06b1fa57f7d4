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

/**
 * The signing provider's id for the envelope (Assine Bem document, Signio transaction, Securities
 * document key): an opaque reference, no personal data. It maps a provider's webhook to its
 * onboarding, and lets an onboarding reset to an earlier stage find the envelope it already sent.
 */
export const signingEnvelopeIdKey = defineSearchAttributeKey(
  'SigningEnvelopeId',
  SearchAttributeType.KEYWORD,
);

/**
 * The Data Trust transactions of the onboarding (one per SMS token sent): opaque ids that map
 * ClearSale's webhook (`Code`) to its onboarding.
 */
export const dataTrustTransactionIdsKey = defineSearchAttributeKey(
  'DataTrustTransactionIds',
  SearchAttributeType.KEYWORD_LIST,
);

/** The tenant the onboarding belongs to (src/domain/tenant.ts): an API key sees its own tenant's only. */
export const onboardingTenantKey = defineSearchAttributeKey('OnboardingTenant', SearchAttributeType.KEYWORD);

export const searchAttributeKeys = [
  onboardingStageKey,
  onboardingTenantKey,
  signingProviderKey,
  onboardingOutcomeKey,
  signingEnvelopeIdKey,
  dataTrustTransactionIdsKey,
];
