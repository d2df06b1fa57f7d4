/** Clicksign Securities: the CCB proposal, and the signed CCB registered where it was signed elsewhere. */
import { Transform } from 'node:stream';
import type { CcbContent } from '../domain/ccb';
import type { SigningProviderName } from '../domain/input';
import { formatCep, formatCpf } from '../providers/brazilian-formats';
import { ProviderError } from '../providers/errors';
import { proposalNumber } from '../providers/idempotency';
import { signingProviderModule } from '../providers/registry';
import type { DocumentData, ExternalSignatureProvider, SecuritiesClient } from '../providers/securities';
import type { CcbProposal, SignatureProvider } from '../signing/contract';
import { saveProgress } from './heartbeat';
import type { FinalizeRequest, FinalizeResult } from './types';

/** The template's `document_data`: the lender's terms plus the issuer and the guarantor. */
export function ccbDocumentData(ccb: CcbContent, number: string): DocumentData {
  const applicant = ccb.issuer;
  const a = applicant.address;
  const { guarantor } = ccb;
  return {
    ...ccb.loan.terms,
    number,
    issuer_full_name: applicant.name,
    issuer_cpf: formatCpf(applicant.cpf),
    issuer_email: applicant.email,
    issuer_full_address: `${a.street}, ${a.number}${a.complement ? `, ${a.complement}` : ''} - ${a.district}, ${a.city}/${a.state}, CEP ${formatCep(a.zipCode)}`,
    ...(guarantor ? { guarantor_full_name: guarantor.name, guarantor_cpf: formatCpf(guarantor.cpf) } : {}),
  };
}

const firstDocument = (proposal: {
  id: string;
  number: string;
  documents: Array<{ key: string }>;
}): CcbProposal => {
  const document = proposal.documents[0];
  if (!document) {
    throw new ProviderError({
      provider: 'securities',
      operation: 'createProposal',
      kind: 'business',
      providerMessage: 'the proposal has no document',
      retryable: false,
    });
  }
  return { proposalId: proposal.id, number: proposal.number, documentKey: document.key };
};

/** Heartbeats while bytes flow, so a stalled transfer is noticed by the heartbeat timeout. */
function heartbeatEvery(bytes: number): Transform {
  let sent = 0;
  let since = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      since += chunk.length;
      if (since >= bytes) {
        since = 0;
        saveProgress({ bytes: sent });
      }
      done(null, chunk);
    },
  });
}

export function ccbActivities(
  securities: SecuritiesClient,
  signing: Record<SigningProviderName, SignatureProvider>,
) {
  return {
    /** One proposal per onboarding: its number comes from the onboarding id and an existing one is reused. */
    async createCcbProposal({ ccb }: { ccb: CcbContent }): Promise<CcbProposal> {
      const number = proposalNumber(ccb.onboardingId);
      const existing = await securities.getProposalByNumber(number);
      if (existing) return firstDocument(existing);
      try {
        return firstDocument(
          await securities.createProposal({
            number,
            issuer_full_name: ccb.issuer.name,
            issuer_document: ccb.issuer.cpf,
            installments: ccb.loan.installments,
            template_key: ccb.loan.templateKey,
            document_data: ccbDocumentData(ccb, number),
          }),
        );
      } catch (err) {
        // Another attempt created it between the lookup and the create.
        const raced =
          err instanceof ProviderError && err.status === 422
            ? await securities.getProposalByNumber(number)
            : undefined;
        if (raced) return firstDocument(raced);
        throw err;
      }
    },

    /**
     * The proposal a create for this onboarding made, found by the number derived from its id and
     * creating nothing: to name it after a create whose answer was lost or garbled.
     */
    async findCcbProposal({ onboardingId }: { onboardingId: string }): Promise<{ proposal?: CcbProposal }> {
      const existing = await securities.getProposalByNumber(proposalNumber(onboardingId));
      return existing ? { proposal: firstDocument(existing) } : {};
    },

    /**
     * The signed CCB: signed in Securities, the proposal is the CCB; signed at Assine Bem, the signed
     * PDF is streamed from Assine Bem into a Securities bank credit note (once: looked up by number).
     */
    async finalizeSignedCcb({ envelope, proposal, ccb }: FinalizeRequest): Promise<FinalizeResult> {
      const provider = envelope.provider as SigningProviderName;
      const registration = signingProviderModule(provider).capabilities.securitiesRegistration;
      if (registration === 'native') {
        return { ccbId: proposal.proposalId };
      }
      if (registration === 'none') {
        // Decision: Securities does not accept this provider as a signature_provider (Signio is not
        // on the accepted list), so the signed CCB stays there (envelope id in the outcome).
        return {
          note: `signed at ${provider}; Securities does not accept ${provider} signatures, so the signed CCB stays at ${provider} (envelope ${envelope.envelopeId})`,
        };
      }
      const existing = await securities.getBankCreditNoteByNumber(proposal.number);
      if (existing) return { ccbId: existing.id };
      const signed = await signing[provider].signedDocument(envelope);
      const note = await securities.createBankCreditNote(
        {
          signed: true,
          // The client checks it against Securities' accepted list before anything is sent.
          signature_provider: registration.signatureProvider as ExternalSignatureProvider,
          number: proposal.number,
          issuer_full_name: ccb.issuer.name,
          issuer_document: ccb.issuer.cpf,
          installments: ccb.loan.installments,
          document_data: ccbDocumentData(ccb, proposal.number),
        },
        {
          body: signed.body.pipe(heartbeatEvery(256 * 1024)),
          filename: signed.filename,
          contentType: 'application/pdf',
        },
      );
      return { ccbId: note.id };
    },
  };
}
