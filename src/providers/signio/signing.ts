/**
 * Signio as a SignatureProvider: an envelope (transacción) is created, the rendered CCB uploaded,
 * the signers registered and linked to it, and the envelope distributed.
 *
 * Idempotency: the envelope carries an `envelopeDeduplicationKey` derived from the workflow id, so
 * a retried create returns the same envelope; documents and signers are looked up in the envelope
 * before they are added; linking again replaces the link; an envelope already distributed is
 * returned as it is.
 * Decisions: CPFs go as identification type OT (otro): Signio's types are Colombian. Signio has no
 * reminder call. Cancelling returns (devolver) a distributed envelope, then deletes it.
 */
import type { CcbDocumentSource } from '../../signing/ccb-document';
import type {
  SentEnvelope,
  SignatureProvider,
  SignatureStatus,
  SignedDocument,
  SigningRequest,
} from '../../signing/contract';
import { ProviderError } from '../errors';
import { signioDeduplicationKey } from '../idempotency';
import type { SignioClient } from './client';
import { FINAL_STATES, signerProgress } from './statuses';

const DRAFT = 1;
const PENDING_SIGNATURE = 2;
const SIGNED = 3;
const REJECTED = 4;

export class SignioSigning implements SignatureProvider {
  constructor(
    private readonly client: SignioClient,
    private readonly ccb: CcbDocumentSource,
  ) {}

  async send(request: SigningRequest): Promise<SentEnvelope> {
    const id = await this.client.createTransaction({
      nombre: `CCB ${request.proposal.number}`,
      external_id: request.key,
      envelopeDeduplicationKey: signioDeduplicationKey(request.key),
      op_btnRechazo: 1,
    });
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
      if (err instanceof ProviderError && err.providerCode === '06') {
        return {
          state: 'cancelled',
          signers: envelope.signers.map((s) => ({ index: s.index, state: 'pending' })),
        };
      }
      throw err;
    }
    const state = transaction.estado ?? (await this.client.transactionState(envelope.envelopeId));
    const progress = signerProgress(transaction);
    const refused = state === REJECTED;
    return {
      state:
        state === SIGNED
          ? 'completed'
          : refused
            ? 'refused'
            : state === PENDING_SIGNATURE
              ? 'pending'
              : 'cancelled',
      signers: envelope.signers.map((s) => {
        const p = progress.get(s.providerSignerId);
        return { index: s.index, state: p === 'signed' ? 'signed' : refused ? 'refused' : 'pending' };
      }),
    };
  }

  async remind(): Promise<number> {
    return 0;
  }

  async cancel(envelope: SentEnvelope): Promise<boolean> {
    const state = await this.client.transactionState(envelope.envelopeId);
    if (FINAL_STATES.has(state)) return false;
    if (state !== DRAFT) await this.client.returnTransaction(envelope.envelopeId);
    await this.client.deleteTransaction(envelope.envelopeId);
    return true;
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
