/**
 * Signio when an answer is garbled after the provider acted (the simulator's `commit-then-garble`),
 * on every create call of the send: the transaction (6.5), its document (6.6), each signer (6.7),
 * each link (6.8) and the distribution (6.10). The send fails with a typed failure; the lookup
 * finds the envelope by its name (6.16, `CCB <proposal number>`) in whatever state it reached; a
 * second send continues with it (one transaction, one document, one contact and one link per
 * signer); `cancel` on what was found leaves nothing signable.
 */
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ContractError } from '../../src/providers/errors';
import { routeName, type SignioOperation } from '../../src/providers/signio/routes';
import { SignioSigning } from '../../src/providers/signio/signing';
import { noCheckpoint } from '../../src/signing/checkpoint';
import type { SigningRequest } from '../../src/signing/contract';
import type { FaultRule } from '../../simulators/kit';
import { addFaults, clearFaults, simulatorState } from '../helpers/simulators';
import { sampleSigningRequest } from './signing-parties';
import { samplePdf, signOnDemand, startSignio, type Harness } from './signio-support';

const request = () => sampleSigningRequest('garbled');

interface SimTransaction {
  id: string;
  nombre: string;
  estado: number;
  deleted: boolean;
  documents: unknown[];
  contacts: unknown[];
  links: unknown[];
  signatures: unknown[];
}

let harness: Harness;
let signing: SignioSigning;

beforeAll(async () => {
  harness = await startSignio();
  signing = new SignioSigning(harness.client, {
    fileUrl: async () => 'http://127.0.0.1/ccb.pdf',
    open: async () => ({ body: Readable.from([samplePdf()]), contentType: 'application/pdf' }),
  });
});
afterAll(() => harness.close());
afterEach(() => clearFaults(harness.baseUrl));

/** The transactions named after this request's proposal, as the simulator holds them. */
const transactionsOf = async (r: SigningRequest): Promise<SimTransaction[]> =>
  (await simulatorState<{ transactions: SimTransaction[] }>(harness.baseUrl)).transactions.filter(
    (t) => t.nombre === `CCB ${r.proposal.number}`,
  );

/** Each create call of the send, garbled once: the first call, or (`after`) a later one. */
const cases: Array<{
  name: string;
  operation: SignioOperation;
  after?: number;
  /** What the lookup finds after that call. */
  found: 'partial' | 'envelope';
  /** For a partial: how many signers it already has. */
  signers?: number;
}> = [
  { name: 'the transaction (6.5)', operation: 'createTransaction', found: 'partial', signers: 0 },
  { name: 'the document (6.6)', operation: 'uploadDocument', found: 'partial', signers: 0 },
  { name: 'the first signer (6.7)', operation: 'registerSigner', found: 'partial', signers: 1 },
  { name: 'the second signer (6.7)', operation: 'registerSigner', after: 1, found: 'partial', signers: 2 },
  { name: 'the first link (6.8)', operation: 'linkSigner', found: 'partial', signers: 2 },
  { name: 'the second link (6.8)', operation: 'linkSigner', after: 1, found: 'partial', signers: 2 },
  { name: 'the distribution (6.10)', operation: 'distribute', found: 'envelope' },
];

async function garbledSend(r: SigningRequest, c: (typeof cases)[number]): Promise<void> {
  const rule: FaultRule = {
    route: routeName(c.operation),
    kind: 'commit-then-garble',
    times: 1,
    ...(c.after !== undefined ? { after: c.after } : {}),
  };
  await addFaults(harness.baseUrl, [rule]);
  const err = await signing.send(r).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ContractError);
  expect(err).toMatchObject({ provider: 'signio', operation: c.operation });
}

describe.each(cases)('Signio, the answer for $name garbled after Signio acted', (c) => {
  it('the lookup finds what was made; a second send continues with it: one of each', async () => {
    const r = request();
    await garbledSend(r, c);
    const found = await signing.findSent(r);
    expect(found.found).toBe(c.found);
    if (found.found === 'partial') {
      expect(found).toMatchObject({ signable: false, discardable: true });
      expect(found.envelope.signers).toHaveLength(c.signers ?? 0);
      expect(found.what).toContain('En Elaboración');
    }
    if (found.found === 'nothing') return;

    const envelope = await signing.send(r, noCheckpoint());
    expect(envelope.envelopeId).toBe(found.envelope.envelopeId);
    expect(envelope.signers.map((s) => s.index)).toEqual([0, 1]);
    const [only, ...more] = await transactionsOf(r);
    expect(more).toEqual([]);
    expect(only).toMatchObject({ estado: 2, deleted: false });
    expect([only!.documents.length, only!.contacts.length, only!.links.length]).toEqual([1, 2, 2]);
    expect(await signing.findSent(r)).toEqual({ found: 'envelope', envelope, state: 'pending' });
  });

  it('cancel on what was found leaves nothing signable, and nothing to find', async () => {
    const r = request();
    await garbledSend(r, c);
    const found = await signing.findSent(r);
    if (found.found === 'nothing') throw new Error('expected something to cancel');
    expect(await signing.cancel(found.envelope)).toBe('cancelled');
    const [only] = await transactionsOf(r);
    expect(only).toMatchObject({ deleted: true });
    await signOnDemand(harness.baseUrl, { id_transaccion: found.envelope.envelopeId });
    expect((await transactionsOf(r))[0]!.signatures).toEqual([]);
    expect(await signing.findSent(r)).toEqual({ found: 'nothing', conclusive: true });
  });
});

describe('Signio, where a repeated envelopeDeduplicationKey makes another envelope (the other reading)', () => {
  let other: Harness;
  let otherSigning: SignioSigning;
  beforeAll(async () => {
    other = await startSignio({ duplicateKeys: 'allowed' });
    otherSigning = new SignioSigning(other.client, {
      fileUrl: async () => 'http://127.0.0.1/ccb.pdf',
      open: async () => ({ body: Readable.from([samplePdf()]), contentType: 'application/pdf' }),
    });
  });
  afterAll(() => other.close());
  const transactionsThere = async (r: SigningRequest) =>
    (await simulatorState<{ transactions: SimTransaction[] }>(other.baseUrl)).transactions.filter(
      (t) => t.nombre === `CCB ${r.proposal.number}`,
    );
  const garbleCreate = () =>
    addFaults(other.baseUrl, [
      { route: routeName('createTransaction'), kind: 'commit-then-garble', times: 1 },
    ]);

  it('a retried send finds the transaction by its name, not by the key: still one envelope', async () => {
    const r = request();
    await garbleCreate();
    await expect(otherSigning.send(r)).rejects.toBeInstanceOf(ContractError);
    expect(await otherSigning.findSent(r)).toMatchObject({ found: 'partial', discardable: true });
    await otherSigning.send(r, noCheckpoint());
    expect((await transactionsThere(r)).map((t) => t.estado)).toEqual([2]);
  });

  it("a send told it is a first attempt creates another: a retry must say so (the activity's `retry`)", async () => {
    const r = request();
    await garbleCreate();
    await expect(otherSigning.send(r)).rejects.toBeInstanceOf(ContractError);
    await otherSigning.send(r, { retry: false, load: () => undefined, save: () => undefined });
    expect(await transactionsThere(r)).toHaveLength(2);
  });
});

describe('Signio lookups', () => {
  it('finds nothing, surely, when nothing was sent', async () => {
    expect(await signing.findSent(request())).toEqual({ found: 'nothing', conclusive: true });
  });

  it('finds a signed envelope as completed, and a rejected one as refused', async () => {
    const signed = request();
    const envelope = await signing.send(signed);
    await signOnDemand(harness.baseUrl, { id_transaccion: envelope.envelopeId });
    expect(await signing.findSent(signed)).toEqual({ found: 'envelope', envelope, state: 'completed' });

    const rejected = request();
    const other = await signing.send(rejected);
    await signOnDemand(harness.baseUrl, { id_transaccion: other.envelopeId, reject: true });
    expect(await signing.findSent(rejected)).toEqual({
      found: 'envelope',
      envelope: other,
      state: 'refused',
    });
  });
});
