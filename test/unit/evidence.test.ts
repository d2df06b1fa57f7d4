/**
 * The evidence record's signature (src/evidence/): a record verifies with its key's public key; one
 * changed byte in the evidence or in the signature fails; a record signed by another key fails; the
 * canonical JSON does not depend on key order. And the key's configuration: its forms, its errors.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config';
import { EVIDENCE_FORMAT, type Evidence } from '../../src/domain/evidence';
import { canonicalJson } from '../../src/evidence/canonical-json';
import { parseEvidenceKey, publicKeyPem, resolveEvidenceKey } from '../../src/evidence/keys';
import { signEvidence, verifyEvidence } from '../../src/evidence/signature';
import { TEST_EVIDENCE_SEED, otherEvidenceKey, testEvidenceKey } from '../fixtures/evidence-key';

const evidence: Evidence = {
  format: EVIDENCE_FORMAT,
  onboardingId: 'ob-1',
  tenant: 'default',
  completedAt: '2026-12-04T10:00:00.000Z',
  signedDocument: { sha256: 'a'.repeat(64), bytes: 1234, provider: 'signio' },
  identityCheck: { dataTrustTransactionIds: ['dt-1'], score: 85 },
  decision: { verdict: 'approve', policy: { name: 'standard', version: 1 } },
  smsToken: { validatedAt: '2026-12-04T09:00:00.000Z', checks: 1, tokensSent: 1 },
  signers: [
    {
      index: 0,
      role: 'applicant',
      providerSignerId: 'c-1',
      signedAt: '2026-12-04 09:30:00',
      signatureType: 'electronic',
    },
  ],
  references: { signingProvider: 'signio', envelopeId: 'env-1', proposalId: 'p-1' },
  build: { versioned: true, deploymentName: 'credit-onboarding', buildId: 'abc123' },
  timeline: [
    { stage: 'validating_input', at: '2026-12-04T08:00:00.000Z' },
    { stage: 'finished', at: '2026-12-04T10:00:00.000Z' },
  ],
};

/** The record as JSON text, as a lender stores it. */
const signedText = (): string => JSON.stringify(signEvidence(evidence, testEvidenceKey));

describe('an evidence record', () => {
  it('verifies with the public key of the key that signed it', () => {
    const record = JSON.parse(signedText());
    expect(record.signature).toMatchObject({ alg: 'Ed25519', keyId: 'test-evidence-1' });
    expect(verifyEvidence(record, testEvidenceKey.publicKey)).toEqual({
      valid: true,
      keyId: 'test-evidence-1',
    });
    expect(verifyEvidence(record, publicKeyPem(testEvidenceKey))).toMatchObject({ valid: true });
  });

  it('fails when one byte of the evidence changes', () => {
    const text = signedText();
    const changed = text.replace('"score":85', '"score":86');
    expect(changed).not.toBe(text);
    expect(verifyEvidence(JSON.parse(changed), testEvidenceKey.publicKey)).toMatchObject({ valid: false });
    const renamed = text.replace('"onboardingId":"ob-1"', '"onboardingId":"ob-2"');
    const result = verifyEvidence(JSON.parse(renamed), testEvidenceKey.publicKey);
    expect(result).toMatchObject({ valid: false, why: expect.stringMatching(/does not match/) });
  });

  it('fails when a member is added to the evidence', () => {
    const record = JSON.parse(signedText());
    record.evidence.extra = 'x';
    expect(verifyEvidence(record, testEvidenceKey.publicKey)).toMatchObject({ valid: false });
  });

  it('fails when one byte of the signature changes', () => {
    const record = JSON.parse(signedText());
    const bytes = Buffer.from(record.signature.value, 'base64');
    bytes[10] = bytes[10]! ^ 0x01;
    record.signature.value = bytes.toString('base64');
    expect(verifyEvidence(record, testEvidenceKey.publicKey)).toMatchObject({ valid: false });
  });

  it('fails with the public key of another key', () => {
    const byOther = signEvidence(evidence, otherEvidenceKey);
    expect(verifyEvidence(byOther, testEvidenceKey.publicKey)).toMatchObject({ valid: false });
    expect(verifyEvidence(JSON.parse(signedText()), otherEvidenceKey.publicKey)).toMatchObject({
      valid: false,
    });
  });

  it('is refused when it is not a record, naming the fields and no value', () => {
    const record = JSON.parse(signedText());
    delete record.signature.keyId;
    record.evidence.signedDocument.sha256 = 'secret-value';
    const result = verifyEvidence(record, testEvidenceKey.publicKey);
    expect(result).toMatchObject({ valid: false });
    expect(!result.valid && result.why).toMatch(/evidence\.signedDocument\.sha256/);
    expect(!result.valid && result.why).toMatch(/signature\.keyId/);
    expect(JSON.stringify(result)).not.toContain('secret-value');
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe('the evidence signing key', () => {
  it('is read as a base64 seed or as PKCS#8 PEM, to the same key', () => {
    const pem = testEvidenceKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const fromPem = parseEvidenceKey(pem, 'k');
    expect(publicKeyPem(fromPem)).toBe(publicKeyPem(parseEvidenceKey(TEST_EVIDENCE_SEED)));
  });

  it('has a key id from its public key when none is configured', () => {
    expect(parseEvidenceKey(TEST_EVIDENCE_SEED).keyId).toMatch(/^ed25519-[0-9a-f]{16}$/);
  });

  it('refuses what is not an Ed25519 key, naming the variable and no value', () => {
    const error = (() => {
      try {
        parseEvidenceKey('bm90IGEga2V5');
      } catch (err) {
        return err;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.fields).toEqual(['EVIDENCE_SIGNING_KEY']);
    expect(error.message).not.toContain('bm90IGEga2V5');
  });

  it('is required in production mode, named in the error', () => {
    expect(() => resolveEvidenceKey({ NODE_ENV: 'production' } as never)).toThrow(/EVIDENCE_SIGNING_KEY/);
  });

  it('has a development default made once in the cache folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-key-'));
    const first = resolveEvidenceKey({ TEMPORAL_CACHE_DIR: dir } as never);
    const again = resolveEvidenceKey({ TEMPORAL_CACHE_DIR: dir } as never);
    expect(publicKeyPem(again)).toBe(publicKeyPem(first));
  });
});

describe('npm run evidence:verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evidence-verify-'));
  const keyFile = join(dir, 'public.pem');
  writeFileSync(keyFile, publicKeyPem(testEvidenceKey));
  const run = (file: string): { code: number; out: string } => {
    try {
      const out = execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join(__dirname, '..', '..', 'scripts', 'evidence-verify.ts'),
          file,
          '--public-key',
          keyFile,
        ],
        { encoding: 'utf8' },
      );
      return { code: 0, out };
    } catch (err) {
      const e = err as { status: number; stdout: string };
      return { code: e.status, out: e.stdout };
    }
  };

  it('prints valid and exits 0 for a good record, invalid and 1 for a changed one', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, signedText());
    expect(run(good)).toEqual({ code: 0, out: 'valid\n' });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, signedText().replace('"bytes":1234', '"bytes":1235'));
    const result = run(bad);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^invalid: the signature does not match/);
  });
});
