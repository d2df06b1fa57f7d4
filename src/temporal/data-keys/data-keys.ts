/**
 * Envelope encryption: each onboarding's payloads are encrypted under a data key of its own, kept
 * in the store (./store.ts) wrapped by the keyring's active key, so a rotation of the keyring still
 * works (the key a data key was wrapped by stays in the ring until it is re-wrapped or erased).
 * Destroying the data key erases the onboarding's personal data wherever its history went: Temporal,
 * an export, a backup.
 *
 * A process may keep unwrapped keys in memory for `cacheMs`: workers do (a few minutes), the codec
 * server does not, so an erasure shows in the Web UI at once (docs/privacy.md).
 */
import { randomBytes } from 'node:crypto';
import { open, seal } from '../aes-gcm';
import type { ErasureRecord } from '../../domain/erasure';
import type { Keyring } from '../keyring';
import type { DataKeyEntry, DataKeyStore, WrappedDataKey } from './store';

const CACHE_ENTRIES = 10_000;

/** The onboarding's data key was destroyed: its personal payloads are gone for good. */
export class OnboardingErased extends Error {
  constructor(readonly erasure: ErasureRecord) {
    super(`the onboarding's personal data was erased (${erasure.erasedAt})`);
    this.name = 'OnboardingErased';
  }
}

/** No data key for the onboarding, or one this keyring cannot unwrap. */
export class DataKeyUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataKeyUnavailable';
  }
}

export interface DataKeysOptions {
  /** How long an unwrapped key may stay in this process's memory (0: never). */
  cacheMs?: number;
}

export class DataKeys {
  private readonly cache = new Map<string, { key: Buffer; until: number }>();

  constructor(
    private readonly keyring: Keyring,
    readonly store: DataKeyStore,
    private readonly options: DataKeysOptions = {},
  ) {}

  /** The key the onboarding's payloads are encrypted with: its own, made on first use. */
  async forEncryption(workflowId: string): Promise<Buffer> {
    const cached = this.cached(workflowId);
    if (cached !== undefined) return cached;
    const entry =
      (await this.store.get(workflowId)) ?? (await this.store.putIfAbsent(workflowId, this.wrap(workflowId)));
    return this.unwrap(workflowId, entry);
  }

  /** The key to decrypt the onboarding's payloads with; OnboardingErased once it was destroyed. */
  async forDecryption(workflowId: string): Promise<Buffer> {
    const cached = this.cached(workflowId);
    if (cached !== undefined) return cached;
    const entry = await this.store.get(workflowId);
    if (entry === undefined) throw new DataKeyUnavailable('the onboarding has no data key in the store');
    return this.unwrap(workflowId, entry);
  }

  /** Destroys the onboarding's data key (and this process's copy), keeping `erasure` in its place. */
  async erase(workflowId: string, erasure: ErasureRecord): Promise<'erased' | 'already-erased' | 'no-key'> {
    this.cache.delete(workflowId);
    return this.store.erase(workflowId, erasure);
  }

  private cached(workflowId: string): Buffer | undefined {
    const hit = this.cache.get(workflowId);
    if (hit === undefined) return undefined;
    if (hit.until > Date.now()) return hit.key;
    this.cache.delete(workflowId);
    return undefined;
  }

  /** A new data key, wrapped under the active key and bound to its onboarding. */
  private wrap(workflowId: string): WrappedDataKey {
    const { id, key } = this.keyring.active;
    const wrapped = seal(key, randomBytes(32), bindingOf(id, workflowId));
    return { wrappedBy: id, wrapped };
  }

  private unwrap(workflowId: string, entry: DataKeyEntry): Buffer {
    if (entry.state === 'erased') throw new OnboardingErased(entry.erasure);
    const { wrappedBy, wrapped } = entry.key;
    const wrapping = this.keyring.byId.get(wrappedBy);
    if (wrapping === undefined) {
      throw new DataKeyUnavailable(
        `the onboarding's data key is wrapped by key "${wrappedBy}", which is not in the keyring (TEMPORAL_ENCRYPTION_KEYS)`,
      );
    }
    const key = open(wrapping, wrapped, bindingOf(wrappedBy, workflowId));
    if (key === undefined) {
      throw new DataKeyUnavailable(
        `the onboarding's data key could not be unwrapped with key "${wrappedBy}"`,
      );
    }
    const cacheMs = this.options.cacheMs ?? 0;
    if (cacheMs > 0) {
      if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(workflowId, { key, until: Date.now() + cacheMs });
    }
    return key;
  }
}

/** A wrapped key is authenticated with its onboarding: a row copied to another onboarding does not unwrap. */
const bindingOf = (wrappedBy: string, workflowId: string) =>
  Buffer.from(`data-key|${wrappedBy}|onboarding=${workflowId}`, 'utf8');
