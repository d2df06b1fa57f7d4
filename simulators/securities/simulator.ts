/**
 * A Clicksign Securities simulator: proposals rendered into a document with a PDF, signers bound to
 * documents through lists, documents that become `validated` when every list is signed, and bank
 * credit notes registered from a signed PDF. In memory, on loopback, with the kit's fault injection.
 *
 * Decisions where the reference is silent (shared with the client):
 * - a duplicate proposal or CCB `number` answers 422 `{ errors: { number: ['has already been taken'] } }`;
 * - a signer whose full_name contains "Recusa" refuses: its list gets `refused: true` and the
 *   document's status becomes `refused`;
 * - the rendered PDF is served at `GET /api/files/<key>.pdf` without the API token, as a pre-signed
 *   storage link would be;
 * - webhooks as Clicksign's platform sends them (src/providers/securities/webhook.ts): when a signer
 *   signs, `{ event: { name: 'sign' }, document: { key } }`; when one refuses, `refusal`; when the
 *   last one signs and the document closes, `auto_close` (after its `sign`). Signed with
 *   `Content-Hmac: sha256=<hex>` using SECURITIES_WEBHOOK_SECRET, to `<SIMULATOR_WEBHOOK_BASE_URL>/securities`.
 *
 * Extras besides the kit's `/_simulator/state|faults|routes|reset`:
 *   POST   /_simulator/sign {documentKey, signerKey?}   sign on demand (one signer, or every pending one)
 *   POST   /_simulator/webhook {url}                    deliver webhooks to `url` (see ../webhooks.ts)
 *   DELETE /_simulator/webhook                          stop delivering
 */
import { createHash } from 'node:crypto';
import type { SimulatorConfig } from '../shared-env';
import { simplePdf } from '../pdf';
import { IdSource, reply, SimulatorServer, type FaultRule, type SimRequest } from '../kit';
import { signingWebhookOptions, WebhookNotifier, type SigningWebhookOptions } from '../webhooks';
import {
  createBankCreditNoteFieldsSchema,
  createListSchema,
  createProposalSchema,
  createSignerSchema,
  DOCUMENT_REFUSED,
  DOCUMENT_VALIDATED,
} from '../../src/providers/securities/schemas';

export interface SecuritiesSimulatorOptions extends SigningWebhookOptions {
  host?: string;
  port?: number;
  faults?: FaultRule[];
  faultSeed?: number | undefined;
  token?: string;
  /** Bound signers sign by themselves this long after being bound; undefined = never. */
  autoSignMs?: number | undefined;
  pageSize?: number;
}

interface DocumentRecord {
  id: string;
  key: string;
  status: string;
  created_at: string;
  updated_at: string;
  pdf: Buffer;
  signedPdf?: Buffer;
}

interface SignerRecord {
  id: string;
  key: string;
  full_name: string;
  documentation?: string | undefined;
  email?: string | undefined;
  phone_number: string;
  auth: string;
  communicate_by: string;
  sign_as: string;
  birthday?: string | undefined;
  created_at: string;
  updated_at: string;
}

interface ListRecord {
  id: string;
  signer_id: string;
  document_id: string;
  key: string;
  request_signature_key: string;
  signed: boolean;
  refused: boolean;
  sign_as: string;
  created_at: string;
  updated_at: string;
}

const now = () => new Date().toISOString();

/** The rendered CCB of a proposal. */
export const renderPdf = (lines: string[]): Buffer => simplePdf(lines);

export function securitiesSimulatorOptions(
  config: SimulatorConfig,
  port: number,
): SecuritiesSimulatorOptions {
  return {
    host: config.SIMULATOR_HOST,
    port,
    autoSignMs: config.SIMULATOR_AUTO_SIGN_MS,
    faults: config.SIMULATOR_FAULTS,
    faultSeed: config.SIMULATOR_FAULT_SEED,
    token: config.SECURITIES_TOKEN,
    ...signingWebhookOptions(config, 'securities'),
  };
}

export function createSecuritiesSimulator(options: SecuritiesSimulatorOptions = {}): SimulatorServer {
  const server = new SimulatorServer('securities', options, '/api');
  const token = options.token ?? 'simulator';
  const pageSize = options.pageSize ?? 20;
  const ids = new IdSource();
  const timers = new Set<NodeJS.Timeout>();
  const webhook = new WebhookNotifier('securities', options);
  const notify = (doc: DocumentRecord, name: 'sign' | 'refusal' | 'auto_close') =>
    webhook.notify({ event: { name }, document: { key: doc.key } });
  let proposals = new Map<
    string,
    Record<string, unknown> & { id: string; number: string; documentIds: string[] }
  >();
  let documents = new Map<string, DocumentRecord>();
  let signers = new Map<string, SignerRecord>();
  let lists = new Map<string, ListRecord>();
  let notes = new Map<
    string,
    Record<string, unknown> & { id: string; number: string; documentIds: string[] }
  >();
  const counts = {
    proposals: 0,
    documents: 0,
    signers: 0,
    lists: 0,
    bankCreditNotes: 0,
    signatures: 0,
    refusals: 0,
  };

  const fileUrl = (key: string) => `${server.baseUrl}/api/files/${key}.pdf`;
  const documentJson = (d: DocumentRecord) => ({
    id: d.id,
    key: d.key,
    status: d.status,
    created_at: d.created_at,
    updated_at: d.updated_at,
    file: { url: fileUrl(d.key) },
  });
  const listJson = (l: ListRecord) => ({
    ...l,
    batch_key: null,
    url: `${server.baseUrl}/sign/${l.request_signature_key}`,
  });
  const signerJson = (s: SignerRecord, documentId?: string) => ({
    ...s,
    ...(documentId
      ? {
          lists: [...lists.values()]
            .filter((l) => l.signer_id === s.id && l.document_id === documentId)
            .map(listJson),
        }
      : {}),
  });
  const proposalJson = (p: { documentIds: string[] } & Record<string, unknown>) => {
    const { documentIds, ...rest } = p;
    return {
      ...rest,
      documents: documentIds.map((id) => documentJson(documents.get(id)!)),
      url: `${server.baseUrl}/proposals/${String(p['id'])}`,
    };
  };
  const paged = <T>(key: string, items: T[], req: SimRequest) => {
    const current = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
    const total = Math.max(1, Math.ceil(items.length / pageSize));
    return reply(200, {
      [key]: items.slice((current - 1) * pageSize, current * pageSize),
      page_infos: {
        total_pages: total,
        current_page: current,
        next_page: current < total ? current + 1 : null,
        prev_page: current > 1 ? current - 1 : null,
        'first_page?': current === 1,
        'last_page?': current >= total,
      },
    });
  };
  const invalid = (issues: Array<{ path: PropertyKey[]; message: string }>) => {
    const errors: Record<string, string[]> = {};
    for (const i of issues) (errors[i.path.map(String).join('.') || 'base'] ??= []).push(i.message);
    return reply(422, { errors });
  };
  const authorize = (req: SimRequest) =>
    req.bearer() === token ? undefined : reply(401, { message: 'Unauthorized' });
  const route = (
    method: string,
    pattern: string,
    handler: (req: SimRequest) => ReturnType<typeof reply> | Promise<ReturnType<typeof reply>>,
  ) => server.route(method, pattern, (req) => authorize(req) ?? handler(req));

  const newDocument = (pdf: Buffer, status = 'created'): DocumentRecord => {
    const d: DocumentRecord = {
      id: String(ids.id()),
      key: ids.uuid(),
      status,
      created_at: now(),
      updated_at: now(),
      pdf,
    };
    documents.set(d.id, d);
    counts.documents += 1;
    return d;
  };

  /** Closes the document when a list refused or every list signed; answers its status. */
  const settle = (documentId: string): string | undefined => {
    const doc = documents.get(documentId);
    if (!doc || doc.status !== 'created') return doc?.status;
    const bound = [...lists.values()].filter((l) => l.document_id === documentId);
    if (bound.some((l) => l.refused)) {
      doc.status = DOCUMENT_REFUSED;
      doc.updated_at = now();
    } else if (bound.length > 0 && bound.every((l) => l.signed)) {
      doc.status = DOCUMENT_VALIDATED;
      doc.signedPdf = Buffer.concat([
        doc.pdf,
        Buffer.from(`%signed by ${bound.length} signer(s) at ${now()}\n`),
      ]);
      doc.updated_at = now();
    }
    return doc.status;
  };

  const sign = (list: ListRecord) => {
    const doc = documents.get(list.document_id);
    if (!doc || doc.status !== 'created' || list.signed || list.refused) return false;
    const signer = signers.get(list.signer_id);
    if (signer?.full_name.includes('Recusa')) {
      list.refused = true;
      counts.refusals += 1;
    } else {
      list.signed = true;
      counts.signatures += 1;
    }
    list.updated_at = now();
    const status = settle(list.document_id);
    notify(doc, list.refused ? 'refusal' : 'sign');
    if (status === DOCUMENT_VALIDATED) notify(doc, 'auto_close');
    return true;
  };

  const bind = (signerId: string, documentId: string, signAs: string): ListRecord => {
    const list: ListRecord = {
      id: String(ids.id()),
      signer_id: signerId,
      document_id: documentId,
      key: ids.uuid(),
      request_signature_key: ids.uuid(),
      signed: false,
      refused: false,
      sign_as: signAs,
      created_at: now(),
      updated_at: now(),
    };
    lists.set(list.id, list);
    counts.lists += 1;
    if (options.autoSignMs !== undefined) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        sign(list);
      }, options.autoSignMs);
      timer.unref();
      timers.add(timer);
    }
    return list;
  };

  const createSigner = (req: SimRequest) => {
    const body = req.json() as { signer?: unknown } | undefined;
    const parsed = createSignerSchema.safeParse(body?.signer);
    if (!parsed.success) return { error: invalid(parsed.error.issues) };
    const s: SignerRecord = {
      id: String(ids.id()),
      key: ids.uuid(),
      full_name: parsed.data.full_name,
      documentation: parsed.data.documentation,
      email: parsed.data.email,
      phone_number: parsed.data.phone_number,
      auth: parsed.data.auth,
      communicate_by: parsed.data.communicate_by,
      sign_as: parsed.data.sign_as,
      birthday: parsed.data.birthday,
      created_at: now(),
      updated_at: now(),
    };
    signers.set(s.id, s);
    counts.signers += 1;
    return { signer: s };
  };

  // Proposals
  route('GET', '/v1/proposals', (req) => paged('proposals', [...proposals.values()].map(proposalJson), req));
  route('GET', '/v1/proposals/bynumber/:number', (req) => {
    const p = [...proposals.values()].find((x) => x.number === req.params['number']);
    return p ? reply(200, { proposal: proposalJson(p) }) : reply(404, { message: 'Proposal not found' });
  });
  route('GET', '/v1/proposals/:id', (req) => {
    const p = proposals.get(req.params['id'] ?? '');
    return p ? reply(200, { proposal: proposalJson(p) }) : reply(404, { message: 'Proposal not found' });
  });
  route('POST', '/v1/proposals', (req) => {
    const body = req.json() as { proposal?: unknown } | undefined;
    const parsed = createProposalSchema.safeParse(body?.proposal);
    if (!parsed.success) return invalid(parsed.error.issues);
    if ([...proposals.values()].some((p) => p.number === parsed.data.number)) {
      return reply(422, { errors: { number: ['has already been taken'] } });
    }
    const doc = newDocument(
      renderPdf([`CCB ${parsed.data.number}`, `Parcelas: ${parsed.data.installments}`]),
    );
    const p = {
      id: String(ids.id()),
      ...parsed.data,
      created_at: now(),
      updated_at: now(),
      documentIds: [doc.id],
    };
    proposals.set(p.id, p);
    counts.proposals += 1;
    return reply(201, { proposal: proposalJson(p) });
  });

  // Signers
  route('GET', '/v1/signers', (req) =>
    paged(
      'signers',
      [...signers.values()].map((s) => signerJson(s)),
      req,
    ),
  );
  route('GET', '/v1/signers/bykey/:key', (req) => {
    const s = [...signers.values()].find((x) => x.key === req.params['key']);
    return s ? reply(200, { signer: signerJson(s) }) : reply(404, { message: 'Signer not found' });
  });
  route('GET', '/v1/signers/:id', (req) => {
    const s = signers.get(req.params['id'] ?? '');
    return s ? reply(200, { signer: signerJson(s) }) : reply(404, { message: 'Signer not found' });
  });
  route('POST', '/v1/signers', (req) => {
    const result = createSigner(req);
    return result.error ?? reply(201, { signer: signerJson(result.signer!) });
  });
  const documentSigners = (documentId: string) =>
    [...signers.values()].filter((s) =>
      [...lists.values()].some((l) => l.signer_id === s.id && l.document_id === documentId),
    );
  route('GET', '/v1/documents/:document_id/signers', (req) => {
    const documentId = req.params['document_id'] ?? '';
    if (!documents.has(documentId)) return reply(404, { message: 'Document not found' });
    return paged(
      'signers',
      documentSigners(documentId).map((s) => signerJson(s, documentId)),
      req,
    );
  });
  route('GET', '/v1/documents/:document_id/signers/bykey/:key', (req) => {
    const documentId = req.params['document_id'] ?? '';
    const s = documentSigners(documentId).find((x) => x.key === req.params['key']);
    return s
      ? reply(200, { signer: signerJson(s, documentId) })
      : reply(404, { message: 'Signer not found' });
  });
  route('GET', '/v1/documents/:document_id/signers/:id', (req) => {
    const documentId = req.params['document_id'] ?? '';
    const s = documentSigners(documentId).find((x) => x.id === req.params['id']);
    return s
      ? reply(200, { signer: signerJson(s, documentId) })
      : reply(404, { message: 'Signer not found' });
  });
  route('POST', '/v1/documents/:document_id/signers', (req) => {
    const documentId = req.params['document_id'] ?? '';
    const doc = documents.get(documentId);
    if (!doc) return reply(404, { message: 'Document not found' });
    if (doc.status !== 'created') return reply(422, { errors: { document: ['is closed for signing'] } });
    const result = createSigner(req);
    if (result.error) return result.error;
    bind(result.signer!.id, documentId, result.signer!.sign_as);
    return reply(201, { signer: signerJson(result.signer!, documentId) });
  });

  // Lists
  route('GET', '/v1/lists', (req) => paged('lists', [...lists.values()].map(listJson), req));
  route('GET', '/v1/lists/:id', (req) => {
    const l = lists.get(req.params['id'] ?? '');
    return l ? reply(200, { list: listJson(l) }) : reply(404, { message: 'List not found' });
  });
  route('POST', '/v1/lists', (req) => {
    const body = req.json() as { list?: unknown } | undefined;
    const parsed = createListSchema.safeParse(body?.list);
    if (!parsed.success) return invalid(parsed.error.issues);
    const signerId = String(parsed.data.signer_id);
    const documentId = String(parsed.data.document_id);
    if (!signers.has(signerId)) return reply(422, { errors: { signer_id: ['not found'] } });
    const doc = documents.get(documentId);
    if (!doc) return reply(422, { errors: { document_id: ['not found'] } });
    if (doc.status !== 'created') return reply(422, { errors: { document: ['is closed for signing'] } });
    return reply(201, { list: listJson(bind(signerId, documentId, parsed.data.sign_as)) });
  });

  // Documents and files
  route('GET', '/v1/documents/bykey/:key', (req) => {
    const d = [...documents.values()].find((x) => x.key === req.params['key']);
    return d ? reply(200, { document: documentJson(d) }) : reply(404, { message: 'Document not found' });
  });
  server.route('GET', '/files/:key.pdf', (req) => {
    const d = [...documents.values()].find((x) => x.key === req.params['key']);
    if (!d) return reply(404, { message: 'File not found' });
    return { status: 200, body: d.signedPdf ?? d.pdf, headers: { 'content-type': 'application/pdf' } };
  });

  // Bank credit notes
  const noteJson = (n: { documentIds: string[] } & Record<string, unknown>) => {
    const { documentIds, fileSha256: _sha, fileSize: _size, ...rest } = n;
    return {
      ...rest,
      documents: documentIds.map((id) => documentJson(documents.get(id)!)),
      url: `${server.baseUrl}/ccbs/${String(n['id'])}`,
    };
  };
  route('GET', '/v1/bank_credit_notes', (req) => {
    const number = req.query.get('number');
    const all = [...notes.values()].filter((n) => !number || n.number === number);
    return paged('bank_credit_notes', all.map(noteJson), req);
  });
  route('GET', '/v1/bank_credit_notes/bynumber/:number', (req) => {
    const n = [...notes.values()].find((x) => x.number === req.params['number']);
    return n
      ? reply(200, { bank_credit_note: noteJson(n) })
      : reply(404, { message: 'Bank credit note not found' });
  });
  route('GET', '/v1/bank_credit_notes/:id', (req) => {
    const n = notes.get(req.params['id'] ?? '');
    return n
      ? reply(200, { bank_credit_note: noteJson(n) })
      : reply(404, { message: 'Bank credit note not found' });
  });
  route('POST', '/v1/bank_credit_notes', async (req) => {
    const form = await req.form();
    const file = form.get('file');
    if (!(file instanceof Blob) || file.size === 0)
      return reply(422, { errors: { file: ["can't be blank"] } });
    let documentData: unknown;
    try {
      documentData = JSON.parse(String(form.get('document_data') ?? ''));
    } catch {
      return reply(422, { errors: { document_data: ['must be JSON'] } });
    }
    const parsed = createBankCreditNoteFieldsSchema.safeParse({
      signed: form.get('signed') === 'true',
      signature_provider: form.get('signature_provider'),
      number: form.get('number'),
      issuer_full_name: form.get('issuer_full_name'),
      issuer_document: form.get('issuer_document'),
      installments: Number(form.get('installments')),
      document_data: documentData,
    });
    if (!parsed.success) return invalid(parsed.error.issues);
    if ([...notes.values()].some((n) => n.number === parsed.data.number)) {
      return reply(422, { errors: { number: ['has already been taken'] } });
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    if (!bytes.subarray(0, 5).equals(Buffer.from('%PDF-')))
      return reply(422, { errors: { file: ['must be a PDF'] } });
    const doc = newDocument(bytes, parsed.data.signed ? DOCUMENT_VALIDATED : 'created');
    const n = {
      id: String(ids.id()),
      ...parsed.data,
      created_at: now(),
      updated_at: now(),
      documentIds: [doc.id],
      fileSize: bytes.length,
      fileSha256: createHash('sha256').update(bytes).digest('hex'),
    };
    notes.set(n.id, n);
    counts.bankCreditNotes += 1;
    return reply(201, { bank_credit_note: noteJson(n) });
  });

  // Simulator-only: sign on demand.
  server.controlRoute('POST', '/_simulator/sign', (req) => {
    const body = (req.json() ?? {}) as { documentKey?: string; signerKey?: string };
    const doc = [...documents.values()].find((d) => d.key === body.documentKey);
    if (!doc) return reply(404, { message: 'no document with that documentKey' });
    const pending = [...lists.values()].filter(
      (l) =>
        l.document_id === doc.id && (!body.signerKey || signers.get(l.signer_id)?.key === body.signerKey),
    );
    const signed = pending.filter(sign).length;
    return reply(200, { signed, status: doc.status });
  });

  webhook.mount(server);

  server.onState(() => ({
    counts: { ...counts, ...webhook.stateCounts() },
    webhook: webhook.target(),
    proposals: [...proposals.values()].map(proposalJson),
    documents: [...documents.values()].map((d) => ({
      ...documentJson(d),
      fileSize: d.pdf.length,
      signed: d.signedPdf !== undefined,
    })),
    signers: [...signers.values()].map((s) => ({ id: s.id, key: s.key, sign_as: s.sign_as })),
    lists: [...lists.values()].map(listJson),
    bankCreditNotes: [...notes.values()].map((n) => ({
      ...noteJson(n),
      fileSize: n['fileSize'],
      fileSha256: n['fileSha256'],
    })),
  }));
  server.onReset(() => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    proposals = new Map();
    documents = new Map();
    signers = new Map();
    lists = new Map();
    notes = new Map();
    for (const k of Object.keys(counts) as Array<keyof typeof counts>) counts[k] = 0;
    webhook.reset();
  });
  const close = server.close.bind(server);
  server.close = async () => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    await webhook.drain();
    await close();
  };
  return server;
}
