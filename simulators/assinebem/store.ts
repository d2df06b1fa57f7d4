/**
 * The Assine Bem simulator's state and its state machines, free of HTTP: documents and their
 * parties, signatures (by themselves after `autoSignMs`, or on demand), refusals, invalidation,
 * reminders, templates, attachments and cost centres.
 *
 * Decisions (the document is silent):
 * - A document is Pendente until its first signature, Em assinatura while others are pending, and
 *   Assinado when every party whose actions include ASSINAR has signed, in `ordem_assinatura`
 *   order (lower first; a party cannot sign before those with a lower order).
 * - A party whose name contains "Recusa" refuses: the document becomes Recusado, the party gets
 *   `recusado: 1` and no signature identifier, and nobody can sign it any more.
 * - A new party is 'Não validado' when its data is well formed (or `pessoa_preenche_dados` is 1),
 *   'Dados inválidos' otherwise; a party with invalid data cannot sign; signing makes it 'Válido'.
 * - When a party signs a document made from a template that asks for attachments, its attachments
 *   arrive (pending approval).
 */
import { createHash } from 'node:crypto';
import { IdSource } from '../kit';
import type { ParteEnvio } from '../../src/providers/assinebem/schemas';
import {
  ATTACHMENT_STATUS,
  ATTACHMENT_STATUS_DESCRIPTION,
  DOCUMENT_STATUS,
  DOCUMENT_STATUS_DESCRIPTION,
  PARTY_ACTIONS,
  PARTY_STATUS,
  PARTY_STATUS_DESCRIPTION,
  SIGN_ACTION,
  isFinalDocumentStatus,
  type AttachmentStatusId,
  type DocumentStatusId,
  type PartyStatusId,
} from '../../src/providers/assinebem/statuses';
import { TINY_PNG } from './attachments';

/**
 * How the simulator reads what the Assine Bem document leaves open (docs/providers/assinebem.md):
 * - `ours`: document status ids 1-5 and party status ids 1-3 with Portuguese descriptions, parties
 *   in `lista_partes` with their `id_referencia`, signature identifier and refusal flag, and call 5
 *   honouring `assinado=1`;
 * - `other`: another numbering and no descriptions, `lista_partes` without `id_referencia`,
 *   `identificador_assinatura` or `recusado` (only call 12 says who signed), and call 5 ignoring
 *   `assinado`. The client must work under both.
 */
export type AssineBemReading = 'ours' | 'other';

/** The `other` reading's numbering: a permutation, so our ids mean something else there. */
const OTHER_DOCUMENT_STATUS: Record<DocumentStatusId, number> = { 1: 5, 2: 4, 3: 1, 4: 2, 5: 3 };
const OTHER_PARTY_STATUS: Record<PartyStatusId, number> = { 1: 3, 2: 1, 3: 2 };

/** An answer the provider gives with `status_api` != 200. */
export class ApiFailure extends Error {
  constructor(
    readonly statusApi: number,
    readonly mensagem: string,
  ) {
    super(mensagem);
  }
}

export interface SimParty {
  id_externo: string;
  nome: string;
  rg?: string | undefined;
  cpf?: string | undefined;
  email?: string | undefined;
  ddd?: number | undefined;
  telefone?: string | undefined;
  id_tipo_telefone?: number | undefined;
  id_validacao_bloco?: number | undefined;
  identificacao_parte?: string | undefined;
  id_referencia?: string | undefined;
  pessoa_preenche_dados: boolean;
  status: PartyStatusId;
  /** novo_acesso notifications sent to this party. */
  reminders: number;
}

export interface SimSigner {
  id_externo_parte: string;
  ordem_assinatura: number;
  acoes: string[];
  identificacao_parte?: string | undefined;
  id_referencia?: string | undefined;
  notificar: boolean;
  identificador_assinatura: string;
  dt_assinatura: string | null;
  recusado: boolean;
}

export interface SimDocument {
  id_externo: string;
  identificador_documento: string;
  identificacao_arquivo: string;
  status: DocumentStatusId;
  dt_criacao: string;
  quadro_assinaturas: 0 | 1;
  id_centro_custo?: number | undefined;
  id_modelo?: number | undefined;
  campos?: Record<string, string> | undefined;
  bytes: Buffer;
  hash: string;
  signers: SimSigner[];
}

export interface SimAttachment {
  slot: number;
  id_download: number | null;
  id_externo_documento: string;
  id_externo_parte: string;
  descricao: string;
  status: AttachmentStatusId;
  extensao: string | null;
  dt_envio: string | null;
  bytes: Buffer | null;
  resendRequests: number;
}

export interface SimTemplate {
  id_externo: number;
  nome: string;
  dt_criacao: string;
  dt_alteracao: string;
  campos: Array<{ nome: string; descricao: string; tipo: string; obrigatorio: 0 | 1 }>;
  anexos: Array<{ descricao: string }>;
}

export interface SimCostCentre {
  id_centro_custo: number;
  descricao: string;
}

const TEMPLATES: SimTemplate[] = [
  {
    id_externo: 1,
    nome: 'Contrato de prestacao de servicos',
    dt_criacao: '10/01/2024 09:00:00',
    dt_alteracao: '15/03/2024 14:30:00',
    campos: [
      { nome: 'CONTRATANTE', descricao: 'Nome do contratante', tipo: 'texto', obrigatorio: 1 },
      { nome: 'VALOR', descricao: 'Valor do contrato', tipo: 'moeda', obrigatorio: 1 },
      { nome: 'OBSERVACOES', descricao: 'Observações', tipo: 'texto', obrigatorio: 0 },
    ],
    anexos: [],
  },
  {
    id_externo: 2,
    nome: 'Cedula de credito bancario com anexos',
    dt_criacao: '02/02/2024 10:00:00',
    dt_alteracao: '02/02/2024 10:00:00',
    campos: [{ nome: 'NUMERO_CCB', descricao: 'Número da CCB', tipo: 'texto', obrigatorio: 1 }],
    anexos: [{ descricao: 'Documento de identificacao' }, { descricao: 'Comprovante de residencia' }],
  },
];

const COST_CENTRES: SimCostCentre[] = [
  { id_centro_custo: 1, descricao: 'Credito pessoal' },
  { id_centro_custo: 2, descricao: 'Credito consignado' },
];

const emptyCounts = () => ({
  identifiers: 0,
  documents: 0,
  templateDocuments: 0,
  parties: 0,
  signatures: 0,
  refusals: 0,
  reminders: 0,
  invalidations: 0,
  signerUrls: 0,
  attachmentsSent: 0,
  attachmentsApproved: 0,
  attachmentsInvalidated: 0,
  attachmentResends: 0,
});

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** `DD/MM/AAAA HH:MI:SS` in Brasília time, as the document writes dates. */
export function formatDate(epochMs: number): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'America/Sao_Paulo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(epochMs));
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('day')}/${get('month')}/${get('year')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

const wellFormed = (p: Pick<SimParty, 'cpf' | 'email' | 'ddd' | 'telefone'>): boolean =>
  p.cpf !== undefined &&
  /^(\d{11}|\d{14})$/.test(p.cpf) &&
  p.email !== undefined &&
  /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(p.email) &&
  p.ddd !== undefined &&
  p.ddd >= 11 &&
  p.ddd <= 99 &&
  p.telefone !== undefined &&
  /^\d{8,9}$/.test(p.telefone);

const mustSign = (s: SimSigner) => s.acoes.includes(SIGN_ACTION);
const hasSigned = (s: SimSigner) => s.identificador_assinatura !== '';

export type SignOutcome = 'signed' | 'refused' | 'already-signed';

/** What changed in a document, as its webhook delivery names it: a signature, a refusal, the last signature. */
export type DocumentEvent = 'assinatura' | 'recusa' | 'concluido';

export class AssineBemStore {
  private ids = new IdSource();
  readonly identifiers = new Map<string, { used: boolean; id_externo_documento?: string }>();
  readonly documents = new Map<string, SimDocument>();
  readonly parties = new Map<string, SimParty>();
  readonly attachments: SimAttachment[] = [];
  readonly templates = TEMPLATES;
  readonly costCentres = COST_CENTRES;
  counts = emptyCounts();
  private readonly timers = new Map<string, Set<NodeJS.Timeout>>();

  constructor(
    private readonly options: {
      autoSignMs?: number | undefined;
      now: () => number;
      reading?: AssineBemReading;
      /** Told of every signature and refusal (by timers or on demand), then of the document's completion. */
      onEvent?: (doc: SimDocument, event: DocumentEvent) => void;
    },
  ) {}

  private get reading(): AssineBemReading {
    return this.options.reading ?? 'ours';
  }

  reset(): void {
    this.stopAllTimers();
    this.ids = new IdSource();
    this.identifiers.clear();
    this.documents.clear();
    this.parties.clear();
    this.attachments.length = 0;
    this.counts = emptyCounts();
  }

  stopAllTimers(): void {
    for (const id of [...this.timers.keys()]) this.stopTimers(id);
  }

  private stamp(): string {
    return formatDate(this.options.now());
  }

  // --- Identifiers and documents --------------------------------------------------------------

  issueIdentifier(): string {
    const identifier = this.ids.uuid();
    this.identifiers.set(identifier, { used: false });
    this.counts.identifiers += 1;
    return identifier;
  }

  /** The document already uploaded with `identifier`, if it was used; throws if it was never issued. */
  checkIdentifier(identifier: string): SimDocument | undefined {
    const entry = this.identifiers.get(identifier);
    if (!entry) throw new ApiFailure(404, 'Identificador não encontrado');
    if (!entry.used) return undefined;
    return entry.id_externo_documento === undefined
      ? undefined
      : this.documents.get(entry.id_externo_documento);
  }

  document(idExterno: string): SimDocument {
    const doc = this.documents.get(idExterno);
    if (!doc) throw new ApiFailure(404, 'Documento não encontrado');
    return doc;
  }

  costCentre(id: number | undefined): void {
    if (id !== undefined && !this.costCentres.some((c) => c.id_centro_custo === id))
      throw new ApiFailure(404, 'Centro de custo não encontrado');
  }

  template(id: number): SimTemplate {
    const t = this.templates.find((m) => m.id_externo === id);
    if (!t) throw new ApiFailure(404, 'Modelo não encontrado');
    return t;
  }

  /** Checks every party of a new document before anything is created. */
  checkSigners(list: ParteEnvio[]): void {
    const existing = list.flatMap((p) => (p.id_externo === undefined ? [] : [String(p.id_externo)]));
    for (const id of existing) if (!this.parties.has(id)) throw new ApiFailure(404, 'Parte não encontrada');
    if (new Set(existing).size !== existing.length) throw new ApiFailure(400, 'Parte repetida no documento');
  }

  createDocument(input: {
    identifier?: string;
    identificacao_arquivo: string;
    bytes: Buffer;
    quadro_assinaturas: 0 | 1;
    id_centro_custo?: number | undefined;
    template?: { id: number; campos: Record<string, string> };
    parties: ParteEnvio[];
  }): SimDocument {
    this.checkSigners(input.parties);
    const doc: SimDocument = {
      id_externo: this.ids.uuid(),
      identificador_documento: input.identifier ?? this.ids.uuid(),
      identificacao_arquivo: input.identificacao_arquivo,
      status: DOCUMENT_STATUS.PENDENTE,
      dt_criacao: this.stamp(),
      quadro_assinaturas: input.quadro_assinaturas,
      id_centro_custo: input.id_centro_custo,
      id_modelo: input.template?.id,
      campos: input.template?.campos,
      bytes: input.bytes,
      hash: sha256(input.bytes),
      signers: [],
    };
    for (const p of input.parties) doc.signers.push(this.signerFor(p));
    this.documents.set(doc.id_externo, doc);
    if (input.identifier !== undefined)
      this.identifiers.set(input.identifier, { used: true, id_externo_documento: doc.id_externo });
    this.counts.documents += 1;
    if (input.template) {
      this.counts.templateDocuments += 1;
      for (const s of doc.signers)
        this.askAttachments(doc, s.id_externo_parte, this.template(input.template.id));
    }
    this.scheduleAutoSign(doc);
    return doc;
  }

  addSigner(idExternoDocumento: string, parte: ParteEnvio): SimDocument {
    const doc = this.document(idExternoDocumento);
    if (isFinalDocumentStatus(doc.status))
      throw new ApiFailure(
        422,
        `Documento ${DOCUMENT_STATUS_DESCRIPTION[doc.status]} não aceita novas partes`,
      );
    if (parte.id_externo !== undefined) {
      if (!this.parties.has(String(parte.id_externo))) throw new ApiFailure(404, 'Parte não encontrada');
      if (doc.signers.some((s) => s.id_externo_parte === String(parte.id_externo)))
        throw new ApiFailure(409, 'Parte já vinculada ao documento');
    }
    const signer = this.signerFor(parte);
    doc.signers.push(signer);
    if (doc.id_modelo !== undefined)
      this.askAttachments(doc, signer.id_externo_parte, this.template(doc.id_modelo));
    this.scheduleAutoSign(doc);
    return doc;
  }

  private signerFor(p: ParteEnvio): SimSigner {
    const party = p.id_externo === undefined ? this.createParty(p) : this.party(String(p.id_externo));
    return {
      id_externo_parte: party.id_externo,
      ordem_assinatura: p.ordem_assinatura === undefined ? 0 : Number(p.ordem_assinatura),
      acoes: p.acoes && p.acoes.length > 0 ? p.acoes.map((a) => a.toUpperCase()) : [...PARTY_ACTIONS],
      identificacao_parte: p.identificacao_parte ?? party.identificacao_parte,
      id_referencia: p.id_referencia === undefined ? party.id_referencia : String(p.id_referencia),
      notificar: p.notificar === undefined ? true : Number(p.notificar) === 1,
      identificador_assinatura: '',
      dt_assinatura: null,
      recusado: false,
    };
  }

  invalidate(idExterno: string): string {
    const doc = this.document(idExterno);
    if (doc.status === DOCUMENT_STATUS.ASSINADO)
      throw new ApiFailure(422, 'Documento assinado não pode ser invalidado');
    if (doc.status === DOCUMENT_STATUS.INVALIDADO) return 'Documento já estava invalidado';
    if (doc.status === DOCUMENT_STATUS.RECUSADO) return 'Documento recusado não aceita novas assinaturas';
    doc.status = DOCUMENT_STATUS.INVALIDADO;
    this.stopTimers(doc.id_externo);
    this.counts.invalidations += 1;
    return 'Documento invalidado com sucesso';
  }

  /** The file with the signatures so far and a receipt marker; the original while nobody signed. */
  version(doc: SimDocument, signed: boolean): { bytes: Buffer; signed: boolean } {
    const signatures = doc.signers.filter(hasSigned).length;
    if (!signed || signatures === 0) return { bytes: doc.bytes, signed: false };
    const receipt =
      `\n%AssineBem comprovante documento=${doc.id_externo} assinaturas=${signatures}` +
      ` status=${DOCUMENT_STATUS_DESCRIPTION[doc.status]}\n%%EOF\n`;
    return { bytes: Buffer.concat([doc.bytes, Buffer.from(receipt, 'latin1')]), signed: true };
  }

  // --- Parties --------------------------------------------------------------------------------

  party(idExterno: string): SimParty {
    const p = this.parties.get(idExterno);
    if (!p) throw new ApiFailure(404, 'Parte não encontrada');
    return p;
  }

  createParty(p: ParteEnvio): SimParty {
    if (p.nome === undefined) throw new ApiFailure(400, 'Parâmetro nome é obrigatório');
    const party: SimParty = {
      id_externo: this.ids.uuid(),
      nome: p.nome,
      rg: p.rg,
      cpf: p.cpf,
      email: p.email,
      ddd: p.ddd === undefined ? undefined : Number(p.ddd),
      telefone: p.telefone === undefined ? undefined : String(p.telefone),
      id_tipo_telefone: p.id_tipo_telefone === undefined ? undefined : Number(p.id_tipo_telefone),
      id_validacao_bloco: p.id_validacao_bloco === undefined ? undefined : Number(p.id_validacao_bloco),
      identificacao_parte: p.identificacao_parte,
      id_referencia: p.id_referencia === undefined ? undefined : String(p.id_referencia),
      pessoa_preenche_dados: p.pessoa_preenche_dados !== undefined && Number(p.pessoa_preenche_dados) === 1,
      status: PARTY_STATUS.NAO_VALIDADO,
      reminders: 0,
    };
    party.status = this.dataStatus(party);
    this.parties.set(party.id_externo, party);
    this.counts.parties += 1;
    return party;
  }

  private dataStatus(p: SimParty): PartyStatusId {
    return p.pessoa_preenche_dados || wellFormed(p)
      ? PARTY_STATUS.NAO_VALIDADO
      : PARTY_STATUS.DADOS_INVALIDOS;
  }

  /** Only while 'Não validado' or 'Dados inválidos'; only changed values; ddd and telefone together. */
  updateParty(
    idExterno: string,
    changes: { rg?: string; cpf?: string; ddd?: number; telefone?: string; id_tipo_telefone?: number },
  ): { party: SimParty; changed: boolean } {
    const party = this.party(idExterno);
    if (party.status === PARTY_STATUS.VALIDO)
      throw new ApiFailure(
        422,
        "Parte só pode ser atualizada com status 'Não validado' ou 'Dados inválidos'",
      );
    let changed = false;
    const set = <K extends 'rg' | 'cpf' | 'id_tipo_telefone'>(key: K, value: SimParty[K] | undefined) => {
      if (value !== undefined && party[key] !== value) {
        party[key] = value;
        changed = true;
      }
    };
    set('rg', changes.rg);
    set('cpf', changes.cpf);
    set('id_tipo_telefone', changes.id_tipo_telefone);
    if (
      changes.ddd !== undefined &&
      changes.telefone !== undefined &&
      (party.ddd !== changes.ddd || party.telefone !== changes.telefone)
    ) {
      party.ddd = changes.ddd;
      party.telefone = changes.telefone;
      changed = true;
    }
    if (changed) {
      party.status = this.dataStatus(party);
      if (party.status === PARTY_STATUS.NAO_VALIDADO)
        for (const doc of this.pendingDocumentsOf(party.id_externo)) this.scheduleAutoSign(doc);
    }
    return { party, changed };
  }

  /** Documents still open where the party has a signature to give. */
  pendingDocumentsOf(idExternoParte: string): SimDocument[] {
    return [...this.documents.values()].filter(
      (d) =>
        !isFinalDocumentStatus(d.status) &&
        d.signers.some((s) => s.id_externo_parte === idExternoParte && mustSign(s) && !hasSigned(s)),
    );
  }

  /** novo_acesso: a reminder when the party has something to sign. */
  remind(idExterno: string): boolean {
    const party = this.parties.get(idExterno);
    if (!party || this.pendingDocumentsOf(idExterno).length === 0) return false;
    party.reminders += 1;
    this.counts.reminders += 1;
    return true;
  }

  signer(doc: SimDocument, idExternoParte: string): SimSigner {
    const s = doc.signers.find((x) => x.id_externo_parte === idExternoParte);
    if (!s) throw new ApiFailure(404, 'Parte não vinculada ao documento');
    return s;
  }

  /** Every (document, signer) with a pending signature, in creation order. */
  pendingSignatures(): Array<{ doc: SimDocument; signer: SimSigner }> {
    return [...this.documents.values()]
      .filter((d) => !isFinalDocumentStatus(d.status))
      .flatMap((doc) =>
        doc.signers.filter((s) => mustSign(s) && !hasSigned(s)).map((signer) => ({ doc, signer })),
      );
  }

  // --- Signing --------------------------------------------------------------------------------

  sign(doc: SimDocument, signer: SimSigner): SignOutcome {
    if (hasSigned(signer)) return 'already-signed';
    if (isFinalDocumentStatus(doc.status))
      throw new ApiFailure(
        422,
        `Documento ${DOCUMENT_STATUS_DESCRIPTION[doc.status]} não aceita assinaturas`,
      );
    if (!mustSign(signer)) throw new ApiFailure(422, 'Parte não assina este documento');
    const party = this.party(signer.id_externo_parte);
    if (party.status === PARTY_STATUS.DADOS_INVALIDOS)
      throw new ApiFailure(409, 'Parte com dados inválidos não pode assinar');
    const earlier = doc.signers.some(
      (s) => s !== signer && mustSign(s) && !hasSigned(s) && s.ordem_assinatura < signer.ordem_assinatura,
    );
    if (earlier) throw new ApiFailure(409, 'Aguardando assinatura de parte com ordem anterior');

    if (/recusa/i.test(party.nome)) {
      signer.recusado = true;
      doc.status = DOCUMENT_STATUS.RECUSADO;
      this.stopTimers(doc.id_externo);
      this.counts.refusals += 1;
      this.options.onEvent?.(doc, 'recusa');
      return 'refused';
    }
    signer.identificador_assinatura = this.ids.uuid();
    signer.dt_assinatura = this.stamp();
    party.status = PARTY_STATUS.VALIDO;
    this.counts.signatures += 1;
    this.sendAttachments(doc, signer.id_externo_parte);
    const allSigned = doc.signers.filter(mustSign).every(hasSigned);
    doc.status = allSigned ? DOCUMENT_STATUS.ASSINADO : DOCUMENT_STATUS.EM_ASSINATURA;
    if (allSigned) this.stopTimers(doc.id_externo);
    this.options.onEvent?.(doc, 'assinatura');
    if (allSigned) this.options.onEvent?.(doc, 'concluido');
    return 'signed';
  }

  /** Every pending signer signs, in order, until one refuses or cannot sign. */
  signAll(doc: SimDocument): void {
    const pending = doc.signers
      .filter((s) => mustSign(s) && !hasSigned(s))
      .sort((a, b) => a.ordem_assinatura - b.ordem_assinatura);
    for (const signer of pending) {
      if (isFinalDocumentStatus(doc.status)) return;
      try {
        if (this.sign(doc, signer) === 'refused') return;
      } catch (err) {
        if (err instanceof ApiFailure) return;
        throw err;
      }
    }
  }

  private scheduleAutoSign(doc: SimDocument): void {
    const ms = this.options.autoSignMs;
    if (ms === undefined || isFinalDocumentStatus(doc.status)) return;
    const set = this.timers.get(doc.id_externo) ?? new Set<NodeJS.Timeout>();
    this.timers.set(doc.id_externo, set);
    const timer = setTimeout(() => {
      set.delete(timer);
      if (this.documents.get(doc.id_externo) === doc) this.signAll(doc);
    }, ms);
    timer.unref();
    set.add(timer);
  }

  private stopTimers(idExterno: string): void {
    for (const t of this.timers.get(idExterno) ?? []) clearTimeout(t);
    this.timers.delete(idExterno);
  }

  pendingTimers(idExterno: string): number {
    return this.timers.get(idExterno)?.size ?? 0;
  }

  // --- Attachments ----------------------------------------------------------------------------

  private askAttachments(doc: SimDocument, idExternoParte: string, template: SimTemplate): void {
    for (const a of template.anexos)
      this.attachments.push({
        slot: this.ids.id(),
        id_download: null,
        id_externo_documento: doc.id_externo,
        id_externo_parte: idExternoParte,
        descricao: a.descricao,
        status: ATTACHMENT_STATUS.AGUARDANDO_ENVIO,
        extensao: null,
        dt_envio: null,
        bytes: null,
        resendRequests: 0,
      });
  }

  private sendAttachments(doc: SimDocument, idExternoParte: string): void {
    for (const a of this.attachments) {
      if (a.id_externo_documento !== doc.id_externo || a.id_externo_parte !== idExternoParte) continue;
      if (a.status !== ATTACHMENT_STATUS.AGUARDANDO_ENVIO) continue;
      a.id_download = this.ids.id();
      a.status = ATTACHMENT_STATUS.PENDENTE;
      a.extensao = 'png';
      a.dt_envio = this.stamp();
      a.bytes = TINY_PNG;
      this.counts.attachmentsSent += 1;
    }
  }

  attachmentsOf(idExternoDocumento: string, idExternoParte?: string): SimAttachment[] {
    return this.attachments.filter(
      (a) =>
        a.id_externo_documento === idExternoDocumento &&
        (idExternoParte === undefined || a.id_externo_parte === idExternoParte),
    );
  }

  attachment(idExternoDocumento: string, idDownload: number, idExternoParte?: string): SimAttachment {
    const a = this.attachments.find(
      (x) =>
        x.id_externo_documento === idExternoDocumento &&
        x.id_download === idDownload &&
        (idExternoParte === undefined || x.id_externo_parte === idExternoParte),
    );
    if (!a) throw new ApiFailure(404, 'Anexo não encontrado');
    return a;
  }

  /** Pending → approved; approving an approved attachment again is a no-op (retries are safe). */
  approveAttachment(a: SimAttachment): string {
    if (!this.settleAttachment(a, ATTACHMENT_STATUS.APROVADO, 'aprovado')) return 'Anexo já estava aprovado';
    this.counts.attachmentsApproved += 1;
    return 'Anexo aprovado com sucesso';
  }

  /** Pending → invalid; `resend` records a notification asking the signer to send it again. */
  invalidateAttachment(a: SimAttachment, resend: boolean): { mensagem: string; reenviado: 0 | 1 } {
    if (!this.settleAttachment(a, ATTACHMENT_STATUS.INVALIDO, 'invalidado'))
      return { mensagem: 'Anexo já estava invalidado', reenviado: 0 };
    this.counts.attachmentsInvalidated += 1;
    if (resend) {
      a.resendRequests += 1;
      this.counts.attachmentResends += 1;
    }
    return { mensagem: 'Anexo invalidado com sucesso', reenviado: resend ? 1 : 0 };
  }

  /**
   * Moves a pending attachment to `to`; false when it is there already (a retry). From any other
   * status it is a 422 saying the attachment cannot be `done` ("não pode ser aprovado").
   */
  private settleAttachment(a: SimAttachment, to: SimAttachment['status'], done: string): boolean {
    if (a.status === to) return false;
    if (a.status !== ATTACHMENT_STATUS.PENDENTE)
      throw new ApiFailure(
        422,
        `Anexo com status ${ATTACHMENT_STATUS_DESCRIPTION[a.status]} não pode ser ${done}`,
      );
    a.status = to;
    return true;
  }

  // --- Views (the answers' shapes) ------------------------------------------------------------

  partyView(p: SimParty, reading: AssineBemReading = this.reading) {
    const other = reading === 'other';
    return {
      id_externo: p.id_externo,
      nome: p.nome,
      rg: p.rg ?? null,
      cpf: p.cpf ?? null,
      email: p.email ?? null,
      ddd: p.ddd ?? null,
      telefone: p.telefone ?? null,
      id_tipo_telefone: p.id_tipo_telefone ?? null,
      id_validacao_bloco: p.id_validacao_bloco ?? null,
      identificacao_parte: p.identificacao_parte ?? null,
      ...(other ? {} : { id_referencia: p.id_referencia ?? null }),
      id_status: other ? OTHER_PARTY_STATUS[p.status] : p.status,
      descricao_status: other ? null : PARTY_STATUS_DESCRIPTION[p.status],
    };
  }

  documentView(doc: SimDocument, reading: AssineBemReading = this.reading) {
    const other = reading === 'other';
    return {
      id_documento_status: other ? OTHER_DOCUMENT_STATUS[doc.status] : doc.status,
      descricao_documento_status: other ? null : DOCUMENT_STATUS_DESCRIPTION[doc.status],
      identificacao_arquivo: doc.identificacao_arquivo,
      nome_arquivo: `${doc.identificacao_arquivo}.pdf`,
      dt_criacao: doc.dt_criacao,
      id_externo: doc.id_externo,
      identificador_documento: doc.identificador_documento,
      nome_arquivo_assinado:
        doc.status === DOCUMENT_STATUS.ASSINADO ? `${doc.identificacao_arquivo}_assinado.pdf` : null,
      // As in the document's example, where it is a string.
      quadro_assinaturas: String(doc.quadro_assinaturas),
      hash_arquivo: doc.hash,
      lista_partes: doc.signers.map((s) => ({
        ...this.partyView(this.party(s.id_externo_parte), reading),
        identificacao_parte: s.identificacao_parte ?? null,
        ordem_assinatura: s.ordem_assinatura,
        acoes: s.acoes,
        ...(other
          ? {}
          : {
              id_referencia: s.id_referencia ?? null,
              identificador_assinatura: s.identificador_assinatura,
              dt_assinatura: s.dt_assinatura,
              recusado: s.recusado ? 1 : 0,
            }),
      })),
    };
  }

  attachmentView(a: SimAttachment) {
    return {
      id_download: a.id_download,
      id_externo_parte: a.id_externo_parte,
      descricao: a.descricao,
      id_status_anexo: a.status,
      descricao_status_anexo: ATTACHMENT_STATUS_DESCRIPTION[a.status],
      extensao: a.extensao,
      dt_envio: a.dt_envio,
    };
  }

  /** Everything held, for `/_simulator/state` (file bytes as size and hash only). */
  snapshot() {
    return {
      identifiers: [...this.identifiers.entries()].map(([identifier, v]) => ({ identifier, ...v })),
      documents: [...this.documents.values()].map((d) => ({
        ...this.documentView(d, 'ours'),
        id_centro_custo: d.id_centro_custo ?? null,
        id_modelo: d.id_modelo ?? null,
        campos: d.campos ?? null,
        tamanho_arquivo: d.bytes.length,
        autoSignTimers: this.pendingTimers(d.id_externo),
        signers: d.signers,
      })),
      parties: [...this.parties.values()],
      attachments: this.attachments.map((a) => ({
        ...a,
        bytes: a.bytes === null ? null : { size: a.bytes.length },
      })),
      templates: this.templates,
      costCentres: this.costCentres,
      counts: { ...this.counts },
    };
  }
}
