/**
 * The credit policies the tests run on: the built-in `standard`, and one per set of rules a test
 * asks for (`policyWith`), named after its rules and registered as it is asked for. The test
 * workers, the stubbed activities and the API under test all read this one catalog; a worker in a
 * process of its own gets it as CREDIT_POLICIES (`testPoliciesEnv`).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  builtInCatalog,
  creditPolicySchema,
  policyRulesSchema,
  type CreditPolicyCatalog,
} from '../../src/domain/credit-policy';

/** Rules as a test writes them: any of a policy's, durations as text or milliseconds. */
export type PolicyRules = Partial<z.input<typeof policyRulesSchema>>;

/** The tenants the tests use; each may use every test policy. */
const tenants = ['default', 'lender-a', 'lender-b'];
const allowed: string[] = ['standard'];

export const testPolicies: CreditPolicyCatalog = {
  ...builtInCatalog(),
  tenants: Object.fromEntries(tenants.map((t) => [t, { default: 'standard', allowed }])),
};

/** The name of a policy with `rules` over the defaults, registered in the test catalog. */
export function policyWith(rules: PolicyRules): string {
  const text = JSON.stringify(
    Object.fromEntries(Object.entries(rules).sort(([a], [b]) => a.localeCompare(b))),
  );
  const name = `t-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
  if (!allowed.includes(name)) {
    testPolicies.policies.push(creditPolicySchema.parse({ name, version: 1, ...rules }));
    allowed.push(name);
  }
  return name;
}

/** What a test onboarding runs on unless it asks for more: checks a minute apart, at most ten. */
export const testRules: PolicyRules = { statusCheckInitialMs: '1 minute', statusCheckMaxMs: '10 minutes' };
/** Registered at once, so a worker process started before any test input already knows it. */
export const TEST_POLICY = policyWith(testRules);

/** The test catalog as a worker process reads it. */
export const testPoliciesEnv = (): { CREDIT_POLICIES: string } => ({
  CREDIT_POLICIES: JSON.stringify(testPolicies),
});
