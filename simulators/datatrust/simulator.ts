/**
 * A local Data Trust that behaves as its document describes (docs/providers/datatrust.md): authentication with expiring tokens,
 * transactions with a score, ratings and insights, SMS tokens with their documented states, the
 * four searches with paging and `fields`, and the SMS and conditional-sending configurations.
 *
 * The score (0-100) is derived from the CPF so tests can pick an outcome:
 *   - first digit 0 → 5.00-29.99 (high risk: rejected by the default policy),
 *   - first digit 1 → 30.00-69.99 (manual review),
 *   - any other first digit → 70.00-99.99 (approved), e.g. the example CPF 529.982.247-25.
 * Within its band the value comes from a hash of the digits, so one CPF always scores the same.
 * A valid rejecting CPF for a test: `withCheckDigits('0' + eight digits)` (src/domain/cpf.ts).
 *
 * Extras besides the kit's `/_simulator/state|faults|routes|reset`:
 *   GET    /_simulator/sms[?transactionId=]   [{ phone, token, transactionId, sentAt }]: SMS tokens "sent"
 *   POST   /_simulator/tokens/revoke          every API token issued so far answers 401 from now on
 *   POST   /_simulator/webhook {url, token}   notify `url` on every transaction change (as documented)
 *   DELETE /_simulator/webhook                stop notifying
 * With SIMULATOR_WEBHOOK_BASE_URL set, it notifies `<base>/datatrust` with DATATRUST_WEBHOOK_TOKEN
 * from the start. State `counts`: `webhookDeliveries` attempted, `webhookFailures` with no 2xx answer.
 */
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { SimulatorConfig } from '../shared-env';
import { isValidCpf } from '../../src/domain/cpf';
import {
  SimulatorHttpError,
  SimulatorServer,
  reply,
  type SimRequest,
  type SimResponse,
  type SimulatorOptions,
} from '../kit';
import { postWebhook, webhookUrlFor } from '../webhooks';
import { resultFields, transactionFields, type TokenState } from '../../src/providers/datatrust/schemas';

export interface DataTrustSimulatorOptions extends SimulatorOptions {
  /** Credentials the authentication call accepts (default `simulator` / `simulator`). */
  username?: string;
  password?: string;
  /** `expiresInSeconds` of issued tokens (default 3600). */
  tokenTtlSeconds?: number;
  /** How long an SMS token can be validated (default 5 minutes). */
  smsTokenTtlMs?: number;
  /** The numeric id of the simulated API user (`search/user?userId=`); default 1. */
  userId?: number;
  /** Where to post the documented webhook notification when a transaction changes. */
  webhook?: { url: string; token: string };
  /** The simulator's clock (tests move it instead of sleeping). */
  now?: () => number;
}

export interface SentSms {
  phone: string;
  token: string;
  transactionId: string;
  sentAt: string;
}

interface TimelineEntry {
  Value: number;
  Reason: string;
  Date: string;
}

interface StoredToken {
  state: TokenState;
  /** Last change of state (the document's `Date`). */
  date: string;
  sentAt: number;
  wrongTries: number;
  token?: string;
}

interface StoredTransaction {
  id: string;
  userId: number;
  createdAt: number;
  request: {
    Document: string;
    DocumentType: string;
    AreaCode: string | null;
    Phone: string | null;
    SendOption: number[];
    VerifiedPhone: boolean;
    VerifiedEmail: boolean;
    Address: Record<string, unknown> | null;
    Email: string | null;
    SessionID: string | null;
    AdditionalInformation: Record<string, unknown> | null;
    Type: number;
    ReferenceDate: string | null;
  };
  score: { Value: number; Reason: string; Date: string; Timeline: TimelineEntry[] };
  ratings: Array<{
    Value: number;
    RelatedTo: string[];
    Reason: string;
    Date: string;
    Timeline: TimelineEntry[];
  }>;
  insights: Array<{
    Code: string;
    Description: string;
    Type: string;
    Category: string;
    Relevance: string;
    RelatedTo: string[];
  }>;
  smsToken: StoredToken | undefined;
  emailToken: StoredToken | undefined;
  smsVerification: { Sent: { Text: string; Date: string } | null; ConditionalRule: boolean } | undefined;
}

interface WebhookDelivery {
  transactionId: string;
  typeId: number;
  description: string;
  status?: number;
  error?: string;
  at: string;
}

const emptyCounts = () => ({
  tokensIssued: 0,
  transactions: 0,
  smsSent: 0,
  validations: 0,
  /** Notifications attempted, and those that got no 2xx answer (network error, timeout, other status). */
  webhookDeliveries: 0,
  webhookFailures: 0,
});

/** The document allows three tries per token (see `validate` for how they are counted). */
const TOKEN_TRIES = 3;
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 50;
const MAX_SMS_TEXT = 160;
const API = '/products/v1';

/** Fiscal region of the CPF's 9th digit (the state that issued it). */
const ISSUING_STATE = ['RS', 'DF', 'PA', 'CE', 'PE', 'BA', 'MG', 'RJ', 'SP', 'PR'];

/** The simulated score of a CPF (see the module comment for the bands). */
export function simulatedScore(cpf: string): number {
  const digits = cpf.replace(/\D/g, '');
  const [low, high] = digits.startsWith('0')
    ? [5, 29.99]
    : digits.startsWith('1')
      ? [30, 69.99]
      : [70, 99.99];
  const hash = createHash('sha256').update(digits).digest().readUInt32BE(0) / 0xffffffff;
  return Math.round((low + hash * (high - low)) * 100) / 100;
}

type Band = 'approve' | 'review' | 'reject';
const bandOf = (score: number): Band => (score >= 70 ? 'approve' : score >= 30 ? 'review' : 'reject');

const modelState = (errors: Record<string, string[]>): SimResponse => reply(400, errors);
const fail = (response: SimResponse): never => {
  throw new SimulatorHttpError(response);
};

/** Reads a JSON object's property case-insensitively, as ASP.NET model binding does. */
function prop(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
const textProp = (obj: unknown, name: string): string | null => {
  const v = prop(obj, name);
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
};

export class DataTrustSimulator extends SimulatorServer {
  private readonly username: string;
  private readonly password: string;
  private readonly tokenTtlSeconds: number;
  private readonly smsTokenTtlMs: number;
  private readonly userId: number;
  private readonly now: () => number;
  private readonly configuredWebhook: { url: string; token: string } | undefined;
  private webhook: { url: string; token: string } | undefined;

  private apiTokens = new Map<string, number>();
  private transactions = new Map<string, StoredTransaction>();
  private sentSms: SentSms[] = [];
  private smsConfigurations = new Map<number, { Text: string; Active: boolean; SmsTypeId: number }>();
  private entityConfiguration: { creationDate: string; conditionalSmsSending: boolean } | undefined;
  /** CPF|phone pairs confirmed by a valid SMS token: the simulator's notion of a HotPhone. */
  private hotPhones = new Set<string>();
  private deliveries: WebhookDelivery[] = [];
  private readonly pendingDeliveries = new Set<Promise<void>>();
  private counts = emptyCounts();

  constructor(options: DataTrustSimulatorOptions = {}) {
    super('datatrust', options);
    this.username = options.username ?? 'simulator';
    this.password = options.password ?? 'simulator';
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
    this.smsTokenTtlMs = options.smsTokenTtlMs ?? 5 * 60_000;
    this.userId = options.userId ?? 1;
    this.now = options.now ?? Date.now;
    this.configuredWebhook = options.webhook;
    this.webhook = options.webhook;

    this.route('POST', `${API}/authentication`, (req) => this.authenticate(req));
    // Literal paths before `/datatrust/:id`, which would match them too.
    this.route('GET', `${API}/datatrust/search`, (req) =>
      this.authorized(req, () => this.searchByParameter(req)),
    );
    this.route('GET', `${API}/datatrust/search/user`, (req) =>
      this.authorized(req, () => this.searchByUser(req)),
    );
    this.route('GET', `${API}/datatrust/search/period`, (req) =>
      this.authorized(req, () => this.searchByPeriod(req)),
    );
    this.route('GET', `${API}/datatrust/search/list`, (req) =>
      this.authorized(req, () => this.searchByIds(req)),
    );
    this.route('POST', `${API}/datatrust/configuration/sms`, (req) =>
      this.authorized(req, () => this.setSmsConfiguration(req)),
    );
    this.route('GET', `${API}/datatrust/configuration/sms`, (req) =>
      this.authorized(req, () => this.getSmsConfiguration(req)),
    );
    this.route('POST', `${API}/datatrust/configuration/entity`, (req) =>
      this.authorized(req, () => this.setEntityConfiguration(req)),
    );
    this.route('GET', `${API}/datatrust/configuration/entity`, (req) =>
      this.authorized(req, () =>
        this.entityConfiguration ? reply(200, this.entityConfiguration) : reply(204),
      ),
    );
    this.route('POST', `${API}/datatrust`, (req) => this.authorized(req, () => this.createTransaction(req)));
    this.route('GET', `${API}/datatrust/:id`, (req) =>
      this.authorized(req, () => {
        const t = this.find(req.params['id']);
        return t ? reply(200, this.render(t)) : reply(204);
      }),
    );
    this.route('GET', `${API}/datatrust/:id/result`, (req) =>
      this.authorized(req, () => {
        const t = this.find(req.params['id']);
        return t ? reply(200, this.renderResults(t, 'detail')) : reply(204);
      }),
    );
    this.route('POST', `${API}/datatrust/:id/validate`, (req) =>
      this.authorized(req, () => this.validate(req)),
    );

    this.controlRoute('GET', '/_simulator/sms', ({ query }) =>
      reply(200, this.sms(query.get('transactionId'))),
    );
    this.controlRoute('POST', '/_simulator/tokens/revoke', () =>
      reply(200, { revoked: this.revokeTokens() }),
    );
    this.controlRoute('POST', '/_simulator/webhook', (req) => {
      const url = prop(req.json(), 'url');
      const token = prop(req.json(), 'token');
      if (typeof url !== 'string' || !URL.canParse(url) || typeof token !== 'string' || token === '')
        return reply(400, { message: 'expected { "url": "http://...", "token": "..." }' });
      this.webhook = { url, token };
      return reply(200, { url });
    });
    this.controlRoute('DELETE', '/_simulator/webhook', () => {
      this.webhook = undefined;
      return reply(204);
    });

    this.onState(() => this.state());
    this.onReset(() => this.reset());
  }

  /** The SMS tokens sent so far, oldest first (optionally for one transaction). */
  sms(transactionId?: string | null): SentSms[] {
    return this.sentSms.filter((s) => !transactionId || s.transactionId === transactionId);
  }

  /** The token last sent for a transaction; rejects when none was sent. */
  async smsTokenFor(transactionId: string): Promise<string> {
    const sent = this.sms(transactionId).at(-1);
    if (!sent) throw new Error(`no SMS token was sent for transaction ${transactionId}`);
    return sent.token;
  }

  /** Makes every API token issued so far answer 401; returns how many were revoked. */
  revokeTokens(): number {
    const n = this.apiTokens.size;
    this.apiTokens.clear();
    return n;
  }

  /** Waits for webhook notifications still in flight, then stops the server. */
  override async close(): Promise<void> {
    await Promise.allSettled([...this.pendingDeliveries]);
    await super.close();
  }

  // ------------------------------------------------------------------------------------------
  // Authentication
  // ------------------------------------------------------------------------------------------

  private authenticate(req: SimRequest): SimResponse {
    const body = req.json();
    if (prop(body, 'Username') !== this.username || prop(body, 'Password') !== this.password)
      return reply(400, { message: 'Username or Password is incorrect' });
    const token = randomBytes(96).toString('base64url');
    this.apiTokens.set(token, this.now() + this.tokenTtlSeconds * 1000);
    this.counts.tokensIssued += 1;
    return reply(200, { token, expiresInSeconds: this.tokenTtlSeconds });
  }

  /** Documented: an expired or unknown token answers a bare 401. */
  private authorized(req: SimRequest, handler: () => SimResponse): SimResponse {
    const token = req.bearer();
    const expiresAt = token === undefined ? undefined : this.apiTokens.get(token);
    if (expiresAt === undefined || this.now() >= expiresAt) return { status: 401 };
    return handler();
  }

  // ------------------------------------------------------------------------------------------
  // Transactions
  // ------------------------------------------------------------------------------------------

  private createTransaction(req: SimRequest): SimResponse {
    const body = req.json();
    const errors: Record<string, string[]> = {};
    const add = (field: string, message: string) => (errors[field] ??= []).push(message);

    const document = textProp(body, 'Document');
    if (document === null) add('Document', 'The Document field is required.');
    else if (!isValidCpf(document)) add('Document', 'The field Document is invalid.');
    const documentType = textProp(body, 'DocumentType');
    if (documentType === null) add('DocumentType', 'The DocumentType field is required.');
    else if (documentType.toUpperCase() !== 'CPF') add('DocumentType', 'The field DocumentType is invalid.');
    const areaCode = textProp(body, 'AreaCode');
    const phone = textProp(body, 'Phone');
    if (areaCode !== null && phone === null)
      add('AreaCode', 'Phone is required because AreaCode has a value.');
    if (phone !== null && areaCode === null) add('Phone', 'AreaCode is required because Phone has a value.');
    if (areaCode !== null && !/^\d{2}$/.test(areaCode)) add('AreaCode', 'The field AreaCode is invalid.');
    if (phone !== null && !/^\d{8,9}$/.test(phone)) add('Phone', 'The field Phone is invalid.');
    const rawOptions = prop(body, 'SendOption') ?? [];
    const sendOption = Array.isArray(rawOptions) ? rawOptions.map(Number) : [];
    if (!Array.isArray(rawOptions) || sendOption.some((o) => ![1, 2, 3, 4].includes(o)))
      add('SendOption', 'The field SendOption is invalid.');
    const email = textProp(body, 'Email');
    if (sendOption.includes(1) && phone === null) add('Phone', 'Phone is required to send the SMS token.');
    if (sendOption.includes(2) && email === null) add('Email', 'Email is required to send the e-mail token.');
    const type = Number(prop(body, 'Type'));
    if (type !== 1 && type !== 2) add('Type', 'The field Type is invalid.');
    const sessionId = textProp(body, 'SessionID');
    if (type === 2 && sessionId === null) add('SessionID', 'SessionID is required for online transactions.');
    const info = prop(body, 'AdditionalInformation');
    for (const [field, max] of [
      ['Transaction', 30],
      ['Item', 30],
      ['CustomerName', 200],
    ] as const) {
      const value = textProp(info, field);
      if (value !== null && value.length > max)
        add(`AdditionalInformation.${field}`, `The field ${field} must have at most ${max} characters.`);
    }
    if (Object.keys(errors).length > 0 || document === null) return modelState(errors);

    const now = this.now();
    const date = new Date(now).toISOString();
    const score = simulatedScore(document);
    const band = bandOf(score);
    const address = prop(body, 'Address');
    const zipCode = textProp(address, 'ZipCode');
    const t: StoredTransaction = {
      id: randomUUID(),
      userId: this.userId,
      createdAt: now,
      request: {
        Document: document,
        DocumentType: 'CPF',
        AreaCode: areaCode,
        Phone: phone,
        SendOption: sendOption,
        VerifiedPhone: prop(body, 'VerifiedPhone') === true,
        VerifiedEmail: prop(body, 'VerifiedEmail') === true,
        Address:
          address !== null && typeof address === 'object' ? (address as Record<string, unknown>) : null,
        Email: email,
        SessionID: sessionId,
        AdditionalInformation:
          info !== null && typeof info === 'object' ? (info as Record<string, unknown>) : null,
        Type: type,
        ReferenceDate: textProp(body, 'ReferenceDate'),
      },
      score: { Value: score, Reason: 'Initial', Date: date, Timeline: [] },
      ratings: [],
      insights: [],
      smsToken: undefined,
      emailToken: undefined,
      smsVerification: undefined,
    };
    const rating = band === 'approve' ? 3 : band === 'review' ? 1 : 0;
    for (const [present, field] of [
      [phone !== null, 'Phone'],
      [email !== null, 'Email'],
      [zipCode !== null, 'ZipCode'],
    ] as const) {
      if (present)
        t.ratings.push({
          Value: rating,
          RelatedTo: ['Document', field],
          Reason: 'Initial',
          Date: date,
          Timeline: [],
        });
    }
    this.addInsights(t, band);

    const hotPhone = phone !== null && this.hotPhones.has(`${document}|${areaCode}${phone}`);
    const skipSms = hotPhone && this.entityConfiguration?.conditionalSmsSending === true;
    if (sendOption.includes(1) && !skipSms) {
      const token = String(randomInt(0, 1_000_000)).padStart(6, '0');
      t.smsToken = { state: 'Waiting', date, sentAt: now, wrongTries: 0, token };
      this.sentSms.push({ phone: `${areaCode}${phone}`, token, transactionId: t.id, sentAt: date });
      this.counts.smsSent += 1;
    }
    if (sendOption.includes(3) || (sendOption.includes(1) && skipSms)) {
      const configured = this.smsConfigurations.get(2);
      const text = configured?.Active === false ? null : this.smsText(configured?.Text, t);
      t.smsVerification = {
        Sent: skipSms || text === null ? null : { Text: text, Date: date },
        ConditionalRule: skipSms,
      };
    }
    if (sendOption.includes(2)) t.emailToken = { state: 'Waiting', date, sentAt: now, wrongTries: 0 };

    this.transactions.set(t.id, t);
    this.counts.transactions += 1;
    return reply(200, this.render(t));
  }

  private addInsights(t: StoredTransaction, band: Band): void {
    const cpfInsight = (Code: string, Description: string, Relevance: string) =>
      t.insights.push({
        Code,
        Description,
        Type: 'CPF',
        Category: 'Característica CPF',
        Relevance,
        RelatedTo: ['Document'],
      });
    if (band === 'approve') cpfInsight('GER2151', 'CPF com incidencia de compras positivas', 'Positivo');
    if (band === 'review')
      cpfInsight('SIM0001', 'CPF com poucas informações no histórico (simulador)', 'Neutro');
    if (band === 'reject') cpfInsight('SIM0002', 'CPF com indícios de uso fraudulento (simulador)', 'Alerta');
    cpfInsight(
      'GER2117',
      `Estado de emissão do CPF: ${ISSUING_STATE[Number(t.request.Document[8])] ?? 'SP'}`,
      'Neutro',
    );
    if (t.request.Phone !== null && band !== 'reject')
      t.insights.push({
        Code: 'TEL001',
        Description: 'O Celular informado foi visto nos ultimos 3 meses.',
        Type: 'consulta',
        Category: 'fraude',
        Relevance: 'Positivo',
        RelatedTo: ['Document', 'Phone'],
      });
  }

  private smsText(template: string | undefined, t: StoredTransaction): string {
    const names = (textProp(t.request.AdditionalInformation, 'CustomerName') ?? '')
      .split(/\s+/)
      .filter(Boolean);
    const first = names[0] ?? '';
    const firstAndLast = names.length > 1 ? `${first} ${names.at(-1)}` : first;
    // Documented keys and their maximum lengths.
    const fill = (text: string) =>
      text
        .replaceAll('{nome}', firstAndLast.slice(0, 20))
        .replaceAll('{primeiro-nome}', first.slice(0, 10))
        .replaceAll('{item}', (textProp(t.request.AdditionalInformation, 'Item') ?? '').slice(0, 30))
        .replaceAll('{preco}', (textProp(t.request.AdditionalInformation, 'Price') ?? '').slice(0, 15))
        .replaceAll('{outro}', (textProp(t.request.AdditionalInformation, 'Other') ?? '').slice(0, 30));
    const answers = fill('Responda grátis: 1 para sim 2 para não 3 para não sou {primeiro-nome}');
    return fill(template ?? 'Olá {primeiro-nome}, você confirma o seu cadastro? {respostas}').replaceAll(
      '{respostas}',
      answers,
    );
  }

  private find(id: string | undefined): StoredTransaction | undefined {
    const t = id === undefined ? undefined : this.transactions.get(id);
    if (t) this.expireTokens(t);
    return t;
  }

  /** Tokens expire lazily, on the first look after their deadline (a notification goes out then). */
  private expireTokens(t: StoredTransaction): void {
    const now = this.now();
    for (const [token, typeId] of [
      [t.smsToken, 1],
      [t.emailToken, 2],
    ] as const) {
      if (!token || (token.state !== 'Waiting' && token.state !== 'Incorrect')) continue;
      if (now < token.sentAt + this.smsTokenTtlMs) continue;
      token.state = 'Expired';
      token.date = new Date(now).toISOString();
      this.notify(t.id, typeId, `Token ${typeId === 1 ? 'SMS' : 'Email'}: Expired`);
    }
  }

  // ------------------------------------------------------------------------------------------
  // SMS token validation
  // ------------------------------------------------------------------------------------------

  /**
   * Decision: a token allows three tries. The 1st and 2nd wrong answers are `Incorrect`; the 3rd
   * wrong answer makes it `Invalid` (tries exhausted), so a transaction never shows `Incorrect`
   * for a token that can no longer be confirmed. Valid, Invalid and Expired are final: validating
   * again answers the same state and changes nothing.
   */
  private validate(req: SimRequest): SimResponse {
    // Decision: the document lists no answer for an unknown id here; 404 (as for a wrong route).
    const t = this.find(req.params['id']) ?? fail(reply(404, { message: 'Transaction not found' }));
    const token = t.smsToken;
    // Decision: a transaction without an SMS token (no SendOption 1, or skipped as HotPhone) is a 400.
    if (!token) return reply(400, { message: 'No SMS token was sent for this transaction' });
    const typed = req.query.get('token');
    if (typed === null || typed.trim() === '') return modelState({ token: ['The token field is required.'] });
    this.counts.validations += 1;
    if (token.state === 'Waiting' || token.state === 'Incorrect') {
      const date = new Date(this.now()).toISOString();
      if (typed.trim() === token.token) {
        token.state = 'Valid';
        this.confirmPhone(t, date);
      } else {
        token.wrongTries += 1;
        token.state = token.wrongTries >= TOKEN_TRIES ? 'Invalid' : 'Incorrect';
      }
      token.date = date;
      this.notify(t.id, 1, `Token SMS: ${token.state}`);
    }
    return reply(200, { result: token.state, date: token.date });
  }

  /** Documented: a valid token updates the transaction with new insights. */
  private confirmPhone(t: StoredTransaction, date: string): void {
    const reason = 'Confirmação do TokenSMS';
    const { Value, Reason, Date: previous } = t.score;
    t.score = {
      Value: Math.min(100, Math.round((Value + 10) * 100) / 100),
      Reason: reason,
      Date: date,
      Timeline: [{ Value, Reason, Date: previous }, ...t.score.Timeline],
    };
    const rating = t.ratings.find((r) => r.RelatedTo.includes('Phone'));
    if (rating) {
      rating.Timeline.unshift({ Value: rating.Value, Reason: rating.Reason, Date: rating.Date });
      Object.assign(rating, { Value: Math.min(3, rating.Value + 1), Reason: reason, Date: date });
    }
    t.insights.push({
      Code: 'SIM0010',
      Description: 'Token SMS confirmado pelo titular do celular (simulador)',
      Type: 'retorno',
      Category: 'validação',
      Relevance: 'Positivo',
      RelatedTo: ['Document', 'Phone'],
    });
    this.hotPhones.add(`${t.request.Document}|${t.request.AreaCode}${t.request.Phone}`);
  }

  // ------------------------------------------------------------------------------------------
  // Searches
  // ------------------------------------------------------------------------------------------

  private searchByParameter(req: SimRequest): SimResponse {
    const parameter = req.query.get('parameter')?.toLowerCase();
    const value = req.query.get('value')?.trim();
    const errors: Record<string, string[]> = {};
    if (!parameter) errors['parameter'] = ['The parameter field is required.'];
    else if (!['document', 'phone', 'email', 'zipcode'].includes(parameter))
      errors['parameter'] = ['The field parameter must be document, phone, email or zipcode.'];
    if (!value) errors['value'] = ['The value field is required.'];
    if (Object.keys(errors).length > 0 || !value) return modelState(errors);
    const digits = value.replace(/\D/g, '');
    return this.page(req, (t) => {
      const r = t.request;
      if (parameter === 'document') return r.Document === digits;
      if (parameter === 'phone')
        return r.Phone !== null && (`${r.AreaCode}${r.Phone}` === digits || r.Phone === digits);
      if (parameter === 'email') return r.Email !== null && r.Email.toLowerCase() === value.toLowerCase();
      const zip = textProp(r.Address, 'ZipCode');
      return zip !== null && zip.replace(/\D/g, '') === digits;
    });
  }

  private searchByUser(req: SimRequest): SimResponse {
    const userId = req.query.get('userId');
    if (!userId || !/^\d+$/.test(userId)) return modelState({ userId: ['The userId field is required.'] });
    return this.page(req, (t) => t.userId === Number(userId));
  }

  private searchByPeriod(req: SimRequest): SimResponse {
    const errors: Record<string, string[]> = {};
    const dates: Record<string, string> = {};
    for (const field of ['startDate', 'endDate']) {
      const v = req.query.get(field);
      if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)))
        errors[field] = [`The ${field} field is required (yyyy-MM-dd).`];
      else dates[field] = v;
    }
    const { startDate, endDate } = dates;
    if (Object.keys(errors).length > 0 || !startDate || !endDate) return modelState(errors);
    return this.page(req, (t) => {
      const day = new Date(t.createdAt).toISOString().slice(0, 10);
      return day >= startDate && day <= endDate;
    });
  }

  private searchByIds(req: SimRequest): SimResponse {
    const ids = (req.query.get('idsList') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.length === 0) return modelState({ idsList: ['The idsList field is required.'] });
    if (ids.length > MAX_PAGE_SIZE)
      return modelState({ idsList: ['A quantidade máxima permitida é de 50 ids'] });
    const fields = this.fields(req);
    const found = ids.map((id) => this.find(id)).filter((t): t is StoredTransaction => t !== undefined);
    if (found.length === 0) return reply(204);
    return reply(200, { Transactions: found.map((t) => this.project(t, fields)) });
  }

  /** Documented paging: `page` required (1-based), `limit` up to 50; nothing to show answers 204. */
  private page(req: SimRequest, matches: (t: StoredTransaction) => boolean): SimResponse {
    const page = req.query.get('page');
    const limit = req.query.get('limit');
    const errors: Record<string, string[]> = {};
    if (!page || !/^\d+$/.test(page) || Number(page) < 1) errors['page'] = ['The page field is required.'];
    if (limit !== null && (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_PAGE_SIZE))
      errors['limit'] = [`The field limit must be between 1 and ${MAX_PAGE_SIZE}.`];
    if (Object.keys(errors).length > 0) return modelState(errors);
    const fields = this.fields(req);
    // Decision: the examples (195 transactions in 10 pages) suggest 20 per page when `limit` is absent.
    const size = limit === null ? DEFAULT_PAGE_SIZE : Number(limit);
    const all = [...this.transactions.values()].filter(matches);
    const current = Number(page);
    const slice = all.slice((current - 1) * size, current * size);
    if (slice.length === 0) return reply(204);
    for (const t of slice) this.expireTokens(t);
    return reply(200, {
      location: current,
      totalPages: Math.ceil(all.length / size),
      totalTransactions: all.length,
      Transactions: slice.map((t) => this.project(t, fields)),
    });
  }

  /** `fields=transaction:a,b;result:c;` → the keys to keep per context; undefined keeps everything. */
  private fields(req: SimRequest): { transaction?: string[]; result?: string[] } | undefined {
    const raw = req.query.get('fields');
    if (raw === null || raw.trim() === '') return undefined;
    const known: Record<string, readonly string[]> = { transaction: transactionFields, result: resultFields };
    const out: { transaction?: string[]; result?: string[] } = {};
    for (const part of raw.split(';').filter((p) => p.trim() !== '')) {
      const [context, list] = part.split(':').map((s) => s.trim().toLowerCase());
      const names = (list ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const allowed = context === undefined ? undefined : known[context];
      if (!allowed || names.length === 0 || names.some((n) => !allowed.includes(n)))
        fail(modelState({ fields: ['The fields value is invalid.'] }));
      out[context as 'transaction' | 'result'] = names;
    }
    if (!out.transaction && !out.result) fail(modelState({ fields: ['The fields value is invalid.'] }));
    return out;
  }

  /**
   * A search result with only the asked fields. Decision: a context left out of `fields` is left out
   * of the answer (only `transaction:` → no `Result`; only `result:` → no transaction fields).
   */
  private project(t: StoredTransaction, fields: { transaction?: string[]; result?: string[] } | undefined) {
    const full: Record<string, unknown> = this.renderSearched(t);
    if (!fields) return full;
    const out: Record<string, unknown> = {};
    for (const name of fields.transaction ?? []) {
      if (name === 'user') out['User'] = t.userId;
      else {
        const key = Object.keys(full).find((k) => k.toLowerCase() === name);
        if (key) out[key] = full[key];
      }
    }
    if (fields.result) {
      const result = full['Result'] as Record<string, unknown>;
      out['Result'] = Object.fromEntries(
        Object.entries(result).filter(([k]) => fields.result?.includes(k.toLowerCase())),
      );
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // Configuration
  // ------------------------------------------------------------------------------------------

  private setSmsConfiguration(req: SimRequest): SimResponse {
    const body = req.json();
    const text = prop(body, 'Text');
    const type = Number(prop(body, 'SmsTypeId'));
    const active = prop(body, 'Active');
    const errors: Record<string, string[]> = {};
    if (typeof text !== 'string' || text.trim() === '') errors['Text'] = ['The Text field is required.'];
    if (![2, 3, 4].includes(type)) errors['SmsTypeId'] = ['The field SmsTypeId is invalid.'];
    if (active !== undefined && typeof active !== 'boolean')
      errors['Active'] = ['The field Active is invalid.'];
    if (Object.keys(errors).length > 0 || typeof text !== 'string') return modelState(errors);
    // Documented: a bare JSON string for the length error.
    if (text.length > MAX_SMS_TEXT)
      return reply(400, 'O texto configurado para o SMS ultrapassa o limite de 160 caracteres');
    // Decision: {respostas} is documented as mandatory; enforced for the 2nd-factor question (type 2).
    if (type === 2 && !text.includes('{respostas}'))
      return reply(400, 'O texto do SMS deve conter a chave {respostas}');
    this.smsConfigurations.set(type, { Text: text, Active: active !== false, SmsTypeId: type });
    return { status: 200 };
  }

  private getSmsConfiguration(req: SimRequest): SimResponse {
    const type = req.query.get('smsTypeId');
    if (type === null || !/^\d+$/.test(type))
      return modelState({ smsTypeId: ['The smsTypeId field is required.'] });
    const configuration = this.smsConfigurations.get(Number(type));
    return configuration ? reply(200, configuration) : reply(204);
  }

  private setEntityConfiguration(req: SimRequest): SimResponse {
    const value = req.query.get('conditionalSmsSending')?.toLowerCase();
    if (value !== 'true' && value !== 'false')
      return modelState({
        conditionalSmsSending: ['The conditionalSmsSending field must be true or false.'],
      });
    // Decision: `creationDate` is when the current setting was made.
    this.entityConfiguration = {
      creationDate: new Date(this.now()).toISOString(),
      conditionalSmsSending: value === 'true',
    };
    return { status: 200 };
  }

  // ------------------------------------------------------------------------------------------
  // Rendering, as the document's examples spell it
  // ------------------------------------------------------------------------------------------

  private token(token: StoredToken | undefined, resultKey: 'result' | 'Result') {
    return token ? { [resultKey]: token.state, Date: token.date } : null;
  }

  /** `mode` picks the spelling: the send/query examples (`SMSVerification`, `TokenSMS`) or the searches'. */
  private renderResults(t: StoredTransaction, mode: 'detail' | 'search') {
    const sms = t.smsVerification
      ? { Sent: t.smsVerification.Sent, Replied: null, ConditionalRule: t.smsVerification.ConditionalRule }
      : null;
    const email = t.emailToken ? { Sent: null, Replied: null } : null;
    const validation =
      mode === 'detail'
        ? {
            SMSVerification: sms,
            EmailVerification: email,
            TokenSMS: this.token(t.smsToken, 'result'),
            TokenEmail: this.token(t.emailToken, 'result'),
          }
        : {
            SmsVerification: sms,
            EmailVerification: email,
            TokenSms: this.token(t.smsToken, 'Result'),
            TokenEmail: this.token(t.emailToken, 'Result'),
          };
    return {
      Score: { ...t.score, Timeline: t.score.Timeline.length > 0 ? t.score.Timeline : null },
      Validation: validation,
      Ratings: t.ratings.map((r) => ({ ...r, Timeline: r.Timeline.length > 0 ? r.Timeline : null })),
      Insights: t.insights,
    };
  }

  private render(t: StoredTransaction) {
    return {
      ID: t.id,
      ...t.request,
      CreationDate: new Date(t.createdAt).toISOString(),
      Results: this.renderResults(t, 'detail'),
    };
  }

  private renderSearched(t: StoredTransaction) {
    return {
      id: t.id,
      ...t.request,
      CreationDate: new Date(t.createdAt).toISOString(),
      Result: this.renderResults(t, 'search'),
    };
  }

  // ------------------------------------------------------------------------------------------
  // Webhook, state
  // ------------------------------------------------------------------------------------------

  /** Posts the documented notification (no transaction data: the receiver queries it). */
  private notify(transactionId: string, typeId: number, description: string): void {
    const webhook = this.webhook;
    if (!webhook) return;
    const delivery: WebhookDelivery = {
      transactionId,
      typeId,
      description,
      at: new Date(this.now()).toISOString(),
    };
    this.deliveries.push(delivery);
    this.counts.webhookDeliveries += 1;
    const counts = this.counts;
    const sending = postWebhook({
      url: webhook.url,
      headers: {
        authorization: `Bearer ${webhook.token}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: Buffer.from(
        JSON.stringify({
          Code: transactionId,
          TypeId: typeId,
          Description: description,
          Date: delivery.at,
        }),
      ),
      timeoutMs: 5_000,
    }).then((outcome) => {
      if (outcome.status !== undefined) delivery.status = outcome.status;
      if (outcome.error !== undefined) delivery.error = outcome.error;
      // Not counted when a reset came in between (the counts object was replaced).
      if (!outcome.ok) counts.webhookFailures += 1;
    });
    this.pendingDeliveries.add(sending);
    void sending.finally(() => this.pendingDeliveries.delete(sending));
  }

  private state() {
    for (const t of this.transactions.values()) this.expireTokens(t);
    return {
      transactions: [...this.transactions.values()].map((t) => ({
        ...this.render(t),
        User: t.userId,
        smsToken: t.smsToken ?? null,
      })),
      sms: this.sentSms,
      smsConfigurations: [...this.smsConfigurations.values()],
      entityConfiguration: this.entityConfiguration ?? null,
      activeApiTokens: [...this.apiTokens.values()].filter((expiresAt) => this.now() < expiresAt).length,
      webhook: this.webhook ? { url: this.webhook.url } : null,
      webhookDeliveries: this.deliveries,
      counts: { ...this.counts },
    };
  }

  private reset(): void {
    this.apiTokens = new Map();
    this.transactions = new Map();
    this.sentSms = [];
    this.smsConfigurations = new Map();
    this.entityConfiguration = undefined;
    this.hotPhones = new Set();
    this.deliveries = [];
    this.webhook = this.configuredWebhook;
    this.counts = emptyCounts();
  }
}

export function createDataTrustSimulator(options: DataTrustSimulatorOptions = {}): DataTrustSimulator {
  return new DataTrustSimulator(options);
}

/** The simulator's options from the environment (faults, SMS token lifetime, credentials, webhook), on `port`. */
export function dataTrustSimulatorOptions(config: SimulatorConfig, port: number): DataTrustSimulatorOptions {
  // SIMULATOR_FAULTS is shared by every simulator: a rule naming another's route never matches here.
  const faults = config.SIMULATOR_FAULTS;
  // SIMULATOR_WEBHOOK_BASE_URL: the documented notification to `<base>/datatrust` with DATATRUST_WEBHOOK_TOKEN.
  const url = webhookUrlFor(config, 'datatrust');
  return {
    host: config.SIMULATOR_HOST,
    port,
    faults,
    faultSeed: config.SIMULATOR_FAULT_SEED,
    username: config.DATATRUST_USERNAME,
    password: config.DATATRUST_PASSWORD,
    smsTokenTtlMs: config.SIMULATOR_SMS_TOKEN_TTL_MS,
    ...(url !== undefined ? { webhook: { url, token: config.DATATRUST_WEBHOOK_TOKEN } } : {}),
  };
}
