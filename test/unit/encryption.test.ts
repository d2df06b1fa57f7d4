/** The encryption codec and the keyring, alone: what lands in Temporal's storage is unreadable without the keys. */
import { defaultPayloadConverter, type Payload, type SerializationContext } from '@temporalio/common';
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

/** Where a payload goes, as the SDK tells the codec: a workflow's (input, signals, results) or an activity's. */
const ofWorkflow = (workflowId: string): SerializationContext => ({
  type: 'workflow',
  namespace: 'default',
  workflowId,
});
const ofActivity = (workflowId: string): SerializationContext => ({
  type: 'activity',
  namespace: 'default',
  workflowId,
  activityId: '1',
  isLocal: false,
});
const A = ofWorkflow('onboarding-a');
const B = ofWorkflow('onboarding-b');

describe('the encryption codec', () => {
  const codec = new EncryptionCodec(testKeyring);

  it('round-trips a payload, and nothing of it is readable once encoded', async () => {
    const [encoded] = await codec.encode([payload(applicant)], A);
    for (const v of Object.values(applicant)) expect(text(encoded!)).not.toContain(v);
    expect(Buffer.from(encoded!.metadata!['encoding']!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(encoded!.metadata!['encryption-key-id']!).toString()).toBe('test-key-1');
    expect(Buffer.from(encoded!.metadata!['encryption-onboarding']!).toString()).toBe('onboarding-a');
    const [decoded] = await codec.decode([encoded!], A);
    expect(value(decoded!)).toEqual(applicant);
    // An activity of the same onboarding reads it too.
    expect(value((await codec.decode([encoded!], ofActivity('onboarding-a')))[0]!)).toEqual(applicant);
  });

  it('refuses a ciphertext of another onboarding, and one whose onboarding was swapped in its metadata', async () => {
    const [forA] = await codec.encode([payload(applicant)], A);
    await expect(codec.decode([forA!], B)).rejects.toMatchObject({ reason: 'another-onboarding' });
    await expect(codec.decode([forA!], ofActivity('onboarding-b'))).rejects.toMatchObject({
      reason: 'another-onboarding',
    });
    const swapped = {
      ...forA!,
      metadata: { ...forA!.metadata, 'encryption-onboarding': new TextEncoder().encode('onboarding-b') },
    };
    await expect(codec.decode([swapped], B)).rejects.toMatchObject({ reason: 'undecryptable' });
  });

  it('refuses what was written before payloads were bound: in clear, or encrypted for no onboarding', async () => {
    const plain = payload(applicant);
    await expect(codec.decode([plain], A)).rejects.toMatchObject({ reason: 'unencrypted' });
    const [unbound] = await codec.encode([payload(applicant)]);
    expect(unbound!.metadata!['encryption-onboarding']).toBeUndefined();
    await expect(codec.decode([unbound!], A)).rejects.toMatchObject({ reason: 'unbound' });
  });

  it('reads them during a migration window', async () => {
    const migrating = new EncryptionCodec(testKeyring, { acceptUnbound: true });
    const plain = payload(applicant);
    expect(await migrating.decode([plain], A)).toEqual([plain]);
    const [unbound] = await codec.encode([payload(applicant)]);
    expect(value((await migrating.decode([unbound!], A))[0]!)).toEqual(applicant);
    // A window does not open onboardings to one another's ciphertexts.
    const [forA] = await codec.encode([payload(applicant)], A);
    await expect(migrating.decode([forA!], B)).rejects.toMatchObject({ reason: 'another-onboarding' });
  });

  it('on a worker, a refusal on the way into a workflow is a value it can record; anything else still throws', async () => {
    const refusals: unknown[] = [];
    const worker = new EncryptionCodec(testKeyring, {
      refusalsAsValues: true,
      onRefusal: (r) => refusals.push(r),
    });
    const [forA] = await codec.encode([payload({ approved: true })], A);
    expect((await worker.decode([payload('x'), forA!], B)).map(value)).toEqual([
      { refusedPayload: 'unencrypted' },
      { refusedPayload: 'another-onboarding' },
    ]);
    expect(refusals).toEqual([
      { workflowId: 'onboarding-b', reason: 'unencrypted' },
      { workflowId: 'onboarding-b', reason: 'another-onboarding' },
    ]);
    // An activity's result is the worker's own: refused, it fails the call instead.
    await expect(worker.decode([forA!], ofActivity('onboarding-b'))).rejects.toThrow(PayloadDecryptionError);
  });

  it('compresses large payloads first, when it pays', async () => {
    const large = { items: Array.from({ length: 200 }, () => applicant) };
    const [encoded] = await codec.encode([payload(large)], A);
    expect(Buffer.from(encoded!.metadata!['encryption-compression']!).toString()).toBe('deflate');
    expect(encoded!.data!.length).toBeLessThan(payload(large).data!.length / 5);
    expect(value((await codec.decode([encoded!], A))[0]!)).toEqual(large);
    const [small] = await codec.encode([payload('x')], A);
    expect(small!.metadata!['encryption-compression']).toBeUndefined();
  });

  it('decrypts with older keys after a rotation, and encrypts with the new one', async () => {
    const [underA] = await codec.encode([payload(applicant)], A);
    const rotated = new EncryptionCodec(parseKeyring(`${TEST_KEY_2},${TEST_KEYS}`));
    expect(value((await rotated.decode([underA!], A))[0]!)).toEqual(applicant);
    const [underB] = await rotated.encode([payload(applicant)], A);
    expect(Buffer.from(underB!.metadata!['encryption-key-id']!).toString()).toBe('test-key-2');
  });

  it('a payload under a key no longer in the ring fails with a clear error, not garbage', async () => {
    const [underB] = await new EncryptionCodec(parseKeyring(TEST_KEY_2)).encode([payload(applicant)], A);
    const err = await codec.decode([underB!], A).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadDecryptionError);
    expect((err as Error).message).toBe(
      'a payload is encrypted with key "test-key-2", which is not in the keyring (TEMPORAL_ENCRYPTION_KEYS)',
    );
  });

  it('an altered payload, or one whose key id was swapped, is refused', async () => {
    const [encoded] = await codec.encode([payload(applicant)], A);
    const flipped = Buffer.from(encoded!.data!);
    flipped[20] = flipped[20]! ^ 1;
    await expect(codec.decode([{ ...encoded!, data: flipped }], A)).rejects.toThrow(/altered/);
    const twoKeys = new EncryptionCodec(parseKeyring(`${TEST_KEYS},${TEST_KEY_2}`));
    const swapped = {
      ...encoded!,
      metadata: { ...encoded!.metadata, 'encryption-key-id': new TextEncoder().encode('test-key-2') },
    };
    await expect(twoKeys.decode([swapped], A)).rejects.toThrow(PayloadDecryptionError);
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
