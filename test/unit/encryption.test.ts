/** The encryption codec and the keyring, alone: what lands in Temporal's storage is unreadable without the keys. */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config';
import { EncryptionCodec, PayloadDecryptionError } from '../../src/temporal/encryption-codec';
import { isLoopbackAddress, parseKeyring, resolveKeyring } from '../../src/temporal/keyring';
import { TEST_KEYS, TEST_KEY_2, testKeyring } from '../fixtures/keyring';

const applicant = { name: 'Maria Aparecida Souza', cpf: '52998224725', email: 'maria.souza@example.com' };
const payload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value)!;
const value = (p: Payload): unknown => defaultPayloadConverter.fromPayload(p);
const text = (p: Payload): string =>
  Buffer.from(p.data ?? []).toString('latin1') + JSON.stringify(p.metadata);

describe('the encryption codec', () => {
  const codec = new EncryptionCodec(testKeyring);

  it('round-trips a payload, and nothing of it is readable once encoded', async () => {
    const [encoded] = await codec.encode([payload(applicant)]);
    for (const v of Object.values(applicant)) expect(text(encoded!)).not.toContain(v);
    expect(Buffer.from(encoded!.metadata!['encoding']!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(encoded!.metadata!['encryption-key-id']!).toString()).toBe('test-key-1');
    const [decoded] = await codec.decode([encoded!]);
    expect(value(decoded!)).toEqual(applicant);
  });

  it('compresses large payloads first, when it pays', async () => {
    const large = { items: Array.from({ length: 200 }, () => applicant) };
    const [encoded] = await codec.encode([payload(large)]);
    expect(Buffer.from(encoded!.metadata!['encryption-compression']!).toString()).toBe('deflate');
    expect(encoded!.data!.length).toBeLessThan(payload(large).data!.length / 5);
    expect(value((await codec.decode([encoded!]))[0]!)).toEqual(large);
    const [small] = await codec.encode([payload('x')]);
    expect(small!.metadata!['encryption-compression']).toBeUndefined();
  });

  it('passes through payloads it did not encrypt (written before encryption was turned on)', async () => {
    const plain = payload(applicant);
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('decrypts with older keys after a rotation, and encrypts with the new one', async () => {
    const [underA] = await codec.encode([payload(applicant)]);
    const rotated = new EncryptionCodec(parseKeyring(`${TEST_KEY_2},${TEST_KEYS}`));
    expect(value((await rotated.decode([underA!]))[0]!)).toEqual(applicant);
    const [underB] = await rotated.encode([payload(applicant)]);
    expect(Buffer.from(underB!.metadata!['encryption-key-id']!).toString()).toBe('test-key-2');
  });

  it('a payload under a key no longer in the ring fails with a clear error, not garbage', async () => {
    const [underB] = await new EncryptionCodec(parseKeyring(TEST_KEY_2)).encode([payload(applicant)]);
    const err = await codec.decode([underB!]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadDecryptionError);
    expect((err as Error).message).toBe(
      'a payload is encrypted with key "test-key-2", which is not in the keyring (TEMPORAL_ENCRYPTION_KEYS)',
    );
  });

  it('an altered payload, or one whose key id was swapped, is refused', async () => {
    const [encoded] = await codec.encode([payload(applicant)]);
    const flipped = Buffer.from(encoded!.data!);
    flipped[20] = flipped[20]! ^ 1;
    await expect(codec.decode([{ ...encoded!, data: flipped }])).rejects.toThrow(/altered/);
    const twoKeys = new EncryptionCodec(parseKeyring(`${TEST_KEYS},${TEST_KEY_2}`));
    const swapped = {
      ...encoded!,
      metadata: { ...encoded!.metadata, 'encryption-key-id': new TextEncoder().encode('test-key-2') },
    };
    await expect(twoKeys.decode([swapped])).rejects.toThrow(PayloadDecryptionError);
  });
});

describe('the keyring', () => {
  it('refuses to start outside loopback without keys, naming the variable', () => {
    expect(() =>
      resolveKeyring({
        TEMPORAL_ADDRESS: 'temporal.example.com:7233',
        TEMPORAL_ENCRYPTION_KEYS: undefined,
        TEMPORAL_CACHE_DIR: undefined,
      }),
    ).toThrow(ConfigError);
    expect(() =>
      resolveKeyring({
        TEMPORAL_ADDRESS: 'temporal.example.com:7233',
        TEMPORAL_ENCRYPTION_KEYS: undefined,
        TEMPORAL_CACHE_DIR: undefined,
      }),
    ).toThrow(/TEMPORAL_ENCRYPTION_KEYS/);
  });

  it('names a bad entry by its position, never echoing a key', () => {
    const secret = Buffer.alloc(16, 7).toString('base64');
    let message = '';
    try {
      parseKeyring(`good:${Buffer.alloc(32).toString('base64')},bad:${secret}`);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('entry 2');
    expect(message).not.toContain(secret);
  });

  it('knows loopback addresses', () => {
    expect(isLoopbackAddress('127.0.0.1:7233')).toBe(true);
    expect(isLoopbackAddress('localhost:7233')).toBe(true);
    expect(isLoopbackAddress('[::1]:7233')).toBe(true);
    expect(isLoopbackAddress('temporal:7233')).toBe(false);
  });
});
