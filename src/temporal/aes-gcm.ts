/**
 * AES-256-GCM as every key here uses it: a random 12-byte IV, the data, the 16-byte tag, one buffer
 * (iv | ciphertext | tag), with associated data authenticated beside it. Payloads
 * (./encryption-codec.ts) and wrapped data keys (./data-keys/data-keys.ts) are sealed this way.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function seal(key: Buffer, plain: Uint8Array, associatedData: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData);
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** The data `sealed` holds; undefined when it is truncated, altered, or sealed with another key or associated data. */
export function open(key: Buffer, sealed: Buffer, associatedData: Buffer): Buffer | undefined {
  if (sealed.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}
