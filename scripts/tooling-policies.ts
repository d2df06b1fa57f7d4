/**
 * The credit policies the project's own runs use (the demo, the chaos run, the benchmark, the
 * stack): the built-in `standard`, and quicker ones for runs whose signers sign within seconds, so
 * signatures are checked soon. A run passes them to the processes it starts as CREDIT_POLICIES,
 * unless the shell sets its own.
 */
import type { z } from 'zod';
import type { creditPolicyCatalogSchema, creditPolicySchema } from '../src/domain/credit-policy';

type PolicyDraft = z.input<typeof creditPolicySchema>;

const quick: PolicyDraft[] = [
  { name: 'demo', version: 1, statusCheckInitialMs: '30 seconds', statusCheckMaxMs: '1 minute' },
  { name: 'chaos', version: 1, statusCheckInitialMs: '2 seconds', statusCheckMaxMs: '10 seconds' },
  { name: 'bench', version: 1, statusCheckInitialMs: '1 second', statusCheckMaxMs: '2 seconds' },
];

/** The catalog: `standard` the default, the quick ones and `extra` allowed to the default tenant. */
export function toolingPolicies(extra: PolicyDraft[] = []): z.input<typeof creditPolicyCatalogSchema> {
  const policies: PolicyDraft[] = [{ name: 'standard', version: 1 }, ...quick, ...extra];
  return {
    policies,
    tenants: { default: { default: 'standard', allowed: policies.map((p) => p.name) } },
  };
}

/** CREDIT_POLICIES for the processes a run starts, unless the shell set the catalog itself. */
export const toolingPoliciesEnv = (
  extra: PolicyDraft[] = [],
  env: NodeJS.ProcessEnv = process.env,
): { CREDIT_POLICIES?: string } =>
  env['CREDIT_POLICIES'] !== undefined || env['CREDIT_POLICIES_FILE'] !== undefined
    ? {}
    : { CREDIT_POLICIES: JSON.stringify(toolingPolicies(extra)) };
