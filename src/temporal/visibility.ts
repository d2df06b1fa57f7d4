/** Temporal's visibility (list filter) queries, built from values the product does not control. */

/** A string literal for a list filter, with its quotes and backslashes escaped. */
export const visibilityLiteral = (value: string): string => `'${value.replace(/['\\]/g, '\\$&')}'`;
