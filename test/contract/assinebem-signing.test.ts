/**
 * Assine Bem as the onboarding signs with it (AssineBemSigning), against the simulator under both
 * readings of what the document leaves open: ours (status ids with descriptions, `lista_partes`
 * echoing references and signatures, call 5 honouring `assinado`) and another (a different
 * numbering and no descriptions, no echo, only call 12 saying who signed, call 5 ignoring `assinado`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssineBemClient } from '../../src/providers/assinebem';
import { AssineBemSigning } from '../../src/providers/assinebem/signing';
import { ProviderError } from '../../src/providers/errors';
import type { SigningRequest } from '../../src/signing/contract';
import { createAssineBemSimulator } from '../../simulators/assinebem/simulator';
import type { AssineBemReading } from '../../simulators/assinebem/store';
import type { SimulatorServer } from '../../simulators/kit';
import { simulatorState } from '../helpers/simulators';
import { sampleParty } from './signing-parties';
import { CCB_PDF, TOKEN, simulateSign, startFileServer, type AssineBemState } from './assinebem-support';

const party = sampleParty;

let sequence = 0;
const request = (signers = [party(0), party(1)]): SigningRequest => {
  sequence += 1;
  return {
    key: `onboarding-sig-${sequence}`,
    onboardingId: `sig-${sequence}`,
    proposal: { proposalId: 'p', number: `sig-${sequence}`, documentKey: 'doc' },
    signers,
  };
};

describe.each<AssineBemReading>(['ours', 'other'])('Assine Bem signing, %s reading', (reading) => {
  let sim: SimulatorServer;
  let base: string;
  let client: AssineBemClient;
  let signing: AssineBemSigning;
  let files: Awaited<ReturnType<typeof startFileServer>>;

  beforeAll(async () => {
    sim = createAssineBemSimulator({ port: 0, token: TOKEN, reading });
    base = `${await sim.listen()}/api`;
    client = new AssineBemClient({ baseUrl: base, token: TOKEN });
    files = await startFileServer();
    signing = new AssineBemSigning(client, {
      fileUrl: async () => `${files.url}/ccb.pdf`,
      open: async () => {
        throw new Error('not used by Assine Bem');
      },
    });
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
    await files.close();
  });

  const documentIn = async (id: string) =>
    (await simulatorState<AssineBemState>(base)).documents.find((d) => d.id_externo === id)!;

  it('sends the CCB and matches every signer to its party, with or without the echo', async () => {
    const envelope = await signing.send(request());
    const doc = await documentIn(envelope.envelopeId);
    const parties = (doc as unknown as { signers: Array<{ id_externo_parte: string }> }).signers.map(
      (s) => s.id_externo_parte,
    );
    expect(envelope.signers).toEqual([
      { index: 0, providerSignerId: parties[0] },
      { index: 1, providerSignerId: parties[1] },
    ]);
  });

  it('reads who signed from call 12: pending, one of two, then completed', async () => {
    const envelope = await signing.send(request());
    expect(await signing.status(envelope)).toEqual({
      state: 'pending',
      signers: [
        { index: 0, state: 'pending' },
        { index: 1, state: 'pending' },
      ],
    });
    await simulateSign(base, {
      id_externo_documento: envelope.envelopeId,
      id_externo_parte: envelope.signers[0]!.providerSignerId,
    });
    expect((await signing.status(envelope)).signers.map((s) => s.state)).toEqual(['signed', 'pending']);
    await simulateSign(base, { id_externo_documento: envelope.envelopeId });
    expect((await signing.status(envelope)).state).toBe('completed');
  });

  it('hands on the signed version of the file, never the original', async () => {
    const envelope = await signing.send(request());
    await simulateSign(base, { id_externo_documento: envelope.envelopeId });
    const signed = Buffer.concat(await (await signing.signedDocument(envelope)).body.toArray());
    expect(signed.equals(CCB_PDF)).toBe(false);
    expect(signed.toString('latin1')).toContain('AssineBem comprovante');
  });

  it('cancels a pending envelope, and never invalidates one every party signed', async () => {
    const pending = await signing.send(request());
    expect(await signing.cancel(pending)).toBe('cancelled');
    expect((await documentIn(pending.envelopeId)).descricao_documento_status).toBe('Invalidado');
    // With words for the statuses it is seen closed; without them (other reading) nothing tells an
    // invalidated document from a pending one, and invalidating it again is harmless.
    expect(await signing.cancel(pending)).toBe(reading === 'ours' ? 'already-closed' : 'cancelled');
    expect((await documentIn(pending.envelopeId)).descricao_documento_status).toBe('Invalidado');

    const signed = await signing.send(request());
    await simulateSign(base, { id_externo_documento: signed.envelopeId });
    expect(await signing.cancel(signed)).toBe('signed');
    expect((await documentIn(signed.envelopeId)).descricao_documento_status).toBe('Assinado');
  });

  it('takes up an earlier envelope while it is open or signed', async () => {
    const r = request();
    const envelope = await signing.send(r);
    expect(await signing.find(envelope.envelopeId, r)).toEqual(envelope);
    await simulateSign(base, { id_externo_documento: envelope.envelopeId });
    expect(await signing.find(envelope.envelopeId, r)).toEqual(envelope);
  });

  it('reminds only the parties that have not signed', async () => {
    const envelope = await signing.send(request());
    await simulateSign(base, {
      id_externo_documento: envelope.envelopeId,
      id_externo_parte: envelope.signers[0]!.providerSignerId,
    });
    expect(await signing.remind(envelope)).toBe(1);
  });

  it('an earlier document whose parties match no signer is a final error, and is left as it is', async () => {
    const r = request();
    const envelope = await signing.send(r);
    const stranger = {
      ...r,
      key: 'another-onboarding',
      signers: [party(0, { cpf: '39053344705', email: 'someone@example.com' })],
    };
    const err = await signing.find(envelope.envelopeId, stranger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).retryable).toBe(false);
    // find never invalidates: only a fresh upload that cannot be matched is.
    expect((await documentIn(envelope.envelopeId)).descricao_documento_status).toBe('Pendente');
  });
});

describe('Assine Bem signing, our reading only', () => {
  it('a refusal ends the envelope as refused', async () => {
    const sim = createAssineBemSimulator({ port: 0, token: TOKEN });
    const base = `${await sim.listen()}/api`;
    const client = new AssineBemClient({ baseUrl: base, token: TOKEN });
    const files = await startFileServer();
    try {
      const signing = new AssineBemSigning(client, {
        fileUrl: async () => `${files.url}/ccb.pdf`,
        open: async () => {
          throw new Error('not used');
        },
      });
      const envelope = await signing.send(request([party(0), party(1, { name: 'Pedro Recusa' })]));
      await simulateSign(base, { id_externo_documento: envelope.envelopeId });
      expect(await signing.status(envelope)).toEqual({
        state: 'refused',
        signers: [
          { index: 0, state: 'signed' },
          { index: 1, state: 'refused' },
        ],
      });
      expect(await signing.cancel(envelope)).toBe('already-closed');

      const invalidated = await signing.send(request());
      await signing.cancel(invalidated);
      expect(await signing.find(invalidated.envelopeId, request())).toBeUndefined();
    } finally {
      await client.close();
      await sim.close();
      await files.close();
    }
  });
});
