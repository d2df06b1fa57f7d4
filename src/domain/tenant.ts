/**
 * Tenants: the lender, brand or channel an onboarding belongs to and an API key acts for. A
 * tenant's name is not personal data; it travels in a search attribute and in principals.
 */
/** The tenant of onboardings and principals when no other is configured. */
export const DEFAULT_TENANT = 'default';

/** Lowercase letters, digits and dashes, at most 32: safe in a visibility query and a log line. */
export const tenantPattern = /^[a-z0-9][a-z0-9-]{0,31}$/;
