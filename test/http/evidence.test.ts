/**
 * The evidence record over real HTTP, with the simulators: a completed onboarding's
 * `GET /v1/onboardings/{id}/evidence` verifies with the configured key's public key, hashes the
 * signed document the provider serves, and holds none of the applicant's personal data; a running
 * onboarding's is 409, another tenant's 404.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SignedEvidence } from '../../src/domain/evidence';
import type { SigningProviderName } from '../../src/domain/input';
import { resolveEvidenceKey } from '../../src/evidence/keys';
import { verifyEvidence } from '../../src/evidence/signature';
import { sha256Hex } from '../../src/http/api-keys';
import { API_KEYS, useApi, waitForApiStage } from '../helpers/api';
import { onboardingInput, useOnboardingServer } from '../helpers/onboarding';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: 300 });
const OTHER_TENANT_KEY = 'backend-of-lender-b-0123456789';
const api = useApi(h, { API_KEYS: `${API_KEYS},lender-b@lender-b:all:${sha256Hex(OTHER_TENANT_KEY)}` });

/** The applicant's and signers' personal data as the input holds it, and as a provider formats it. */
function personalValuesOf(input: ReturnType<typeof onboardingInput>): string[] {
  const { applicant } = input;
  const cpf = applicant.cpf;
  const formatted = `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
  return [
    cpf,
    formatted,
    applicant.name,
    ...applicant.name.split(' ').filter((w) => w.length > 3),
    applicant.phone,
    applicant.phone.replace(/\D/g, ''),
    applicant.email,
    applicant.email.split('@')[0]!,
    ...input.signers.flatMap((s) => [s.cpf, s.name, s.email, s.phone]),
  ].filter((v): v is string => typeof v === 'string' && v.length > 0);
}

describe.each(['signio', 'assinebem', 'securities'] as SigningProviderName[])(
  "a completed onboarding's evidence, signed at %s",
  (provider) => {
    it('verifies with the configured key, hashes the signed document, and holds no personal data', async () => {
      const input = onboardingInput({ signingProvider: provider });
      const id = input.onboardingId;
      await h.run(async () => {
        expect((await api.call('POST', '/v1/onboardings', input)).status).toBe(201);
        const waiting = await waitForApiStage(api, id, 'sms_token');
        const running = await api.call('GET', `/v1/onboardings/${id}/evidence`);
        expect(running.status).toBe(409);
        expect(await running.json()).toEqual({ error: 'the onboarding has not completed' });

        const token = await h.simulators.datatrust.smsTokenFor(waiting.references.dataTrustTransactionId!);
        expect((await api.call('POST', `/v1/onboardings/${id}/sms-token`, { token })).status).toBe(200);
        const outcome = await api.call('GET', `/v1/onboardings/${id}/outcome?waitSeconds=25`);
        expect(((await outcome.json()) as { status: string }).status).toBe('completed');

        const res = await api.call('GET', `/v1/onboardings/${id}/evidence`);
        expect(res.status).toBe(200);
        const text = await res.text();
        const record = JSON.parse(text) as SignedEvidence;
        expect(verifyEvidence(record, resolveEvidenceKey(h.config).publicKey)).toMatchObject({ valid: true });
        for (const value of personalValuesOf(input)) expect(text, 'a personal value').not.toContain(value);
        expect(text).not.toContain(token);

        const { evidence } = record;
        expect(evidence).toMatchObject({
          onboardingId: id,
          tenant: 'default',
          decision: { verdict: 'approve', policy: { name: input.policy, version: 1 } },
          smsToken: { checks: 1, tokensSent: 1 },
          references: { signingProvider: provider, envelopeId: expect.any(String) },
        });
        expect(evidence.identityCheck.dataTrustTransactionIds).toEqual([
          waiting.references.dataTrustTransactionId,
        ]);
        expect(evidence.signers.map((s) => [s.index, s.role])).toEqual([[0, 'applicant']]);
        if (provider === 'signio') expect(evidence.signers[0]!.signedAt).toEqual(expect.any(String));
        if (provider === 'assinebem') expect(evidence.signers[0]!.signatureId).toEqual(expect.any(String));

        // The hash is of the signed document as the provider serves it.
        const status = await h.client.status(id);
        const envelope = { envelopeId: status.references.envelopeId!, signers: [] };
        const document = await h.providers.signing[provider].signedDocument(envelope as never);
        const chunks: Buffer[] = [];
        for await (const chunk of document.body) chunks.push(Buffer.from(chunk as Uint8Array));
        const bytes = Buffer.concat(chunks);
        expect(evidence.signedDocument).toMatchObject({
          sha256: createHash('sha256').update(bytes).digest('hex'),
          bytes: bytes.length,
          provider,
        });

        const elsewhere = await api.call('GET', `/v1/onboardings/${id}/evidence`, undefined, {
          authorization: `Bearer ${OTHER_TENANT_KEY}`,
        });
        expect(elsewhere.status).toBe(404);
      });
    });
  },
);
