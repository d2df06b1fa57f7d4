/**
 * The simulated Signio's memory and its state machines (see src/providers/signio/statuses.ts):
 * tokens, transactions (envelopes) with their documents, contacts, links and signatures, templates
 * and TVE notes. Pure logic, no HTTP: simulator.ts maps routes onto these methods and failures onto
 * `codigo` answers.
 *
 * Decisions where the document is silent:
 * - Documents, contacts, links and order can be changed only while the transaction is
 *   En Elaboración (05 otherwise), as the document allows deleting and editing only then.
 * - Distributing needs at least one document and every contact (but "Notificado" ones) linked to
 *   one; otherwise 05 with `errores` naming what is missing.
 * - Signing is serial by `orden` (6.9): the lowest pending `orden` signs first, equal orders sign
 *   together. A contact signs every document it is linked to for signature (not as attachment).
 * - Registering the same identification twice in one transaction answers 05: retried
 *   registrations must look the contact up in 6.11 first instead of adding a second signer.
 * - A deduplication key stays bound to its transaction even once deleted: creating with it again
 *   answers that transaction's id (and later calls on it answer 06). That is one reading of
 *   "permite crear sobres duplicados para un mismo proceso"; with `duplicateKeys: 'allowed'`, the
 *   other: the key is kept and every creation makes a new transaction.
 * - Returning (devolver) discards the signatures made so far: the documents may change.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { simplePdf } from '../pdf';
import type { SignioCode } from '../../src/providers/signio/codes';
import type { z } from 'zod';
import type {
  createTransactionRequestSchema,
  StampPosition,
  TemplateValues,
  TransactionStateCode,
} from '../../src/providers/signio/schemas';
import { ENVELOPE_STATUS_NAMES, TRANSACTION_STATES } from '../../src/providers/signio/statuses';

/** A 6.5 request as the simulator validated it. */
type CreateTransactionFields = z.output<typeof createTransactionRequestSchema>;

export class SignioFailure extends Error {
  constructor(
    readonly code: Exclude<SignioCode, '00'>,
    message: string,
    readonly errors?: Record<string, string[]>,
    /** Most failures travel in HTTP 200 answers; a request with no token at all is a 401. */
    readonly httpStatus = 200,
  ) {
    super(message);
  }
}

export interface SimTemplate {
  id: number;
  name: string;
  description?: string;
  type: 'PLL' | 'XFORM';
  status: 1 | 2;
  protected: boolean;
  roles: string;
  /** Names of the inputs a document made from it has. */
  fields: string[];
  createdAt?: string;
}

interface SimToken {
  token: string;
  tenant: string;
  expiresAt: number;
  revoked: boolean;
}

export interface SimDocument {
  id: string;
  transactionId: string;
  nombre: string;
  contentType: string;
  size: number;
  sha256: string;
  bytes: Buffer;
  protected: boolean;
  origin: 'upload' | 'template' | 'tve';
  metatags?: unknown;
  templateId?: number;
  fields?: TemplateValues;
  tve?: Record<string, unknown>;
}

export interface SimContact {
  id: string;
  transactionId: string;
  nombre: string;
  tipo_identificacion: string;
  identificacion: string;
  email: string;
  orden: number;
  aprobador: boolean;
  tipo_firma: number;
  enable_comments: boolean;
  notificado: boolean;
  on_premise_signature: boolean | undefined;
  extra: Record<string, unknown>;
}

interface SimLink {
  id_firmante: string;
  id_documento: string;
  attachment: boolean;
  stamps: StampPosition[];
  operation_rol?: string;
}

interface SimSignature {
  id_firmante: string;
  id_documento: string;
  aprobador: boolean;
  fecha_firma: string;
}

export interface SimTransaction {
  id: string;
  nombre: string;
  mensaje?: string;
  external_id?: string;
  deduplicationKey?: string;
  estado: TransactionStateCode;
  deletedAt?: number;
  onPremise: boolean;
  tags: string[];
  options: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  documents: string[];
  contacts: string[];
  links: SimLink[];
  signatures: SimSignature[];
  rejection?: { id_firmante: string; at: string };
}

/** What changed in a transaction: a contact signed, one rejected it, the last one signed. */
export type TransactionEvent = 'signed' | 'rejected' | 'completed';

export interface StoreOptions {
  email: string;
  password: string;
  tenants: string[];
  tokenTtlSeconds: number | undefined;
  autoSignMs: number | undefined;
  maxDocumentBytes: number;
  templates: SimTemplate[];
  tags: string[];
  baseTransactions: string[];
  /** How `envelopeDeduplicationKey` is read: a repeated key answers the first transaction (default), or makes another. */
  duplicateKeys?: 'deduplicated' | 'allowed' | undefined;
  now: () => number;
  /** Told of every signature and rejection (by timers or on demand), after the state changed. */
  onEvent?: ((tx: SimTransaction, event: TransactionEvent) => void) | undefined;
}

const DEFAULT_TOKEN_TTL_S = 120 * 60;

/** Signio ids for documents and contacts are long encrypted strings. */
const opaque = () => randomBytes(48).toString('base64url');

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** `YYYY-MM-DDTHH:mm:ss+00:00`, the "UTC +00:00" the document announces. */
export const utc = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

export class SignioStore {
  private tokens = new Map<string, SimToken>();
  readonly transactions = new Map<string, SimTransaction>();
  readonly documents = new Map<string, SimDocument>();
  readonly contacts = new Map<string, SimContact>();
  private keys = new Map<string, string>();
  private baseIds: Array<{ id: string; nombre: string }> = [];
  private timers = new Map<string, NodeJS.Timeout>();
  counts = { transactions: 0, documents: 0, signers: 0, links: 0, signatures: 0, tokens: 0 };

  constructor(readonly options: StoreOptions) {
    this.seed();
  }

  private seed(): void {
    this.baseIds = this.options.baseTransactions.map((nombre) => ({ id: randomUUID(), nombre }));
  }

  reset(): void {
    this.stopAll();
    this.tokens.clear();
    this.transactions.clear();
    this.documents.clear();
    this.contacts.clear();
    this.keys.clear();
    this.counts = { transactions: 0, documents: 0, signers: 0, links: 0, signatures: 0, tokens: 0 };
    this.seed();
  }

  stopAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  // --- Tokens ---------------------------------------------------------------------------------

  private checkCredentials(email: string, password: string): void {
    if (email !== this.options.email || password !== this.options.password)
      throw new SignioFailure('01', 'Usuario o contraseña inválidos');
  }

  private issue(tenant: string, ttlSeconds: number): SimToken {
    const token: SimToken = {
      token: randomBytes(32).toString('base64url'),
      tenant,
      expiresAt: this.options.now() + ttlSeconds * 1000,
      revoked: false,
    };
    this.tokens.set(token.token, token);
    this.counts.tokens += 1;
    return token;
  }

  /** 6.1: a token for the user's first tenant. */
  createToken(email: string, password: string): string {
    this.checkCredentials(email, password);
    const tenant = this.options.tenants[0] ?? 'default';
    return this.issue(tenant, this.options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_S).token;
  }

  /** 6.21: one token per tenant, living `ttl` minutes (or the simulator's `tokenTtlSeconds`). */
  authenticate(email: string, password: string, ttlMinutes: number | undefined): SimToken[] {
    this.checkCredentials(email, password);
    const seconds = this.options.tokenTtlSeconds ?? (ttlMinutes ?? 120) * 60;
    return this.options.tenants.map((tenant) => this.issue(tenant, seconds));
  }

  /** Throws 01 unless the token was issued here, is not revoked and has not expired. */
  checkToken(token: string | undefined): void {
    const t = token === undefined ? undefined : this.tokens.get(token);
    if (!t || t.revoked || this.options.now() >= t.expiresAt) throw new SignioFailure('01', 'Token inválido');
  }

  revokeTokens(): number {
    let n = 0;
    for (const t of this.tokens.values())
      if (!t.revoked) {
        t.revoked = true;
        n += 1;
      }
    return n;
  }

  // --- Transactions ---------------------------------------------------------------------------

  /** A live transaction, or 06. */
  transaction(id: string): SimTransaction {
    const tx = this.transactions.get(id);
    if (!tx || tx.deletedAt !== undefined) throw new SignioFailure('06', 'Transacción no encontrada');
    return tx;
  }

  private editable(tx: SimTransaction): void {
    if (tx.estado !== 1)
      throw new SignioFailure(
        '05',
        `La transacción está ${TRANSACTION_STATES[tx.estado]}, no En Elaboración`,
      );
  }

  private touch(tx: SimTransaction): void {
    tx.updatedAt = Math.max(this.options.now(), tx.updatedAt);
  }

  listTransactions(estado: number): SimTransaction[] {
    return [...this.live()].filter((t) => estado === 0 || t.estado === estado);
  }

  *live(): Iterable<SimTransaction> {
    for (const t of this.transactions.values()) if (t.deletedAt === undefined) yield t;
  }

  listBaseTransactions(): Array<{ id: string; nombre: string }> {
    return this.baseIds;
  }

  /**
   * 6.5; with a key already used, the transaction created with it (nothing new). The fields the
   * simulator does not act on are kept as the transaction's options.
   */
  createTransaction(request: CreateTransactionFields): { id: string; existing: boolean } {
    const {
      envelopeDeduplicationKey: key,
      nombre,
      mensaje,
      external_id,
      id_transaccion_base,
      on_premise_signature,
      tags = [],
      ...options
    } = request;
    if (key !== undefined && this.options.duplicateKeys !== 'allowed') {
      const existing = this.keys.get(key);
      if (existing !== undefined) return { id: existing, existing: true };
    }
    if (id_transaccion_base !== undefined && !this.baseIds.some((b) => b.id === id_transaccion_base))
      throw new SignioFailure('06', 'Transacción base no encontrada');
    const known = new Set(this.options.tags.map((t) => t.toLowerCase()));
    const unknownTags = tags.filter((t) => !known.has(t.toLowerCase()));
    if (unknownTags.length > 0)
      throw new SignioFailure('05', 'Contenido no procesable', { tags: ['contiene tags no registrados'] });
    const now = this.options.now();
    const tx: SimTransaction = {
      id: randomUUID(),
      nombre,
      ...(mensaje !== undefined ? { mensaje } : {}),
      ...(external_id !== undefined ? { external_id } : {}),
      ...(key !== undefined ? { deduplicationKey: key } : {}),
      estado: 1,
      onPremise: on_premise_signature === 1,
      tags,
      options,
      createdAt: now,
      updatedAt: now,
      documents: [],
      contacts: [],
      links: [],
      signatures: [],
    };
    this.transactions.set(tx.id, tx);
    if (key !== undefined) this.keys.set(key, tx.id);
    this.counts.transactions += 1;
    return { id: tx.id, existing: false };
  }

  // --- Documents ------------------------------------------------------------------------------

  private addDocument(
    tx: SimTransaction,
    doc: Omit<SimDocument, 'id' | 'transactionId' | 'size' | 'sha256' | 'protected'>,
  ): SimDocument {
    if (doc.bytes.length > this.options.maxDocumentBytes)
      throw new SignioFailure('05', 'Contenido no procesable', { documento: ['supera el tamaño permitido'] });
    const created: SimDocument = {
      ...doc,
      id: opaque(),
      transactionId: tx.id,
      size: doc.bytes.length,
      sha256: sha256(doc.bytes),
      protected: false,
    };
    this.documents.set(created.id, created);
    tx.documents.push(created.id);
    this.counts.documents += 1;
    this.touch(tx);
    return created;
  }

  uploadDocument(
    transactionId: string,
    file: { nombre: string; contentType: string; bytes: Buffer },
    metatags: unknown,
  ): SimDocument {
    const tx = this.transaction(transactionId);
    this.editable(tx);
    if (file.bytes.length === 0)
      throw new SignioFailure('05', 'Contenido no procesable', { documento: ['el archivo está vacío'] });
    return this.addDocument(tx, {
      ...file,
      origin: 'upload',
      ...(metatags !== undefined ? { metatags } : {}),
    });
  }

  /** A document of a live transaction, or 06. */
  document(id: string, transactionId?: string): SimDocument {
    const doc = this.documents.get(id);
    if (!doc || (transactionId !== undefined && doc.transactionId !== transactionId))
      throw new SignioFailure('06', 'Documento no encontrado');
    this.transaction(doc.transactionId);
    return doc;
  }

  protectDocument(id: string, protect: boolean): void {
    const doc = this.document(id);
    doc.protected = protect;
    this.touch(this.transaction(doc.transactionId));
  }

  /** The bytes behind a document's public path: signed once the transaction is Firmada. */
  file(id: string): { doc: SimDocument; bytes: Buffer; signed: boolean } {
    const doc = this.document(id);
    const tx = this.transaction(doc.transactionId);
    if (tx.estado !== 3) return { doc, bytes: doc.bytes, signed: false };
    if (doc.protected) throw new SignioFailure('05', 'Documento protegido: no puede descargarse');
    const signers = tx.signatures.filter((s) => s.id_documento === doc.id).length;
    const stamp = `\n%Signio simulador: firmado ${utc(tx.updatedAt)} firmas=${signers} sha256=${doc.sha256}\n`;
    return { doc, bytes: Buffer.concat([doc.bytes, Buffer.from(stamp, 'latin1')]), signed: true };
  }

  // --- Contacts and links ---------------------------------------------------------------------

  registerContact(
    transactionId: string,
    c: Omit<SimContact, 'id' | 'transactionId' | 'orden'> & { orden: number | undefined },
  ): SimContact {
    const tx = this.transaction(transactionId);
    this.editable(tx);
    const duplicate = tx.contacts
      .map((id) => this.contacts.get(id))
      .some(
        (o) => o && o.tipo_identificacion === c.tipo_identificacion && o.identificacion === c.identificacion,
      );
    if (duplicate)
      throw new SignioFailure('05', 'Contenido no procesable', {
        identificacion: ['ya registrada en la transacción'],
      });
    const contact: SimContact = {
      ...c,
      id: opaque(),
      transactionId,
      orden: c.orden ?? tx.contacts.length + 1,
    };
    this.contacts.set(contact.id, contact);
    tx.contacts.push(contact.id);
    this.counts.signers += 1;
    this.touch(tx);
    return contact;
  }

  contact(id: string, transactionId: string): SimContact {
    const c = this.contacts.get(id);
    if (!c || c.transactionId !== transactionId) throw new SignioFailure('06', 'Firmante no encontrado');
    return c;
  }

  link(
    transactionId: string,
    l: {
      id_firmante: string;
      id_documento: string;
      attachment: boolean;
      stamps: StampPosition[];
      operation_rol?: string;
    },
  ): void {
    const tx = this.transaction(transactionId);
    this.contact(l.id_firmante, tx.id);
    this.document(l.id_documento, tx.id);
    this.editable(tx);
    // Linking the same pair again replaces the link: a retried call changes nothing.
    const i = tx.links.findIndex((x) => x.id_firmante === l.id_firmante && x.id_documento === l.id_documento);
    if (i >= 0) tx.links[i] = l;
    else {
      tx.links.push(l);
      this.counts.links += 1;
    }
    this.touch(tx);
  }

  changeOrder(transactionId: string, contactId: string, orden: number): void {
    const tx = this.transaction(transactionId);
    const c = this.contact(contactId, tx.id);
    this.editable(tx);
    c.orden = orden;
    this.touch(tx);
  }

  // --- Lifecycle ------------------------------------------------------------------------------

  distribute(transactionId: string): void {
    const tx = this.transaction(transactionId);
    this.editable(tx);
    const errors: Record<string, string[]> = {};
    if (tx.documents.length === 0) errors['documentos'] = ['la transacción no tiene documentos'];
    const contacts = tx.contacts.map((id) => this.contacts.get(id)).filter((c): c is SimContact => !!c);
    if (this.requiredSigners(tx).length === 0)
      errors['firmantes'] = ['no hay firmantes vinculados a documentos'];
    if (contacts.some((c) => !c.notificado && !tx.links.some((l) => l.id_firmante === c.id)))
      errors['vinculos'] = ['hay firmantes sin documentos vinculados'];
    if (Object.keys(errors).length > 0) throw new SignioFailure('05', 'Contenido no procesable', errors);
    tx.estado = 2;
    this.touch(tx);
    this.scheduleAutoSign(tx);
  }

  returnTransaction(transactionId: string): void {
    const tx = this.transaction(transactionId);
    if (tx.estado !== 2 && tx.estado !== 7)
      throw new SignioFailure(
        '05',
        `La transacción está ${TRANSACTION_STATES[tx.estado]}: no puede devolverse`,
      );
    this.stop(tx.id);
    tx.estado = 1;
    tx.signatures = [];
    this.touch(tx);
  }

  deleteTransaction(transactionId: string): void {
    const tx = this.transaction(transactionId);
    this.editable(tx);
    this.stop(tx.id);
    tx.deletedAt = this.options.now();
  }

  /** Contacts who must sign: not "Notificado", linked to a document for signature. */
  private requiredSigners(tx: SimTransaction): SimContact[] {
    return tx.contacts
      .map((id) => this.contacts.get(id))
      .filter(
        (c): c is SimContact =>
          !!c && !c.notificado && tx.links.some((l) => l.id_firmante === c.id && !l.attachment),
      );
  }

  private pendingSigners(tx: SimTransaction): SimContact[] {
    return this.requiredSigners(tx).filter((c) =>
      tx.links.some(
        (l) =>
          l.id_firmante === c.id &&
          !l.attachment &&
          !tx.signatures.some((s) => s.id_firmante === c.id && s.id_documento === l.id_documento),
      ),
    );
  }

  /**
   * One contact signs (or, named "Recusa...", rejects); without a contact, every pending contact in
   * `orden` order until one rejects. Only in Pendiente de Firma.
   */
  sign(transactionId: string, contactId?: string, reject = false): TransactionStateCode {
    const tx = this.transaction(transactionId);
    if (tx.estado !== 2)
      throw new SignioFailure(
        '05',
        `La transacción está ${TRANSACTION_STATES[tx.estado]}, no Pendiente de Firma`,
      );
    const pending = this.pendingSigners(tx).sort((a, b) => a.orden - b.orden);
    const targets = contactId === undefined ? pending : pending.filter((c) => c.id === contactId);
    if (contactId !== undefined && targets.length === 0) {
      this.contact(contactId, tx.id);
      throw new SignioFailure('05', 'El firmante no tiene firmas pendientes');
    }
    for (const c of targets) {
      this.signOne(tx, c, reject);
      if (tx.estado !== 2) break;
    }
    return tx.estado;
  }

  private signOne(tx: SimTransaction, c: SimContact, reject: boolean): void {
    const at = utc(this.options.now());
    if (reject || c.nombre.includes('Recusa')) {
      tx.estado = 4;
      tx.rejection = { id_firmante: c.id, at };
      this.stop(tx.id);
      this.touch(tx);
      this.options.onEvent?.(tx, 'rejected');
      return;
    }
    for (const l of tx.links) {
      if (l.id_firmante !== c.id || l.attachment) continue;
      if (tx.signatures.some((s) => s.id_firmante === c.id && s.id_documento === l.id_documento)) continue;
      tx.signatures.push({
        id_firmante: c.id,
        id_documento: l.id_documento,
        aprobador: c.aprobador,
        fecha_firma: at,
      });
      this.counts.signatures += 1;
    }
    if (this.pendingSigners(tx).length === 0) {
      tx.estado = 3;
      this.stop(tx.id);
    }
    this.touch(tx);
    this.options.onEvent?.(tx, tx.estado === 3 ? 'completed' : 'signed');
  }

  /** Every `autoSignMs`, the pending contacts with the lowest `orden` sign. */
  private scheduleAutoSign(tx: SimTransaction): void {
    const delay = this.options.autoSignMs;
    if (delay === undefined) return;
    this.stop(tx.id);
    const timer = setTimeout(() => {
      this.timers.delete(tx.id);
      if (tx.estado !== 2 || tx.deletedAt !== undefined) return;
      const pending = this.pendingSigners(tx);
      const first = Math.min(...pending.map((c) => c.orden));
      for (const c of pending.filter((p) => p.orden === first)) {
        this.signOne(tx, c, false);
        if (tx.estado !== 2) return;
      }
      this.scheduleAutoSign(tx);
    }, delay);
    timer.unref();
    this.timers.set(tx.id, timer);
  }

  private stop(transactionId: string): void {
    const t = this.timers.get(transactionId);
    if (t) clearTimeout(t);
    this.timers.delete(transactionId);
  }

  // --- Templates and TVE ----------------------------------------------------------------------

  template(id: number): SimTemplate {
    const t = this.options.templates.find((x) => x.id === id);
    if (!t) throw new SignioFailure('06', 'Plantilla no encontrada');
    return t;
  }

  /** 6.18: the template becomes a document, an attachment for every contact already present. */
  useTemplate(transactionId: string, templateId: number, fields: TemplateValues = {}): SimDocument {
    const tx = this.transaction(transactionId);
    const template = this.template(templateId);
    this.editable(tx);
    if (template.status !== 1) throw new SignioFailure('05', 'La plantilla está inactiva');
    const doc = this.addDocument(tx, {
      nombre: `${template.name}.pdf`,
      contentType: 'application/pdf',
      bytes: templatePdf(template, fields),
      origin: 'template',
      templateId,
      fields: { ...fields },
    });
    for (const id of tx.contacts) {
      tx.links.push({ id_firmante: id, id_documento: doc.id, attachment: true, stamps: [] });
      this.counts.links += 1;
    }
    return doc;
  }

  updateTemplateValues(transactionId: string, documentId: string, fields: TemplateValues): SimDocument {
    const tx = this.transaction(transactionId);
    const doc = this.document(documentId, tx.id);
    if (doc.origin !== 'template') throw new SignioFailure('06', 'Documento plantilla no encontrado');
    this.editable(tx);
    doc.fields = { ...doc.fields, ...fields };
    doc.bytes = templatePdf(this.template(doc.templateId ?? 0), doc.fields);
    doc.size = doc.bytes.length;
    doc.sha256 = sha256(doc.bytes);
    this.touch(tx);
    return doc;
  }

  templateFields(
    transactionId: string,
  ): Array<{ name: string; value: string | number | null; document_id: string }> {
    const tx = this.transaction(transactionId);
    const out: Array<{ name: string; value: string | number | null; document_id: string }> = [];
    for (const id of tx.documents) {
      const doc = this.documents.get(id);
      if (!doc || doc.origin !== 'template') continue;
      for (const name of this.template(doc.templateId ?? 0).fields)
        out.push({ name, value: doc.fields?.[name] ?? null, document_id: doc.id });
    }
    return out;
  }

  loadTve(
    transactionId: string,
    terms: Record<string, unknown>,
    file: { nombre: string; bytes: Buffer } | undefined,
  ): SimDocument {
    const tx = this.transaction(transactionId);
    this.editable(tx);
    const templateId = Number(terms['template_id']);
    if (templateId !== 0) this.template(templateId);
    const bytes = file?.bytes ?? templatePdf(this.template(templateId), {});
    return this.addDocument(tx, {
      nombre: file?.nombre ?? `pagare-${String(terms['consecutive'] ?? templateId)}.pdf`,
      contentType: 'application/pdf',
      bytes,
      origin: 'tve',
      tve: terms,
    });
  }

  editTve(transactionId: string, documentId: string, terms: Record<string, unknown>): SimDocument {
    const tx = this.transaction(transactionId);
    const doc = this.document(documentId, tx.id);
    if (doc.origin !== 'tve') throw new SignioFailure('06', 'Pagaré no encontrado');
    this.editable(tx);
    doc.tve = { ...doc.tve, ...terms };
    this.touch(tx);
    return doc;
  }

  /** 6.24: only for a contact of a distributed envelope, when envelope and contact allow on-site signing. */
  onPremiseSigner(transactionId: string, tipo: string, identificacion: string): SimContact {
    const tx = this.transaction(transactionId);
    const contact = tx.contacts
      .map((id) => this.contacts.get(id))
      .find((c) => c && c.tipo_identificacion === tipo && c.identificacion === identificacion);
    if (!contact) throw new SignioFailure('06', 'Firmante no encontrado en el sobre');
    if (tx.estado !== 2) throw new SignioFailure('05', 'El sobre no está Pendiente de Firma');
    if (!tx.onPremise || contact.on_premise_signature === false)
      throw new SignioFailure('05', 'La firma en sitio no está habilitada para el sobre y el firmante');
    return contact;
  }

  // --- Views ----------------------------------------------------------------------------------

  /** 6.11 answer body (without codigo/mensaje). */
  view(tx: SimTransaction, fileUrl: (doc: SimDocument) => string): Record<string, unknown> {
    return {
      id_transaccion: tx.id,
      nombre: tx.nombre,
      ciclo_aprobacion: tx.options['ciclo_aprobacion'] ?? 0,
      estado: tx.estado,
      external_id: tx.external_id ?? null,
      documentos: tx.documents.map((id) => {
        const doc = this.documents.get(id) as SimDocument;
        return { id_documento: doc.id, nombre: doc.nombre, path: fileUrl(doc) };
      }),
      contactos: tx.contacts.map((id) => {
        const c = this.contacts.get(id) as SimContact;
        return {
          id_contacto: c.id,
          tipo_identificacion: c.tipo_identificacion,
          identificacion: c.identificacion,
          nombre: c.nombre,
          email: c.email,
          orden: c.orden,
          tipo_firma: c.tipo_firma,
          aprobador: c.aprobador ? 1 : 0,
          enable_comments: c.enable_comments,
        };
      }),
      firmas: tx.signatures.map((s) => ({ ...s, aprobador: s.aprobador ? 1 : 0 })),
    };
  }

  envelopeSummary(tx: SimTransaction): Record<string, unknown> {
    return {
      id: tx.id,
      name: tx.nombre,
      status: ENVELOPE_STATUS_NAMES[tx.estado],
      created_at: utc(tx.createdAt),
      updated_at: utc(tx.updatedAt),
      documents_count: tx.documents.length,
    };
  }

  /** Everything held, for `/_simulator/state` (document bytes as size and sha256; token values never). */
  snapshot(): Record<string, unknown> {
    return {
      counts: { ...this.counts },
      transactions: [...this.transactions.values()].map((tx) => ({
        id: tx.id,
        nombre: tx.nombre,
        external_id: tx.external_id,
        envelopeDeduplicationKey: tx.deduplicationKey,
        estado: tx.estado,
        estadoNombre: tx.deletedAt !== undefined ? 'Eliminada' : TRANSACTION_STATES[tx.estado],
        deleted: tx.deletedAt !== undefined,
        onPremise: tx.onPremise,
        tags: tx.tags,
        createdAt: utc(tx.createdAt),
        updatedAt: utc(tx.updatedAt),
        documents: tx.documents.map((id) => {
          const { bytes: _bytes, ...doc } = this.documents.get(id) as SimDocument;
          return doc;
        }),
        contacts: tx.contacts.map((id) => this.contacts.get(id)),
        links: tx.links,
        signatures: tx.signatures,
        rejection: tx.rejection,
      })),
      deduplicationKeys: Object.fromEntries(this.keys),
      baseTransactions: this.baseIds,
      tokens: [...this.tokens.values()].map((t) => ({
        tenant: t.tenant,
        expiresAt: utc(t.expiresAt),
        revoked: t.revoked,
      })),
    };
  }
}

/** A small valid one-page PDF listing a template's values: enough for the simulator's documents. */
export function templatePdf(template: SimTemplate, fields: TemplateValues): Buffer {
  return simplePdf([template.name, ...Object.entries(fields).map(([k, v]) => `${k}: ${String(v)}`)]);
}
