/**
 * The credit policy catalog (CREDIT_POLICIES): named, versioned policies with every rule bounded,
 * which tenant may use which, and refusals that name the variable and the place, never a value.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config';
import { loadCreditPolicies } from '../../src/credit-policies';
import { builtInCatalog, resolvePolicy } from '../../src/domain/credit-policy';

const catalog = (json: unknown) =>
  loadCreditPolicies({ CREDIT_POLICIES: JSON.stringify(json), CREDIT_POLICIES_FILE: undefined });
const refusal = (json: unknown): ConfigError => {
  try {
    catalog(json);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('the catalog was accepted');
};

describe('the catalog', () => {
  it('with none configured, is the built-in standard policy, version 1, with the documented defaults', () => {
    const built = loadCreditPolicies({ CREDIT_POLICIES: undefined, CREDIT_POLICIES_FILE: undefined });
    expect(built).toEqual(builtInCatalog());
    expect(built.policies).toEqual([
      expect.objectContaining({
        name: 'standard',
        version: 1,
        approveScoreAtLeast: 70,
        rejectScoreBelow: 30,
        reviewTimeoutMs: 48 * 3_600_000,
        smsTokenTimeoutMs: 15 * 60_000,
        signatureDeadlineMs: 7 * 86_400_000,
        statusCheckInitialMs: 60_000,
        statusCheckMaxMs: 3_600_000,
      }),
    ]);
  });

  it('refuses a rule out of its bounds, naming the variable and the place, never the value', () => {
    const tooOften = refusal({ policies: [{ name: 'fast', version: 1, statusCheckInitialMs: 1 }] });
    expect(tooOften.fields).toEqual(['CREDIT_POLICIES']);
    expect(tooOften.message).toContain(
      'policies.0.statusCheckInitialMs must be between 1 seconds and 1 days',
    );
    const tooLong = refusal({ policies: [{ name: 'slow', version: 1, signatureDeadlineMs: '90 days' }] });
    expect(tooLong.message).toContain('policies.0.signatureDeadlineMs must be between');
    expect(tooLong.message).not.toContain('90');
    expect(refusal({ policies: [{ name: 'odd', version: 1, rejectScoreBelow: 80 }] }).message).toContain(
      'rejectScoreBelow must not exceed approveScoreAtLeast',
    );
  });

  it('refuses a policy without a version, twice the same name, and tenants naming policies it lacks', () => {
    expect(refusal({ policies: [{ name: 'standard' }] }).message).toContain('policies.0.version');
    expect(
      refusal({
        policies: [
          { name: 'a', version: 1 },
          { name: 'a', version: 2 },
        ],
      }).message,
    ).toContain('policies.1.name appears twice');
    const tenants = refusal({
      policies: [{ name: 'a', version: 1 }],
      tenants: { 'lender-a': { default: 'b', allowed: ['a'] } },
    });
    expect(tenants.message).toContain('tenants.lender-a.default names no policy');
    expect(tenants.message).toContain('tenants.lender-a.allowed must include the default');
  });

  it('refuses both variables at once, and text that is not JSON', () => {
    expect(() => loadCreditPolicies({ CREDIT_POLICIES: '{}', CREDIT_POLICIES_FILE: '/x' })).toThrow(
      ConfigError,
    );
    expect(() =>
      loadCreditPolicies({ CREDIT_POLICIES: '{policies', CREDIT_POLICIES_FILE: undefined }),
    ).toThrow('CREDIT_POLICIES: not JSON');
  });
});

describe("an onboarding's policy", () => {
  const policies = catalog({
    policies: [
      { name: 'standard', version: 3 },
      { name: 'premium', version: 1, approveScoreAtLeast: 60 },
      { name: 'partner', version: 2, approveScoreAtLeast: 80 },
    ],
    tenants: { 'lender-a': { default: 'premium', allowed: ['premium', 'standard'] } },
  });

  it("is the one it names, if its tenant may use it; else its tenant's default", () => {
    expect(resolvePolicy(policies, 'lender-a', 'standard')).toMatchObject({
      policy: { name: 'standard', version: 3 },
    });
    expect(resolvePolicy(policies, 'lender-a', undefined)).toMatchObject({ policy: { name: 'premium' } });
    // A tenant not listed gets the catalog's default (its first policy) and only that.
    expect(resolvePolicy(policies, 'lender-b', undefined)).toMatchObject({ policy: { name: 'standard' } });
  });

  it("refuses another tenant's policy as it refuses an unknown one: the answer says nothing of it", () => {
    const notAllowed = resolvePolicy(policies, 'lender-b', 'premium');
    const unknown = resolvePolicy(policies, 'lender-b', 'no-such-policy');
    expect(notAllowed).toEqual({ problem: 'is not a credit policy this tenant may use' });
    expect(unknown).toEqual(notAllowed);
    expect(resolvePolicy(policies, 'lender-a', 'partner')).toEqual(notAllowed);
  });
});
