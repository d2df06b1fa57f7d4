/**
 * The evidence signing key (EVIDENCE_SIGNING_KEY, EVIDENCE_SIGNING_KEY_ID): an Ed25519 private key
 * as PKCS#8 PEM or as its 32-byte seed in base64. Outside production mode, unset, a development key
 * is made once in the cache folder (.temporal/dev-evidence-signing-key); production mode refuses to
 * start without one (src/production.ts).
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { ConfigError, type Config } from '../config';
import { developmentSecret } from '../temporal/keyring';

export interface EvidenceKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const VARIABLE = 'EVIDENCE_SIGNING_KEY';
/** The DER prefix of a PKCS#8 Ed25519 private key, before its 32-byte seed (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The key from its text; the error names the variable, never the value. */
export function parseEvidenceKey(text: string, keyId?: string, variable = VARIABLE): EvidenceKey {
  let privateKey: KeyObject;
  try {
    const trimmed = text.trim();
    if (trimmed.startsWith('-----BEGIN')) {
      privateKey = createPrivateKey({ key: trimmed, format: 'pem' });
    } else {
      const seed = Buffer.from(trimmed, 'base64');
      if (seed.length !== 32) throw new Error('not 32 bytes');
      privateKey = createPrivateKey({
        key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
        format: 'der',
        type: 'pkcs8',
      });
    }
  } catch {
    throw new ConfigError(
      [variable],
      `${variable}: must be an Ed25519 private key (PKCS#8 PEM, or a 32-byte seed in base64)`,
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError([variable], `${variable}: must be an Ed25519 key`);
  }
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyId ?? fingerprint(publicKey), privateKey, publicKey };
}

/** A key id from the public key, when none is configured: `ed25519-` and 16 hex digits of its SHA-256. */
export const fingerprint = (publicKey: KeyObject): string =>
  `ed25519-${createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 16)}`;

/** The configured key; outside production mode, unset, the development key (made once). */
export function resolveEvidenceKey(
  config: Pick<
    Config,
    'EVIDENCE_SIGNING_KEY' | 'EVIDENCE_SIGNING_KEY_ID' | 'TEMPORAL_CACHE_DIR' | 'NODE_ENV'
  >,
): EvidenceKey {
  if (config.EVIDENCE_SIGNING_KEY !== undefined) {
    return parseEvidenceKey(config.EVIDENCE_SIGNING_KEY, config.EVIDENCE_SIGNING_KEY_ID);
  }
  const seed = developmentSecret(config, 'dev-evidence-signing-key', () =>
    randomBytes(32).toString('base64'),
  );
  return parseEvidenceKey(
    seed,
    config.EVIDENCE_SIGNING_KEY_ID,
    'the development evidence key (.temporal/dev-evidence-signing-key)',
  );
}

/** The public key as SPKI PEM: what a verifier is given. */
export const publicKeyPem = (key: Pick<EvidenceKey, 'publicKey'>): string =>
  key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
