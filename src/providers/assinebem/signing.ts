/**
 * Assine Bem as a SignatureProvider: the rendered CCB is uploaded by URL with its parties, status is
 * read from the document, reminders are "novo acesso" notifications, cancelling invalidates.
 *
 * Idempotency: the upload identifier comes from Assine Bem, so it is kept in the activity's
 * checkpoint; a retried upload reuses it and the provider answers with the document it already
 * created. A retry without a checkpoint first searches the pending signatures for a document with
 * this onboarding's file name (`identificacao_arquivo`).
 */
import type { CcbDocumentSource } from '../../signing/ccb-document';
import { noCheckpoint, type Checkpoint } from '../../signing/checkpoint';
import type {
  SentEnvelope,
  SignatureProvider,
  SignatureStatus,
  SignedDocument,
  SigningRequest,
} from '../../signing/contract';
import { splitPhone } from '../brazil';
import { ProviderError } from '../errors';
import type { AssineBemClient } from './client';
import { documentOutcome, partySigningState } from './readings';
import type { Documento, ParteEnvio } from './schemas';

const ROLE_LABEL = { applicant: 'Emitente', guarantor: 'Avalista', witness: 'Testemunha' } as const;
/** Decision: table telefones_tipos is unpublished; 2 is used for mobile phones. */
const MOBILE_PHONE_TYPE = 2;

export const fileIdentification = (onboardingId: string): string =>
  `CCB_${onboardingId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
const partyReference = (key: string, index: number): string => `${key}#${index}`;

export class AssineBemSigning implements SignatureProvider {
  constructor(
    private readonly client: AssineBemClient,
    private readonly ccb: CcbDocumentSource,
  ) {}

  async send(
    request: SigningRequest,
    checkpoint: Checkpoint<Record<string, unknown>> = noCheckpoint(),
  ): Promise<SentEnvelope> {
    const identification = fileIdentification(request.onboardingId);
    const saved = checkpoint.load()?.['identifier'];
    // The search reads every pending signature of the account: only worth it when a retry lost its checkpoint.
    if (checkpoint.retry && typeof saved !== 'string') {
      const existing = await this.findPending(identification);
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
      lista_partes: request.signers.map((s): ParteEnvio => {
        const { areaCode, number } = splitPhone(s.phone);
        return {
          nome: s.name,
          cpf: s.cpf,
          email: s.email,
          ddd: Number(areaCode),
          telefone: number,
          id_tipo_telefone: MOBILE_PHONE_TYPE,
          identificacao_parte: ROLE_LABEL[s.role],
          id_referencia: partyReference(request.key, s.index),
          notificar: 1,
        };
      }),
    });
    return this.envelope(documento, request);
  }

  async status(envelope: SentEnvelope): Promise<SignatureStatus> {
    const documento = await this.client.getDocument(envelope.envelopeId);
    const parties = new Map(documento.lista_partes.map((p) => [p.id_externo, p]));
    return {
      state: documentOutcome(documento),
      signers: envelope.signers.map(({ index, providerSignerId }) => {
        const party = parties.get(providerSignerId);
        return { index, state: party ? partySigningState(party) : 'pending' };
      }),
    };
  }

  async remind(envelope: SentEnvelope): Promise<number> {
    const current = await this.status(envelope);
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

  async cancel(envelope: SentEnvelope): Promise<boolean> {
    const documento = await this.client.getDocument(envelope.envelopeId);
    if (documentOutcome(documento) !== 'pending') return false;
    await this.client.invalidateDocument(envelope.envelopeId);
    return true;
  }

  async signedDocument(envelope: SentEnvelope): Promise<SignedDocument> {
    const file = await this.client.downloadDocumentFile(envelope.envelopeId, { signed: true });
    return {
      body: file.body,
      contentType: file.contentType,
      filename: file.fileName ?? `${envelope.envelopeId}.pdf`,
    };
  }

  private async findPending(identification: string): Promise<Documento | undefined> {
    for await (const pending of this.client.allPendingSignatures()) {
      if (pending.documento?.identificacao_arquivo === identification) {
        return this.client.getDocument(pending.id_externo_documento);
      }
    }
    return undefined;
  }

  private envelope(documento: Documento, request: SigningRequest): SentEnvelope {
    const byReference = new Map(documento.lista_partes.map((p) => [p.id_referencia, p.id_externo]));
    return {
      envelopeId: documento.id_externo,
      signers: request.signers.map((s) => {
        const id = byReference.get(partyReference(request.key, s.index));
        if (id === undefined) {
          throw new ProviderError({
            provider: 'assinebem',
            operation: 'uploadDocument',
            kind: 'business',
            providerMessage: `the document has no party for signer ${s.index}`,
            retryable: false,
          });
        }
        return { index: s.index, providerSignerId: id };
      }),
    };
  }
}
