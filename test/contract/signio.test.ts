/**
 * Signio client against its simulator over real loopback HTTP: every documented call, the envelope
 * state machine (distribution, signing, refusal, return, deletion), deduplication, downloads and
 * authentication (6.1 and per tenant 6.21) with the token cache.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignioClient, SignioRequestError, signerProgress } from '../../src/providers/signio';
import { simulatorState } from '../helpers/simulators';
import {
  EMAIL,
  buildEnvelope,
  providerError,
  readAll,
  samplePdf,
  signOnDemand,
  startSignio,
  waitFor,
  type Harness,
} from './signio-support';

interface State {
  counts: Record<string, number>;
  transactions: Array<{
    id: string;
    estado: number;
    estadoNombre: string;
    deleted: boolean;
    envelopeDeduplicationKey?: string;
    documents: Array<{ id: string; size: number; sha256: string; contentType: string; nombre: string }>;
    signatures: unknown[];
    rejection?: { id_firmante: string };
  }>;
}

let manual: Harness;
let auto: Harness;
let simClockOffset = 0;

beforeAll(async () => {
  manual = await startSignio({ now: () => Date.now() + simClockOffset });
  auto = await startSignio({ autoSignMs: 20 });
});

afterAll(async () => {
  await manual?.close();
  await auto?.close();
});

const stateOf = async (h: Harness, id: string) =>
  (await simulatorState<State>(h.baseUrl)).transactions.find((t) => t.id === id);

describe('building and signing an envelope', () => {
  it('creates, uploads, registers, links, orders and distributes; signers sign by themselves; the signed PDF downloads', async () => {
    const { client, baseUrl } = auto;
    const before = await simulatorState<State>(baseUrl);
    const env = await buildEnvelope(client, ['Titular Uno', 'Avalista Dos'], { key: 'onb-flow-1' });
    await client.changeDistributionOrder({
      id_transaccion: env.id,
      id_firmante: env.signerIds[1]!,
      orden: 3,
    });

    const drafted = await client.getTransaction(env.id);
    expect(drafted.estado).toBe(1);
    expect(drafted.external_id).toBe('onboarding-test');
    expect(drafted.documentos.map((d) => d.id_documento)).toEqual([env.documentId]);
    expect(drafted.contactos.map((c) => [c.id_contacto, c.orden])).toEqual([
      [env.signerIds[0], 1],
      [env.signerIds[1], 3],
    ]);
    expect(drafted.firmas).toEqual([]);

    const stored = (await stateOf(auto, env.id))!;
    const pdf = samplePdf();
    expect(stored.documents[0]).toMatchObject({
      size: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      contentType: 'application/pdf',
      nombre: 'ccb.pdf',
    });

    await client.distribute(env.id);
    const signed = await waitFor(
      () => client.getTransaction(env.id),
      (t) => t.estado === 3,
    );
    expect(signed.firmas.map((f) => f.id_firmante).sort()).toEqual([...env.signerIds].sort());
    expect([...signerProgress(signed).values()]).toEqual(['signed', 'signed']);
    expect(await client.transactionState(env.id)).toBe(3);

    const download = await client.downloadDocument(signed.documentos[0]!.path!);
    const bytes = await readAll(download.body);
    expect(download.contentType).toBe('application/pdf');
    expect(download.fileName).toBe('ccb.pdf');
    expect(download.contentLength).toBe(bytes.length);
    expect(bytes.subarray(0, pdf.length).equals(pdf)).toBe(true);
    expect(bytes.subarray(pdf.length).toString('latin1')).toMatch(/firmado .* firmas=2/);

    const after = await simulatorState<State>(baseUrl);
    expect(after.counts['transactions']! - before.counts['transactions']!).toBe(1);
    expect(after.counts['documents']! - before.counts['documents']!).toBe(1);
    expect(after.counts['signers']! - before.counts['signers']!).toBe(2);
    expect(after.counts['signatures']! - before.counts['signatures']!).toBe(2);
  });

  it('signs in order: the lowest pending orden first', async () => {
    const { client, baseUrl } = manual;
    const env = await buildEnvelope(client, ['Primera', 'Segunda']);
    await client.changeDistributionOrder({
      id_transaccion: env.id,
      id_firmante: env.signerIds[0]!,
      orden: 5,
    });
    await client.distribute(env.id);
    // The on-demand sign without a signer signs in `orden`; one signer at a time here.
    const res = await signOnDemand(baseUrl, { id_transaccion: env.id, signer: env.signerIds[1] });
    expect(res.status).toBe(200);
    const partial = await client.getTransaction(env.id);
    expect(partial.estado).toBe(2);
    expect(partial.firmas.map((f) => f.id_firmante)).toEqual([env.signerIds[1]]);
    expect(signerProgress(partial).get(env.signerIds[0]!)).toBe('pending');
    expect((await signOnDemand(baseUrl, { id_transaccion: env.id })).status).toBe(200);
    expect((await client.getTransaction(env.id)).estado).toBe(3);
    // Nothing left to sign: the simulator says so.
    expect((await signOnDemand(baseUrl, { id_transaccion: env.id })).status).toBe(409);
  });

  it('a signer named "Recusa" rejects: the envelope ends Rechazada', async () => {
    const { client } = auto;
    const env = await buildEnvelope(client, ['Titular', 'Ana Recusa']);
    await client.distribute(env.id);
    await waitFor(
      () => client.transactionState(env.id),
      (s) => s === 4,
    );
    const tx = await client.getTransaction(env.id);
    expect(tx.firmas.map((f) => f.id_firmante)).toEqual([env.signerIds[0]]);
    expect((await stateOf(auto, env.id))?.rejection?.id_firmante).toBe(env.signerIds[1]);
    expect((await client.listTransactions({ estado: 4 })).map((t) => t.id_transaccion)).toContain(env.id);
  });

  it('distributing needs documents and linked signers (codigo 05, not retryable)', async () => {
    const { client } = manual;
    const id = await client.createTransaction({ nombre: 'Vacía' });
    const err = await providerError(client.distribute(id));
    expect(err).toMatchObject({
      kind: 'business',
      providerCode: '05',
      retryable: false,
      operation: 'distribute',
    });
    expect(err.providerMessage).toMatch(/documentos/);
    expect(err.providerMessage).toMatch(/firmantes/);
  });
});

describe('stopping an envelope', () => {
  it('returning stops signing and goes back to En Elaboración; deleting removes it', async () => {
    const h = await startSignio({ autoSignMs: 60 });
    try {
      const { client } = h;
      const env = await buildEnvelope(client, ['Titular']);
      await client.distribute(env.id);
      await client.returnTransaction(env.id);
      await sleep(150);
      const returned = await client.getTransaction(env.id);
      expect(returned.estado).toBe(1);
      expect(returned.firmas).toEqual([]);

      await client.deleteTransaction(env.id);
      const gone = await providerError(client.getTransaction(env.id));
      expect(gone).toMatchObject({ providerCode: '06', retryable: false, kind: 'business' });
      expect((await client.listTransactions()).map((t) => t.id_transaccion)).not.toContain(env.id);
      expect(await stateOf(h, env.id)).toMatchObject({ deleted: true, estadoNombre: 'Eliminada' });
    } finally {
      await h.close();
    }
  });

  it('only En Elaboración can be deleted, only Pendiente de Firma returned', async () => {
    const { client } = manual;
    const env = await buildEnvelope(client, ['Titular']);
    expect(await providerError(client.returnTransaction(env.id))).toMatchObject({ providerCode: '05' });
    await client.distribute(env.id);
    expect(await providerError(client.deleteTransaction(env.id))).toMatchObject({ providerCode: '05' });
    // Nor can a distributed envelope take more documents.
    const upload = await providerError(
      client.uploadDocument({ id_transaccion: env.id, fileName: 'otro.pdf' }, samplePdf()),
    );
    expect(upload.providerCode).toBe('05');
  });
});

describe('deduplication', () => {
  it('creating again with the same envelopeDeduplicationKey answers the same transaction', async () => {
    const { client, baseUrl } = manual;
    const before = (await simulatorState<State>(baseUrl)).counts['transactions']!;
    const first = await client.createTransaction({ nombre: 'CCB 1', envelopeDeduplicationKey: 'wf-dedup-1' });
    const again = await client.createTransaction({
      nombre: 'CCB 1 (retry)',
      envelopeDeduplicationKey: 'wf-dedup-1',
    });
    const other = await client.createTransaction({ nombre: 'CCB 2', envelopeDeduplicationKey: 'wf-dedup-2' });
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect((await simulatorState<State>(baseUrl)).counts['transactions']! - before).toBe(2);
  });

  it('refuses a key above 36 characters before sending, naming the field', async () => {
    const { client, sim } = manual;
    const hits = sim.hits.get('POST /transacciones/crear') ?? 0;
    const err = await client
      .createTransaction({ nombre: 'CCB', envelopeDeduplicationKey: 'k'.repeat(37) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SignioRequestError);
    expect((err as SignioRequestError).fields).toEqual(['envelopeDeduplicationKey']);
    expect((err as SignioRequestError).retryable).toBe(false);
    expect((err as Error).message).not.toContain('kkkk');
    expect(sim.hits.get('POST /transacciones/crear') ?? 0).toBe(hits);
  });
});

describe('documents and signers', () => {
  it('refuses file types Signio does not take, client-side and server-side', async () => {
    const { client, baseUrl } = manual;
    const id = await client.createTransaction({ nombre: 'Tipos' });
    const local = await client
      .uploadDocument({ id_transaccion: id, fileName: 'malware.exe' }, Buffer.from('MZ'))
      .catch((e: unknown) => e);
    expect(local).toBeInstanceOf(SignioRequestError);
    expect((local as SignioRequestError).fields).toEqual(['fileName']);

    // Server-side: an empty file is unprocessable content, with the "0" id.
    const err = await providerError(
      client.uploadDocument({ id_transaccion: id, fileName: 'vacio.pdf' }, Buffer.alloc(0)),
    );
    expect(err).toMatchObject({ providerCode: '05', retryable: false });
    expect(err.providerMessage).toMatch(/documento/);
    // Nothing stored.
    expect((await stateOf(manual, id))?.documents).toEqual([]);
    void baseUrl;
  });

  it('uploads from a Blob, with metatags, and links as attachment or with stamps', async () => {
    const { client } = manual;
    const id = await client.createTransaction({ nombre: 'Blob' });
    const documentId = await client.uploadDocument(
      { id_transaccion: id, fileName: 'anexo.png', metatags: { signer1: { SigIDType: 'CC', SigID: '1' } } },
      new Blob([Buffer.from('\x89PNG fake')]),
    );
    const signer = await client.registerSigner({
      id_transaccion: id,
      nombre: 'Firmante',
      tipo_identificacion: 'CC',
      identificacion: '123',
      email: 'f@example.com',
      operation_rol: 'signer1',
    });
    await client.linkSigner({
      id_transaccion: id,
      id_firmante: signer,
      id_documento: documentId,
      attachment: 1,
    });
    await client.linkSigner({
      id_transaccion: id,
      id_firmante: signer,
      id_documento: documentId,
      stamps: [
        { pagina: 1, alto: 10, ancho: 10, x: 1, y: 1 },
        { pagina: 2, alto: 10, ancho: 10, x: 1, y: 1 },
      ],
    });
    const stored = (
      await simulatorState<{
        transactions: Array<{ id: string; links: unknown[]; documents: Array<{ contentType: string }> }>;
      }>(manual.baseUrl)
    ).transactions.find((t) => t.id === id)!;
    // Linking the same pair again replaced the link.
    expect(stored.links).toHaveLength(1);
    expect(stored.links[0]).toMatchObject({ attachment: false, stamps: [{ pagina: 1 }, { pagina: 2 }] });
    expect(stored.documents[0]?.contentType).toBe('image/png');
  });

  it('registering the same identification twice answers 05; unknown ids answer 06', async () => {
    const { client } = manual;
    const env = await buildEnvelope(client, ['Titular']);
    const dup = await providerError(
      client.registerSigner({
        id_transaccion: env.id,
        nombre: 'Otra vez',
        tipo_identificacion: 'OT',
        identificacion: '10000000000',
        email: 'x@example.com',
      }),
    );
    expect(dup).toMatchObject({ providerCode: '05', retryable: false });
    const unknown = await providerError(
      client.linkSigner({
        id_transaccion: env.id,
        id_firmante: 'no-such-signer',
        id_documento: env.documentId,
      }),
    );
    expect(unknown.providerCode).toBe('06');
    const missingTx = await providerError(client.getTransaction('00000000-0000-4000-8000-000000000000'));
    expect(missingTx.providerCode).toBe('06');
  });

  it('a protected document cannot be downloaded once signed (HTTP 403, not retryable)', async () => {
    const { client, baseUrl } = manual;
    const env = await buildEnvelope(client, ['Titular']);
    await client.protectDocument(env.documentId, true);
    await client.distribute(env.id);
    await signOnDemand(baseUrl, { id_transaccion: env.id });
    const tx = await client.getTransaction(env.id);
    const err = await providerError(client.downloadDocument(tx.documentos[0]!.path!));
    expect(err).toMatchObject({ status: 403, retryable: false, operation: 'downloadDocument' });
    await client.protectDocument(env.documentId, false);
    const ok = await client.downloadDocument(tx.documentos[0]!.path!);
    expect((await readAll(ok.body)).length).toBeGreaterThan(samplePdf().length);
  });

  it('before signing, the path serves the original file', async () => {
    const { client } = manual;
    const env = await buildEnvelope(client, ['Titular']);
    const tx = await client.getTransaction(env.id);
    const bytes = await readAll((await client.downloadDocument(tx.documentos[0]!.path!)).body);
    expect(bytes.equals(samplePdf())).toBe(true);
  });
});

describe('lists, templates, search, links, TVE, on-premise URL', () => {
  it('lists transactions by state, tags and base transactions; creates from a base with tags', async () => {
    const { client } = manual;
    const tags = await client.listTags();
    expect(tags.map((t) => t.nombre)).toEqual(['Crédito', 'CCB', 'Onboarding']);
    const bases = await client.listBaseTransactions();
    expect(bases).toHaveLength(1);
    const id = await client.createTransaction({
      nombre: 'Desde base',
      id_transaccion_base: bases[0]!.id_transaccion,
      tags: ['CCB'],
    });
    const drafts = await client.listTransactions({ estado: 1 });
    expect(drafts.find((t) => t.id_transaccion === id)).toMatchObject({ nombre: 'Desde base', estado: 1 });
    expect((await client.listTransactions({ estado: 3 })).some((t) => t.id_transaccion === id)).toBe(false);
    const badTag = await providerError(client.createTransaction({ nombre: 'x', tags: ['NoExiste'] }));
    expect(badTag.providerCode).toBe('05');
  });

  it('lists templates, uses one, reads and updates its fields', async () => {
    const { client } = manual;
    const templates = await client.listTemplates();
    expect(templates.map((t) => [t.id, t.status, t.protected])).toEqual([
      [1, 1, false],
      [2, 1, true],
      [3, 2, false],
    ]);
    const env = await buildEnvelope(client, ['Titular']);
    const document = await client.useTemplate(env.id, { template_id: 1, fields: { name: 'Titular' } });
    expect(document.id).toBeTruthy();
    const fields = await client.templateFields(env.id);
    expect(fields.map((f) => [f.name, f['value']])).toEqual([
      ['name', 'Titular'],
      ['identification', null],
      ['amount', null],
    ]);
    const updated = await client.updateTemplateValues(env.id, document.id, { amount: 1000 });
    expect(updated['fields']).toEqual({ name: 'Titular', amount: 1000 });
    const inactive = await providerError(client.useTemplate(env.id, { template_id: 3 }));
    expect(inactive).toMatchObject({ providerCode: '05', retryable: false });
  });

  it('searches envelopes by name, status, sort and offset', async () => {
    const { client } = manual;
    const a = await client.createTransaction({ nombre: 'Busqueda Alfa' });
    const b = await client.createTransaction({ nombre: 'Busqueda Beta' });
    const found = await client.searchEnvelopes({ name: 'busqueda', status: 'En Proceso', sort: '-name' });
    expect(found.map((e) => e.id)).toEqual([b, a]);
    expect(found[0]).toMatchObject({ name: 'Busqueda Beta', status: 'En Proceso', documents_count: 0 });
    expect(
      (await client.searchEnvelopes({ name: 'busqueda', sort: '+name', offset: 1 })).map((e) => e.id),
    ).toEqual([b]);
    expect(await client.searchEnvelopes({ name: 'busqueda', status: 'Firmada' })).toEqual([]);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect(await client.searchEnvelopes({ name: 'busqueda', from: future })).toEqual([]);
  });

  it('gets a magic link', async () => {
    const { client } = manual;
    const id = await client.createTransaction({ nombre: 'Link' });
    expect(await client.getLink(id)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/magic\/editar\//);
  });

  it('loads and edits a TVE, from a template or an external PDF', async () => {
    const { client } = manual;
    const id = await client.createTransaction({ nombre: 'TVE' });
    const fromTemplate = await client.loadTve(id, {
      type: 'SIMPLE',
      template_id: 2,
      expiration: '2026-12-31',
      amount: 150000,
      payment_way: 'Transferencia',
      payment_place: 'São Paulo',
    });
    const external = await client.loadTve(
      id,
      { type: 'BLANK', template_id: 0, consecutive: 'P-0001' },
      samplePdf(),
    );
    expect(fromTemplate).not.toBe(external);
    expect(await client.editTve(id, external, { type: 'BLANK', reference: 'REF-1' })).toBe(external);

    const incomplete = await client.loadTve(id, { type: 'SIMPLE', template_id: 2 }).catch((e: unknown) => e);
    expect(incomplete).toBeInstanceOf(SignioRequestError);
    expect((incomplete as SignioRequestError).fields.sort()).toEqual([
      'amount',
      'expiration',
      'payment_place',
      'payment_way',
    ]);
    const noFile = await client
      .loadTve(id, { type: 'BLANK', template_id: 0, consecutive: 'P-2' })
      .catch((e: unknown) => e);
    expect((noFile as SignioRequestError).fields).toEqual(['document']);

    const stored = (
      await simulatorState<{
        counts: Record<string, number>;
        transactions: Array<{
          id: string;
          documents: Array<{ origin: string; tve?: Record<string, unknown> }>;
        }>;
      }>(manual.baseUrl)
    ).transactions.find((t) => t.id === id)!;
    expect(stored.documents.map((d) => d.origin)).toEqual(['tve', 'tve']);
    expect(stored.documents[1]?.tve).toMatchObject({ consecutive: 'P-0001', reference: 'REF-1' });
  });

  it('generates the signed on-premise URL only for a distributed envelope that allows it', async () => {
    const { client } = manual;
    const env = await buildEnvelope(client, ['Titular'], { onPremise: true });
    const request = {
      document_type: 'OT',
      document: '10000000000',
      transaction_id: env.id,
      direct_signature: 1 as const,
    };
    const early = await providerError(client.getSignedUrl(request));
    expect(early).toMatchObject({ providerCode: '05', retryable: false });
    await client.distribute(env.id);
    expect(await client.getSignedUrl({ ...request, op_token: 'SCREEN' })).toMatch(/\/onpremise\/firmar\//);
    const stranger = await providerError(client.getSignedUrl({ ...request, document: '999' }));
    expect(stranger.providerCode).toBe('06');

    const closed = await buildEnvelope(client, ['Titular']);
    await client.distribute(closed.id);
    const notAllowed = await providerError(client.getSignedUrl({ ...request, transaction_id: closed.id }));
    expect(notAllowed.providerCode).toBe('05');
  });
});

describe('authentication', () => {
  it('fetches one 6.1 token for many calls', async () => {
    const h = await startSignio();
    try {
      await h.client.listTags();
      await h.client.listTemplates();
      await h.client.listTransactions();
      expect(h.client.tokenFetches).toBe(1);
      expect(h.sim.hits.get('POST /token/crear')).toBe(1);
    } finally {
      await h.close();
    }
  });

  it('refreshes once when Signio answers codigo 01 (revoked or expired token)', async () => {
    const { client, sim, baseUrl } = manual;
    await client.listTags();
    const fetches = client.tokenFetches;
    const revoked = await fetch(`${baseUrl}/_simulator/revoke-tokens`, { method: 'POST' });
    expect(((await revoked.json()) as { revoked: number }).revoked).toBeGreaterThan(0);
    const hits = sim.hits.get('GET /tags/listar') ?? 0;
    await client.listTags();
    expect(client.tokenFetches).toBe(fetches + 1);
    expect(sim.hits.get('GET /tags/listar')).toBe(hits + 2);

    // The simulator's clock passes the token's expiry: 01 again, one more refresh.
    simClockOffset += 3 * 60 * 60_000;
    await client.listTags();
    expect(client.tokenFetches).toBe(fetches + 2);
  });

  it('wrong credentials answer 01 on token creation, not retryable and without the password', async () => {
    const client = new SignioClient({ baseUrl: manual.baseUrl, email: EMAIL, password: 'wrong-secret-42' });
    try {
      const err = await providerError(client.listTags());
      expect(err).toMatchObject({ operation: 'createToken', providerCode: '01', retryable: false });
      expect(JSON.stringify(err)).not.toContain('wrong-secret-42');
      expect(err.message).not.toContain(EMAIL);
    } finally {
      await client.close();
    }
  });

  it('a request with no token at all is HTTP 401 with codigo 01', async () => {
    const res = await fetch(`${manual.baseUrl}/tags/listar`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ codigo: '01' });
  });

  it('per-tenant authentication (6.21): the configured tenant token, cached until shortly before expires_at', async () => {
    let now = Date.now();
    const h = await startSignio(
      { tenants: ['financiera-a', 'financiera-b'] },
      { tenant: 'financiera-b', tokenTtlMinutes: 10, tokenRefreshSkewMs: 30_000, now: () => now },
    );
    try {
      const tokens = await h.client.authenticate(5);
      expect(tokens.map((t) => t.tenant)).toEqual(['financiera-a', 'financiera-b']);
      expect(tokens[0]!.expires_at).toBeGreaterThan(Date.now() + 4 * 60_000);
      expect(tokens[0]!.expires_at).toBeLessThanOrEqual(Date.now() + 5 * 60_000 + 1_000);

      await h.client.listTags();
      await h.client.listTags();
      expect(h.client.tokenFetches).toBe(1);
      now += 10 * 60_000 - 31_000;
      await h.client.listTags();
      expect(h.client.tokenFetches).toBe(1);
      now += 2_000;
      await h.client.listTags();
      expect(h.client.tokenFetches).toBe(2);
      // 6.21 is called with a 6.1 token in its Authorization header, as the document lists.
      expect(h.sim.hits.get('POST /auth')).toBe(3);
      expect(h.sim.hits.get('POST /token/crear')).toBe(3);
      const state = await simulatorState<{ tokens: Array<{ tenant: string }> }>(h.baseUrl);
      expect(JSON.stringify(state)).not.toContain(tokens[0]!.token);
    } finally {
      await h.close();
    }
  });

  it('6.21 without the documented Authorization header is refused', async () => {
    const h = await startSignio({ tenants: ['financiera-a'] }, {});
    try {
      const res = await fetch(`${h.baseUrl}/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'simulator@signio.local', password: 'simulator' }),
      });
      expect(await res.json()).toMatchObject({ code: '01' });
    } finally {
      await h.close();
    }
  });

  it('a tenant the user cannot reach is a final error', async () => {
    const h = await startSignio({ tenants: ['financiera-a'] }, { tenant: 'otra' });
    try {
      const err = await providerError(h.client.listTags());
      expect(err).toMatchObject({ operation: 'authenticate', retryable: false, kind: 'business' });
    } finally {
      await h.close();
    }
  });

  it('fromEnv builds a working client from the environment defaults', async () => {
    const { loadConfig } = await import('../../src/config');
    const client = SignioClient.fromEnv(loadConfig({ SIGNIO_BASE_URL: manual.baseUrl }));
    try {
      expect((await client.listTemplates()).length).toBe(3);
    } finally {
      await client.close();
    }
  });
});
