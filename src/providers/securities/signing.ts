/**
 * Securities as a SignatureProvider (native signing): the signers are bound to the proposal's
 * document; the document becomes `validated` when all have signed.
 *
 * Idempotency: the document's signers are listed before any is created, and a signer whose CPF is
 * already there is not created again. `findSent` reads the same: the proposal's document by its key,
 * and its signers by CPF.
 * Decisions: the reference has no reminder and no cancel call for a document, so reminders are not
 * supported and cancelling leaves the document as it is (reported as `not-supported`); nor has it a
 * call to unbind a signer, so a send that bound some signers and not others cannot be undone.
 */
import type {
  CancelResult,
  EnvelopeState,
  FoundSend,
  SentEnvelope,
  SignatureProvider,
  SignatureStatus,
  SignedDocument,
  SigningParty,
  SigningRequest,
} from '../../signing/contract';
import { digitsOf } from '../brazilian-formats';
import { ProviderError } from '../errors';
import type { SecuritiesClient } from './client';
import { DOCUMENT_CANCELED, DOCUMENT_REFUSED, DOCUMENT_VALIDATED, type Signer } from './schemas';

const SIGN_AS = { applicant: 'sign', guarantor: 'party', witness: 'witness' } as const;

const envelopeStateOf = (documentStatus: string): EnvelopeState =>
  documentStatus === DOCUMENT_VALIDATED
    ? 'completed'
    : documentStatus === DOCUMENT_REFUSED
      ? 'refused'
      : documentStatus === DOCUMENT_CANCELED
        ? 'cancelled'
        : 'pending';

export class SecuritiesSigning implements SignatureProvider {
  constructor(private readonly client: SecuritiesClient) {}

  async send(request: SigningRequest): Promise<SentEnvelope> {
    const document = await this.client.getDocumentByKey(request.proposal.documentKey);
    const present = await this.documentSigners(document.id);
    const bound: Array<{ index: number; providerSignerId: string }> = [];
    const envelope = (): SentEnvelope => ({
      envelopeId: document.key,
      signers: [...bound].sort((a, b) => a.index - b.index),
    });
    // A signer can act as soon as they are bound, and the document closes when every bound signer
    // has signed (or one refused). The applicant, who is online during the onboarding and the
    // quickest to sign, is bound last, so the document cannot close before the others are on it.
    const ordered = [...request.signers].sort(
      (a, b) => Number(a.role === 'applicant') - Number(b.role === 'applicant'),
    );
    for (const signer of ordered) {
      const existing = present.find((s) => digitsOf(s.documentation) === signer.cpf);
      try {
        const created =
          existing ?? (await this.client.createDocumentSigner(document.id, this.signerFor(signer)));
        bound.push({ index: signer.index, providerSignerId: created.id });
      } catch (err) {
        if (!(err instanceof ProviderError) || err.status !== 422 || bound.length === 0) throw err;
        // 422 once signers are bound: the document may have closed under us.
        const current = await this.client.getDocumentByKey(request.proposal.documentKey);
        if (current.status === DOCUMENT_REFUSED || current.status === DOCUMENT_CANCELED) return envelope();
        if (current.status === DOCUMENT_VALIDATED) {
          throw new ProviderError({
            provider: 'securities',
            operation: 'createDocumentSigner',
            kind: 'business',
            status: 422,
            providerMessage: 'the document was closed as signed before every signer was bound to it',
            retryable: false,
          });
        }
        throw err;
      }
    }
    return envelope();
  }

  async status(envelope: SentEnvelope): Promise<SignatureStatus> {
    const document = await this.client.getDocumentByKey(envelope.envelopeId);
    const signers = await this.documentSigners(document.id);
    return {
      state: envelopeStateOf(document.status),
      signers: envelope.signers.map(({ index, providerSignerId }) => {
        const list = signers
          .find((s) => s.id === providerSignerId)
          ?.lists?.find((l) => l.document_id === document.id);
        return { index, state: list?.signed ? 'signed' : list?.refused ? 'refused' : 'pending' };
      }),
    };
  }

  async remind(): Promise<number> {
    return 0;
  }

  /** Decision: the API has no call to cancel a document: it is left as it is, and the outcome says so. */
  async cancel(envelope: SentEnvelope): Promise<CancelResult> {
    const document = await this.client.getDocumentByKey(envelope.envelopeId);
    if (document.status === DOCUMENT_VALIDATED) return 'signed';
    if (document.status === DOCUMENT_REFUSED || document.status === DOCUMENT_CANCELED)
      return 'already-closed';
    return 'not-supported';
  }

  /** The proposal's document is the envelope: an earlier run's is taken up again while open or signed. */
  async find(envelopeId: string, request: SigningRequest): Promise<SentEnvelope | undefined> {
    const document = await this.client.getDocumentByKey(envelopeId);
    if (document.status === DOCUMENT_REFUSED || document.status === DOCUMENT_CANCELED) return undefined;
    return this.send(request);
  }

  /**
   * The signers a send for this request bound to the proposal's document. None bound is nothing
   * sent (the document is the proposal's, not the send's). Some bound is a partial send that those
   * signers can sign already (a document closes when every bound signer has signed) and that
   * cannot be discarded (see the decisions above).
   */
  async findSent(request: SigningRequest): Promise<FoundSend> {
    const document = await this.client.findDocumentByKey(request.proposal.documentKey);
    if (document === undefined) return { found: 'nothing', conclusive: true };
    const present = await this.documentSigners(document.id);
    const bound = request.signers.flatMap(({ index, cpf }) => {
      const signer = present.find((s) => digitsOf(s.documentation) === cpf);
      return signer ? [{ index, providerSignerId: signer.id }] : [];
    });
    if (bound.length === 0) return { found: 'nothing', conclusive: true };
    const envelope: SentEnvelope = { envelopeId: document.key, signers: bound };
    const state = envelopeStateOf(document.status);
    if (bound.length === request.signers.length) return { found: 'envelope', envelope, state };
    return {
      found: 'partial',
      envelope,
      what: `Securities document ${document.key} (${document.status}) with ${bound.length} of ${request.signers.length} signers bound`,
      signable: state === 'pending',
      discardable: false,
    };
  }

  async signedDocument(envelope: SentEnvelope): Promise<SignedDocument> {
    const document = await this.client.getDocumentByKey(envelope.envelopeId);
    if (!document.file) {
      throw new ProviderError({
        provider: 'securities',
        operation: 'getDocumentByKey',
        kind: 'business',
        providerMessage: 'the signed document has no file yet',
        retryable: true,
      });
    }
    const file = await this.client.downloadFile(document.file.url);
    return { body: file.body, contentType: file.contentType, filename: `${envelope.envelopeId}.pdf` };
  }

  private async documentSigners(documentId: string): Promise<Signer[]> {
    const all: Signer[] = [];
    for (let page = 1; ; page++) {
      const result = await this.client.listDocumentSigners(documentId, page);
      all.push(...result.signers);
      if (result.page_infos['last_page?'] !== false || page >= result.page_infos.total_pages) return all;
    }
  }

  private signerFor(signer: SigningParty) {
    return {
      full_name: signer.name,
      documentation: signer.cpf,
      ...(signer.birthDate ? { birthday: signer.birthDate } : {}),
      email: signer.email,
      phone_number: signer.phone,
      auth: 'email' as const,
      communicate_by: 'email' as const,
      sign_as: SIGN_AS[signer.role],
    };
  }
}
