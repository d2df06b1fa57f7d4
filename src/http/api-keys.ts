/**
 * API keys: several, each with a name for the access log, stored as their SHA-256 only, compared
 * in constant time. `API_KEYS` holds `name:sha256hex` entries; on loopback with none configured, a
 * development key is created in the cache folder (`.temporal/dev-api-key`).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigError, type Config } from '../config';
import { developmentSecret, isLoopbackAddress } from '../temporal/keyring';

export interface ApiKeys {
  /** The name of the key `presented` is, or undefined when it is none of them. */
  identify(presented: string | undefined): string | undefined;
  /** The development key in clear, when one was made (on loopback without API_KEYS). */
  developmentKey: string | undefined;
}

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

export function parseApiKeys(text: string, developmentKey?: string): ApiKeys {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .map((entry, i) => {
      const [name, hash] = entry.split(':');
      if (!name || !/^[A-Za-z0-9_.-]{1,64}$/.test(name) || !hash || !/^[0-9a-f]{64}$/.test(hash)) {
        throw new ConfigError(['API_KEYS'], `API_KEYS: entry ${i + 1} must be name:sha256hex`);
      }
      return { name, hash: Buffer.from(hash, 'hex') };
    });
  if (entries.length === 0) throw new ConfigError(['API_KEYS'], 'API_KEYS: no key');
  return {
    developmentKey,
    identify(presented) {
      if (presented === undefined || presented === '') return undefined;
      const candidate = createHash('sha256').update(presented, 'utf8').digest();
      // Every key is compared, so the time taken says nothing about which one matched.
      let found: string | undefined;
      for (const { name, hash } of entries) if (timingSafeEqual(hash, candidate)) found ??= name;
      return found;
    },
  };
}

export function resolveApiKeys(
  config: Pick<Config, 'API_KEYS' | 'API_HOST' | 'TEMPORAL_CACHE_DIR'>,
): ApiKeys {
  if (config.API_KEYS !== undefined) return parseApiKeys(config.API_KEYS);
  if (!isLoopbackAddress(config.API_HOST)) {
    throw new ConfigError(
      ['API_KEYS'],
      'API_KEYS must be set when the API listens beyond loopback (API_HOST)',
    );
  }
  const key = developmentSecret(config, 'dev-api-key', () => randomBytes(24).toString('base64url'));
  return parseApiKeys(`development:${sha256Hex(key)}`, key);
}
