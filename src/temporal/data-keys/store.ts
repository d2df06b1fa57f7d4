/**
 * Where each onboarding's data key is kept, wrapped by the keyring (./data-keys.ts): PostgreSQL in
 * production and on the stack (./postgres-store.ts), files in the git-ignored cache on the embedded
 * default (./file-store.ts). Erasing an onboarding destroys its key and keeps a tombstone: when, why,
 * and the onboarding's non-personal record (src/domain/erasure.ts), so its status still reads and no new key
 * is ever made for it.
 */
import type { ErasureRecord } from '../../domain/erasure';

/** A data key encrypted (AES-256-GCM, iv | ciphertext | tag) under keyring key `wrappedBy`. */
export interface WrappedDataKey {
  wrappedBy: string;
  wrapped: Buffer;
}

export type DataKeyEntry =
  | { state: 'active'; key: WrappedDataKey; createdAt: Date }
  | { state: 'erased'; erasure: ErasureRecord; createdAt: Date };

export interface DataKeyStore {
  /** The onboarding's entry (workflow id), if it has one. */
  get(workflowId: string): Promise<DataKeyEntry | undefined>;
  /** Keeps `key` unless the onboarding has an entry already; answers the entry that stands. */
  putIfAbsent(workflowId: string, key: WrappedDataKey): Promise<DataKeyEntry>;
  /** Destroys the key, keeping `erasure`: `no-key` when the onboarding never had one. */
  erase(workflowId: string, erasure: ErasureRecord): Promise<'erased' | 'already-erased' | 'no-key'>;
  /** Onboardings with a live key made before `before`, in workflow id order after `after`. */
  activeBefore(before: Date, after: string | undefined, limit: number): Promise<string[]>;
  close(): Promise<void>;
}
