/**
 * The data keys a process uses, from the configuration: PostgreSQL when DATA_KEY_STORE_URL names
 * it; outside production mode, files in the cache folder (`.temporal/data-keys`), shared by every
 * process of the embedded default; production mode without it refuses to start.
 */
import { join } from 'node:path';
import { ConfigError, type Config } from '../../config';
import { productionMode } from '../../production';
import { cacheFolder, type Keyring } from '../keyring';
import { DataKeys } from './data-keys';
import { FileDataKeyStore } from './file-store';
import { PostgresDataKeyStore } from './postgres-store';
import type { DataKeyStore } from './store';

/** Workers keep a key this long, so a parked onboarding's wake-up reads the store once, not per payload. */
const WORKER_CACHE_MS = 5 * 60_000;

export function resolveDataKeyStore(
  config: Pick<Config, 'DATA_KEY_STORE_URL' | 'TEMPORAL_CACHE_DIR' | 'NODE_ENV'>,
): DataKeyStore {
  if (config.DATA_KEY_STORE_URL !== undefined) return new PostgresDataKeyStore(config.DATA_KEY_STORE_URL);
  if (productionMode(config)) {
    throw new ConfigError(
      ['DATA_KEY_STORE_URL'],
      "DATA_KEY_STORE_URL must be set in production mode: each onboarding's data key lives in PostgreSQL",
    );
  }
  return new FileDataKeyStore(join(cacheFolder(config), 'data-keys'));
}

/** A worker caches keys for a while; the client and the codec server read the store every time. */
export const resolveDataKeys = (
  config: Pick<Config, 'DATA_KEY_STORE_URL' | 'TEMPORAL_CACHE_DIR' | 'NODE_ENV'>,
  keyring: Keyring,
  role: 'worker' | 'client' = 'client',
  store: DataKeyStore = resolveDataKeyStore(config),
): DataKeys => new DataKeys(keyring, store, { cacheMs: role === 'worker' ? WORKER_CACHE_MS : 0 });
