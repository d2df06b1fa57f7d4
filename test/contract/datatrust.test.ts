/**
 * The Data Trust client against its simulator over real loopback HTTP. Both share a fake clock, so
 * token lifetimes and SMS token expiry are proven by moving the clock, not by sleeping.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigits } from '../../src/domain/cpf';
import { ContractError, ProviderError } from '../../src/providers/errors';
import {
  DataTrustClient,
  DataTrustRequestError,
  verifyWebhookAuthorization,
  webhookNotificationSchema,
  type DataTrustClientOptions,
  type SendTransactionRequest,
} from '../../src/providers/datatrust';
import {
  createDataTrustSimulator,
  simulatedScore,
  type DataTrustSimulator,
  type SentSms,
} from '../../simulators/datatrust/simulator';
import { addFaults, clearFaults, resetSimulator, simulatorState } from '../helpers/simulators';

const APPROVED_CPF = '52998224725';
const REVIEW_CPF = withCheckDigits('123456789');
const REJECTED_CPF = withCheckDigits('012345678');
const TRANSACTION_ROUTE = 'POST /products/v1/datatrust';
const GET_ROUTE = 'GET /products/v1/datatrust/:id';

let clock = Date.parse('2025-03-10T12:00:00.000Z');
const now = () => clock;
let sim: DataTrustSimulator;
let baseUrl: string;
let client: DataTrustClient;
const clients: DataTrustClient[] = [];

const newClient = (overrides: Partial<DataTrustClientOptions> = {}) => {
  const c = new DataTrustClient({ baseUrl, username: 'simulator', password: 'simulator', now, ...overrides });
  clients.push(c);
  return c;
};

let sequence = 0;
/** A fresh applicant: a unique phone so searches by phone see only this test's transactions. */
const transaction = (
  cpf: string,
  overrides: Partial<SendTransactionRequest> = {},
): SendTransactionRequest => {
  sequence += 1;
  return {
    Document: cpf,
    DocumentType: 'CPF',
    AreaCode: '11',
    Phone: `9${String(sequence).padStart(8, '0')}`,
    SendOption: [1],
    Email: `applicant${sequence}@example.com`,
    Address: {
      ZipCode: '05422-010',
      Street: 'Rua das Flores',
      Number: '123',
      City: 'São Paulo',
      State: 'SP',
    },
    AdditionalInformation: { Transaction: `onb-${sequence}`, CustomerName: 'Maria Aparecida Souza' },
    Type: 1,
    ...overrides,
  };
};

interface State {
  transactions: Array<{ ID: string; AdditionalInformation: { Transaction?: string } | null }>;
  sms: SentSms[];
  counts: { tokensIssued: number; transactions: number; smsSent: number; validations: number };
}
const state = () => simulatorState<State>(baseUrl);

const smsFor = async (transactionId: string): Promise<SentSms[]> => {
  const res = await fetch(`${baseUrl}/_simulator/sms?transactionId=${encodeURIComponent(transactionId)}`);
  return (await res.json()) as SentSms[];
};

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  sim = createDataTrustSimulator({ port: 0, now, tokenTtlSeconds: 600, smsTokenTtlMs: 60_000 });
  baseUrl = await sim.listen();
  client = newClient();
});

afterEach(async () => {
  await clearFaults(baseUrl);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim.close();
});

describe('authentication', () => {
  it('by default fetches a new token only once the current one has expired, as the document asks', async () => {
    const c = newClient();
    const t = await c.sendTransaction(transaction(APPROVED_CPF));
    expect(c.tokenFetches).toBe(1);
    clock += 600_000 - 1; // the last millisecond of the announced lifetime
    await c.getTransaction(t.ID);
    expect(c.tokenFetches).toBe(1);
    clock += 1;
    await c.getTransaction(t.ID);
    expect(c.tokenFetches).toBe(2);
  });

  it('with a refresh margin, caches the token until shortly before expiresInSeconds', async () => {
    const c = newClient({ tokenRefreshSkewMs: 30_000 });
    const issuedBefore = (await state()).counts.tokensIssued;
    const t = await c.sendTransaction(transaction(APPROVED_CPF));
    await c.getTransaction(t.ID);
    await c.getResult(t.ID);
    expect(c.tokenFetches).toBe(1);

    clock += 600_000 - 30_000 - 1; // still inside the margin
    await c.getTransaction(t.ID);
    expect(c.tokenFetches).toBe(1);

    clock += 2; // within 30 s of the announced expiry
    await c.getTransaction(t.ID);
    expect(c.tokenFetches).toBe(2);
    expect((await state()).counts.tokensIssued - issuedBefore).toBe(2);
  });

  it('refreshes exactly once when the simulator no longer accepts the token (revoked)', async () => {
    const c = newClient();
    const t = await c.sendTransaction(transaction(APPROVED_CPF));
    const res = await fetch(`${baseUrl}/_simulator/tokens/revoke`, { method: 'POST' });
    expect(res.status).toBe(200);
    const hitsBefore = sim.hits.get(GET_ROUTE) ?? 0;

    expect((await c.getTransaction(t.ID))?.ID).toBe(t.ID);
    expect(c.tokenFetches).toBe(2);
    expect((sim.hits.get(GET_ROUTE) ?? 0) - hitsBefore).toBe(2); // the 401, then the success
  });

  it('refreshes once when the provider expired the token before the client expected', async () => {
    const lagging = newClient({ now: () => clock - 3_600_000 });
    const t = await lagging.sendTransaction(transaction(APPROVED_CPF));
    clock += 600_000; // expired at the simulator; the lagging client still trusts its token
    expect((await lagging.getTransaction(t.ID))?.ID).toBe(t.ID);
    expect(lagging.tokenFetches).toBe(2);
  });

  it('gives up with a non-retryable 401 after one refresh', async () => {
    const c = newClient();
    const t = await c.sendTransaction(transaction(APPROVED_CPF));
    await addFaults(baseUrl, [{ route: GET_ROUTE, kind: 'status', status: 401, times: 5 }]);
    const hitsBefore = sim.hits.get(GET_ROUTE) ?? 0;

    const err = await caught(c.getTransaction(t.ID));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 401, retryable: false, operation: 'getTransaction' });
    expect(c.tokenFetches).toBe(2);
    expect((sim.hits.get(GET_ROUTE) ?? 0) - hitsBefore).toBe(2);
  });

  it('answers wrong credentials with the documented 400, without echoing them', async () => {
    const c = newClient({ password: 'wrong-secret' });
    const err = await caught(c.getTransaction('whatever'));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({
      status: 400,
      retryable: false,
      operation: 'authenticate',
      providerMessage: 'Username or Password is incorrect',
    });
    expect(String((err as Error).message)).not.toContain('wrong-secret');
  });
});

describe('transactions', () => {
  it('scores by CPF: approved, manual review and rejected bands, deterministically', async () => {
    const approved = await client.sendTransaction(transaction(APPROVED_CPF));
    const review = await client.sendTransaction(transaction(REVIEW_CPF));
    const rejected = await client.sendTransaction(transaction(REJECTED_CPF));
    const again = await client.sendTransaction(transaction(APPROVED_CPF));

    const score = (t: typeof approved) => t.Results?.Score?.Value ?? NaN;
    expect(score(approved)).toBeGreaterThanOrEqual(70);
    expect(score(review)).toBeGreaterThanOrEqual(30);
    expect(score(review)).toBeLessThan(70);
    expect(score(rejected)).toBeLessThan(30);
    expect(score(again)).toBe(score(approved));
    expect(score(approved)).toBe(simulatedScore(APPROVED_CPF));
    expect(again.ID).not.toBe(approved.ID);

    const codes = (t: typeof approved) => t.Results?.Insights?.map((i) => i.Code);
    expect(codes(approved)).toEqual(expect.arrayContaining(['GER2151', 'GER2117', 'TEL001']));
    expect(rejected.Results?.Insights?.find((i) => i.Relevance === 'Alerta')).toBeDefined();
    expect(approved.Results?.Ratings?.map((r) => r.RelatedTo?.join('+'))).toEqual([
      'Document+Phone',
      'Document+Email',
      'Document+ZipCode',
    ]);
    expect(approved.Results?.Ratings?.every((r) => r.Value === 3)).toBe(true);
    expect(rejected.Results?.Ratings?.every((r) => r.Value === 0)).toBe(true);
  });

  it('sends a 6-digit SMS token with SendOption [1] and reads the transaction back', async () => {
    const request = transaction(APPROVED_CPF);
    const created = await client.sendTransaction(request);
    expect(created.Results?.Validation?.TokenSMS?.Result).toBe('Waiting');
    expect(created.SendOption).toEqual([1]);

    const [sms, ...more] = await smsFor(created.ID);
    expect(more).toHaveLength(0);
    expect(sms).toMatchObject({ phone: `11${request.Phone}`, transactionId: created.ID });
    expect(sms?.token).toMatch(/^\d{6}$/);
    expect(await sim.smsTokenFor(created.ID)).toBe(sms?.token);

    const read = await client.getTransaction(created.ID);
    expect(read?.ID).toBe(created.ID);
    expect(read?.Document).toBe(APPROVED_CPF);
    expect(read?.AdditionalInformation?.Transaction).toBe(request.AdditionalInformation?.Transaction);
    const result = await client.getResult(created.ID);
    expect(result?.Score?.Value).toBe(created.Results?.Score?.Value);
    expect(result?.Validation?.TokenSMS?.Result).toBe('Waiting');
  });

  it('sends no SMS without SendOption 1', async () => {
    const before = (await state()).counts.smsSent;
    const created = await client.sendTransaction(transaction(APPROVED_CPF, { SendOption: [] }));
    expect(created.Results?.Validation?.TokenSMS ?? null).toBeNull();
    expect((await state()).counts.smsSent).toBe(before);
  });

  it('answers an unknown transaction with 204 No Content, read as undefined', async () => {
    expect(await client.getTransaction('no-such-transaction')).toBeUndefined();
    expect(await client.getResult('no-such-transaction')).toBeUndefined();
  });

  it('refuses to send a request that breaks the contract, naming the fields', async () => {
    const hitsBefore = sim.hits.get(TRANSACTION_ROUTE) ?? 0;
    const { AreaCode: _omitted, ...withoutAreaCode } = transaction(APPROVED_CPF);
    const err = await caught(client.sendTransaction({ ...withoutAreaCode, Document: '529.982.247-25' }));
    expect(err).toBeInstanceOf(DataTrustRequestError);
    expect(err).toBeInstanceOf(ContractError);
    expect((err as DataTrustRequestError).fields.sort()).toEqual(['AreaCode', 'Document']);
    expect((err as Error).message).not.toContain('529');
    expect(sim.hits.get(TRANSACTION_ROUTE) ?? 0).toBe(hitsBefore);
  });

  it('reads the documented 400 model state when the provider rejects the document', async () => {
    const err = await caught(client.sendTransaction(transaction('52998224724'))); // wrong check digits
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({
      status: 400,
      retryable: false,
      providerMessage: 'Document: The field Document is invalid.',
    });
    expect((err as Error).message).not.toContain('52998224724');
  });
});

describe('SMS token validation', () => {
  it('Valid updates the transaction with a new score and insight, and stays Valid', async () => {
    const created = await client.sendTransaction(transaction(APPROVED_CPF));
    const token = await sim.smsTokenFor(created.ID);
    const before = created.Results?.Score?.Value ?? 0;

    expect((await client.validateSmsToken(created.ID, token)).result).toBe('Valid');
    const read = await client.getTransaction(created.ID);
    expect(read?.Results?.Validation?.TokenSMS?.Result).toBe('Valid');
    expect(read?.Results?.Score?.Reason).toBe('Confirmação do TokenSMS');
    expect(read?.Results?.Score?.Value).toBeCloseTo(Math.min(100, before + 10), 2);
    expect(read?.Results?.Score?.Timeline?.[0]?.Value).toBe(before);
    expect(read?.Results?.Insights?.map((i) => i.Code)).toContain('SIM0010');

    expect((await client.validateSmsToken(created.ID, 'not-it')).result).toBe('Valid');
  });

  it('Incorrect twice, Invalid on the third wrong try, and final afterwards', async () => {
    const created = await client.sendTransaction(transaction(APPROVED_CPF));
    const token = await sim.smsTokenFor(created.ID);
    const wrong = token === '000000' ? '111111' : '000000';
    expect((await client.validateSmsToken(created.ID, wrong)).result).toBe('Incorrect');
    expect((await client.getResult(created.ID))?.Validation?.TokenSMS?.Result).toBe('Incorrect');
    expect((await client.validateSmsToken(created.ID, wrong)).result).toBe('Incorrect');
    expect((await client.validateSmsToken(created.ID, wrong)).result).toBe('Invalid');
    expect((await client.validateSmsToken(created.ID, token)).result).toBe('Invalid');
    expect((await client.getResult(created.ID))?.Validation?.TokenSMS?.Result).toBe('Invalid');
  });

  it('Expired after smsTokenTtlMs, even with the right token', async () => {
    const created = await client.sendTransaction(transaction(APPROVED_CPF));
    const token = await sim.smsTokenFor(created.ID);
    clock += 60_000;
    const answer = await client.validateSmsToken(created.ID, token);
    expect(answer.result).toBe('Expired');
    expect(answer.date).toBe(new Date(clock).toISOString());
    expect((await client.getTransaction(created.ID))?.Results?.Validation?.TokenSMS?.Result).toBe('Expired');
  });

  it('answers an unknown transaction with 404 and one without SMS token with 400', async () => {
    const unknown = await caught(client.validateSmsToken('no-such-transaction', '123456'));
    expect(unknown).toMatchObject({ status: 404, retryable: false, operation: 'validateSmsToken' });
    const silent = await client.sendTransaction(transaction(APPROVED_CPF, { SendOption: [] }));
    const noToken = await caught(client.validateSmsToken(silent.ID, '123456'));
    expect(noToken).toMatchObject({ status: 400, retryable: false });
  });
});

describe('searches', () => {
  const cpf = withCheckDigits('777666555');
  const created: string[] = [];
  const phones: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      const request = transaction(cpf, { Address: { ZipCode: '01310-100' } });
      phones.push(`${request.AreaCode}${request.Phone}`);
      created.push((await client.sendTransaction(request)).ID);
    }
  });

  it('pages a search by document with limit and page', async () => {
    const first = await client.searchByParameter({ parameter: 'document', value: cpf, page: 1, limit: 2 });
    expect(first).toMatchObject({ location: 1, totalPages: 2, totalTransactions: 3 });
    expect(first.Transactions.map((t) => t.ID)).toEqual(created.slice(0, 2));
    const second = await client.searchByParameter({ parameter: 'document', value: cpf, page: 2, limit: 2 });
    expect(second.Transactions.map((t) => t.ID)).toEqual(created.slice(2));
    const beyond = await client.searchByParameter({ parameter: 'document', value: cpf, page: 3, limit: 2 });
    expect(beyond).toEqual({ location: 3, totalPages: 0, totalTransactions: 0, Transactions: [] });
  });

  it('searches by phone, e-mail and zip code', async () => {
    const byPhone = await client.searchByParameter({ parameter: 'phone', value: phones[1] ?? '', page: 1 });
    expect(byPhone.Transactions.map((t) => t.ID)).toEqual([created[1]]);
    const email = (await client.getTransaction(created[2] ?? ''))?.Email ?? '';
    const byEmail = await client.searchByParameter({ parameter: 'email', value: email, page: 1 });
    expect(byEmail.Transactions.map((t) => t.ID)).toEqual([created[2]]);
    const byZip = await client.searchByParameter({
      parameter: 'zipcode',
      value: '01310100',
      page: 1,
      limit: 50,
    });
    expect(byZip.Transactions.map((t) => t.ID)).toEqual(expect.arrayContaining(created));
  });

  it('returns only the asked fields', async () => {
    const page = await client.searchByParameter({
      parameter: 'document',
      value: cpf,
      page: 1,
      fields: { transaction: ['id', 'document'], result: ['score'] },
    });
    const [first] = page.Transactions;
    expect(first?.ID).toBe(created[0]);
    expect(first?.Document).toBe(cpf);
    expect(first?.Phone).toBeUndefined();
    expect(first?.Results?.Score?.Value).toBe(simulatedScore(cpf));
    expect(first?.Results?.Insights).toBeUndefined();
  });

  it('searches by user, by period and by a list of ids', async () => {
    const byUser = await client.searchByUser({ userId: 1, page: 1, limit: 50 });
    expect(byUser.totalTransactions).toBeGreaterThanOrEqual(3);
    expect(await client.searchByUser({ userId: 2, page: 1 })).toMatchObject({ totalTransactions: 0 });

    const today = new Date(clock).toISOString().slice(0, 10);
    const byPeriod = await client.searchByPeriod({ startDate: today, endDate: today, page: 1, limit: 50 });
    expect(byPeriod.totalTransactions).toBeGreaterThanOrEqual(3);
    const past = await client.searchByPeriod({ startDate: '2020-01-01', endDate: '2020-12-31', page: 1 });
    expect(past.Transactions).toEqual([]);

    const byIds = await client.searchByIds({ idsList: [created[2] ?? '', 'no-such-id', created[0] ?? ''] });
    expect(byIds.map((t) => t.ID)).toEqual([created[2], created[0]]);
    expect(await client.searchByIds({ idsList: ['no-such-id'] })).toEqual([]);
  });

  it('refuses a limit above 50 and more than 50 ids before sending, naming the field', async () => {
    const hits = [...sim.hits.values()].reduce((a, b) => a + b, 0);
    const limit = await caught(
      client.searchByParameter({ parameter: 'document', value: cpf, page: 1, limit: 51 }),
    );
    expect(limit).toBeInstanceOf(DataTrustRequestError);
    expect((limit as DataTrustRequestError).fields).toEqual(['limit']);
    expect((limit as Error).message).toContain('limit');
    const ids = await caught(
      client.searchByIds({ idsList: Array.from({ length: 51 }, (_, i) => `id-${i}`) }),
    );
    expect((ids as DataTrustRequestError).fields).toEqual(['idsList']);
    const period = await caught(
      client.searchByPeriod({ startDate: '2025-02-01', endDate: '2025-01-01', page: 1 }),
    );
    expect((period as DataTrustRequestError).fields).toEqual(['endDate']);
    expect([...sim.hits.values()].reduce((a, b) => a + b, 0)).toBe(hits);
  });

  it('reads the documented 400 of a search', async () => {
    await addFaults(baseUrl, [
      {
        route: 'GET /products/v1/datatrust/search',
        kind: 'status',
        status: 400,
        body: { value: ['The value field is required.'] },
      },
    ]);
    const err = await caught(client.searchByParameter({ parameter: 'document', value: cpf, page: 1 }));
    expect(err).toMatchObject({
      status: 400,
      retryable: false,
      providerMessage: 'value: The value field is required.',
    });
  });
});

describe('configuration', () => {
  it('stores the SMS text per SMS type and enforces 160 characters before sending', async () => {
    expect(await client.getSmsConfiguration(3)).toBeUndefined();
    const text = 'Olá {primeiro-nome}, você confirma o seu cadastro? {respostas}';
    await client.setSmsConfiguration({ Text: text, SmsTypeId: 2 });
    expect(await client.getSmsConfiguration(2)).toEqual({ Text: text, Active: true, SmsTypeId: 2 });
    await client.setSmsConfiguration({ Text: 'Obrigado!', Active: false, SmsTypeId: 3 });
    expect(await client.getSmsConfiguration(3)).toEqual({ Text: 'Obrigado!', Active: false, SmsTypeId: 3 });

    const err = await caught(client.setSmsConfiguration({ Text: 'x'.repeat(161), SmsTypeId: 2 }));
    expect(err).toBeInstanceOf(DataTrustRequestError);
    expect((err as DataTrustRequestError).fields).toEqual(['Text']);
    expect((await client.getSmsConfiguration(2))?.Text).toBe(text);
  });

  it('fills the configured 2nd-factor text for SendOption 3', async () => {
    await client.setSmsConfiguration({ Text: 'Oi {primeiro-nome}, é você? {respostas}', SmsTypeId: 2 });
    const created = await client.sendTransaction(transaction(APPROVED_CPF, { SendOption: [3] }));
    const sent = created.Results?.Validation?.SMSVerification?.Sent?.Text;
    expect(sent).toBe('Oi Maria, é você? Responda grátis: 1 para sim 2 para não 3 para não sou Maria');
    expect(created.Results?.Validation?.SMSVerification?.ConditionalRule).toBe(false);
    expect(created.Results?.Validation?.TokenSMS ?? null).toBeNull();
  });

  it("reads the provider's bare-string 400 for an SMS text", async () => {
    const message = 'O texto configurado para o SMS ultrapassa o limite de 160 caracteres';
    await addFaults(baseUrl, [
      { route: 'POST /products/v1/datatrust/configuration/sms', kind: 'status', status: 400, body: message },
    ]);
    const err = await caught(client.setSmsConfiguration({ Text: 'Olá {respostas}', SmsTypeId: 2 }));
    expect(err).toMatchObject({ status: 400, retryable: false, providerMessage: message });
  });

  it('stores conditional SMS sending and skips the SMS for a confirmed HotPhone', async () => {
    expect(await client.getConditionalSmsSending()).toBeUndefined();
    await client.setConditionalSmsSending(true);
    expect(await client.getConditionalSmsSending()).toEqual({
      conditionalSmsSending: true,
      creationDate: new Date(clock).toISOString(),
    });

    const request = transaction(APPROVED_CPF);
    const first = await client.sendTransaction(request);
    await client.validateSmsToken(first.ID, await sim.smsTokenFor(first.ID));
    const sent = (await state()).counts.smsSent;
    const second = await client.sendTransaction({
      ...request,
      AdditionalInformation: { Transaction: 'again' },
    });
    expect(second.Results?.Validation?.TokenSMS ?? null).toBeNull();
    expect(second.Results?.Validation?.SMSVerification?.ConditionalRule).toBe(true);
    expect((await state()).counts.smsSent).toBe(sent);

    await client.setConditionalSmsSending(false);
    expect((await client.getConditionalSmsSending())?.conditionalSmsSending).toBe(false);
    const third = await client.sendTransaction({
      ...request,
      AdditionalInformation: { Transaction: 'third' },
    });
    expect(third.Results?.Validation?.TokenSMS?.Result).toBe('Waiting');
  });
});

describe('failures', () => {
  it('classifies 503 and 429 as retryable, honouring Retry-After', async () => {
    // One rule at a time: every rule matching a request counts it as used.
    await addFaults(baseUrl, [{ route: TRANSACTION_ROUTE, kind: 'status', status: 503, times: 1 }]);
    const unavailable = await caught(client.sendTransaction(transaction(APPROVED_CPF)));
    expect(unavailable).toBeInstanceOf(ProviderError);
    expect(unavailable).toMatchObject({ status: 503, retryable: true, operation: 'sendTransaction' });
    await addFaults(baseUrl, [
      { route: TRANSACTION_ROUTE, kind: 'status', status: 429, retryAfterSeconds: 7, times: 1 },
    ]);
    const throttled = await caught(client.sendTransaction(transaction(APPROVED_CPF)));
    expect(throttled).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7_000 });
  });

  it('classifies 422 and 404 as final', async () => {
    const created = await client.sendTransaction(transaction(APPROVED_CPF));
    await addFaults(baseUrl, [
      { route: 'POST /products/v1/datatrust/:id/validate', kind: 'status', status: 422, times: 1 },
      { route: GET_ROUTE, kind: 'status', status: 404, times: 1 },
    ]);
    expect(await caught(client.validateSmsToken(created.ID, '123456'))).toMatchObject({
      status: 422,
      retryable: false,
    });
    expect(await caught(client.getTransaction(created.ID))).toMatchObject({ status: 404, retryable: false });
  });

  it('reports answers that break the contract as ContractError, never retryable', async () => {
    const created = await client.sendTransaction(transaction(APPROVED_CPF));
    await addFaults(baseUrl, [
      { route: TRANSACTION_ROUTE, kind: 'status', status: 200, body: { ID: 123, Results: null }, times: 1 },
      {
        route: GET_ROUTE,
        kind: 'status',
        status: 200,
        body: { ID: created.ID, Results: { Validation: { TokenSMS: { result: 'Maybe' } } } },
        times: 1,
      },
      {
        route: 'POST /products/v1/datatrust/:id/validate',
        kind: 'status',
        status: 200,
        body: { result: 'Waiting' },
        times: 1,
      },
    ]);
    const broken = await caught(client.sendTransaction(transaction(APPROVED_CPF)));
    expect(broken).toBeInstanceOf(ContractError);
    expect(broken).toMatchObject({ retryable: false, operation: 'sendTransaction', status: 200 });
    expect((broken as ContractError).issues.map((i) => i.path)).toEqual(['ID']);

    const state = await caught(client.getTransaction(created.ID));
    expect((state as ContractError).issues.map((i) => i.path)).toEqual([
      'Results.Validation.TokenSMS.Result',
    ]);
    const validation = await caught(client.validateSmsToken(created.ID, '123456'));
    expect((validation as ContractError).issues.map((i) => i.path)).toEqual(['result']);
  });

  it('commit-then-drop: the client sees a retryable network error, the transaction exists', async () => {
    await addFaults(baseUrl, [{ route: TRANSACTION_ROUTE, kind: 'commit-then-drop', times: 1 }]);
    const request = transaction(REVIEW_CPF);
    const reference = request.AdditionalInformation?.Transaction ?? '';
    const before = (await state()).counts.transactions;

    const err = await caught(client.sendTransaction(request));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: 'network', retryable: true });

    const after = await state();
    expect(after.counts.transactions).toBe(before + 1);
    const stored = after.transactions.find((t) => t.AdditionalInformation?.Transaction === reference);
    expect(stored).toBeDefined();
    expect(after.sms.some((s) => s.transactionId === stored?.ID)).toBe(true);
    // The lookup a retried create does first finds what the dropped answer created.
    expect((await client.findTransactionByReference(REVIEW_CPF, reference))?.ID).toBe(stored?.ID);
    expect(await client.findTransactionByReference(REVIEW_CPF, 'never-sent')).toBeUndefined();
  });

  it('times out a slow answer as a retryable timeout', async () => {
    const impatient = newClient({
      timeouts: { connectMs: 1_000, headersMs: 150, bodyMs: 150, totalMs: 300 },
    });
    await impatient.getTransaction('warm-up'); // authenticate first
    await addFaults(baseUrl, [{ route: GET_ROUTE, kind: 'latency', latencyMs: 600, times: 1 }]);
    const err = await caught(impatient.getTransaction('slow'));
    expect(err).toMatchObject({ kind: 'timeout', retryable: true, operation: 'getTransaction' });
  });

  it('keeps personal data out of provider messages', async () => {
    await addFaults(baseUrl, [
      {
        route: TRANSACTION_ROUTE,
        kind: 'status',
        status: 400,
        body: {
          Document: ["The value '52998224725' is not valid."],
          Email: ['maria.souza@example.com is taken'],
        },
      },
    ]);
    const err = await caught(client.sendTransaction(transaction(APPROVED_CPF)));
    const message = (err as Error).message;
    expect(message).toContain('Document');
    expect(message).not.toContain('52998224725');
    expect(message).not.toContain('maria.souza');
  });
});

describe('webhook', () => {
  let receiver: Server;
  const received: Array<{ headers: IncomingHttpHeaders; body: unknown }> = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(body) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await fetch(`${baseUrl}/_simulator/webhook`, { method: 'DELETE' });
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('posts the documented notification with the Bearer token when a transaction changes', async () => {
    const { port } = receiver.address() as AddressInfo;
    const res = await fetch(`${baseUrl}/_simulator/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://127.0.0.1:${port}/hooks/datatrust`, token: 'hook-secret' }),
    });
    expect(res.status).toBe(200);

    const created = await client.sendTransaction(transaction(APPROVED_CPF));
    await client.validateSmsToken(created.ID, await sim.smsTokenFor(created.ID));
    await expect.poll(() => received.length, { timeout: 2_000 }).toBeGreaterThan(0);

    const [first] = received;
    expect(verifyWebhookAuthorization(first?.headers.authorization, 'hook-secret')).toBe(true);
    expect(verifyWebhookAuthorization(first?.headers.authorization, 'other-secret')).toBe(false);
    const notification = webhookNotificationSchema.parse(first?.body);
    expect(notification).toMatchObject({ Code: created.ID, TypeId: 1, Description: 'Token SMS: Valid' });
  });
});

describe('reset', () => {
  it('forgets transactions, SMS, configuration and API tokens', async () => {
    const created = await client.sendTransaction(transaction(APPROVED_CPF));
    const fetches = client.tokenFetches;
    await resetSimulator(baseUrl);
    const after = await state();
    expect(after.transactions).toEqual([]);
    expect(after.sms).toEqual([]);
    expect(after.counts).toMatchObject({ tokensIssued: 0, transactions: 0, smsSent: 0 });
    expect(await client.getTransaction(created.ID)).toBeUndefined(); // after one token refresh
    expect(client.tokenFetches).toBe(fetches + 1);
    expect(await client.getSmsConfiguration(2)).toBeUndefined();
  });
});
