/**
 * Signio error classification over real HTTP, with faults injected by route name: HTTP statuses,
 * the in-body `codigo`/`code` (in HTTP 200 answers), contract breaks, transport failures and
 * commit-then-drop.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/providers/errors';
import { SignioClient, SignioRequestError, routeName } from '../../src/providers/signio';
import { addFaults, answerNext, clearFaults, simulatorState } from '../helpers/simulators';
import {
  EMAIL,
  PASSWORD,
  buildEnvelope,
  contractError,
  providerError,
  startSignio,
  type Harness,
} from './signio-support';

let h: Harness;
const UNKNOWN_TX = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  h = await startSignio();
});
afterAll(async () => {
  await h?.close();
});
afterEach(async () => {
  await clearFaults(h.baseUrl);
});

describe('HTTP statuses', () => {
  it('503 is retryable', async () => {
    await answerNext(h.baseUrl, routeName('listTags'), 503);
    const err = await providerError(h.client.listTags());
    expect(err).toMatchObject({ kind: 'http', status: 503, retryable: true, operation: 'listTags' });
    // The fault was used once: the next call goes through.
    expect((await h.client.listTags()).length).toBe(3);
  });

  it('429 with Retry-After is retryable after the announced delay', async () => {
    await answerNext(h.baseUrl, routeName('createTransaction'), 429, { retryAfterSeconds: 2 });
    const err = await providerError(h.client.createTransaction({ nombre: 'x' }));
    expect(err).toMatchObject({ status: 429, retryable: true, retryAfterMs: 2000 });
  });

  it.each([400, 403, 404, 422])('%i is not retryable', async (status) => {
    await answerNext(h.baseUrl, routeName('distribute'), status);
    const err = await providerError(h.client.distribute(UNKNOWN_TX));
    expect(err).toMatchObject({ kind: 'http', status, retryable: false });
  });

  it('401 refreshes the token once, then gives up without retrying', async () => {
    await h.client.listTags();
    const fetches = h.client.tokenFetches;
    await answerNext(h.baseUrl, routeName('listTags'), 401);
    await h.client.listTags();
    expect(h.client.tokenFetches).toBe(fetches + 1);

    await answerNext(h.baseUrl, routeName('listTags'), 401, { times: 2 });
    const err = await providerError(h.client.listTags());
    expect(err).toMatchObject({ status: 401, retryable: false });
    expect(h.client.tokenFetches).toBe(fetches + 2);
  });

  it('a 5xx carrying a codigo keeps both: retryable, with the provider code', async () => {
    await answerNext(h.baseUrl, routeName('listTags'), 500, {
      body: { codigo: '04', mensaje: 'Error interno' },
    });
    const err = await providerError(h.client.listTags());
    expect(err).toMatchObject({ kind: 'http', status: 500, providerCode: '04', retryable: true });
  });
});

describe('codigo in HTTP 200 answers', () => {
  const answer = (body: Record<string, unknown>) =>
    answerNext(h.baseUrl, routeName('listTransactions'), 200, { body });

  it('04 (internal error) is retryable', async () => {
    await answer({ codigo: '04', mensaje: 'Error interno' });
    const err = await providerError(h.client.listTransactions());
    expect(err).toMatchObject({ kind: 'business', providerCode: '04', retryable: true, status: undefined });
  });

  it.each([
    ['02', 'Usuario inactivo'],
    ['03', 'Cliente inactivo'],
    ['05', 'Contenido no procesable'],
    ['06', 'Recurso no encontrado'],
    ['99', 'Código desconocido'],
  ])('%s is not retryable', async (codigo, mensaje) => {
    await answer({ codigo, mensaje });
    const err = await providerError(h.client.listTransactions());
    expect(err).toMatchObject({
      kind: 'business',
      providerCode: codigo,
      providerMessage: mensaje,
      retryable: false,
    });
  });

  it('codes sent as numbers are read as their two digits', async () => {
    await answer({ codigo: 6, mensaje: 'Recurso no encontrado' });
    expect(await providerError(h.client.listTransactions())).toMatchObject({ providerCode: '06' });
  });

  it('01 twice: one refresh, then a final error', async () => {
    const fetches = h.client.tokenFetches;
    await answerNext(h.baseUrl, routeName('listTransactions'), 200, {
      body: { codigo: '01', mensaje: 'Token inválido' },
      times: 2,
    });
    const err = await providerError(h.client.listTransactions());
    expect(err).toMatchObject({ providerCode: '01', retryable: false });
    expect(h.client.tokenFetches).toBe(fetches + 1);
  });

  it('summarises errores and redacts personal data from the message', async () => {
    await answer({
      codigo: '05',
      mensaje: 'Firmante maria.silva@example.com con CPF 123.456.789-09 inválido',
      errores: {
        email: ['formato inválido'],
        celular: ['+55 11 91234-5678 no es válido'],
        orden: ['x'],
        a: ['1'],
        b: ['2'],
        c: ['3'],
      },
    });
    const err = await providerError(h.client.listTransactions());
    expect(err.providerMessage).toContain('email: formato inválido');
    expect(err.providerMessage).toContain('+1 more');
    const text = `${err.message} ${JSON.stringify(err)}`;
    expect(text).not.toContain('maria.silva');
    expect(text).not.toContain('123.456.789-09');
    expect(text).not.toContain('91234-5678');
  });

  it('the newer services carry code/message the same way', async () => {
    await answerNext(h.baseUrl, routeName('searchEnvelopes'), 200, {
      body: { code: '04', message: 'Error interno' },
    });
    await answerNext(h.baseUrl, routeName('listTemplates'), 200, {
      body: { code: '03', message: 'Cliente inactivo' },
    });
    expect(await providerError(h.client.searchEnvelopes())).toMatchObject({
      providerCode: '04',
      retryable: true,
    });
    expect(await providerError(h.client.listTemplates())).toMatchObject({
      providerCode: '03',
      retryable: false,
    });
  });

  it('6.21 answering codigo/mensaje instead of code/message is read the same', async () => {
    await answerNext(h.baseUrl, routeName('authenticate'), 200, {
      body: {
        codigo: '00',
        mensaje: 'ok',
        tokens: [{ token: 't', tenant: 'a', expires_at: '2030-01-01 00:00:00' }],
      },
    });
    const tokens = await h.client.authenticate();
    expect(tokens).toEqual([{ token: 't', tenant: 'a', expires_at: Date.parse('2030-01-01T00:00:00Z') }]);
  });

  it('business answers of the simulator itself: unknown transaction is 06', async () => {
    const err = await providerError(h.client.distribute(UNKNOWN_TX));
    expect(err).toMatchObject({ providerCode: '06', retryable: false, kind: 'business' });
  });
});

describe('contract breaks', () => {
  const broken = (operation: Parameters<typeof routeName>[0], body: unknown) =>
    answerNext(h.baseUrl, routeName(operation), 200, { body });

  it('an id of the wrong type', async () => {
    await broken('createTransaction', { codigo: '00', mensaje: 'ok', id_transaccion: 12345 });
    const err = await contractError(h.client.createTransaction({ nombre: 'x' }));
    expect(err.issues.map((i) => i.path)).toEqual(['id_transaccion']);
    expect(err.retryable).toBe(false);
  });

  it('a success answering the "0" id', async () => {
    await broken('registerSigner', { codigo: '00', mensaje: 'ok', id_firmante: '0' });
    const env = await buildEnvelope(h.client, []);
    const err = await contractError(
      h.client.registerSigner({
        id_transaccion: env.id,
        nombre: 'n',
        tipo_identificacion: 'CC',
        identificacion: '1',
        email: 'e@x.co',
      }),
    );
    expect(err.issues[0]?.path).toBe('id_firmante');
  });

  it('an answer without its result code', async () => {
    await broken('distribute', { ok: true });
    const err = await contractError(h.client.distribute(UNKNOWN_TX));
    expect(err.issues[0]?.path).toBe('codigo');
  });

  it('an unknown transaction state', async () => {
    const env = await buildEnvelope(h.client, ['Titular']);
    await broken('getTransaction', { codigo: '00', mensaje: 'ok', id_transaccion: env.id, estado: 9 });
    const err = await contractError(h.client.getTransaction(env.id));
    expect(err.issues[0]?.path).toBe('estado');
  });

  it('an unreadable expires_at', async () => {
    await broken('authenticate', { code: '00', tokens: [{ token: 't', tenant: 'a', expires_at: 'mañana' }] });
    const err = await contractError(h.client.authenticate());
    expect(err.issues[0]?.path).toBe('tokens.0.expires_at');
  });

  it('a JSON answer where a file was expected', async () => {
    const env = await buildEnvelope(h.client, ['Titular']);
    const tx = await h.client.getTransaction(env.id);
    await broken('file', { codigo: '00', mensaje: 'ok' });
    const err = await contractError(h.client.downloadDocument(tx.documentos[0]!.path!));
    expect(err.message).toContain('expected a file');
  });
});

describe('transport failures', () => {
  it('commit-then-drop: the transaction exists though the client saw a network error; the retry with the same key finds it', async () => {
    const key = 'wf-drop-1';
    const before = (await simulatorState<{ counts: Record<string, number> }>(h.baseUrl)).counts[
      'transactions'
    ]!;
    await addFaults(h.baseUrl, [
      { route: routeName('createTransaction'), kind: 'commit-then-drop', times: 1 },
    ]);
    const err = await providerError(
      h.client.createTransaction({ nombre: 'CCB', envelopeDeduplicationKey: key }),
    );
    expect(err).toMatchObject({ kind: 'network', retryable: true });

    const state = await simulatorState<{
      counts: Record<string, number>;
      deduplicationKeys: Record<string, string>;
    }>(h.baseUrl);
    const committed = state.deduplicationKeys[key];
    expect(committed).toBeDefined();
    expect(state.counts['transactions']! - before).toBe(1);

    expect(await h.client.createTransaction({ nombre: 'CCB', envelopeDeduplicationKey: key })).toBe(
      committed,
    );
    const after = await simulatorState<{ counts: Record<string, number> }>(h.baseUrl);
    expect(after.counts['transactions']! - before).toBe(1);
  });

  it('drop before anything is done: network error, nothing stored', async () => {
    const id = await h.client.createTransaction({ nombre: 'Drop' });
    await addFaults(h.baseUrl, [{ route: routeName('uploadDocument'), kind: 'drop', times: 1 }]);
    const err = await providerError(
      h.client.uploadDocument({ id_transaccion: id, fileName: 'a.pdf' }, Buffer.from('%PDF-1.4')),
    );
    expect(err).toMatchObject({ kind: 'network', retryable: true, operation: 'uploadDocument' });
    const state = await simulatorState<{ transactions: Array<{ id: string; documents: unknown[] }> }>(
      h.baseUrl,
    );
    expect(state.transactions.find((t) => t.id === id)?.documents).toEqual([]);
  });

  it('a slow answer times out, retryable', async () => {
    const client = new SignioClient({
      baseUrl: h.baseUrl,
      email: EMAIL,
      password: PASSWORD,
      timeouts: { connectMs: 1_000, headersMs: 150, bodyMs: 150, totalMs: 300 },
    });
    try {
      await addFaults(h.baseUrl, [
        { route: routeName('listTags'), kind: 'latency', latencyMs: 600, times: 1 },
      ]);
      const err = await providerError(client.listTags());
      expect(err).toMatchObject({ kind: 'timeout', retryable: true });
    } finally {
      await client.close();
    }
  });

  it('nothing listening: network error, retryable', async () => {
    const client = new SignioClient({ baseUrl: 'http://127.0.0.1:9', email: EMAIL, password: PASSWORD });
    try {
      const err = await providerError(client.listTags());
      expect(err).toMatchObject({ kind: 'network', retryable: true, operation: 'createToken' });
    } finally {
      await client.close();
    }
  });
});

describe('downloads', () => {
  it('an unknown document path is a 404, not retryable', async () => {
    const err = await providerError(h.client.downloadDocument(`${h.baseUrl}/archivos/no-such-document`));
    expect(err).toMatchObject({ status: 404, providerCode: '06', retryable: false });
  });

  it('a 503 on the file is retryable', async () => {
    await answerNext(h.baseUrl, routeName('file'), 503, { retryAfterSeconds: 1 });
    const err = await providerError(h.client.downloadDocument(`${h.baseUrl}/archivos/x`));
    expect(err).toMatchObject({ status: 503, retryable: true, retryAfterMs: 1000 });
  });

  it('refuses plain http when the API itself is https, before any request', async () => {
    const client = new SignioClient({
      baseUrl: 'https://signio.invalid/api',
      email: EMAIL,
      password: PASSWORD,
    });
    try {
      const err = await client.downloadDocument('http://storage.invalid/ccb.pdf').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SignioRequestError);
      expect((err as SignioRequestError).fields).toEqual(['url']);
      expect(err).not.toBeInstanceOf(ProviderError);
    } finally {
      await client.close();
    }
  });
});
