/**
 * The encryption keyring: which AES-256 keys encrypt and decrypt payloads. The first key encrypts;
 * every key decrypts, so keys rotate without breaking onboardings that started under an older one.
 *
 * From `TEMPORAL_ENCRYPTION_KEYS` (`id:base64key,id:base64key`). On a loopback Temporal address
 * with no keys configured, outside production mode, a development key is created once in the
 * git-ignored cache folder, so the demo and the tests need no configuration; anywhere else the
 * worker and client refuse to start.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, type Config } from '../config';
import { isLoopbackAddress } from '../loopback';
import { productionMode } from '../production';
import { projectRoot } from './project-root';

export { isLoopbackAddress };

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface Keyring {
  /** The key new payloads are encrypted with. */
  active: EncryptionKey;
  /** Every key, by id (the active one included). */
  byId: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** Parses `id:base64key,...`; errors name the variable and the entry's position, never a key. */
export function parseKeyring(text: string, variable = 'TEMPORAL_ENCRYPTION_KEYS'): Keyring {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) throw new ConfigError([variable], `${variable}: no key`);
  const keys = entries.map((entry, i): EncryptionKey => {
    const at = entry.indexOf(':');
    const id = at > 0 ? entry.slice(0, at) : '';
    const key = Buffer.from(entry.slice(at + 1), 'base64');
    if (!KEY_ID.test(id)) {
      throw new ConfigError(
        [variable],
        `${variable}: entry ${i + 1} needs an id of letters, digits, ".", "_" or "-" before ":"`,
      );
    }
    if (key.length !== 32) {
      throw new ConfigError([variable], `${variable}: the key of entry ${i + 1} must be 32 bytes in base64`);
    }
    return { id, key };
  });
  const byId = new Map<string, Buffer>();
  for (const { id, key } of keys) {
    if (byId.has(id)) throw new ConfigError([variable], `${variable}: key id "${id}" appears twice`);
    byId.set(id, key);
  }
  return { active: keys[0]!, byId };
}

export const cacheFolder = (config: Pick<Config, 'TEMPORAL_CACHE_DIR'>): string =>
  resolve(config.TEMPORAL_CACHE_DIR ?? join(projectRoot, '.temporal'));

/** The variable each development secret stands in for, named when production mode refuses to make it. */
const developmentSecretVariables: Record<string, string> = {
  'dev-encryption-keys': 'TEMPORAL_ENCRYPTION_KEYS',
  'dev-codec-token': 'CODEC_SERVER_TOKENS',
  'dev-api-key': 'API_KEYS',
  'dev-evidence-signing-key': 'EVIDENCE_SIGNING_KEY',
};

/**
 * A secret kept in a file of the cache folder, created with `make` the first time (mode 0600).
 * Never in production mode: its callers check first, and this refuses too, for any that does not.
 */
export function developmentSecret(
  config: Pick<Config, 'TEMPORAL_CACHE_DIR' | 'NODE_ENV'>,
  file: string,
  make: () => string,
): string {
  if (productionMode(config)) {
    const variable = developmentSecretVariables[file] ?? file;
    throw new ConfigError([variable], `${variable} must be set: production mode makes no development secret`);
  }
  const dir = cacheFolder(config);
  const path = join(dir, file);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(path, `${make()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process made it first (parallel tests, replicas on one machine): theirs is kept.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  chmodSync(path, 0o600);
  return readFileSync(path, 'utf8').trim();
}

/**
 * The configured keyring; a development one on loopback outside production mode; otherwise a
 * ConfigError naming the variable.
 */
export function resolveKeyring(
  config: Pick<Config, 'TEMPORAL_ENCRYPTION_KEYS' | 'TEMPORAL_ADDRESS' | 'TEMPORAL_CACHE_DIR' | 'NODE_ENV'>,
): Keyring {
  if (config.TEMPORAL_ENCRYPTION_KEYS !== undefined) return parseKeyring(config.TEMPORAL_ENCRYPTION_KEYS);
  if (productionMode(config)) {
    throw new ConfigError(
      ['TEMPORAL_ENCRYPTION_KEYS'],
      'TEMPORAL_ENCRYPTION_KEYS must be set in production mode: no replica makes a key of its own',
    );
  }
  if (!isLoopbackAddress(config.TEMPORAL_ADDRESS)) {
    throw new ConfigError(
      ['TEMPORAL_ENCRYPTION_KEYS'],
      'TEMPORAL_ENCRYPTION_KEYS must be set when TEMPORAL_ADDRESS is not a loopback address: payloads hold personal data',
    );
  }
  const text = developmentSecret(
    config,
    'dev-encryption-keys',
    () => `dev-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}`,
  );
  return parseKeyring(text, 'the development keyring (.temporal/dev-encryption-keys)');
}
