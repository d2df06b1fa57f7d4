/**
 * Assine Bem when the upload's answer is garbled after the document was created (the simulator's
 * `commit-then-garble` on its one create call, `POST /documento`), under both readings of its
 * document: the send fails with a typed failure; the lookup finds the document by the onboarding's
 * file identification among the pending signatures (call 13, the only list the document offers); a
 * second send continues with it; `cancel` on what was found invalidates it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AssineBemClient, DOCUMENT_STATUS } from '../../src/providers/assinebem';
import { AssineBemSigning, fileIdentification } from '../../src/providers/assinebem/signing';
import { ContractError } from '../../src/providers/errors';
import { noCheckpoint, type Checkpoint } from '../../src/signing/checkpoint';
import type { SigningRequest } from '../../src/signing/contract';
import { createAssineBemSimulator } from '../../simulators/assinebem/simulator';
import type { AssineBemReading } from '../../simulators/assinebem/store';
import type { SimulatorServer } from '../../simulators/kit';
import { addFaults, clearFaults, simulatorState } from '../helpers/simulators';
import { sampleSigningRequest } from './signing-parties';
import { TOKEN, rejection, simulateSign, startFileServer, type AssineBemState } from './assinebem-support';

const UPLOAD = 'POST /documento';

const request = () => sampleSigningRequest('garbled');

/** The checkpoint of a new activity attempt that may follow a failed one, holding what the workflow recorded. */
const retryWith = (saved?: Record<string, unknown>): Checkpoint<Record<string, unknown>> => {
  let current = saved;
  return { retry: true, load: () => current, save: (v) => (current = v) };
};
const firstAttempt = (saved?: Record<string, unknown>): Checkpoint<Record<string, unknown>> => ({
  ...retryWith(saved),
  retry: false,
});

describe.each<AssineBemReading>(['ours', 'other'])(
  'Assine Bem, upload answer garbled, %s reading',
  (reading) => {
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
    afterEach(() => clearFaults(base));

    /** The documents uploaded for this request's onboarding, and their parties. */
    const uploadedFor = async (r: SigningRequest) => {
      const state = await simulatorState<AssineBemState>(base);
      const documents = state.documents.filter(
        (d) => d['identificacao_arquivo'] === fileIdentification(r.onboardingId),
      );
      const parties = documents.flatMap((d) => (d as unknown as { signers: unknown[] }).signers);
      return { documents, parties };
    };

    /** A send as the workflow makes it: the identifier first (recorded), then the upload, garbled. */
    async function garbledSend(r: SigningRequest): Promise<Record<string, unknown>> {
      const preparation = await signing.prepare();
      await addFaults(base, [{ route: UPLOAD, kind: 'commit-then-garble', times: 1 }]);
      expect(await rejection(signing.send(r, firstAttempt(preparation)))).toBeInstanceOf(ContractError);
      return preparation;
    }

    it('the lookup finds the document and its parties; a retried send with the recorded identifier continues with it', async () => {
      const r = request();
      const preparation = await garbledSend(r);
      const found = await signing.findSent(r, preparation);
      expect(found).toMatchObject({ found: 'envelope', state: 'pending' });
      if (found.found !== 'envelope') return;
      expect(found.envelope.signers.map((s) => s.index)).toEqual([0, 1]);

      expect(await signing.send(r, retryWith(preparation))).toEqual(found.envelope);
      expect(await uploadedFor(r)).toMatchObject({ documents: [expect.anything()], parties: [{}, {}] });
    });

    it('a retried send that lost the identifier finds it too: one document, one party per signer', async () => {
      const r = request();
      await garbledSend(r);
      const found = await signing.findSent(r);
      const envelope = await signing.send(r, noCheckpoint());
      expect(found).toEqual({ found: 'envelope', envelope, state: 'pending' });
      const { documents, parties } = await uploadedFor(r);
      expect([documents.length, parties.length]).toEqual([1, 2]);
    });

    it('cancel on what was found invalidates it: nobody can sign it, and it is no longer found', async () => {
      const r = request();
      const preparation = await garbledSend(r);
      const found = await signing.findSent(r, preparation);
      if (found.found !== 'envelope') throw new Error(`expected the envelope, found ${found.found}`);
      expect(await signing.cancel(found.envelope)).toBe('cancelled');
      const signatures = async () => (await simulatorState<AssineBemState>(base)).counts['signatures'];
      const before = await signatures();
      await simulateSign(base, { id_externo_documento: found.envelope.envelopeId });
      expect(await signatures()).toBe(before);
      const [document] = (await uploadedFor(r)).documents;
      expect(document?.id_documento_status).toBe(DOCUMENT_STATUS.INVALIDADO);
      expect(await signing.findSent(r, preparation)).toEqual({ found: 'nothing', conclusive: false });
    });

    it('nothing uploaded: nothing found, and the lookup says it cannot be sure (it sees pending documents only)', async () => {
      expect(await signing.findSent(request())).toEqual({ found: 'nothing', conclusive: false });
    });
  },
);
