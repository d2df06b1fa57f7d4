import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ContractError, ProviderError, RequestContractError } from '../../src/providers/errors';
import { SecuritiesClient, type CreateProposal, type CreateSigner } from '../../src/providers/securities';
import { createSecuritiesSimulator, renderPdf } from '../../simulators/securities/simulator';
import { SecuritiesSigning } from '../../src/providers/securities/signing';
import type { SimulatorServer } from '../../simulators/kit';
import { addFaults, answerNext, clearFaults, simulatorState } from '../helpers/simulators';

const TEMPLATE = '8b1f6b1e-6c1a-4c59-9a53-3f0f4f1b2c3d';
let sim: SimulatorServer;
let client: SecuritiesClient;
let base: string;
let seq = 0;

const proposal = (number = `P-${++seq}`): CreateProposal => ({
  number,
  issuer_full_name: 'Maria Souza',
  issuer_document: '529.982.247-25',
  installments: 12,
  template_key: TEMPLATE,
  document_data: { number, financed_amount: '5000.00', first_installment_due_date: '10/01/2027' },
});

const signer = (name = 'Maria Souza'): CreateSigner => ({
  full_name: name,
  documentation: '529.982.247-25',
  email: 'maria@example.com',
  phone_number: '11987654321',
  auth: 'email',
  communicate_by: 'email',
  sign_as: 'sign',
});

const errorOf = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );
type State = { counts: Record<string, number> };

/** A final 422 from Securities for `operation`: a ProviderError, never retried. */
function expectFinal422(err: unknown, operation: string): void {
  expect(err).toBeInstanceOf(ProviderError);
  expect(err).toMatchObject({ provider: 'securities', operation, status: 422, retryable: false });
}

beforeAll(async () => {
  sim = createSecuritiesSimulator({ token: 'test-token' });
  base = `${await sim.listen()}/api`;
  client = new SecuritiesClient({ baseUrl: base, token: 'test-token' });
});
afterAll(async () => {
  await client.close();
  await sim.close();
});
afterEach(() => clearFaults(base));

describe('Securities proposals', () => {
  it('creates a proposal with a rendered document and finds it by id, by number and in the list', async () => {
    const created = await client.createProposal(proposal('CCB-001'));
    expect(created.number).toBe('CCB-001');
    expect(created.documents).toHaveLength(1);
    expect(created.documents[0]!.status).toBe('created');
    expect((await client.getProposal(created.id)).number).toBe('CCB-001');
    expect((await client.getProposalByNumber('CCB-001'))?.id).toBe(created.id);
    expect(await client.getProposalByNumber('does-not-exist')).toBeUndefined();
    const page = await client.listProposals();
    expect(page.proposals.map((p) => p.id)).toContain(created.id);
    expect(page.page_infos.current_page).toBe(1);

    const doc = await client.getDocumentByKey(created.documents[0]!.key);
    const file = await client.downloadFile(doc.file!.url);
    const bytes = Buffer.concat(await file.body.toArray());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.toString('latin1')).toContain('CCB CCB-001');
  });

  it('answers a duplicate number and a missing field with a non-retryable 422 naming only the fields', async () => {
    await client.createProposal(proposal('CCB-DUP'));
    const dup = await errorOf(client.createProposal(proposal('CCB-DUP')));
    expectFinal422(dup, 'createProposal');
    expect((dup as Error).message).toContain('number');

    const res = await fetch(`${base}/v1/proposals`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ proposal: { ...proposal(), issuer_full_name: undefined } }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ errors: { issuer_full_name: expect.any(Array) } });
  });

  it('refuses a bad token with a final 401 that carries no token', async () => {
    const bad = new SecuritiesClient({ baseUrl: base, token: 'wrong-token' });
    const err = await errorOf(bad.listProposals());
    await bad.close();
    expect(err).toMatchObject({ status: 401, retryable: false });
    expect((err as Error).message).not.toContain('wrong-token');
  });
});

describe('Securities signers, lists and signing', () => {
  it('binds signers to a document, tracks lists and validates the document when all have signed', async () => {
    const p = await client.createProposal(proposal());
    const document = p.documents[0]!;
    const bound = await client.createDocumentSigner(document.id, signer());
    expect(bound.lists).toHaveLength(1);
    expect(bound.lists![0]!.signed).toBe(false);

    const loose = await client.createSigner(signer('Joao Avalista'));
    const list = await client.createList({ signer_id: loose.id, document_id: document.id, sign_as: 'party' });
    expect(list.signed).toBe(false);

    expect((await client.getSigner(loose.id)).key).toBe(loose.key);
    expect((await client.getSignerByKey(loose.key)).id).toBe(loose.id);
    expect((await client.listSigners()).signers.map((s) => s.id)).toEqual(
      expect.arrayContaining([bound.id, loose.id]),
    );
    const docSigners = await client.listDocumentSigners(document.id);
    expect(docSigners.signers.map((s) => s.id).sort()).toEqual([bound.id, loose.id].sort());
    expect((await client.getDocumentSigner(document.id, bound.id)).lists![0]!.document_id).toBe(document.id);
    expect((await client.getDocumentSignerByKey(document.id, loose.key)).id).toBe(loose.id);
    expect((await client.getList(list.id)).signer_id).toBe(loose.id);
    expect((await client.listLists()).lists.map((l) => l.id)).toContain(list.id);

    await fetch(`${new URL(base).origin}/_simulator/sign`, {
      method: 'POST',
      body: JSON.stringify({ documentKey: document.key }),
    });
    const after = await client.getDocumentByKey(document.key);
    expect(after.status).toBe('validated');
    expect((await client.getList(list.id)).signed).toBe(true);
    const signedPdf = Buffer.concat(await (await client.downloadFile(after.file!.url)).body.toArray());
    expect(signedPdf.toString('latin1')).toContain('%signed by 2 signer(s)');
  });

  it('marks the document refused when a signer named "Recusa" refuses', async () => {
    const p = await client.createProposal(proposal());
    await client.createDocumentSigner(p.documents[0]!.id, signer('Carlos Recusa'));
    await fetch(`${new URL(base).origin}/_simulator/sign`, {
      method: 'POST',
      body: JSON.stringify({ documentKey: p.documents[0]!.key }),
    });
    expect((await client.getDocumentByKey(p.documents[0]!.key)).status).toBe('refused');
  });

  it('signs by itself after autoSignMs', async () => {
    const auto = createSecuritiesSimulator({ token: 't', autoSignMs: 20 });
    const autoBase = `${await auto.listen()}/api`;
    const c = new SecuritiesClient({ baseUrl: autoBase, token: 't' });
    try {
      const p = await c.createProposal(proposal());
      await c.createDocumentSigner(p.documents[0]!.id, signer());
      await sleep(150);
      expect((await c.getDocumentByKey(p.documents[0]!.key)).status).toBe('validated');
    } finally {
      await c.close();
      await auto.close();
    }
  });

  describe('SecuritiesSigning.send', () => {
    const request = (p: Awaited<ReturnType<SecuritiesClient['createProposal']>>, guarantorName: string) => ({
      key: 'onboarding-x',
      onboardingId: 'x',
      proposal: { proposalId: p.id, number: p.number, documentKey: p.documents[0]!.key },
      signers: [
        {
          index: 0,
          role: 'applicant' as const,
          name: 'Maria Souza',
          cpf: '52998224725',
          email: 'maria@example.com',
          phone: '11987654321',
        },
        {
          index: 1,
          role: 'guarantor' as const,
          name: guarantorName,
          cpf: '11144477735',
          email: 'carlos@example.com',
          phone: '11987654322',
        },
      ],
    });
    const signNow = (documentKey: string) =>
      fetch(`${new URL(base).origin}/_simulator/sign`, {
        method: 'POST',
        body: JSON.stringify({ documentKey }),
      });
    const guarantorOn = async (p: Awaited<ReturnType<SecuritiesClient['createProposal']>>, name: string) => {
      await client.createDocumentSigner(p.documents[0]!.id, {
        ...signer(name),
        documentation: '111.444.777-35',
        sign_as: 'party',
      });
    };

    it('binds the applicant last (the document closes when every bound signer has signed)', async () => {
      const p = await client.createProposal(proposal());
      const envelope = await new SecuritiesSigning(client).send(request(p, 'Carlos Pereira'));
      expect(envelope.signers.map((s) => s.index)).toEqual([0, 1]);
      const { signers } = await client.listDocumentSigners(p.documents[0]!.id);
      expect(signers.map((s) => s.full_name)).toEqual(['Carlos Pereira', 'Maria Souza']);
    });

    it('a refusal that closed the document before the applicant was bound still yields the envelope', async () => {
      const p = await client.createProposal(proposal());
      await guarantorOn(p, 'Carlos Recusa Pereira');
      await signNow(p.documents[0]!.key);
      const envelope = await new SecuritiesSigning(client).send(request(p, 'Carlos Recusa Pereira'));
      expect(envelope.signers.map((s) => s.index)).toEqual([1]);
      expect((await new SecuritiesSigning(client).status(envelope)).state).toBe('refused');
    });

    it('a document closed as signed before every signer was bound is a final, typed failure', async () => {
      const p = await client.createProposal(proposal());
      await guarantorOn(p, 'Carlos Pereira');
      await signNow(p.documents[0]!.key);
      const err = await errorOf(new SecuritiesSigning(client).send(request(p, 'Carlos Pereira')));
      expectFinal422(err, 'createDocumentSigner');
      expect(String(err)).toContain('closed as signed before every signer was bound');
    });
  });

  it('validates a signer before sending: the field is named', async () => {
    const err = await errorOf(client.createSigner({ ...signer(), auth: 'email', email: undefined }));
    expect(String(err)).toContain('email');
  });
});

const noteFields = {
  signed: true,
  signature_provider: 'assinebem' as const,
  issuer_full_name: 'Maria Souza',
  issuer_document: '52998224725',
  installments: 12,
  document_data: { financed_amount: '5000.00' },
};

describe('Securities bank credit notes', () => {
  it('registers a CCB signed elsewhere from a streamed PDF and finds it again', async () => {
    const pdf = renderPdf(['signed elsewhere']);
    const note = await client.createBankCreditNote(
      {
        signed: true,
        signature_provider: 'assinebem',
        number: 'BCN-1',
        issuer_full_name: 'Maria Souza',
        issuer_document: '52998224725',
        installments: 12,
        document_data: { financed_amount: '5000.00' },
      },
      {
        body: Readable.from([pdf.subarray(0, 100), pdf.subarray(100)]),
        contentLength: pdf.length,
        filename: 'ccb.pdf',
      },
    );
    expect(note.signature_provider).toBe('assinebem');
    expect(note.documents[0]!.status).toBe('validated');
    expect((await client.getBankCreditNote(note.id)).number).toBe('BCN-1');
    expect((await client.getBankCreditNoteByNumber('BCN-1'))?.id).toBe(note.id);
    expect(await client.getBankCreditNoteByNumber('BCN-none')).toBeUndefined();
    expect((await client.listBankCreditNotes({ number: 'BCN-1' })).bank_credit_notes).toHaveLength(1);
    const state = await simulatorState<{ bankCreditNotes: Array<{ number: string; fileSize: number }> }>(
      base,
    );
    expect(state.bankCreditNotes.find((n) => n.number === 'BCN-1')?.fileSize).toBe(pdf.length);
  });

  it('registers a CCB from a PDF held in memory (a Buffer), with the right Content-Length', async () => {
    const pdf = renderPdf(['signed elsewhere, in memory']);
    const note = await client.createBankCreditNote(
      { ...noteFields, number: 'BCN-BUF' },
      { body: pdf, filename: 'ccb.pdf' },
    );
    const state = await simulatorState<{
      bankCreditNotes: Array<{ number: string; fileSize: number; fileSha256: string }>;
    }>(base);
    const stored = state.bankCreditNotes.find((n) => n.number === note.number);
    expect(stored?.fileSize).toBe(pdf.length);
    expect(stored?.fileSha256).toBe(createHash('sha256').update(pdf).digest('hex'));
  });

  it('a registered CCB whose answer has an odd cosmetic field is still registered', async () => {
    await answerNext(base, 'POST /v1/bank_credit_notes', 201, {
      body: {
        bank_credit_note: {
          id: 'bcn-odd',
          number: 'BCN-ODD',
          created_at: 12,
          documents: [{ id: 'd', key: 'k', status: 'validated', file: { url: 'not a url' } }],
          url: 'relative/path',
        },
      },
    });
    const note = await client.createBankCreditNote(
      { ...noteFields, number: 'BCN-ODD' },
      { body: renderPdf(['x']), filename: 'x.pdf' },
    );
    expect(note.id).toBe('bcn-odd');
  });

  it('does not let Signio be sent as a signature provider', async () => {
    const err = await errorOf(
      client.createBankCreditNote(
        {
          signed: true,
          signature_provider: 'signio' as 'assinebem',
          number: 'BCN-2',
          issuer_full_name: 'Maria Souza',
          issuer_document: '52998224725',
          installments: 1,
          document_data: {},
        },
        { body: renderPdf(['x']), filename: 'x.pdf' },
      ),
    );
    expect(err).toBeInstanceOf(RequestContractError);
    expect(String(err)).toContain('signature_provider');
  });
});

describe('Securities error classification over the wire', () => {
  it('makes 503 and 429 retryable, with Retry-After in milliseconds', async () => {
    await answerNext(base, 'GET /v1/proposals', 503);
    expect(await errorOf(client.listProposals())).toMatchObject({ status: 503, retryable: true });
    await answerNext(base, 'GET /v1/proposals', 429, { retryAfterSeconds: 7 });
    expect(await errorOf(client.listProposals())).toMatchObject({
      status: 429,
      retryable: true,
      retryAfterMs: 7000,
    });
    expect((await client.listProposals()).page_infos.current_page).toBe(1);
  });

  it('makes a 404 and a broken body final: a contract error names the field', async () => {
    expect(await errorOf(client.getProposal('999999'))).toMatchObject({ status: 404, retryable: false });
    await answerNext(base, 'GET /v1/proposals/:id', 200, { body: { proposal: { id: '1' } } });
    const err = await errorOf(client.getProposal('1'));
    expect(err).toBeInstanceOf(ContractError);
    expect((err as ContractError).issues.map((i) => i.path)).toContain('proposal.number');
  });

  it('reports a dropped connection as retryable, and "commit then drop" really created the proposal', async () => {
    const before = (await simulatorState<State>(base)).counts['proposals']!;
    await addFaults(base, [{ route: 'POST /v1/proposals', kind: 'commit-then-drop', times: 1 }]);
    const err = await errorOf(client.createProposal(proposal('CCB-DROP')));
    expect(err).toMatchObject({ kind: 'network', retryable: true });
    expect((await simulatorState<State>(base)).counts['proposals']).toBe(before + 1);
    expect((await client.getProposalByNumber('CCB-DROP'))?.number).toBe('CCB-DROP');
  });

  it('times out a slow answer as a retryable timeout', async () => {
    const slow = new SecuritiesClient({
      baseUrl: base,
      token: 'test-token',
      timeouts: { connectMs: 1000, headersMs: 100, bodyMs: 100, totalMs: 300 },
    });
    await addFaults(base, [{ route: 'GET /v1/lists', kind: 'latency', latencyMs: 500, times: 1 }]);
    const err = await errorOf(slow.listLists());
    await slow.close();
    expect(err).toMatchObject({ kind: 'timeout', retryable: true });
  });
});
