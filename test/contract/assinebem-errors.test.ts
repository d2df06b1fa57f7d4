/**
 * Assine Bem error classification over real loopback HTTP: HTTP statuses, `status_api` inside 200
 * answers, broken contracts, lost answers (commit-then-drop), timeouts, and auto-signing timers.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AssineBemClient,
  DOCUMENT_STATUS,
  apiStatusError,
  type Documento,
} from '../../src/providers/assinebem';
import { createAssineBemSimulator } from '../../simulators/assinebem/simulator';
import { ContractError, ProviderError } from '../../src/providers/errors';
import type { SimulatorServer } from '../../simulators/kit';
import { addFaults, answerNext, resetSimulator, simulatorState } from '../helpers/simulators';
import {
  CCB_PDF,
  TOKEN,
  applicant,
  eventually,
  guarantor,
  rejection,
  type AssineBemState,
} from './assinebem-support';

let sim: SimulatorServer;
let base: string;
let client: AssineBemClient;

beforeAll(async () => {
  sim = createAssineBemSimulator({ port: 0, token: TOKEN });
  base = `${await sim.listen()}/api`;
  client = new AssineBemClient({ baseUrl: base, token: TOKEN });
});

afterAll(async () => {
  await client.close();
  await sim.close();
});

beforeEach(async () => {
  await resetSimulator(base);
});

const state = () => simulatorState<AssineBemState>(base);

async function upload(identifier?: string): Promise<Documento> {
  return client.uploadDocument({
    id_identifier: identifier ?? (await client.getUploadIdentifier()),
    lista_partes: [applicant()],
    arquivo: CCB_PDF.toString('base64'),
  });
}

describe('HTTP statuses', () => {
  it('503 is retryable', async () => {
    const doc = await upload();
    await answerNext(base, 'GET /documento', 503);
    const err = await rejection(client.getDocument(doc.id_externo));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: 'http', status: 503, retryable: true });
    expect((await client.getDocument(doc.id_externo)).id_externo).toBe(doc.id_externo);
  });

  it('429 with Retry-After is retryable after the announced delay', async () => {
    await answerNext(base, 'GET /documento/get_identifier_to_upload', 429, { retryAfterSeconds: 2 });
    const err = await rejection(client.getUploadIdentifier());
    expect(err).toMatchObject({ kind: 'http', status: 429, retryable: true, retryAfterMs: 2000 });
  });

  it('404 and 422 are not retryable, on JSON and binary routes', async () => {
    await answerNext(base, 'GET /parte', 404);
    await answerNext(base, 'GET /documento/download_arquivo', 422);
    expect(await rejection(client.getParty('x'))).toMatchObject({
      kind: 'http',
      status: 404,
      retryable: false,
    });
    expect(await rejection(client.downloadDocumentFile('x'))).toMatchObject({
      kind: 'http',
      status: 422,
      retryable: false,
    });
  });
});

describe('status_api inside HTTP 200 answers', () => {
  const inBody = (route: string, body: unknown) => answerNext(base, route, 200, { body });

  it('5xx-like and 429-like codes are retryable; 4xx-like are not; 401 is an auth failure', async () => {
    await inBody('GET /documento/centro_custo', { status_api: 503, mensagem: 'Serviço indisponível' });
    expect(await rejection(client.listCostCentres())).toMatchObject({
      kind: 'business',
      providerCode: '503',
      retryable: true,
      providerMessage: 'Serviço indisponível',
    });
    await inBody('GET /documento/centro_custo', { status_api: '429', mensagem: 'Limite de requisições' });
    expect(await rejection(client.listCostCentres())).toMatchObject({ providerCode: '429', retryable: true });
    await inBody('GET /documento/centro_custo', { status_api: 401, mensagem: 'Token inválido' });
    expect(await rejection(client.listCostCentres())).toMatchObject({
      kind: 'business',
      providerCode: '401',
      retryable: false,
    });
    await inBody('GET /documento/centro_custo', { status_api: 400, mensagem: 'Parâmetros inválidos' });
    expect(await rejection(client.listCostCentres())).toMatchObject({
      providerCode: '400',
      retryable: false,
    });
  });

  it("the simulator's own 404 and 422 answers are business errors, not retryable", async () => {
    const missing = await rejection(client.getPartyStatus('nobody'));
    expect(missing).toMatchObject({ kind: 'business', providerCode: '404', retryable: false });
    expect((missing as Error).message).toBe(
      'assinebem getPartyStatus failed: business, code 404, Parte não encontrada',
    );
    const doc = await upload();
    await fetch(`${new URL(base).origin}/_simulator/sign`, {
      method: 'POST',
      body: JSON.stringify({ id_externo_documento: doc.id_externo }),
    });
    expect(await rejection(client.invalidateDocument(doc.id_externo))).toMatchObject({
      providerCode: '422',
      retryable: false,
    });
  });

  it('a JSON error in place of a binary file is classified too', async () => {
    expect(await rejection(client.downloadDocumentFile('nobody'))).toMatchObject({
      kind: 'business',
      providerCode: '404',
      retryable: false,
    });
    await inBody('GET /documento/download_arquivo', { status_api: 502, mensagem: 'Falha no armazenamento' });
    expect(await rejection(client.downloadDocumentFile('x'))).toMatchObject({
      providerCode: '502',
      retryable: true,
    });
  });

  it('personal data in the provider message never reaches the error', async () => {
    await inBody('GET /parte', {
      status_api: 404,
      mensagem: 'Parte com CPF 529.982.247-25 e e-mail maria.souza@example.com não encontrada',
    });
    const err = (await rejection(client.getParty('x'))) as ProviderError;
    expect(err.message).not.toMatch(/529|maria\.souza/);
    expect(JSON.stringify(err.toJSON())).not.toMatch(/529|maria\.souza/);
  });

  it('classifies every status_api once (unit)', () => {
    expect(apiStatusError('op', 200, 'ok')).toBeUndefined();
    expect(apiStatusError('op', 201, 'ok')).toBeUndefined();
    expect(apiStatusError('op', 403, 'x')?.retryable).toBe(false);
    expect(apiStatusError('op', 408, 'x')?.retryable).toBe(true);
    expect(apiStatusError('op', 500, 'x', 1500)).toMatchObject({ retryable: true, retryAfterMs: 1500 });
    expect(apiStatusError('op', 404, 'x', 1500)).toMatchObject({ retryable: false, retryAfterMs: undefined });
    expect(apiStatusError('op', 999, 'x')?.retryable).toBe(true);
    expect(apiStatusError('op', 0, null)).toMatchObject({ providerCode: '0', retryable: false });
  });
});

describe('contract errors', () => {
  it('an answer that breaks the schema is a ContractError naming the paths, never retryable', async () => {
    await answerNext(base, 'GET /documento', 200, {
      body: { status_api: 200, documento: { id_documento_status: 'Assinado', id_externo: '' } },
    });
    const err = await rejection(client.getDocument('x'));
    expect(err).toBeInstanceOf(ContractError);
    const paths = (err as ContractError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['documento.id_documento_status', 'documento.id_externo']));
    expect((err as ContractError).retryable).toBe(false);
  });

  it('an unreadable status_api, a missing field or a file answered as JSON break the contract', async () => {
    await answerNext(base, 'GET /documento/centro_custo', 200, { body: { status_api: 'ok' } });
    await answerNext(base, 'POST /documento/assinatura/pendentes', 200, {
      body: { offset_ini: 0, offset_fim: 0, total: 'muitos', total_retornado: 0 },
    });
    await answerNext(base, 'GET /documento/get_identifier_to_upload', 200, { body: {} });
    await answerNext(base, 'GET /documento/download_arquivo', 200, {
      body: { status_api: 200, mensagem: 'ok' },
    });
    expect(await rejection(client.listCostCentres())).toBeInstanceOf(ContractError);
    expect(await rejection(client.listPendingSignatures())).toBeInstanceOf(ContractError);
    expect(await rejection(client.getUploadIdentifier())).toBeInstanceOf(ContractError);
    const binary = await rejection(client.downloadDocumentFile('x'));
    expect(binary).toBeInstanceOf(ContractError);
    expect((binary as Error).message).toContain('expected a file');
  });
});

describe('lost answers and slow providers', () => {
  it('commit-then-drop on upload: the document exists; the retry with the same identifier returns it', async () => {
    const identifier = await client.getUploadIdentifier();
    await addFaults(base, [{ route: 'POST /documento', kind: 'commit-then-drop', times: 1 }]);
    const err = await rejection(upload(identifier));
    expect(err).toMatchObject({ kind: 'network', retryable: true });
    const s = await state();
    expect(s.counts['documents']).toBe(1);
    expect(s.documents[0]?.identificador_documento).toBe(identifier);

    const retried = await upload(identifier);
    expect(retried.id_externo).toBe(s.documents[0]?.id_externo);
    expect((await state()).counts['documents']).toBe(1);
  });

  it('commit-then-drop on invalidation: the document is invalidated; the retry succeeds', async () => {
    const doc = await upload();
    await addFaults(base, [{ route: 'POST /documento/invalidar', kind: 'commit-then-drop', times: 1 }]);
    expect(await rejection(client.invalidateDocument(doc.id_externo))).toMatchObject({ retryable: true });
    expect((await state()).documents[0]?.id_documento_status).toBe(DOCUMENT_STATUS.INVALIDADO);
    await client.invalidateDocument(doc.id_externo);
    expect((await state()).counts['invalidations']).toBe(1);
  });

  it('commit-then-drop on a reminder: it was sent although the client saw a network error', async () => {
    const doc = await upload();
    await addFaults(base, [{ route: 'POST /parte/novo_acesso', kind: 'commit-then-drop', times: 1 }]);
    expect(await rejection(client.notifyPartyNewAccess(doc.lista_partes[0]!.id_externo))).toMatchObject({
      kind: 'network',
      retryable: true,
    });
    expect((await state()).counts['reminders']).toBe(1);
  });

  it('a provider slower than the deadline is a retryable timeout; a closed port a retryable network error', async () => {
    const impatient = new AssineBemClient({
      baseUrl: base,
      token: TOKEN,
      timeouts: { connectMs: 200, headersMs: 150, bodyMs: 150, totalMs: 300 },
    });
    await addFaults(base, [
      { route: 'GET /documento/centro_custo', kind: 'latency', latencyMs: 500, times: 1 },
    ]);
    try {
      expect(await rejection(impatient.listCostCentres())).toMatchObject({
        kind: 'timeout',
        retryable: true,
      });
    } finally {
      await impatient.close();
    }
    const nowhere = new AssineBemClient({ baseUrl: 'http://127.0.0.1:1/api', token: TOKEN });
    try {
      expect(await rejection(nowhere.listCostCentres())).toMatchObject({ kind: 'network', retryable: true });
    } finally {
      await nowhere.close();
    }
  });
});

describe('auto-signing', () => {
  let auto: SimulatorServer;
  let autoBase: string;
  let autoClient: AssineBemClient;

  beforeAll(async () => {
    auto = createAssineBemSimulator({ port: 0, token: TOKEN, autoSignMs: 40 });
    autoBase = `${await auto.listen()}/api`;
    autoClient = new AssineBemClient({ baseUrl: autoBase, token: TOKEN });
  });

  afterAll(async () => {
    await autoClient.close();
    await auto.close();
  });

  beforeEach(async () => {
    await resetSimulator(autoBase);
  });

  const send = async (parties = [applicant(), guarantor({ ordem_assinatura: 1 })]) =>
    autoClient.uploadDocument({
      id_identifier: await autoClient.getUploadIdentifier(),
      lista_partes: parties,
      arquivo: CCB_PDF.toString('base64'),
    });

  it('parties sign by themselves after autoSignMs, in order', async () => {
    const doc = await send();
    expect(doc.id_documento_status).toBe(DOCUMENT_STATUS.PENDENTE);
    const signed = await eventually(
      () => autoClient.getDocument(doc.id_externo),
      (d) => d.id_documento_status === DOCUMENT_STATUS.ASSINADO,
    );
    expect(signed.id_documento_status).toBe(DOCUMENT_STATUS.ASSINADO);
    expect(signed.lista_partes.every((p) => p.identificador_assinatura)).toBe(true);
  });

  it('a "Recusa" party refuses by itself; invalidation stops the timer', async () => {
    const refused = await send([applicant({ nome: 'Recusa Total' })]);
    const invalidated = await send();
    await autoClient.invalidateDocument(invalidated.id_externo);
    const after = await eventually(
      () => autoClient.getDocument(refused.id_externo),
      (d) => d.id_documento_status === DOCUMENT_STATUS.RECUSADO,
    );
    expect(after.id_documento_status).toBe(DOCUMENT_STATUS.RECUSADO);
    await sleep(100);
    const still = await autoClient.getDocument(invalidated.id_externo);
    expect(still.id_documento_status).toBe(DOCUMENT_STATUS.INVALIDADO);
    expect(still.lista_partes.some((p) => p.identificador_assinatura)).toBe(false);
    const s = await simulatorState<AssineBemState>(autoBase);
    expect(s.counts).toMatchObject({ signatures: 0, refusals: 1 });
  });
});
