/**
 * The credit policy catalog of this deployment, from CREDIT_POLICIES (JSON) or CREDIT_POLICIES_FILE
 * (a file holding the same JSON), checked at start: a catalog that does not hold is refused, naming
 * the variable and where in the document (never a value). The workers resolve each onboarding's
 * policy from it; the API checks a requested policy against it before anything starts.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, type Config } from './config';
import { builtInCatalog, creditPolicyCatalogSchema, type CreditPolicyCatalog } from './domain/credit-policy';

export function loadCreditPolicies(
  config: Pick<Config, 'CREDIT_POLICIES' | 'CREDIT_POLICIES_FILE'>,
): CreditPolicyCatalog {
  if (config.CREDIT_POLICIES !== undefined && config.CREDIT_POLICIES_FILE !== undefined) {
    throw new ConfigError(
      ['CREDIT_POLICIES', 'CREDIT_POLICIES_FILE'],
      'CREDIT_POLICIES and CREDIT_POLICIES_FILE: set one of the two',
    );
  }
  const variable = config.CREDIT_POLICIES_FILE !== undefined ? 'CREDIT_POLICIES_FILE' : 'CREDIT_POLICIES';
  let text = config.CREDIT_POLICIES;
  if (config.CREDIT_POLICIES_FILE !== undefined) {
    try {
      text = readFileSync(config.CREDIT_POLICIES_FILE, 'utf8');
    } catch {
      throw new ConfigError([variable], `${variable}: the file cannot be read`);
    }
  }
  if (text === undefined) return builtInCatalog();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError([variable], `${variable}: not JSON`);
  }
  const parsed = creditPolicyCatalogSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    [variable],
    `${variable}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(catalog)'} ${i.message}`).join('; ')}`,
  );
}
