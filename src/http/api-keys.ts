/**
 * API keys: each has a name (for the access log and as the principal of its commands), a tenant
 * (the lender, brand or channel it acts for: it sees and acts on that tenant's onboardings only)
 * and scopes (what it may do). Keys are stored as their SHA-256 only and compared in constant time;
 * several per tenant, so a key rotates without downtime.
 *
 * `API_KEYS` holds `name@tenant:scopes:sha256hex` entries separated by commas, `scopes` being
 * `+`-joined names from `apiScopes` or `all`. An entry written the older way, `name:sha256hex`, is
 * a key of the default tenant with every scope. On loopback with none configured, a development
 * key is created in the cache folder (`.temporal/dev-api-key`).
 */
import { randomBytes } from 'node:crypto';
import { ConfigError, type Config } from '../config';
import { DEFAULT_TENANT } from '../domain/onboarding';
import { tenantPattern } from '../domain/tenant';
import { developmentSecret, isLoopbackAddress } from '../temporal/keyring';
import { identify, sha256Hex, type Hashed } from './credentials';

/** What a key may do: start onboardings, read them, forward SMS tokens, decide reviews, cancel, repair, re-send events. */
export const apiScopes = [
  'start',
  'read',
  'sms-token',
  'review',
  'cancel',
  'repair',
  'events',
  'erase',
] as const;
export type ApiScope = (typeof apiScopes)[number];

export interface ApiKey {
  name: string;
  tenant: string;
  scopes: ReadonlySet<ApiScope>;
}

export interface ApiKeys {
  /** The key `presented` is, or undefined when it is none of them. */
  identify(presented: string | undefined): ApiKey | undefined;
  /** The development key in clear, when one was made (on loopback without API_KEYS). */
  developmentKey: string | undefined;
}

export { sha256Hex };

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const HASH = /^[0-9a-f]{64}$/;

function parseEntry(entry: string, position: number): Hashed<ApiKey> {
  const wrong = (what: string) =>
    new ConfigError(['API_KEYS'], `API_KEYS: entry ${position} ${what} (name@tenant:scopes:sha256hex)`);
  const parts = entry.split(':');
  if (parts.length === 2) {
    // The older form: a key of the default tenant, with every scope it had then.
    const [name, hash] = parts as [string, string];
    if (!NAME.test(name) || !HASH.test(hash)) throw wrong('is not a key');
    return {
      holder: { name, tenant: DEFAULT_TENANT, scopes: new Set(apiScopes) },
      hash: Buffer.from(hash, 'hex'),
    };
  }
  if (parts.length !== 3) throw wrong('is not a key');
  const [who, scopeText, hash] = parts as [string, string, string];
  const [name, tenant, ...rest] = who.split('@');
  if (rest.length > 0 || !name || !NAME.test(name)) throw wrong('has no valid name');
  if (!tenant || !tenantPattern.test(tenant)) throw wrong('has no valid tenant');
  const named = scopeText === 'all' ? [...apiScopes] : scopeText.split('+');
  if (named.length === 0 || named.some((s) => !(apiScopes as readonly string[]).includes(s))) {
    throw wrong(`has scopes other than ${apiScopes.join(', ')} or "all"`);
  }
  if (!HASH.test(hash)) throw wrong('has no valid SHA-256');
  return { holder: { name, tenant, scopes: new Set(named as ApiScope[]) }, hash: Buffer.from(hash, 'hex') };
}

export function parseApiKeys(text: string, developmentKey?: string): ApiKeys {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .map((entry, i) => parseEntry(entry, i + 1));
  if (entries.length === 0) throw new ConfigError(['API_KEYS'], 'API_KEYS: no key');
  const names = new Set<string>();
  for (const {
    holder: { name },
  } of entries) {
    if (names.has(name)) throw new ConfigError(['API_KEYS'], `API_KEYS: the name "${name}" appears twice`);
    names.add(name);
  }
  return {
    developmentKey,
    identify: (presented) => identify(entries, presented),
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
  return parseApiKeys(`development@${DEFAULT_TENANT}:all:${sha256Hex(key)}`, key);
}
