/**
 * Loopback is decided by parsing the address, not by how its text begins: development defaults
 * (a generated encryption key, codec token or API key, the webhooks' public secret) hang on it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLoopbackUrl } from '../../src/config';
import { isLoopbackAddress, resolveKeyring } from '../../src/temporal/keyring';

describe('loopback', () => {
  it.each([
    '127.0.0.1:7233',
    '127.0.0.1',
    '127.8.9.10:7233',
    'localhost:7233',
    'localhost',
    '[::1]:7233',
    '[::1]',
    '::1',
    '[0:0:0:0:0:0:0:1]:7233',
  ])('%s is loopback', (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });

  it.each([
    '127.evil.example:7233',
    '127.evil.example',
    '127.0.0.1.evil.example:7233',
    'localhost.evil.example:7233',
    'localhost.evil.example',
    'evil-localhost:7233',
    '0.0.0.0:7233',
    '0.0.0.0',
    '::',
    '[::]:7233',
    '::1:7233',
    '10.0.0.1:7233',
    'temporal:7233',
    '',
  ])('%s is not loopback', (address) => {
    expect(isLoopbackAddress(address)).toBe(false);
  });

  it('decides a URL by its host, parsed', () => {
    for (const url of ['http://127.0.0.1:4101', 'http://localhost:4102/api', 'http://[::1]:4104'])
      expect(isLoopbackUrl(url), url).toBe(true);
    for (const url of [
      'http://127.evil.example:4101',
      'http://localhost.evil.example/api',
      'http://0.0.0.0:4101',
      'http://[::]:4101',
      'https://api.clearsale.com.br',
    ])
      expect(isLoopbackUrl(url), url).toBe(false);
  });

  it('a Temporal address that only begins like loopback gets no development key', () => {
    const folder = mkdtempSync(join(tmpdir(), 'loopback-'));
    const cache = join(folder, 'cache');
    expect(() =>
      resolveKeyring({
        TEMPORAL_ADDRESS: '127.evil.example:7233',
        TEMPORAL_ENCRYPTION_KEYS: undefined,
        TEMPORAL_CACHE_DIR: cache,
      }),
    ).toThrow(/TEMPORAL_ENCRYPTION_KEYS/);
    expect(existsSync(join(cache, 'dev-encryption-keys'))).toBe(false);
    rmSync(folder, { recursive: true, force: true });
  });
});
