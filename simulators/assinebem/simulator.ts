/**
 * A local Assine Bem: every documented route under the same paths (below the `/api` prefix), the
 * token check, and the state machines of store.ts.
 *
 * Decisions:
 * - Errors are answered as the document's answers carry them: HTTP 200 with `status_api` (404 not
 *   found, 400 bad parameters, 409 conflict, 422 not allowed in the current status, 502 file URL
 *   unreachable or answering 408, 429 or 5xx, 422 file URL answering another error). A missing or
 *   wrong token is HTTP 401 with `status_api: 401`. The binary routes answer their errors as JSON too.
 * - `url_arquivo` is fetched only from loopback addresses (in this project, another simulator);
 *   the simulator never reaches out to the network.
 * - Webhooks (the document describes none; src/providers/assinebem/webhook.ts is what the product
 *   reads): `{ id_externo_documento, evento }` with `evento` `assinatura` when a party signs,
 *   `recusa` when one refuses, `concluido` when the last signs (after its `assinatura`), with
 *   `Authorization: Bearer <ASSINEBEM_WEBHOOK_SECRET>`, to `<SIMULATOR_WEBHOOK_BASE_URL>/assinebem`.
 * - Extras besides the kit's `/_simulator/state|faults|routes|reset`:
 *     POST   /_simulator/sign { id_externo_documento, id_externo_parte? }   signs on demand (one
 *            party, or every pending party in order); a party named "Recusa..." refuses
 *     POST   /_simulator/webhook {url}   deliver webhooks to `url` (see ../webhooks.ts)
 *     DELETE /_simulator/webhook         stop delivering
 */
import { z } from 'zod';
import type { SimulatorConfig } from '../shared-env';
import {
  SimulatorHttpError,
  SimulatorServer,
  reply,
  type ControlRequest,
  type SimRequest,
  type SimResponse,
  type SimulatorOptions,
} from '../kit';
import { isPdf, simplePdf } from '../pdf';
import { signingWebhookOptions, WebhookNotifier, type SigningWebhookOptions } from '../webhooks';
import {
  attachmentRequestSchema,
  externalId,
  idExternoRequestSchema,
  insertPartyInDocumentRequestSchema,
  intLike,
  invalidateAttachmentRequestSchema,
  parteEnvioSchema,
  pendingSignaturesRequestSchema,
  updatePartyRequestSchema,
  uploadDocumentRequestSchema,
  uploadTemplateRequestSchema,
} from '../../src/providers/assinebem/schemas';
import {
  ApiFailure,
  AssineBemStore,
  formatDate,
  sha256,
  type AssineBemReading,
  type SimDocument,
} from './store';

export interface AssineBemSimulatorOptions extends SimulatorOptions, SigningWebhookOptions {
  /** The token clients must send as `Authorization: Bearer`. Default `simulator`. */
  token?: string;
  /** Parties sign by themselves this long after a document is uploaded (or a party added). Off when undefined. */
  autoSignMs?: number;
  /** Pending signatures per page; the provider's is 50. */
  pageSize?: number;
  /** Prefix of every route, the path part of ASSINEBEM_BASE_URL. Default `/api`. */
  prefix?: string;
  /** Deadline to fetch a `url_arquivo`. Default 10 s. */
  fileFetchTimeoutMs?: number;
  /** Largest file accepted. Default 20 MiB. */
  maxFileBytes?: number;
  /** Lifetime of a signing URL's token. Default 24 h. */
  signerTokenTtlMs?: number;
  /** How it reads what the document leaves open (see AssineBemReading). Default `ours`. */
  reading?: AssineBemReading;
  now?: () => number;
}

const ok = (mensagem: string, extra: Record<string, unknown> = {}): SimResponse =>
  reply(200, { status_api: 200, mensagem, ...extra });

const failure = (statusApi: number, mensagem: string): SimResponse =>
  reply(200, { status_api: statusApi, mensagem });

/** Fields that url-encoded clients send as JSON strings. */
const JSON_FIELDS = new Set(['lista_partes', 'parte', 'lista_campos', 'acoes', 'redirecionamentos']);

async function bodyOf(req: SimRequest): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (/application\/x-www-form-urlencoded|multipart\/form-data/i.test(type)) {
    const form = await req.form();
    const out: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) {
      if (typeof value !== 'string') continue;
      if (!JSON_FIELDS.has(key)) {
        out[key] = value;
        continue;
      }
      try {
        out[key] = JSON.parse(value);
      } catch {
        throw new ApiFailure(400, `Parâmetro ${key} não é JSON válido`);
      }
    }
    return out;
  }
  const json = req.json();
  if (json === undefined) return {};
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new ApiFailure(400, 'Corpo da requisição deve ser um objeto');
  return json as Record<string, unknown>;
}

/** Validates parameters; the message names the bad parameters, never their values. */
function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const where = [...new Set(parsed.error.issues.map((i) => i.path.map(String).join('.') || '(corpo)'))];
  throw new ApiFailure(400, `Parâmetros inválidos: ${where.join(', ')}`);
}

const queryObject = (req: SimRequest | ControlRequest): Record<string, string> =>
  Object.fromEntries(req.query.entries());

const isLoopbackHost = (host: string) =>
  host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

class AssineBemSimulator extends SimulatorServer {
  constructor(
    options: AssineBemSimulatorOptions,
    prefix: string,
    readonly store: AssineBemStore,
    readonly webhook: WebhookNotifier,
  ) {
    super('assinebem', options, prefix);
  }

  /** Stops the signing timers, waits for webhook deliveries in flight, then stops the server. */
  override async close(): Promise<void> {
    this.store.stopAllTimers();
    await this.webhook.drain();
    await super.close();
  }
}

export function createAssineBemSimulator(options: AssineBemSimulatorOptions = {}): SimulatorServer {
  const token = options.token ?? 'simulator';
  const pageSize = options.pageSize ?? 50;
  const now = options.now ?? Date.now;
  const fetchTimeoutMs = options.fileFetchTimeoutMs ?? 10_000;
  const maxFileBytes = options.maxFileBytes ?? 20 * 1024 * 1024;
  const signerTokenTtlMs = options.signerTokenTtlMs ?? 24 * 60 * 60_000;
  const reading = options.reading ?? 'ours';
  const webhook = new WebhookNotifier('assinebem', options);
  const store = new AssineBemStore({
    autoSignMs: options.autoSignMs,
    now,
    reading,
    onEvent: (doc, evento) => webhook.notify({ id_externo_documento: doc.id_externo, evento }),
  });
  const sim = new AssineBemSimulator(options, options.prefix ?? '/api', store, webhook);

  /** Every provider route: token check, then the handler, with ApiFailure as a `status_api` answer. */
  const route = (
    method: string,
    pattern: string,
    handler: (req: SimRequest) => Promise<SimResponse> | SimResponse,
  ) =>
    sim.route(method, pattern, async (req) => {
      if (req.bearer() !== token)
        throw new SimulatorHttpError(reply(401, { status_api: 401, mensagem: 'Token inválido ou ausente' }));
      try {
        return await handler(req);
      } catch (err) {
        if (err instanceof ApiFailure) return failure(err.statusApi, err.mensagem);
        throw err;
      }
    });

  const documentAnswer = (doc: SimDocument, mensagem: string) =>
    ok(mensagem, { documento: store.documentView(doc) });

  async function fetchFile(url: string): Promise<Buffer> {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new ApiFailure(400, 'URL do arquivo inválida');
    if (!isLoopbackHost(u.hostname)) throw new ApiFailure(400, 'URL do arquivo fora do alcance do simulador');
    let res: Response;
    try {
      res = await fetch(u, { signal: AbortSignal.timeout(fetchTimeoutMs), redirect: 'error' });
    } catch {
      throw new ApiFailure(502, 'Não foi possível obter o arquivo da URL');
    }
    // Busy or down for now (408, 429, 5xx) is unreachable, as a network failure is; other answers are final.
    if (res.status >= 500 || res.status === 408 || res.status === 429)
      throw new ApiFailure(502, `URL do arquivo respondeu HTTP ${res.status}`);
    if (!res.ok) throw new ApiFailure(422, `URL do arquivo respondeu HTTP ${res.status}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > maxFileBytes) throw new ApiFailure(422, 'Arquivo maior que o permitido');
    return bytes;
  }

  /** A used identifier: 409 with the document it created, so a lost answer can be recovered. */
  const failureWithDocument = (doc: SimDocument) =>
    reply(200, {
      status_api: 409,
      mensagem: 'Identificador já utilizado',
      documento: store.documentView(doc),
    });

  // 1. Identifier for an upload.
  route('GET', '/documento/get_identifier_to_upload', () =>
    reply(200, { identifier: store.issueIdentifier() }),
  );

  // 2. Upload of a document with its parties.
  route('POST', '/documento', async (req) => {
    const body = await bodyOf(req);
    // The document types `ddd` and `telefone` as int; a JSON client must send numbers.
    if (!/urlencoded|multipart/i.test(req.headers['content-type'] ?? '')) {
      const parties = Array.isArray(body['lista_partes']) ? (body['lista_partes'] as unknown[]) : [];
      for (const p of parties) {
        const party = (p ?? {}) as Record<string, unknown>;
        for (const field of ['ddd', 'telefone'] as const) {
          if (party[field] !== undefined && typeof party[field] !== 'number')
            throw new ApiFailure(400, `Parâmetro ${field} deve ser inteiro`);
        }
      }
    }
    const input = parse(uploadDocumentRequestSchema, body);
    const previous = store.checkIdentifier(input.id_identifier);
    if (previous) return failureWithDocument(previous);
    if (input.sufixo_arquivo !== undefined && input.sufixo_arquivo.replace(/^\./, '').toLowerCase() !== 'pdf')
      throw new ApiFailure(400, 'Somente arquivos PDF são aceitos');
    store.costCentre(input.id_centro_custo);
    store.checkSigners(input.lista_partes);
    const bytes =
      input.arquivo !== undefined
        ? Buffer.from(input.arquivo, 'base64')
        : await fetchFile(input.url_arquivo ?? '');
    if (!isPdf(bytes)) throw new ApiFailure(422, 'Arquivo não é um PDF');
    if (bytes.length > maxFileBytes) throw new ApiFailure(422, 'Arquivo maior que o permitido');
    // The file fetch yielded: another request may have used the identifier meanwhile.
    const raced = store.checkIdentifier(input.id_identifier);
    if (raced) return failureWithDocument(raced);
    const doc = store.createDocument({
      identifier: input.id_identifier,
      identificacao_arquivo: input.identificacao_arquivo ?? input.id_identifier,
      bytes,
      quadro_assinaturas: input.quadro_assinaturas ?? 0,
      id_centro_custo: input.id_centro_custo,
      parties: input.lista_partes,
    });
    return documentAnswer(doc, 'Documento enviado para assinatura');
  });

  // 2.1. A party added to a document.
  route('POST', '/documento/parte/inserir', async (req) => {
    const input = parse(insertPartyInDocumentRequestSchema, await bodyOf(req));
    return documentAnswer(
      store.addSigner(input.id_externo_documento, input.parte),
      'Parte inserida no documento',
    );
  });

  // 3. Document.
  route('GET', '/documento', (req) => {
    const { id_externo } = parse(idExternoRequestSchema, queryObject(req));
    return documentAnswer(store.document(id_externo), 'Documento encontrado');
  });

  const versionOf = (req: SimRequest, honoursSigned = true) => {
    const { id_externo } = parse(idExternoRequestSchema, queryObject(req));
    const doc = store.document(id_externo);
    return { doc, ...store.version(doc, honoursSigned && req.query.get('assinado') === '1') };
  };

  // 4. Download: base64 in JSON with the file's information.
  route('GET', '/documento/download', (req) => {
    const { doc, bytes, signed } = versionOf(req);
    return ok('Arquivo encontrado', {
      arquivo: bytes.toString('base64'),
      nome_arquivo: signed ? `${doc.identificacao_arquivo}_assinado.pdf` : `${doc.identificacao_arquivo}.pdf`,
      sufixo_arquivo: 'pdf',
      tipo_arquivo: 'application/pdf',
      hash_arquivo: sha256(bytes),
      assinado: signed ? 1 : 0,
    });
  });

  // 5. Download: the raw PDF. The document lists no `assinado` here; `ours` honours it, `other` does not.
  route('GET', '/documento/download_arquivo', (req) => {
    const { doc, bytes, signed } = versionOf(req, reading === 'ours');
    const name = signed ? `${doc.identificacao_arquivo}_assinado.pdf` : `${doc.identificacao_arquivo}.pdf`;
    return {
      status: 200,
      body: bytes,
      headers: {
        'content-type': 'application/pdf',
        'content-length': String(bytes.length),
        'content-disposition': `attachment; filename="${name}"`,
      },
    };
  });

  // 6. Invalidation.
  route('POST', '/documento/invalidar', async (req) => {
    const { id_externo } = parse(idExternoRequestSchema, await bodyOf(req));
    return ok(store.invalidate(id_externo));
  });

  // 7. Party.
  route('GET', '/parte', (req) => {
    const { id_externo } = parse(idExternoRequestSchema, queryObject(req));
    return ok('Parte encontrada', { parte: store.partyView(store.party(id_externo)) });
  });

  // 8. A party with no document.
  route('POST', '/parte', async (req) => {
    const input = parse(parteEnvioSchema, await bodyOf(req));
    if (input.id_externo !== undefined)
      throw new ApiFailure(400, 'Parâmetro id_externo não é aceito ao inserir');
    return ok('Parte inserida', { parte: store.partyView(store.createParty(input)) });
  });

  // 9. Party status (the id as a string, as in the document's example).
  route('GET', '/parte/status', (req) => {
    const { id_externo } = parse(idExternoRequestSchema, queryObject(req));
    const party = store.party(id_externo);
    const view = store.partyView(party);
    return ok('Status da parte', {
      id_externo: party.id_externo,
      id_status: String(view.id_status),
      descricao: view.descricao_status,
    });
  });

  // 10. Party update.
  route('POST', '/parte/atualizar', async (req) => {
    const input = parse(updatePartyRequestSchema, await bodyOf(req));
    const { party, changed } = store.updateParty(input.id_externo, {
      ...(input.rg !== undefined ? { rg: input.rg } : {}),
      ...(input.cpf !== undefined ? { cpf: input.cpf } : {}),
      ...(input.ddd !== undefined ? { ddd: input.ddd } : {}),
      ...(input.telefone !== undefined ? { telefone: input.telefone } : {}),
      ...(input.id_tipo_telefone !== undefined ? { id_tipo_telefone: input.id_tipo_telefone } : {}),
    });
    return ok(changed ? 'Parte atualizada' : 'Nenhum dado alterado', { parte: store.partyView(party) });
  });

  // 11. New access (reminder): `sucesso` only, as documented.
  route('POST', '/parte/novo_acesso', async (req) => {
    const { id_externo } = parse(idExternoRequestSchema, await bodyOf(req));
    return reply(200, { sucesso: store.remind(id_externo) ? 1 : 0 });
  });

  // 12. A party's signature in a document.
  route('GET', '/documento/assinatura/status', (req) => {
    const q = queryObject(req);
    const idParte = parse(externalId, q['id_externo']);
    const idDocumento = parse(externalId, q['id_externo_documento']);
    const signer = store.signer(store.document(idDocumento), idParte);
    return reply(200, {
      id_externo_parte: idParte,
      id_externo_documento: idDocumento,
      identificador_assinatura: signer.identificador_assinatura,
    });
  });

  // 13. Pending signatures, paged by offset (counts as strings, as in the document's example).
  route('POST', '/documento/assinatura/pendentes', async (req) => {
    const offset = Math.max(0, parse(pendingSignaturesRequestSchema, await bodyOf(req)).offset ?? 0);
    const all = store.pendingSignatures();
    const page = all.slice(offset, offset + pageSize);
    return reply(200, {
      offset_ini: String(offset),
      offset_fim: String(offset + page.length),
      total: String(all.length),
      total_retornado: String(page.length),
      assinaturas_pendentes: page.map(({ doc, signer }) => ({
        id_externo_parte: signer.id_externo_parte,
        id_externo_documento: doc.id_externo,
        documento: { status_api: 200, mensagem: 'Documento encontrado', documento: store.documentView(doc) },
        parte: store.partyView(store.party(signer.id_externo_parte)),
      })),
    });
  });

  // 14 and 15. Templates: the list, or one template when `id_externo` is given.
  route('GET', '/modelo/obter_modelos', (req) => {
    const id = req.query.get('id_externo');
    if (id !== null) {
      const t = store.template(parse(intLike, id));
      return ok('Modelo encontrado', { ...t, id_externo: String(t.id_externo) });
    }
    return ok('Modelos encontrados', {
      modelos: store.templates.map((t) => ({
        dt_alteracao: t.dt_alteracao,
        nome: t.nome,
        id_externo: String(t.id_externo),
        dt_criacao: t.dt_criacao,
      })),
    });
  });

  // 16. A template sent for signature with its fields.
  route('POST', '/modelo', async (req) => {
    const input = parse(uploadTemplateRequestSchema, await bodyOf(req));
    const template = store.template(input.id_externo);
    const campos: Record<string, string> = {};
    for (const c of input.lista_campos ?? []) campos[c.nome] = String(c.valor);
    const unknown = Object.keys(campos).filter((n) => !template.campos.some((c) => c.nome === n));
    if (unknown.length > 0) throw new ApiFailure(400, `Campos desconhecidos: ${unknown.join(', ')}`);
    const missing = template.campos
      .filter((c) => c.obrigatorio === 1 && !campos[c.nome]?.trim())
      .map((c) => c.nome);
    if (missing.length > 0)
      throw new ApiFailure(400, `Campos obrigatórios não preenchidos: ${missing.join(', ')}`);
    store.costCentre(input.id_centro_custo);
    store.checkSigners(input.lista_partes);
    const doc = store.createDocument({
      identificacao_arquivo: input.identificacao_arquivo ?? `modelo_${template.id_externo}`,
      bytes: simplePdf([template.nome, `Gerado em ${formatDate(now())}`]),
      quadro_assinaturas: input.quadro_assinaturas ?? 0,
      id_centro_custo: input.id_centro_custo,
      template: { id: template.id_externo, campos },
      parties: input.lista_partes,
    });
    return documentAnswer(doc, 'Modelo enviado para assinatura');
  });

  // 17. Attachments of a document (of one party when given).
  route('GET', '/documento/anexos', (req) => {
    const q = queryObject(req);
    const { id_externo } = parse(idExternoRequestSchema, q);
    const doc = store.document(id_externo);
    const idParte = q['id_externo_parte'];
    if (idParte !== undefined) store.signer(doc, idParte);
    return ok('Anexos encontrados', {
      documento: {
        id_externo: doc.id_externo,
        identificador_documento: doc.identificador_documento,
        identificacao_arquivo: doc.identificacao_arquivo,
      },
      anexos: store.attachmentsOf(doc.id_externo, idParte).map((a) => store.attachmentView(a)),
    });
  });

  // 18. An attachment's bytes. Decision: downloadable once sent, so it can be checked before approval.
  route('GET', '/documento/anexos/download', (req) => {
    const q = queryObject(req);
    const { id_externo } = parse(idExternoRequestSchema, q);
    const a = store.attachment(store.document(id_externo).id_externo, parse(intLike, q['id_download']));
    if (a.bytes === null) throw new ApiFailure(404, 'Anexo ainda não enviado');
    return {
      status: 200,
      body: a.bytes,
      headers: {
        'content-type': a.extensao === 'pdf' ? 'application/pdf' : `image/${a.extensao ?? 'png'}`,
        'content-disposition': `attachment; filename="anexo_${a.id_download}.${a.extensao ?? 'png'}"`,
      },
    };
  });

  // 19. Attachment approval.
  route('POST', '/documento/anexos/aprovado', async (req) => {
    const input = parse(attachmentRequestSchema, await bodyOf(req));
    const doc = store.document(input.id_externo);
    return ok(
      store.approveAttachment(store.attachment(doc.id_externo, input.id_download, input.id_externo_parte)),
    );
  });

  // 20. Attachment invalidation.
  route('POST', '/documento/anexos/invalidar', async (req) => {
    const input = parse(invalidateAttachmentRequestSchema, await bodyOf(req));
    const doc = store.document(input.id_externo);
    const a = store.attachment(doc.id_externo, input.id_download, input.id_externo_parte);
    const { mensagem, reenviado } = store.invalidateAttachment(a, input.reenviar === 1);
    return ok(mensagem, { reenviado: String(reenviado) });
  });

  // 21. Cost centres.
  route('GET', '/documento/centro_custo', () =>
    ok('Centros de custo encontrados', {
      centros_custo: store.costCentres.map((c) => ({ ...c, id_centro_custo: String(c.id_centro_custo) })),
    }),
  );

  // 22. The signer's URL. Decision: the document's two conditions overlap; a signing URL when the
  // party has a signature pending (in this document or another), a validation URL otherwise.
  route('GET', '/documento/parte/url', (req) => {
    const q = queryObject(req);
    const idDocumento = parse(externalId, q['id_externo_documento']);
    const idParte = parse(externalId, q['id_externo_parte']);
    store.signer(store.document(idDocumento), idParte);
    const pending = store.pendingDocumentsOf(idParte).length > 0;
    store.counts.signerUrls += 1;
    const ids = { id_externo_documento: idDocumento, id_externo_parte: idParte };
    if (!pending)
      return ok('URL de validação', {
        url: `${sim.baseUrl}/validacao/${encodeURIComponent(idParte)}`,
        assinatura: 0,
        validacao: 1,
        ...ids,
      });
    const accessToken = crypto.randomUUID();
    return ok('URL de assinatura', {
      url: `${sim.baseUrl}/assinatura/${accessToken}`,
      assinatura: 1,
      validacao: 0,
      token: accessToken,
      dt_expiracao_token: formatDate(now() + signerTokenTtlMs),
      ...ids,
    });
  });

  sim.controlRoute('POST', '/_simulator/sign', (req) => {
    const body = (req.json() ?? {}) as Record<string, unknown>;
    try {
      const doc = store.document(parse(externalId, body['id_externo_documento']));
      if (body['id_externo_parte'] === undefined) store.signAll(doc);
      else store.sign(doc, store.signer(doc, parse(externalId, body['id_externo_parte'])));
      return reply(200, store.documentView(doc));
    } catch (err) {
      if (err instanceof ApiFailure)
        return reply(err.statusApi === 404 ? 404 : err.statusApi === 400 ? 400 : 409, {
          message: err.mensagem,
        });
      throw err;
    }
  });

  webhook.mount(sim);

  sim.onState(() => {
    const snapshot = store.snapshot();
    return {
      ...snapshot,
      counts: { ...snapshot.counts, ...webhook.stateCounts() },
      webhook: webhook.target(),
    };
  });
  sim.onReset(() => {
    store.reset();
    webhook.reset();
  });
  return sim;
}

/** The Assine Bem simulator's own variables. */
export const assineBemSimulatorEnv = z.object({
  /** How it reads what its document leaves open: `ours` or `other` (./store.ts). */
  SIMULATOR_ASSINEBEM_READING: z.enum(['ours', 'other']).default('ours'),
});

/** The simulator's options from the environment (`npm run simulators`), on `port`. */
export function assineBemSimulatorOptions(
  config: SimulatorConfig & z.infer<typeof assineBemSimulatorEnv>,
  port: number,
): AssineBemSimulatorOptions {
  // SIMULATOR_FAULTS is shared by every simulator: a rule naming another's route never matches here.
  const faults = config.SIMULATOR_FAULTS;
  return {
    host: config.SIMULATOR_HOST,
    port,
    token: config.ASSINEBEM_TOKEN,
    prefix: new URL(config.ASSINEBEM_BASE_URL).pathname.replace(/\/+$/, ''),
    faults,
    faultSeed: config.SIMULATOR_FAULT_SEED,
    reading: config.SIMULATOR_ASSINEBEM_READING,
    ...signingWebhookOptions(config, 'assinebem'),
    ...(config.SIMULATOR_AUTO_SIGN_MS !== undefined ? { autoSignMs: config.SIMULATOR_AUTO_SIGN_MS } : {}),
  };
}
