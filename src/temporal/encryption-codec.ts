/**
 * Payload encryption: every payload Temporal stores (workflow input and result, activity arguments
 * and results, signals, updates, queries' answers, failure messages and stack traces, user
 * metadata) is serialised, compressed when that pays, and encrypted with AES-256-GCM under the
 * keyring's active key. The key id travels in the payload's metadata, so older keys still decrypt
 * after a rotation. Payloads this codec did not encrypt (written before encryption was turned on)
 * pass through unchanged.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Keyring } from './keyring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const COMPRESSION = 'encryption-compression';
/** Below this size compression rarely pays for its own header. */
const COMPRESS_FROM_BYTES = 512;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined): string | undefined =>
  b === null || b === undefined ? undefined : new TextDecoder().decode(b);

/** A payload that cannot be decrypted: its key is not in the keyring, or it was altered. */
export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    let body: Uint8Array = plain;
    let compression: string | undefined;
    if (plain.length >= COMPRESS_FROM_BYTES) {
      const deflated = deflateRawSync(plain);
      if (deflated.length < plain.length) {
        body = deflated;
        compression = 'deflate';
      }
    }
    const { id, key } = this.keyring.active;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(associatedData(id, compression));
    const sealed = Buffer.concat([iv, cipher.update(body), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        encoding: utf8(ENCRYPTED_ENCODING),
        [KEY_ID]: utf8(id),
        ...(compression ? { [COMPRESSION]: utf8(compression) } : {}),
      },
      data: sealed,
    };
  }

  private decrypt(payload: Payload): Payload {
    if (text(payload.metadata?.['encoding']) !== ENCRYPTED_ENCODING) return payload;
    const id = text(payload.metadata?.[KEY_ID]) ?? '';
    const key = this.keyring.byId.get(id);
    if (key === undefined) {
      throw new PayloadDecryptionError(
        `a payload is encrypted with key "${id}", which is not in the keyring (TEMPORAL_ENCRYPTION_KEYS)`,
      );
    }
    const compression = text(payload.metadata?.[COMPRESSION]);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`a payload encrypted with key "${id}" is truncated`);
    }
    let body: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(associatedData(id, compression));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      body = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new PayloadDecryptionError(
        `a payload could not be decrypted with key "${id}": altered, or another key`,
      );
    }
    if (compression === 'deflate') body = inflateRawSync(body);
    else if (compression !== undefined) {
      throw new PayloadDecryptionError(
        `a payload is compressed with "${compression}", which this codec does not know`,
      );
    }
    return temporal.api.common.v1.Payload.decode(body) as Payload;
  }
}

/** The metadata is authenticated with the data: a payload's key id or compression cannot be swapped. */
const associatedData = (keyId: string, compression: string | undefined): Buffer =>
  Buffer.from(`${keyId}|${compression ?? ''}`, 'utf8');
