/**
 * What a workflow receives in place of a payload the codec refused on its way in (the input, a
 * signal, an update): src/temporal/encryption-codec.ts. Plain types and a guard, no zod: the
 * workflow checks messages with it.
 */
export const refusalReasons = [
  'unencrypted',
  'unbound',
  'another-onboarding',
  'undecryptable',
  'erased',
] as const;
/**
 * `unencrypted`: sent in clear; `unbound`: encrypted before payloads named their onboarding;
 * `another-onboarding`: a ciphertext of another onboarding; `undecryptable`: a key not in the ring,
 * or altered; `erased`: its onboarding's data key was destroyed (src/temporal/data-keys/data-keys.ts).
 */
export type RefusalReason = (typeof refusalReasons)[number];

export interface RefusedPayload {
  refusedPayload: RefusalReason;
}

export const isRefusedPayload = (value: unknown): value is RefusedPayload =>
  typeof value === 'object' &&
  value !== null &&
  (refusalReasons as readonly unknown[]).includes((value as { refusedPayload?: unknown }).refusedPayload);
