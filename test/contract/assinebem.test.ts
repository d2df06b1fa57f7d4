/** The Assine Bem client against its simulator over real loopback HTTP: every documented call. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AssineBemClient,
  DOCUMENT_STATUS,
  PARTY_STATUS,
  ATTACHMENT_STATUS,
  documentHint,
  hasRefused,
  hasSigned,
  type Documento,
} from '../../src/providers/assinebem';
import { createAssineBemSimulator } from '../../simulators/assinebem/simulator';
import { sha256 } from '../../simulators/assinebem/store';
import { ProviderError } from '../../src/providers/errors';
import type { SimulatorServer } from '../../simulators/kit';
import { resetSimulator, simulatorState } from '../helpers/simulators';
import {
  CCB_PDF,
  TOKEN,
  applicant,
  collect,
  guarantor,
  rejection,
  simulateSign,
  startFileServer,
  type AssineBemState,
} from './assinebem-support';

let sim: SimulatorServer;
let base: string;
let client: AssineBemClient;
let files: Awaited<ReturnType<typeof startFileServer>>;

beforeAll(async () => {
  sim = createAssineBemSimulator({ port: 0, token: TOKEN, pageSize: 2 });
  base = `${await sim.listen()}/api`;
  client = new AssineBemClient({ baseUrl: base, token: TOKEN });
  files = await startFileServer();
});

afterAll(async () => {
  await client.close();
  await sim.close();
  await files.close();
});

beforeEach(async () => {
  await resetSimulator(base);
});

const state = () => simulatorState<AssineBemState>(base);

async function upload(parties = [applicant(), guarantor()]): Promise<Documento> {
  return client.uploadDocument({
    id_identifier: await client.getUploadIdentifier(),
    lista_partes: parties,
    arquivo: CCB_PDF.toString('base64'),
    identificacao_arquivo: 'ccb_0001',
    sufixo_arquivo: 'pdf',
    quadro_assinaturas: 1,
  });
}

const businessError = (err: unknown, code: string, retryable: boolean) => {
  expect(err).toBeInstanceOf(ProviderError);
  const e = err as ProviderError;
  expect(e.kind).toBe('business');
  expect(e.providerCode).toBe(code);
  expect(e.retryable).toBe(retryable);
};

describe('documents', () => {
  it('uploads a base64 PDF with its parties, each party getting an id_externo', async () => {
    const doc = await upload();
    expect(doc.id_documento_status).toBe(DOCUMENT_STATUS.PENDENTE);
    expect(doc.descricao_documento_status).toBe('Pendente');
    expect(doc.hash_arquivo).toBe(sha256(CCB_PDF));
    expect(doc.quadro_assinaturas).toBe(1);
    expect(doc.lista_partes.map((p) => p.identificacao_parte)).toEqual(['Emitente', 'Avalista']);
    expect(new Set(doc.lista_partes.map((p) => p.id_externo)).size).toBe(2);
    expect(doc.lista_partes.every((p) => !hasSigned(p) && p.id_status === PARTY_STATUS.NAO_VALIDADO)).toBe(
      true,
    );

    const again = await client.getDocument(doc.id_externo);
    expect(again).toEqual(doc);
    const s = await state();
    expect(s.counts).toMatchObject({ identifiers: 1, documents: 1, parties: 2 });
    expect(s.identifiers).toEqual([
      { identifier: doc.identificador_documento, used: true, id_externo_documento: doc.id_externo },
    ]);
  });

  it('uploads by url_arquivo, fetched by the provider, and rejects what is not a PDF', async () => {
    const doc = await client.uploadDocument({
      id_identifier: await client.getUploadIdentifier(),
      lista_partes: [applicant()],
      url_arquivo: `${files.url}/ccb.pdf`,
    });
    expect(doc.hash_arquivo).toBe(sha256(CCB_PDF));

    const notPdf = await rejection(
      client.uploadDocument({
        id_identifier: await client.getUploadIdentifier(),
        lista_partes: [applicant()],
        url_arquivo: `${files.url}/foto.png`,
      }),
    );
    businessError(notPdf, '422', false);

    const down = await rejection(
      client.uploadDocument({
        id_identifier: await client.getUploadIdentifier(),
        lista_partes: [applicant()],
        url_arquivo: `${files.url}/broken`,
      }),
    );
    businessError(down, '502', true);

    // Busy for now is unreachable too; a file that is not there is final.
    const busy = await rejection(
      client.uploadDocument({
        id_identifier: await client.getUploadIdentifier(),
        lista_partes: [applicant()],
        url_arquivo: `${files.url}/busy`,
      }),
    );
    businessError(busy, '502', true);
    const missing = await rejection(
      client.uploadDocument({
        id_identifier: await client.getUploadIdentifier(),
        lista_partes: [applicant()],
        url_arquivo: `${files.url}/missing`,
      }),
    );
    businessError(missing, '422', false);

    const base64NotPdf = await rejection(
      client.uploadDocument({
        id_identifier: await client.getUploadIdentifier(),
        lista_partes: [applicant()],
        arquivo: Buffer.from('plain text').toString('base64'),
      }),
    );
    businessError(base64NotPdf, '422', false);
    expect((await state()).counts['documents']).toBe(1);
  });

  it('identifiers are single-use and must have been issued', async () => {
    const identifier = await client.getUploadIdentifier();
    const first = await client.uploadDocument({
      id_identifier: identifier,
      lista_partes: [applicant()],
      arquivo: CCB_PDF.toString('base64'),
    });
    // The same identifier again (a retry whose first answer was lost) yields the same document.
    const second = await client.uploadDocument({
      id_identifier: identifier,
      lista_partes: [applicant(), guarantor()],
      arquivo: CCB_PDF.toString('base64'),
    });
    expect(second.id_externo).toBe(first.id_externo);
    expect(second.lista_partes).toHaveLength(1);
    expect((await state()).counts).toMatchObject({ documents: 1, parties: 1 });

    const unknown = await rejection(
      client.uploadDocument({
        id_identifier: crypto.randomUUID(),
        lista_partes: [applicant()],
        arquivo: CCB_PDF.toString('base64'),
      }),
    );
    businessError(unknown, '404', false);
  });

  it('accepts url-encoded bodies with lista_partes as a JSON string, as PHP integrations send', async () => {
    const identifier = await client.getUploadIdentifier();
    const res = await fetch(`${base}/documento`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        id_identifier: identifier,
        url_arquivo: `${files.url}/ccb.pdf`,
        sufixo_arquivo: 'pdf',
        lista_partes: JSON.stringify([applicant()]),
      }).toString(),
    });
    const body = (await res.json()) as { status_api: number; documento: { lista_partes: unknown[] } };
    expect(body.status_api).toBe(200);
    expect(body.documento.lista_partes).toHaveLength(1);
  });

  it('adds parties to a document: new ones and existing ones, not twice, not once it is closed', async () => {
    const doc = await upload([applicant()]);
    const witness = await client.createParty(
      guarantor({ nome: 'Ana Testemunha', identificacao_parte: 'Testemunha' }),
    );
    const withNew = await client.addPartyToDocument(doc.id_externo, guarantor());
    expect(withNew.lista_partes).toHaveLength(2);
    const withExisting = await client.addPartyToDocument(doc.id_externo, {
      id_externo: witness.id_externo,
      identificacao_parte: 'Testemunha',
      ordem_assinatura: 1,
    });
    expect(withExisting.lista_partes.map((p) => p.id_externo)).toContain(witness.id_externo);
    businessError(
      await rejection(client.addPartyToDocument(doc.id_externo, { id_externo: witness.id_externo })),
      '409',
      false,
    );
    await client.invalidateDocument(doc.id_externo);
    businessError(await rejection(client.addPartyToDocument(doc.id_externo, applicant())), '422', false);
  });

  it('progresses as parties sign, in signing order, and serves the signed version', async () => {
    const doc = await upload([applicant(), guarantor({ ordem_assinatura: 1 })]);
    const [first, second] = doc.lista_partes;
    if (!first || !second) throw new Error('two parties expected');

    const early = await simulateSign(base, {
      id_externo_documento: doc.id_externo,
      id_externo_parte: second.id_externo,
    });
    expect(early.status).toBe(409);

    await simulateSign(base, { id_externo_documento: doc.id_externo, id_externo_parte: first.id_externo });
    const half = await client.getDocument(doc.id_externo);
    expect(half.id_documento_status).toBe(DOCUMENT_STATUS.EM_ASSINATURA);
    expect(documentHint(half)).toBe('pending');
    expect(
      (await client.getSignatureStatus(first.id_externo, doc.id_externo)).identificador_assinatura,
    ).toMatch(/^[0-9a-f-]{36}$/);
    expect(hasSigned(await client.getSignatureStatus(second.id_externo, doc.id_externo))).toBe(false);

    await simulateSign(base, { id_externo_documento: doc.id_externo });
    const signed = await client.getDocument(doc.id_externo);
    expect(signed.id_documento_status).toBe(DOCUMENT_STATUS.ASSINADO);
    expect(documentHint(signed)).toBe('signed');
    expect(signed.nome_arquivo_assinado).toBe('ccb_0001_assinado.pdf');
    expect(signed.lista_partes.map(hasSigned)).toEqual([true, true]);
    expect((await client.getPartyStatus(first.id_externo)).id_status).toBe(PARTY_STATUS.VALIDO);

    const original = await client.downloadDocument(doc.id_externo);
    expect(original.signed).toBe(false);
    expect(original.bytes.equals(CCB_PDF)).toBe(true);
    expect(original.fileName).toBe('ccb_0001.pdf');

    const withSignatures = await client.downloadDocument(doc.id_externo, { signed: true });
    expect(withSignatures.signed).toBe(true);
    expect(withSignatures.bytes.subarray(0, CCB_PDF.length).equals(CCB_PDF)).toBe(true);
    expect(withSignatures.bytes.toString('latin1')).toContain('assinaturas=2');
    expect(withSignatures.hash).toBe(sha256(withSignatures.bytes));

    const stream = await client.downloadDocumentFile(doc.id_externo);
    expect(stream.contentType).toBe('application/pdf');
    expect(stream.fileName).toBe('ccb_0001.pdf');
    expect(stream.contentLength).toBe(CCB_PDF.length);
    expect((await collect(stream.body)).equals(CCB_PDF)).toBe(true);

    expect((await state()).counts['signatures']).toBe(2);
  });

  it('a party named "Recusa" refuses: document Recusado, no signature for that party', async () => {
    const doc = await upload([applicant(), guarantor({ nome: 'Pedro Recusa' })]);
    await simulateSign(base, { id_externo_documento: doc.id_externo });
    const refused = await client.getDocument(doc.id_externo);
    expect(refused.id_documento_status).toBe(DOCUMENT_STATUS.RECUSADO);
    expect(documentHint(refused)).toBe('refused');
    expect(refused.lista_partes.map((p) => [hasSigned(p), hasRefused(p)])).toEqual([
      [true, false],
      [false, true],
    ]);
    const again = await simulateSign(base, { id_externo_documento: doc.id_externo });
    expect(again.body['id_documento_status']).toBe(DOCUMENT_STATUS.RECUSADO);
    expect((await state()).counts).toMatchObject({ signatures: 1, refusals: 1 });
  });

  it('invalidates: no further signatures, idempotent, and never a signed document', async () => {
    const doc = await upload();
    await client.invalidateDocument(doc.id_externo);
    const invalidated = await client.getDocument(doc.id_externo);
    expect(invalidated.id_documento_status).toBe(DOCUMENT_STATUS.INVALIDADO);
    expect(documentHint(invalidated)).toBe('cancelled');
    const attempt = await simulateSign(base, {
      id_externo_documento: doc.id_externo,
      id_externo_parte: doc.lista_partes[0]!.id_externo,
    });
    expect(attempt.status).toBe(409);
    await client.invalidateDocument(doc.id_externo);
    expect((await state()).counts).toMatchObject({ invalidations: 1, signatures: 0 });

    const other = await upload([applicant()]);
    await simulateSign(base, { id_externo_documento: other.id_externo });
    businessError(await rejection(client.invalidateDocument(other.id_externo)), '422', false);
    businessError(await rejection(client.getDocument('no-such-document')), '404', false);
  });
});

describe('parties', () => {
  it('creates, reads and reports the status of a party', async () => {
    const party = await client.createParty(applicant());
    expect(party.nome).toBe('Maria Souza');
    expect(party.id_status).toBe(PARTY_STATUS.NAO_VALIDADO);
    expect(await client.getParty(party.id_externo)).toEqual(party);
    const status = await client.getPartyStatus(party.id_externo);
    expect(status).toMatchObject({ id_externo: party.id_externo, id_status: 1, descricao: 'Não validado' });
    businessError(await rejection(client.getParty('nobody')), '404', false);
    businessError(await rejection(client.createParty({ cpf: '52998224725' } as never)), '400', false);
  });

  it("updates only 'Não validado' or 'Dados inválidos' parties, ddd and telefone only together", async () => {
    const party = await client.createParty(applicant({ cpf: '123' }));
    expect(party.id_status).toBe(PARTY_STATUS.DADOS_INVALIDOS);

    const onlyDdd = await client.updateParty(party.id_externo, { ddd: 21 });
    expect(onlyDdd.ddd).toBe(11);
    const fixed = await client.updateParty(party.id_externo, {
      cpf: '52998224725',
      ddd: 21,
      telefone: '999998888',
    });
    expect(fixed).toMatchObject({ cpf: '52998224725', ddd: 21, telefone: '999998888', id_status: 1 });

    const doc = await upload([{ id_externo: party.id_externo }]);
    await simulateSign(base, { id_externo_documento: doc.id_externo });
    businessError(await rejection(client.updateParty(party.id_externo, { rg: '1234567' })), '422', false);
  });

  it('a party with invalid data cannot sign until its data is fixed', async () => {
    const doc = await upload([applicant({ email: 'not-an-email' })]);
    const [party] = doc.lista_partes;
    expect(party?.id_status).toBe(PARTY_STATUS.DADOS_INVALIDOS);
    const attempt = await simulateSign(base, {
      id_externo_documento: doc.id_externo,
      id_externo_parte: party!.id_externo,
    });
    expect(attempt.status).toBe(409);
  });

  it('notifies a party with a new access (reminder) only while it has something to sign', async () => {
    const doc = await upload([applicant()]);
    const partyId = doc.lista_partes[0]!.id_externo;
    await client.notifyPartyNewAccess(partyId);
    await client.notifyPartyNewAccess(partyId);
    const s = await state();
    expect(s.parties.find((p) => p.id_externo === partyId)?.reminders).toBe(2);
    expect(s.counts['reminders']).toBe(2);

    await simulateSign(base, { id_externo_documento: doc.id_externo });
    businessError(await rejection(client.notifyPartyNewAccess(partyId)), 'sucesso=0', false);
    businessError(await rejection(client.notifyPartyNewAccess('nobody')), 'sucesso=0', false);
  });

  it("returns the signer's URL: to sign while pending, to validate afterwards", async () => {
    const doc = await upload([applicant()]);
    const partyId = doc.lista_partes[0]!.id_externo;
    const signing = await client.getSignerUrl(doc.id_externo, partyId);
    expect(signing).toMatchObject({ assinatura: 1, validacao: 0, id_externo_parte: partyId });
    expect(signing.token).toMatch(/^[0-9a-f-]{36}$/);
    expect(signing.dt_expiracao_token).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    expect(signing.url).toContain(signing.token!);

    await simulateSign(base, { id_externo_documento: doc.id_externo });
    const validation = await client.getSignerUrl(doc.id_externo, partyId);
    expect(validation).toMatchObject({ assinatura: 0, validacao: 1 });
    expect(validation.token ?? undefined).toBeUndefined();
    businessError(await rejection(client.getSignerUrl(doc.id_externo, 'nobody')), '404', false);
  });
});

describe('pending signatures', () => {
  it('pages by offset and walks every page', async () => {
    const a = await upload([applicant(), guarantor()]);
    const b = await upload([applicant({ nome: 'Joana Dias' })]);
    const first = await client.listPendingSignatures();
    expect(first).toMatchObject({ offset_ini: 0, offset_fim: 2, total: 3, total_retornado: 2 });
    expect(first.assinaturas_pendentes[0]?.documento?.id_externo).toBe(a.id_externo);
    expect(first.assinaturas_pendentes[0]?.parte?.nome).toBe('Maria Souza');

    const all = [];
    for await (const p of client.allPendingSignatures()) all.push(p);
    expect(all.map((p) => p.id_externo_documento)).toEqual([a.id_externo, a.id_externo, b.id_externo]);

    await simulateSign(base, { id_externo_documento: a.id_externo });
    const after = await client.listPendingSignatures();
    expect(after.total).toBe(1);
    expect(after.assinaturas_pendentes.map((p) => p.id_externo_documento)).toEqual([b.id_externo]);
    expect((await client.listPendingSignatures(5)).total_retornado).toBe(0);
  });
});

describe('templates, attachments and cost centres', () => {
  it('lists the seeded templates and reads one with its fields', async () => {
    const list = await client.listTemplates();
    expect(list.map((t) => t.id_externo)).toEqual([1, 2]);
    const template = await client.getTemplate(1);
    expect(template.nome).toBe(list[0]?.nome);
    expect(template.campos.filter((c) => c.obrigatorio === 1).map((c) => c.nome)).toEqual([
      'CONTRATANTE',
      'VALOR',
    ]);
    businessError(await rejection(client.getTemplate(99)), '404', false);
  });

  it('sends a template with its fields; required fields are enforced', async () => {
    const missing = await rejection(
      client.uploadTemplate({
        id_externo: 1,
        lista_partes: [applicant()],
        lista_campos: [{ nome: 'VALOR', valor: 10 }],
      }),
    );
    businessError(missing, '400', false);
    expect((missing as ProviderError).message).toContain('CONTRATANTE');

    const doc = await client.uploadTemplate({
      id_externo: 1,
      lista_partes: [applicant()],
      lista_campos: [
        { nome: 'CONTRATANTE', valor: 'ACME' },
        { nome: 'VALOR', valor: '1000,00' },
      ],
      identificacao_arquivo: 'contrato_1',
      id_centro_custo: 2,
    });
    expect(doc.id_documento_status).toBe(DOCUMENT_STATUS.PENDENTE);
    const file = await client.downloadDocument(doc.id_externo);
    expect(file.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const s = await state();
    expect(s.documents[0]).toMatchObject({
      id_modelo: 1,
      id_centro_custo: 2,
      campos: { CONTRATANTE: 'ACME' },
    });
    expect(s.counts['templateDocuments']).toBe(1);
  });

  it('attachments arrive when a signer signs; they are downloaded, approved or invalidated', async () => {
    const doc = await client.uploadTemplate({
      id_externo: 2,
      lista_partes: [applicant()],
      lista_campos: [{ nome: 'NUMERO_CCB', valor: '0001' }],
    });
    const partyId = doc.lista_partes[0]!.id_externo;
    const before = await client.listAttachments(doc.id_externo);
    expect(before.documento?.id_externo).toBe(doc.id_externo);
    expect(before.anexos.map((a) => [a.id_status_anexo, a.id_download ?? null])).toEqual([
      [ATTACHMENT_STATUS.AGUARDANDO_ENVIO, null],
      [ATTACHMENT_STATUS.AGUARDANDO_ENVIO, null],
    ]);

    await simulateSign(base, { id_externo_documento: doc.id_externo });
    const sent = await client.listAttachments(doc.id_externo, partyId);
    const [identity, residence] = sent.anexos;
    if (!identity?.id_download || !residence?.id_download) throw new Error('attachments expected');
    expect(identity.id_status_anexo).toBe(ATTACHMENT_STATUS.PENDENTE);

    const file = await client.downloadAttachment(doc.id_externo, identity.id_download);
    expect(file.contentType).toBe('image/png');
    expect((await collect(file.body)).subarray(1, 4).toString('latin1')).toBe('PNG');

    const ids = { id_externo: doc.id_externo, id_externo_parte: partyId };
    await client.approveAttachment({ ...ids, id_download: identity.id_download });
    await client.approveAttachment({ ...ids, id_download: identity.id_download });
    expect(
      await client.invalidateAttachment({ ...ids, id_download: residence.id_download, resend: true }),
    ).toEqual({
      resent: true,
    });
    businessError(
      await rejection(client.approveAttachment({ ...ids, id_download: residence.id_download })),
      '422',
      false,
    );
    businessError(await rejection(client.downloadAttachment(doc.id_externo, 999)), '404', false);

    const after = await client.listAttachments(doc.id_externo);
    expect(after.anexos.map((a) => a.descricao_status_anexo)).toEqual(['Aprovado', 'Inválido']);
    expect((await state()).counts).toMatchObject({
      attachmentsSent: 2,
      attachmentsApproved: 1,
      attachmentsInvalidated: 1,
      attachmentResends: 1,
    });
  });

  it('lists cost centres and refuses an unknown one on upload', async () => {
    const centres = await client.listCostCentres();
    expect(centres).toEqual([
      { id_centro_custo: 1, descricao: 'Credito pessoal' },
      { id_centro_custo: 2, descricao: 'Credito consignado' },
    ]);
    const err = await rejection(
      client.uploadDocument({
        id_identifier: await client.getUploadIdentifier(),
        lista_partes: [applicant()],
        arquivo: CCB_PDF.toString('base64'),
        id_centro_custo: 42,
      }),
    );
    businessError(err, '404', false);
  });
});

describe('authentication', () => {
  it('a wrong token is refused with 401, not retryable, on JSON and binary routes', async () => {
    const doc = await upload([applicant()]);
    const intruder = new AssineBemClient({ baseUrl: base, token: 'wrong' });
    try {
      for (const call of [intruder.getUploadIdentifier(), intruder.downloadDocumentFile(doc.id_externo)]) {
        const err = await rejection(call);
        expect(err).toBeInstanceOf(ProviderError);
        expect(err).toMatchObject({ kind: 'http', status: 401, providerCode: '401', retryable: false });
        expect((err as Error).message).not.toContain('wrong');
      }
    } finally {
      await intruder.close();
    }
  });
});
