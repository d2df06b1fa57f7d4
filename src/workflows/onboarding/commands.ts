/**
 * The checks a command passes before it steers the onboarding: its payload was encrypted for this
 * onboarding (the codec turns any other into a refused payload), and it names the principal the
 * path that sent it authenticated. Plain checks, no zod: they run in the workflow for every message.
 */
import type { Principal } from '../../domain/onboarding';
import { isRefusedPayload } from '../../domain/refused-payload';

const isText = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;

export function isPrincipal(v: unknown): v is Principal {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return (
    (p['type'] === 'api-key' || p['type'] === 'service' || p['type'] === 'operator') &&
    isText(p['name'], 128) &&
    isText(p['tenant'], 64)
  );
}

/**
 * Why `value` cannot be taken as a command to an onboarding of `tenant` (undefined when it can): a
 * refused payload, no principal, or an API key of another tenant (the API never sends one; this
 * holds if something else tried). A service holds the key ring, and an operator's command came
 * through the codec server: both may act for any tenant.
 */
export function refusalOf(value: unknown, tenant: string): string | undefined {
  if (isRefusedPayload(value)) return value.refusedPayload;
  const principal =
    typeof value === 'object' && value !== null ? (value as { principal?: unknown }).principal : undefined;
  if (!isPrincipal(principal)) return 'no-principal';
  if (principal.type === 'api-key' && principal.tenant !== tenant) return 'another-tenant';
  return undefined;
}

/** Who sent a command, in a line for the timeline: `api-key lender-a/backend-2026`. */
export const describePrincipal = (p: Principal): string =>
  p.type === 'operator' ? `operator ${p.name}` : `${p.type} ${p.tenant}/${p.name}`;
