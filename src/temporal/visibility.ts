/** Temporal's visibility (list filter) queries, built from values the product does not control. */

/** A string literal for a list filter, with its quotes and backslashes escaped. */
export const visibilityLiteral = (value: string): string => `'${value.replace(/['\\]/g, '\\$&')}'`;

/**
 * The list filter for a tenant's onboardings (tenantPattern keeps the name safe in a query): those of
 * the default tenant include the ones started before tenants.
 */
export const tenantFilter = (attribute: string, tenant: string, defaultTenant: string): string =>
  tenant === defaultTenant
    ? `(${attribute} = ${visibilityLiteral(tenant)} OR ${attribute} IS NULL)`
    : `${attribute} = ${visibilityLiteral(tenant)}`;
