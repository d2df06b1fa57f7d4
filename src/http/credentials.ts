/**
 * Secrets the product checks but never keeps: each stored as its SHA-256, and a presented one
 * compared with every stored hash in constant time, so neither the store nor the time taken says
 * which one matched. API keys (./api-keys.ts) and codec server tokens (../codec-server.ts) use it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** What a stored secret is: its holder's name and whatever else it grants. */
export interface Hashed<T> {
  hash: Buffer;
  holder: T;
}

/** The holder of the secret `presented` is, or undefined when it is none of them. */
export function identify<T>(entries: ReadonlyArray<Hashed<T>>, presented: string | undefined): T | undefined {
  if (presented === undefined || presented === '') return undefined;
  const candidate = createHash('sha256').update(presented, 'utf8').digest();
  let found: T | undefined;
  for (const { hash, holder } of entries) if (timingSafeEqual(hash, candidate)) found ??= holder;
  return found;
}
