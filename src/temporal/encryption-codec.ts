/**
 * Payload encryption: every payload Temporal stores (workflow input and result, activity arguments
 * and results, signals, updates, queries' answers, failure messages and stack traces, user
 * metadata) is serialised, compressed when that pays, and encrypted with AES-256-GCM under the
 * keyring's active key. The key id travels in the payload's metadata, so older keys still decrypt
 * after a rotation.
 *
 * An onboarding's payloads are encrypted under its own data key instead (./data-keys/data-keys.ts),
 * when the codec has the data keys: destroying that key erases them. The codec server shows an
 * erased payload as a value saying so; everywhere else reading one throws.
 *
 * Each payload is bound to its onboarding: the workflow id it belongs to (the SDK's serialization
 * context) travels in its metadata and is authenticated with the data, so a ciphertext copied from
 * one onboarding's history cannot be decrypted as another's. What was not written this way (a
 * plaintext payload, or one encrypted before payloads were bound) is refused, except during an
 * explicit migration window (TEMPORAL_PAYLOAD_MIGRATION_UNTIL).
 *
 * A refusal on the way into a workflow (its input, a signal, an update) comes back, on a worker, as
 * the value `{ refusedPayload: <reason> }`, so the workflow can record it and go on; throwing there
 * would fail the workflow task again at every retry, and anyone able to send a signal could stall
 * an onboarding. Everywhere else a refusal throws.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { ErasureRecord } from '../domain/erasure';
import type { RefusalReason } from '../domain/refused-payload';
import type { Keyring } from './keyring';
import { open, seal } from './aes-gcm';
import { DataKeyUnavailable, OnboardingErased, type DataKeys } from './data-keys/data-keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const COMPRESSION = 'encryption-compression';
/** The workflow id the payload belongs to (not personal data: onboarding ids are refused if they could be). */
const ONBOARDING = 'encryption-onboarding';
/** Present (`onboarding`) when the payload is encrypted under its onboarding's data key, not a keyring key. */
const DATA_KEY = 'encryption-data-key';
/** Below this size compression rarely pays for its own header. */
const COMPRESS_FROM_BYTES = 512;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined): string | undefined =>
  b === null || b === undefined ? undefined : new TextDecoder().decode(b);

/** A payload that cannot be read: refused, its key is not in the keyring, or it was altered. */
export class PayloadDecryptionError extends Error {
  constructor(
    message: string,
    readonly reason: RefusalReason,
    /** When its onboarding's personal data was erased, and why. */
    readonly erasure?: ErasureRecord,
  ) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

export interface EncryptionCodecOptions {
  /**
   * Read payloads written before payloads were bound to their onboarding (in clear, or encrypted
   * without an onboarding): during a migration window, and in the codec server, which only shows
   * payloads to people and never feeds a workflow.
   */
  acceptUnbound?: boolean;
  /** A worker's codec: a payload refused on its way into a workflow becomes a value (see above). */
  refusalsAsValues?: boolean;
  /** Told of each refusal turned into a value: the onboarding and why (never the payload). */
  onRefusal?: (refusal: { workflowId: string; reason: RefusalReason }) => void;
  /**
   * Each onboarding's data key, and which workflow ids are onboardings: their payloads are
   * encrypted under it. Without them, the keyring encrypts everything (as before data keys).
   */
  dataKeys?: { keys: DataKeys; isOnboarding: (workflowId: string) => boolean };
  /**
   * The codec server's and clients': an erased payload decodes to a value saying so, for the people
   * reading it (and for `describe`, which decodes the memo); never a worker's.
   */
  erasedAsValues?: boolean;
}

export class EncryptionCodec implements PayloadCodec {
  constructor(
    private readonly keyring: Keyring,
    private readonly options: EncryptionCodecOptions = {},
  ) {}

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return Promise.all(payloads.map((payload) => this.encrypt(payload, context?.workflowId)));
  }

  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return Promise.all(
      payloads.map(async (payload) => {
        try {
          return await this.decrypt(payload, context?.workflowId);
        } catch (err) {
          if (
            err instanceof PayloadDecryptionError &&
            err.erasure !== undefined &&
            this.options.erasedAsValues
          ) {
            return erasedValue(err.erasure);
          }
          if (
            err instanceof PayloadDecryptionError &&
            this.options.refusalsAsValues &&
            context?.type === 'workflow'
          ) {
            this.options.onRefusal?.({ workflowId: context.workflowId, reason: err.reason });
            return refusedValue(err.reason);
          }
          throw err;
        }
      }),
    );
  }

  /**
   * Encrypts `payload`, bound to `onboarding` (a workflow id) when there is one, under the
   * onboarding's data key when it is an onboarding's and the codec has data keys.
   */
  async encrypt(payload: Payload, onboarding: string | undefined): Promise<Payload> {
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
    const dataKeys = this.options.dataKeys;
    const ownKey = onboarding !== undefined && dataKeys !== undefined && dataKeys.isOnboarding(onboarding);
    const { id, key } = ownKey
      ? { id: DATA_KEY_ID, key: await dataKeys.keys.forEncryption(onboarding) }
      : this.keyring.active;
    const sealed = seal(key, body, associatedData(id, compression, onboarding));
    return {
      metadata: {
        encoding: utf8(ENCRYPTED_ENCODING),
        ...(ownKey ? { [DATA_KEY]: utf8('onboarding') } : { [KEY_ID]: utf8(id) }),
        ...(compression ? { [COMPRESSION]: utf8(compression) } : {}),
        ...(onboarding !== undefined ? { [ONBOARDING]: utf8(onboarding) } : {}),
      },
      data: sealed,
    };
  }

  /** Decrypts `payload`; `expected`: the workflow id it must be bound to, when the caller knows it. */
  private async decrypt(payload: Payload, expected: string | undefined): Promise<Payload> {
    if (text(payload.metadata?.['encoding']) !== ENCRYPTED_ENCODING) {
      if (this.options.acceptUnbound) return payload;
      throw new PayloadDecryptionError('a payload was not encrypted: refused', 'unencrypted');
    }
    const onboarding = text(payload.metadata?.[ONBOARDING]);
    if (onboarding === undefined && !this.options.acceptUnbound) {
      throw new PayloadDecryptionError('a payload was encrypted for no onboarding: refused', 'unbound');
    }
    if (onboarding !== undefined && expected !== undefined && onboarding !== expected) {
      throw new PayloadDecryptionError(
        'a payload was encrypted for another onboarding: refused',
        'another-onboarding',
      );
    }
    const ownKey = text(payload.metadata?.[DATA_KEY]) !== undefined;
    const id = ownKey ? DATA_KEY_ID : (text(payload.metadata?.[KEY_ID]) ?? '');
    const key = ownKey ? await this.dataKeyOf(onboarding) : this.keyring.byId.get(id);
    if (key === undefined) {
      throw new PayloadDecryptionError(
        `a payload is encrypted with key "${id}", which is not in the keyring (TEMPORAL_ENCRYPTION_KEYS)`,
        'undecryptable',
      );
    }
    const compression = text(payload.metadata?.[COMPRESSION]);
    const opened = open(
      key,
      Buffer.from(payload.data ?? new Uint8Array()),
      associatedData(id, compression, onboarding),
    );
    if (opened === undefined) {
      throw new PayloadDecryptionError(
        `a payload could not be decrypted with key "${id}": truncated, altered, or another key`,
        'undecryptable',
      );
    }
    let body = opened;
    if (compression === 'deflate') body = inflateRawSync(body);
    else if (compression !== undefined) {
      throw new PayloadDecryptionError(
        `a payload is compressed with "${compression}", which this codec does not know`,
        'undecryptable',
      );
    }
    return temporal.api.common.v1.Payload.decode(body) as Payload;
  }

  private async dataKeyOf(onboarding: string | undefined): Promise<Buffer> {
    if (onboarding === undefined || this.options.dataKeys === undefined) {
      throw new PayloadDecryptionError(
        "a payload is encrypted under an onboarding's data key, which this codec has no store for",
        'undecryptable',
      );
    }
    try {
      return await this.options.dataKeys.keys.forDecryption(onboarding);
    } catch (err) {
      if (err instanceof OnboardingErased) {
        throw new PayloadDecryptionError(err.message, 'erased', err.erasure);
      }
      if (err instanceof DataKeyUnavailable) throw new PayloadDecryptionError(err.message, 'undecryptable');
      throw err;
    }
  }
}

/** Whether `payload` is encrypted under its onboarding's data key (erasing the key erases it). */
export const isUnderDataKey = (payload: Payload): boolean => text(payload.metadata?.[DATA_KEY]) !== undefined;

/** The key id a payload under its onboarding's data key authenticates (no keyring key has it: ids have no ':'). */
const DATA_KEY_ID = 'data-key:onboarding';

/**
 * The metadata is authenticated with the data: a payload's key id, compression or onboarding cannot
 * be swapped. Payloads encrypted before they were bound authenticated the first two only.
 */
const associatedData = (keyId: string, compression: string | undefined, onboarding: string | undefined) =>
  Buffer.from(
    onboarding === undefined
      ? `${keyId}|${compression ?? ''}`
      : `${keyId}|${compression ?? ''}|onboarding=${onboarding}`,
    'utf8',
  );

/** What the codec server shows in place of an erased payload: that it was erased, when and why. */
const erasedValue = (erasure: ErasureRecord): Payload => ({
  metadata: { encoding: utf8('json/plain') },
  data: utf8(
    JSON.stringify({
      erased: `personal data erased at ${erasure.erasedAt} (${erasure.cause === 'request' ? 'on request' : 'retention period over'})`,
    }),
  ),
});

/** The JSON value a workflow receives in place of a refused payload. */
const refusedValue = (reason: RefusalReason): Payload => ({
  metadata: { encoding: utf8('json/plain') },
  data: utf8(JSON.stringify({ refusedPayload: reason })),
});
