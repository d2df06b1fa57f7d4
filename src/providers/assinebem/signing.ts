/**
 * Assine Bem as a SignatureProvider: the rendered CCB is uploaded by URL with its parties, whether
 * each party signed is read from call 12, reminders are "novo acesso" notifications, cancelling
 * invalidates (never a document every party signed), and the signed file comes from call 4.
 *
 * Idempotency: the upload identifier comes from Assine Bem, so it is obtained first (`prepare`)
 * and recorded in the workflow's history before the upload; a retried upload reuses it and the
 * provider answers with the document it already created. Without a prepared identifier (an
 * onboarding started before `prepare` existed) it is kept in the activity's checkpoint, and a retry
 * without one first searches the pending signatures for a document with this onboarding's file
 * name (`identificacao_arquivo`). Across resets, the activity finds the
 * document an earlier run sent and `find` takes it up again.
 *
 * Lookup (`findSent`): the same search of the pending signatures (call 13), the only list the
 * document offers; it has no lookup by identifier, file name or party reference. Decision: a
 * document is found while someone still has to sign it; one every party signed, or one refused or
 * invalidated, is no longer listed, so "nothing found" is not conclusive.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { CcbDocumentSource } from '../../signing/ccb-document';
import { noCheckpoint, type Checkpoint } from '../../signing/checkpoint';
import type {
  CancelResult,
  FoundSend,
  Preparation,
  SentEnvelope,
  SignatureProvider,
  SignatureStatus,
  SignatureEvidence,
  SignedDocument,
  SigningParty,
  SigningRequest,
} from '../../signing/contract';
import { digitsOf, splitPhone } from '../brazilian-formats';
import { ProviderError } from '../errors';
import type { AssineBemClient } from './client';
import { documentHint, hasRefused, hasSigned } from './readings';
import type { Documento, ParteDocumento, ParteEnvio } from './schemas';

const ROLE_LABEL = { applicant: 'Emitente', guarantor: 'Avalista', witness: 'Testemunha' } as const;
/** Decision: table telefones_tipos is unpublished; 2 is used for mobile phones. */
const MOBILE_PHONE_TYPE = 2;

export const fileIdentification = (onboardingId: string): string =>
  `CCB_${onboardingId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
const partyReference = (key: string, index: number): string => `${key}#${index}`;
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export class AssineBemSigning implements SignatureProvider {
  constructor(
    private readonly client: AssineBemClient,
    private readonly ccb: CcbDocumentSource,
  ) {}

  async prepare(): Promise<Preparation> {
    return { identifier: await this.client.getUploadIdentifier() };
  }

  async send(
    request: SigningRequest,
    checkpoint: Checkpoint<Record<string, unknown>> = noCheckpoint(),
  ): Promise<SentEnvelope> {
    const identification = fileIdentification(request.onboardingId);
    const saved = checkpoint.load()?.['identifier'];
    // The search reads every pending signature of the account: only worth it when a retry lost its checkpoint.
    if (checkpoint.retry && typeof saved !== 'string') {
      const existing = await this.findPending(identification, undefined);
      if (existing) return this.envelope(existing, request);
    }

    const identifier = typeof saved === 'string' ? saved : await this.client.getUploadIdentifier();
    checkpoint.save({ identifier });
    const documento = await this.client.uploadDocument({
      id_identifier: identifier,
      url_arquivo: await this.ccb.fileUrl(request.proposal.documentKey),
      identificacao_arquivo: identification,
      sufixo_arquivo: 'pdf',
      quadro_assinaturas: 1,
      lista_partes: request.signers.map((s) => this.party(s, request.key)),
    });
    return this.envelope(documento, request);
  }

  async find(envelopeId: string, request: SigningRequest): Promise<SentEnvelope | undefined> {
    const documento = await this.client.getDocument(envelopeId);
    const envelope = await this.envelope(documento, request, { invalidateUnmatched: false });
    const { state } = await this.status(envelope);
    return state === 'pending' || state === 'completed' ? envelope : undefined;
  }

  async findSent(request: SigningRequest, preparation?: Preparation): Promise<FoundSend> {
    const identifier = preparation?.['identifier'];
    const documento = await this.findPending(
      fileIdentification(request.onboardingId),
      typeof identifier === 'string' ? identifier : undefined,
    );
    if (documento === undefined) return { found: 'nothing', conclusive: false };
    const { signers, complete } = matchParties(documento.lista_partes, request);
    const envelope: SentEnvelope = { envelopeId: documento.id_externo, signers };
    if (complete) return { found: 'envelope', envelope, state: (await this.status(envelope)).state };
    // Listed as pending, so someone on it can sign; invalidating it (call 6) stops that.
    return {
      found: 'partial',
      envelope,
      what: `Assine Bem document ${documento.id_externo} whose parties match ${signers.length} of ${request.signers.length} signers`,
      signable: true,
      discardable: true,
    };
  }

  async status(envelope: SentEnvelope): Promise<SignatureStatus> {
    const documento = await this.client.getDocument(envelope.envelopeId);
    const parties = new Map(documento.lista_partes.map((p) => [p.id_externo, p]));
    const signers = [];
    for (const { index, providerSignerId } of envelope.signers) {
      // Call 12 is the documented signal: "se vier preenchido significa que a parte assinou".
      const signature = await this.client.getSignatureStatus(providerSignerId, envelope.envelopeId);
      const party = parties.get(providerSignerId);
      const state = hasSigned(signature) ? 'signed' : party && hasRefused(party) ? 'refused' : 'pending';
      signers.push({ index, state } as const);
    }
    const hint = documentHint(documento);
    const state = signers.every((s) => s.state === 'signed')
      ? 'completed'
      : signers.some((s) => s.state === 'refused') || hint === 'refused'
        ? 'refused'
        : hint === 'cancelled'
          ? 'cancelled'
          : 'pending';
    return { state, signers };
  }

  async remind(envelope: SentEnvelope): Promise<number> {
    const current = await this.status(envelope);
    if (current.state !== 'pending') return 0;
    let reminded = 0;
    for (const signer of current.signers.filter((s) => s.state === 'pending')) {
      const party = envelope.signers.find((s) => s.index === signer.index);
      if (!party) continue;
      try {
        await this.client.notifyPartyNewAccess(party.providerSignerId);
        reminded += 1;
      } catch (err) {
        // A party that cannot be notified right now (sucesso 0) is not worth failing the onboarding for.
        if (err instanceof ProviderError && err.kind === 'business' && !err.retryable) continue;
        throw err;
      }
    }
    return reminded;
  }

  async cancel(envelope: SentEnvelope): Promise<CancelResult> {
    const { state } = await this.status(envelope);
    if (state === 'completed') return 'signed';
    if (state !== 'pending') return 'already-closed';
    await this.client.invalidateDocument(envelope.envelopeId);
    return 'cancelled';
  }

  /**
   * The signed PDF from call 4 with `assinado=1`, the call the document promises it from. When the
   * answer does not say it is the signed version, it must differ from the original (call 4 without
   * `assinado`): the unsigned original is never handed on as the signed CCB.
   */
  async signedDocument(envelope: SentEnvelope): Promise<SignedDocument> {
    const signed = await this.client.downloadDocument(envelope.envelopeId, { signed: true });
    const notYet = () =>
      new ProviderError({
        provider: 'assinebem',
        operation: 'downloadDocument',
        kind: 'business',
        providerMessage: 'the signed version of the document is not available yet',
        retryable: true,
      });
    if (signed.signed === false) throw notYet();
    if (signed.signed === undefined) {
      const original = await this.client.downloadDocument(envelope.envelopeId);
      if (sha256(original.bytes) === sha256(signed.bytes)) throw notYet();
    }
    return {
      body: Readable.from([signed.bytes]),
      contentType: 'application/pdf',
      filename: signed.fileName ?? `${envelope.envelopeId}.pdf`,
    };
  }

  /**
   * Call 12's `identificador_assinatura`, "UUID único da assinatura": the only thing the document
   * says of a signature. It documents no time, IP, device or authentication method
   * (docs/providers/assinebem.md).
   */
  async signatureEvidence(envelope: SentEnvelope): Promise<SignatureEvidence[]> {
    const evidence: SignatureEvidence[] = [];
    for (const { index, providerSignerId } of envelope.signers) {
      const signature = await this.client.getSignatureStatus(providerSignerId, envelope.envelopeId);
      const signatureId = signature.identificador_assinatura?.trim();
      evidence.push({ index, ...(signatureId ? { signatureId } : {}) });
    }
    return evidence;
  }

  /** The document's `hash_arquivo`, as call 3 returns it (the document does not say of which file, or how). */
  async documentHash(envelope: SentEnvelope): Promise<string | undefined> {
    return (await this.client.getDocument(envelope.envelopeId)).hash_arquivo?.trim() || undefined;
  }

  private party(s: SigningParty, key: string): ParteEnvio {
    const { areaCode, number } = splitPhone(s.phone);
    return {
      nome: s.name,
      cpf: s.cpf,
      email: s.email,
      ddd: Number(areaCode),
      // The document types `telefone` as int ("Int representando o número de celular").
      telefone: Number(number),
      id_tipo_telefone: MOBILE_PHONE_TYPE,
      identificacao_parte: ROLE_LABEL[s.role],
      id_referencia: partyReference(key, s.index),
      notificar: 1,
    };
  }

  /**
   * The pending document uploaded under this file identification (read again with call 3), the one
   * uploaded with `identifier` where several are. An entry that does not carry its document is
   * read with call 3, once per document.
   */
  private async findPending(
    identification: string,
    identifier: string | undefined,
  ): Promise<Documento | undefined> {
    const seen = new Set<string>();
    let first: string | undefined;
    for await (const pending of this.client.allPendingSignatures()) {
      const id = pending.id_externo_documento;
      if (seen.has(id)) continue;
      seen.add(id);
      const documento = pending.documento ?? (await this.client.getDocument(id));
      if (documento.identificacao_arquivo !== identification) continue;
      if (identifier === undefined || documento.identificador_documento === identifier) {
        return this.client.getDocument(id);
      }
      first ??= id;
    }
    return first === undefined ? undefined : this.client.getDocument(first);
  }

  /**
   * The document's parties matched to the signers. Decision: the document does not promise that the
   * upload's answer echoes `id_referencia` in `lista_partes`, so a party is matched by that reference
   * when it is there, else by CPF, else by e-mail; when the answer lists too little, the document
   * is read back (call 3). A document whose parties still cannot be matched is invalidated before
   * the error, so nobody is left signing a CCB the onboarding does not follow.
   */
  private async envelope(
    documento: Documento,
    request: SigningRequest,
    { invalidateUnmatched = true } = {},
  ): Promise<SentEnvelope> {
    let match = matchParties(documento.lista_partes, request);
    if (!match.complete) {
      const again = await this.client.getDocument(documento.id_externo);
      match = matchParties(again.lista_partes, request);
    }
    if (!match.complete) {
      if (invalidateUnmatched) await this.client.invalidateDocument(documento.id_externo);
      throw new ProviderError({
        provider: 'assinebem',
        operation: 'uploadDocument',
        kind: 'business',
        providerMessage: `the document's parties do not match the signers${invalidateUnmatched ? ', so it was invalidated' : ''}`,
        retryable: false,
      });
    }
    return { envelopeId: documento.id_externo, signers: match.signers };
  }
}

/** The signers each matched to a party of the document; `complete` when every signer was. */
function matchParties(
  parties: ParteDocumento[],
  request: SigningRequest,
): { signers: SentEnvelope['signers']; complete: boolean } {
  const taken = new Set<string>();
  const signers: SentEnvelope['signers'] = [];
  for (const s of request.signers) {
    const free = parties.filter((p) => !taken.has(p.id_externo));
    const party =
      free.find((p) => p.id_referencia === partyReference(request.key, s.index)) ??
      free.find((p) => digitsOf(p.cpf) === s.cpf) ??
      free.find((p) => (p.email ?? '').trim().toLowerCase() === s.email);
    if (party === undefined) continue;
    taken.add(party.id_externo);
    signers.push({ index: s.index, providerSignerId: party.id_externo });
  }
  return { signers, complete: signers.length === request.signers.length };
}
