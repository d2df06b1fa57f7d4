/**
 * Signio as a SignatureProvider: an envelope (transacción) is created, the rendered CCB uploaded,
 * the signers registered and linked to it, and the envelope distributed.
 *
 * Idempotency: the transaction id is kept in the activity's checkpoint, so a retry continues the
 * same envelope; a retry that lost it looks the envelope up by its name (6.16 search), since the
 * document's "envelopeDeduplicationKey ... permite crear sobres duplicados para un mismo proceso"
 * can be read both ways; the key is sent as well. Documents and signers are looked up in the
 * envelope before they are added; an envelope already distributed is returned as it is. Across
 * resets, the activity finds the envelope an earlier run sent and `find` takes it up again.
 * Lookup (`findSent`): the envelope by its name with 6.16, which lists envelopes in every state but
 * a deleted one, and what it holds with 6.11; the document offers no search by `external_id` or by
 * deduplication key. Where several carry the name (a reset sent another), the most recent that was
 * not rejected is the one; a rejected one is found only when there is no other.
 * Decisions: CPFs go as identification type OT (otro): Signio's types are Colombian. Signio has no
 * reminder call. States 2 Pendiente de Firma, 7 En Captura de Datos and 6 Suspendida are open;
 * cancelling returns (devolver, "sólo ... pendiente de firma y Captura de datos") then deletes
 * (eliminar, "sólo ... En elaboración"); a suspended envelope cannot be cancelled by either call.
 */
import type { CcbDocumentSource } from '../../signing/ccb-document';
import { noCheckpoint, type Checkpoint } from '../../signing/checkpoint';
import type {
  CancelResult,
  EnvelopeState,
  FoundSend,
  SentEnvelope,
  SignatureProvider,
  SignatureEvidence,
  SignatureStatus,
  SignedDocument,
  SigningRequest,
} from '../../signing/contract';
import { ProviderError } from '../errors';
import { signioDeduplicationKey } from '../idempotency';
import type { SignioClient } from './client';
import type { EnvelopeSummary, TransactionStateCode } from './schemas';
import { TRANSACTION_STATES, signerProgress } from './statuses';

const DRAFT = 1;
const PENDING_SIGNATURE = 2;
const SIGNED = 3;
const REJECTED = 4;
const SUSPENDED = 6;
const DATA_CAPTURE = 7;
/** 6.7: a signer returned the envelope with comments instead of signing it. */
const RETURNED_WITH_OBSERVATIONS = 8;
/** States in which the envelope is out for signature and may still be signed. */
const OPEN = new Set<number>([PENDING_SIGNATURE, DATA_CAPTURE, SUSPENDED]);

const envelopeName = (request: SigningRequest): string => `CCB ${request.proposal.number}`;
const isNotFound = (err: unknown): boolean => err instanceof ProviderError && err.providerCode === '06';
const isRejected = (e: EnvelopeSummary): boolean => /rechazad/i.test(e.status);

/** What a state means for whoever follows the envelope once it was distributed. */
const envelopeStateOf = (state: TransactionStateCode): EnvelopeState =>
  state === SIGNED
    ? 'completed'
    : state === REJECTED || state === RETURNED_WITH_OBSERVATIONS
      ? 'refused'
      : OPEN.has(state)
        ? 'pending'
        : // En Elaboración again: returned (devolver) outside the onboarding; nobody can sign it.
          'cancelled';

export class SignioSigning implements SignatureProvider {
  constructor(
    private readonly client: SignioClient,
    private readonly ccb: CcbDocumentSource,
  ) {}

  async send(
    request: SigningRequest,
    checkpoint: Checkpoint<Record<string, unknown>> = noCheckpoint(),
  ): Promise<SentEnvelope> {
    const saved = checkpoint.load()?.['transaction'];
    let id = typeof saved === 'string' ? saved : undefined;
    if (id === undefined && checkpoint.retry) id = (await this.named(request, { rejected: false }))?.id;
    id ??= await this.client.createTransaction({
      nombre: envelopeName(request),
      external_id: request.key,
      envelopeDeduplicationKey: signioDeduplicationKey(request.key),
      op_btnRechazo: 1,
    });
    checkpoint.save({ transaction: id });
    return this.complete(id, request);
  }

  async find(envelopeId: string, request: SigningRequest): Promise<SentEnvelope | undefined> {
    let state;
    try {
      state = await this.client.transactionState(envelopeId);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    if (state === REJECTED || state === RETURNED_WITH_OBSERVATIONS) return undefined;
    // A draft is completed and distributed: an earlier run that died before distributing left it
    // so (one returned outside the onboarding looks the same, and the reset means to send it again).
    return this.complete(envelopeId, request);
  }

  /** Uploads, registers, links and distributes what the envelope is still missing. */
  private async complete(id: string, request: SigningRequest): Promise<SentEnvelope> {
    let transaction = await this.client.getTransaction(id);
    const state = transaction.estado ?? (await this.client.transactionState(id));
    if (state !== DRAFT) return this.envelope(id, transaction.contactos, request);

    let documentId = transaction.documentos[0]?.id_documento;
    if (documentId === undefined) {
      // Signio takes the file in one multipart part; a CCB is small, so it is read once here.
      const file = await this.ccb.open(request.proposal.documentKey);
      const bytes = Buffer.concat(await file.body.toArray());
      documentId = await this.client.uploadDocument(
        {
          id_transaccion: id,
          fileName: `CCB-${request.proposal.number}.pdf`,
          contentType: 'application/pdf',
        },
        bytes,
      );
    }
    for (const signer of request.signers) {
      if (transaction.contactos.some((c) => c.identificacion === signer.cpf)) continue;
      await this.client.registerSigner({
        id_transaccion: id,
        nombre: signer.name.slice(0, 50),
        tipo_identificacion: 'OT',
        identificacion: signer.cpf,
        email: signer.email,
        celular: `+55${signer.phone}`,
        orden: 1,
      });
    }
    transaction = await this.client.getTransaction(id);
    const envelope = this.envelope(id, transaction.contactos, request);
    for (const s of envelope.signers) {
      await this.client.linkSigner({
        id_transaccion: id,
        id_firmante: s.providerSignerId,
        id_documento: documentId,
      });
    }
    await this.client.distribute(id);
    return envelope;
  }

  async status(envelope: SentEnvelope): Promise<SignatureStatus> {
    let transaction;
    try {
      transaction = await this.client.getTransaction(envelope.envelopeId);
    } catch (err) {
      // 06: the envelope no longer exists (deleted at Signio).
      if (isNotFound(err)) {
        return {
          state: 'cancelled',
          signers: envelope.signers.map((s) => ({ index: s.index, state: 'pending' })),
        };
      }
      throw err;
    }
    const state = transaction.estado ?? (await this.client.transactionState(envelope.envelopeId));
    const progress = signerProgress(transaction);
    const refused = state === REJECTED || state === RETURNED_WITH_OBSERVATIONS;
    return {
      state: envelopeStateOf(state),
      signers: envelope.signers.map((s) => {
        const p = progress.get(s.providerSignerId);
        return { index: s.index, state: p === 'signed' ? 'signed' : refused ? 'refused' : 'pending' };
      }),
    };
  }

  /**
   * From 6.11: each signer's `fecha_firma` (its first signature) and `tipo_firma` (1 digital, 0
   * electronic). The document returns no IP, device or authentication method (docs/providers/signio.md).
   */
  async signatureEvidence(envelope: SentEnvelope): Promise<SignatureEvidence[]> {
    const transaction = await this.client.getTransaction(envelope.envelopeId);
    return envelope.signers.map(({ index, providerSignerId }) => {
      const contact = transaction.contactos.find((c) => c.id_contacto === providerSignerId);
      const signedAt = transaction.firmas
        .find((f) => f.id_firmante === providerSignerId)
        ?.fecha_firma?.trim();
      const type = contact?.tipo_firma;
      return {
        index,
        ...(signedAt ? { signedAt } : {}),
        ...(type === undefined
          ? {}
          : { signatureType: type ? ('digital' as const) : ('electronic' as const) }),
      };
    });
  }

  async remind(): Promise<number> {
    return 0;
  }

  async cancel(envelope: SentEnvelope): Promise<CancelResult> {
    let state;
    try {
      state = await this.client.transactionState(envelope.envelopeId);
    } catch (err) {
      if (isNotFound(err)) return 'already-closed';
      throw err;
    }
    if (state === SIGNED) return 'signed';
    if (state === REJECTED) return 'already-closed';
    if (state === SUSPENDED || state === RETURNED_WITH_OBSERVATIONS) return 'not-supported';
    if (state !== DRAFT) await this.client.returnTransaction(envelope.envelopeId);
    await this.client.deleteTransaction(envelope.envelopeId);
    return 'cancelled';
  }

  /**
   * What a send for this request created, in whatever state: a transaction still En Elaboración is
   * a partial send nobody can sign yet, which 6.13 eliminar discards; once distributed it is the
   * envelope.
   */
  async findSent(request: SigningRequest): Promise<FoundSend> {
    const named = await this.named(request, { rejected: true });
    if (named === undefined) return { found: 'nothing', conclusive: true };
    let transaction;
    try {
      transaction = await this.client.getTransaction(named.id);
    } catch (err) {
      // Deleted between the search and the read.
      if (isNotFound(err)) return { found: 'nothing', conclusive: true };
      throw err;
    }
    const state = transaction.estado ?? (await this.client.transactionState(named.id));
    const signers = request.signers.flatMap(({ index, cpf }) => {
      const contact = transaction.contactos.find((c) => c.identificacion === cpf);
      return contact ? [{ index, providerSignerId: contact.id_contacto }] : [];
    });
    const envelope: SentEnvelope = { envelopeId: named.id, signers };
    if (state !== DRAFT && signers.length === request.signers.length)
      return { found: 'envelope', envelope, state: envelopeStateOf(state) };
    return {
      found: 'partial',
      envelope,
      what: `Signio transaction ${named.id} ${TRANSACTION_STATES[state]} with ${transaction.documentos.length} document(s) and ${signers.length} of ${request.signers.length} signers`,
      signable: OPEN.has(state),
      // What `cancel` removes: a draft (eliminar), or one out for signature (devolver, then eliminar).
      discardable: state === DRAFT || state === PENDING_SIGNATURE || state === DATA_CAPTURE,
    };
  }

  /**
   * The envelope named after the request's proposal (6.16 search, exact name): of several, the most
   * recently created; a rejected one only with `rejected` and when no other carries the name.
   */
  private async named(
    request: SigningRequest,
    { rejected }: { rejected: boolean },
  ): Promise<EnvelopeSummary | undefined> {
    const name = envelopeName(request);
    const found = (await this.client.searchEnvelopes({ name })).filter(
      (e) => e.name === name && (rejected || !isRejected(e)),
    );
    const newestFirst = found.sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''));
    return newestFirst.find((e) => !isRejected(e)) ?? newestFirst[0];
  }

  async signedDocument(envelope: SentEnvelope): Promise<SignedDocument> {
    const transaction = await this.client.getTransaction(envelope.envelopeId);
    const path = transaction.documentos[0]?.path;
    if (!path) {
      throw new ProviderError({
        provider: 'signio',
        operation: 'getTransaction',
        kind: 'business',
        providerMessage: 'the signed envelope has no document path',
        retryable: false,
      });
    }
    const file = await this.client.downloadDocument(path);
    return {
      body: file.body,
      contentType: file.contentType,
      filename: file.fileName ?? `${envelope.envelopeId}.pdf`,
    };
  }

  private envelope(
    id: string,
    contacts: Array<{ id_contacto: string; identificacion?: string | null | undefined }>,
    request: SigningRequest,
  ): SentEnvelope {
    return {
      envelopeId: id,
      signers: request.signers.map((s) => {
        const contact = contacts.find((c) => c.identificacion === s.cpf);
        if (!contact) {
          throw new ProviderError({
            provider: 'signio',
            operation: 'getTransaction',
            kind: 'business',
            providerMessage: `the envelope has no contact for signer ${s.index}`,
            retryable: true,
          });
        }
        return { index: s.index, providerSignerId: contact.id_contacto };
      }),
    };
  }
}
