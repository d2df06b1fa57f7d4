/**
 * Production mode (`NODE_ENV=production`): what each process requires (src/production.ts), one
 * error naming every missing or wrong variable and never a value, and no development secret made
 * anywhere, even when a process is started without the check.
 */
import { TEST_EVIDENCE_SEED } from '../fixtures/evidence-key';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codecServerTokens } from '../../src/codec-server';
import { ConfigError, loadConfig } from '../../src/config';
import { resolveApiKeys } from '../../src/http/api-keys';
import { webhookReceivers } from '../../src/http/webhooks/receivers';
import { loadConfigFor, productionProblems, type ProcessRole } from '../../src/production';
import { credentialRules } from '../../src/providers/env-schema';
import { signingProviderModules } from '../../src/providers/registry';
import { resolveKeyring } from '../../src/temporal/keyring';
import { resolveDataKeyStore } from '../../src/temporal/data-keys/resolve';
import { TEST_KEYS } from '../fixtures/keyring';

type Env = Record<string, string>;
/** Production mode with the data-key store every role needs, and `env`. */
const production = (env: Env = {}): Env => ({
  NODE_ENV: 'production',
  DATA_KEY_STORE_URL: 'postgres://onboarding@db.example/credit_onboarding',
  ...env,
});
const nothingConfigured: Env = { NODE_ENV: 'production' };
const named = (role: ProcessRole, env: Env) =>
  productionProblems(loadConfig(env), role, env)
    .map((p) => p.variable)
    .sort();
const sorted = (names: string[]) => [...names].sort();

const providerVariables = credentialRules.flatMap((rule) => [rule.baseUrl, ...rule.secrets]);
const webhookSecretVariables = [
  'DATATRUST_WEBHOOK_TOKEN',
  ...signingProviderModules.map((m) => m.webhook.secretVariable),
];
/** Real providers over https, with credentials of their own; and the worker's evidence signing key. */
const realProviders: Env = {
  ...Object.fromEntries(
    credentialRules.flatMap((rule) => [
      [rule.baseUrl, 'https://provider.example'],
      ...rule.secrets.map((v) => [v, `own-${v.toLowerCase()}`]),
    ]),
  ),
  EVIDENCE_SIGNING_KEY: TEST_EVIDENCE_SEED,
};
const refusal = (run: () => unknown): ConfigError => {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('not refused');
};

describe('what each process requires in production mode', () => {
  it('with nothing configured: the encryption keys, and each role what it would otherwise generate', () => {
    const keys = ['TEMPORAL_ENCRYPTION_KEYS', 'DATA_KEY_STORE_URL'];
    expect(named('worker', nothingConfigured)).toEqual(
      sorted([...keys, 'EVIDENCE_SIGNING_KEY', ...providerVariables]),
    );
    expect(named('api', nothingConfigured)).toEqual(sorted([...keys, 'API_KEYS']));
    expect(named('codec-server', nothingConfigured)).toEqual(sorted([...keys, 'CODEC_SERVER_TOKENS']));
  });

  it('an API beyond loopback serves TLS itself, or says a TLS proxy in front terminates it', () => {
    const api = production({
      TEMPORAL_ENCRYPTION_KEYS: TEST_KEYS,
      API_KEYS: `k:${'0'.repeat(64)}`,
      API_HOST: '0.0.0.0',
    });
    expect(named('api', api)).toEqual(['API_TLS_CERT_PATH']);
    expect(named('api', { ...api, API_TLS_CERT_PATH: '/c.pem', API_TLS_KEY_PATH: '/k.pem' })).toEqual([]);
    expect(named('api', { ...api, API_TLS_TERMINATED_BY_PROXY: 'true' })).toEqual([]);
    // On loopback, plain HTTP crosses no network.
    expect(named('api', { ...api, API_HOST: '127.0.0.1' })).toEqual([]);
  });

  it("a codec server for the Web UI's users alone needs no token, but its issuer over https", () => {
    const codec = production({
      TEMPORAL_ENCRYPTION_KEYS: TEST_KEYS,
      CODEC_SERVER_OIDC_AUDIENCES: 'temporal-web-ui',
      CODEC_SERVER_OIDC_DECODE_GROUPS: 'onboarding-operators',
    });
    expect(
      named('codec-server', { ...codec, CODEC_SERVER_OIDC_ISSUER: 'https://idp.lender.example' }),
    ).toEqual([]);
    expect(
      named('codec-server', { ...codec, CODEC_SERVER_OIDC_ISSUER: 'http://idp.lender.example' }),
    ).toEqual(['CODEC_SERVER_OIDC_ISSUER']);
  });

  it('nothing more once each has what it needs', () => {
    const keys = { TEMPORAL_ENCRYPTION_KEYS: TEST_KEYS };
    expect(named('worker', production({ ...keys, ...realProviders }))).toEqual([]);
    expect(named('api', production({ ...keys, API_KEYS: 'x' }))).toEqual([]);
    expect(named('codec-server', production({ ...keys, CODEC_SERVER_TOKENS: 't' }))).toEqual([]);
  });

  it('a Temporal sidecar on loopback needs no TLS, but still the keys: no replica makes its own', () => {
    expect(named('api', production({ TEMPORAL_ADDRESS: '127.0.0.1:7233', API_KEYS: 'x' }))).toEqual([
      'TEMPORAL_ENCRYPTION_KEYS',
    ]);
  });

  it('TLS to Temporal beyond loopback: TEMPORAL_TLS, a client certificate pair or an API key', () => {
    const base = production({ TEMPORAL_ENCRYPTION_KEYS: TEST_KEYS, API_KEYS: 'x' });
    for (const address of ['temporal.example:7233', '127.evil.example:7233', '0.0.0.0:7233']) {
      expect(named('api', { ...base, TEMPORAL_ADDRESS: address }), address).toEqual(['TEMPORAL_TLS']);
    }
    const remote = { ...base, TEMPORAL_ADDRESS: 'temporal.example:7233' };
    expect(named('api', { ...remote, TEMPORAL_TLS: 'true' })).toEqual([]);
    expect(named('api', { ...remote, TEMPORAL_API_KEY: 'k' })).toEqual([]);
    expect(named('api', { ...remote, TEMPORAL_TLS_CERT_PATH: 'c', TEMPORAL_TLS_KEY_PATH: 'k' })).toEqual([]);
    // Half a pair is no client certificate: the missing half is named.
    expect(named('api', { ...remote, TEMPORAL_TLS_CERT_PATH: 'c' })).toEqual(['TEMPORAL_TLS_KEY_PATH']);
    expect(named('worker', { ...remote, ...realProviders, TEMPORAL_TLS_KEY_PATH: 'k' })).toEqual([
      'TEMPORAL_TLS_CERT_PATH',
    ]);
    // The codec server does not connect to Temporal.
    expect(named('codec-server', { ...remote, CODEC_SERVER_TOKENS: 't' })).toEqual([]);
  });

  it('https for every provider base URL, loopback included, and credentials of their own', () => {
    const env = production({ TEMPORAL_ENCRYPTION_KEYS: TEST_KEYS, ...realProviders });
    for (const rule of credentialRules) {
      expect(named('worker', { ...env, [rule.baseUrl]: 'http://127.0.0.1:4101' })).toEqual([rule.baseUrl]);
      for (const secret of rule.secrets) {
        expect(named('worker', { ...env, [secret]: 'simulator' })).toEqual([secret]);
        expect(refusal(() => loadConfigFor('worker', { ...env, [secret]: '' })).fields).toEqual([secret]);
      }
    }
  });

  it('a webhook secret at the development value is refused; unset, its receiver is off', () => {
    const env = production({ TEMPORAL_ENCRYPTION_KEYS: TEST_KEYS, API_KEYS: 'x' });
    for (const variable of webhookSecretVariables) {
      expect(named('api', { ...env, [variable]: 'simulator' })).toEqual([variable]);
      expect(named('api', { ...env, [variable]: 'a-secret-of-its-own' })).toEqual([]);
    }
    const receivers = webhookReceivers(loadConfig(env));
    expect(receivers.map((r) => r.secret)).toEqual(receivers.map(() => undefined));
  });
});

describe('loadConfigFor', () => {
  it('outside production mode is loadConfig: the embedded setup needs nothing', () => {
    expect(loadConfigFor('worker', {})).toEqual(loadConfig({}));
    expect(loadConfigFor('api', { NODE_ENV: 'development' })).toEqual(
      loadConfig({ NODE_ENV: 'development' }),
    );
  });

  it('in production mode names every missing or wrong variable in one error, never a value', () => {
    const secret = 'sentinel-value-91c2';
    const err = refusal(() =>
      loadConfigFor(
        'api',
        production({
          API_PORT: `not-a-port-${secret}`,
          TEMPORAL_ADDRESS: 'temporal.example:7233',
          SIGNIO_WEBHOOK_SECRET: 'simulator',
          DATATRUST_WEBHOOK_TOKEN: secret,
        }),
      ),
    );
    expect(sorted(err.fields)).toEqual(
      sorted(['API_PORT', 'TEMPORAL_TLS', 'TEMPORAL_ENCRYPTION_KEYS', 'API_KEYS', 'SIGNIO_WEBHOOK_SECRET']),
    );
    for (const field of err.fields) expect(err.message).toContain(field);
    expect(err.message).not.toContain(secret);
    expect(err.message).not.toContain('simulator');
  });

  it('a complete production configuration loads', () => {
    const env = production({ TEMPORAL_ENCRYPTION_KEYS: TEST_KEYS, CODEC_SERVER_TOKENS: 't' });
    expect(loadConfigFor('codec-server', env).CODEC_SERVER_TOKENS).toBe('t');
  });
});

describe('no development secret in production mode, even without the start-up check', () => {
  it('no generated encryption key, codec token or API key, on loopback too', () => {
    const folder = mkdtempSync(join(tmpdir(), 'production-'));
    const dir = join(folder, 'cache');
    const config = loadConfig({ ...nothingConfigured, TEMPORAL_CACHE_DIR: dir });
    expect(refusal(() => resolveKeyring(config)).fields).toEqual(['TEMPORAL_ENCRYPTION_KEYS']);
    expect(refusal(() => codecServerTokens(config)).fields).toEqual(['CODEC_SERVER_TOKENS']);
    expect(refusal(() => resolveApiKeys(config)).message).toMatch(/API_KEYS/);
    expect(refusal(() => resolveDataKeyStore(config)).fields).toEqual(['DATA_KEY_STORE_URL']);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    rmSync(folder, { recursive: true, force: true });
  });
});
