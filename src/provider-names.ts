/**
 * The names of the two providers every onboarding calls, beside the signing providers of the
 * registry (src/providers/registry.ts). It imports nothing, so the workflow bundle can use it.
 */
export const DATA_TRUST = 'datatrust';
export const SECURITIES = 'securities';
