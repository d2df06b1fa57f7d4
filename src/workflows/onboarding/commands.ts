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
    (p['type'] === 'api-key' || p['type'] === 'service') && isText(p['name'], 128) && isText(p['tenant'], 64)
  );
}

/** Why `value` cannot be taken as a command (undefined when it can): a refused payload, or no principal. */
export function refusalOf(value: unknown): string | undefined {
  if (isRefusedPayload(value)) return value.refusedPayload;
  if (
    typeof value !== 'object' ||
    value === null ||
    !isPrincipal((value as { principal?: unknown }).principal)
  )
    return 'no-principal';
  return undefined;
}

/** Who sent a command, in a line for the timeline: `api-key lender-a/backend-2026`. */
export const describePrincipal = (p: Principal): string => `${p.type} ${p.tenant}/${p.name}`;
