/**
 * Signing and verifying an evidence record: Ed25519 over the canonical JSON of `evidence`
 * (./canonical-json.ts). Shared by the activity that signs, the verify command and the tests.
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { evidenceSchema, signedEvidenceSchema, type Evidence, type SignedEvidence } from '../domain/evidence';
import { canonicalJson } from './canonical-json';
import type { EvidenceKey } from './keys';

export function signEvidence(evidence: Evidence, key: EvidenceKey): SignedEvidence {
  const checked = evidenceSchema.parse(evidence);
  const value = sign(null, Buffer.from(canonicalJson(checked), 'utf8'), key.privateKey).toString('base64');
  return { evidence: checked, signature: { alg: 'Ed25519', keyId: key.keyId, value } };
}

export type Verification = { valid: true; keyId: string } | { valid: false; why: string };

/**
 * Whether `record` (parsed JSON) is an evidence record signed by the private key of `publicKey`
 * (a KeyObject or SPKI PEM). `why` names what failed, never a value of the record.
 */
export function verifyEvidence(record: unknown, publicKey: KeyObject | string): Verification {
  const parsed = signedEvidenceSchema.safeParse(record);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(record)'))];
    return { valid: false, why: `not an evidence record: ${fields.join(', ')}` };
  }
  let key: KeyObject;
  try {
    key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  } catch {
    return { valid: false, why: 'the public key cannot be read (SPKI PEM expected)' };
  }
  if (key.asymmetricKeyType !== 'ed25519')
    return { valid: false, why: 'the public key is not an Ed25519 key' };
  const signature = Buffer.from(parsed.data.signature.value, 'base64');
  // The record as it was sent, not as zod returned it: a member zod would drop must fail the check.
  const evidence = (record as { evidence: unknown }).evidence;
  const ok =
    signature.length === 64 && verify(null, Buffer.from(canonicalJson(evidence), 'utf8'), key, signature);
  return ok
    ? { valid: true, keyId: parsed.data.signature.keyId }
    : {
        valid: false,
        why: `the signature does not match the evidence for this public key (record key id ${parsed.data.signature.keyId})`,
      };
}
