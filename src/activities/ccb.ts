/** Clicksign Securities: the CCB proposal, and the signed CCB registered where it was signed elsewhere. */
import { Context } from '@temporalio/activity';
import { Transform } from 'node:stream';
import type { OnboardingInput } from '../domain/input';
import { proposalNumber } from '../providers/idempotency';
import type { SecuritiesClient, DocumentData } from '../providers/securities';
import { ProviderError } from '../providers/errors';
import type { SignatureProvider } from '../providers/signature-provider';
import type { SigningProviderName } from '../domain/input';
import type { CcbProposal, FinalizeRequest, FinalizeResult } from './types';

const formatCpf = (cpf: string): string => cpf.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4');

/** The template's `document_data`: the lender's terms plus the issuer and guarantor from the input. */
export function ccbDocumentData(input: OnboardingInput, number: string): DocumentData {
  const { applicant } = input;
  const a = applicant.address;
  const guarantor = input.signers.find((s) => s.role === 'guarantor');
  return {
    ...input.loan.terms,
    number,
    issuer_full_name: applicant.name,
    issuer_cpf: formatCpf(applicant.cpf),
    issuer_email: applicant.email,
    issuer_full_address: `${a.street}, ${a.number}${a.complement ? `, ${a.complement}` : ''} - ${a.district}, ${a.city}/${a.state}, CEP ${a.zipCode.replace(/^(\d{5})(\d{3})$/, '$1-$2')}`,
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

/** Where the signed CCB may be registered in Securities; Signio is not on the accepted list. */
const registrableAs: Partial<Record<SigningProviderName, 'assinebem'>> = { assinebem: 'assinebem' };

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
        Context.current().heartbeat({ bytes: sent });
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
    async createCcbProposal({ input }: { workflowId: string; input: OnboardingInput }): Promise<CcbProposal> {
      const number = proposalNumber(input.onboardingId);
      const existing = await securities.getProposalByNumber(number);
      if (existing) return firstDocument(existing);
      try {
        return firstDocument(
          await securities.createProposal({
            number,
            issuer_full_name: input.applicant.name,
            issuer_document: input.applicant.cpf,
            installments: input.loan.installments,
            template_key: input.loan.templateKey,
            document_data: ccbDocumentData(input, number),
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
     * The signed CCB: signed in Securities, the proposal is the CCB; signed at Assine Bem, the signed
     * PDF is streamed from Assine Bem into a Securities bank credit note (once: looked up by number).
     */
    async finalizeSignedCcb({ envelope, proposal, input }: FinalizeRequest): Promise<FinalizeResult> {
      if (envelope.provider === 'securities') {
        return { ccbId: proposal.proposalId };
      }
      const signatureProvider = registrableAs[envelope.provider];
      if (signatureProvider === undefined) {
        // Decision: Securities does not accept Signio as a signature_provider, so the CCB signed at
        // Signio stays there (envelope id in the outcome) and is not registered in Securities.
        return {
          note: `signed at ${envelope.provider}; Securities does not accept ${envelope.provider} signatures, so the signed CCB stays at ${envelope.provider} (envelope ${envelope.envelopeId})`,
        };
      }
      const existing = await securities.getBankCreditNoteByNumber(proposal.number);
      if (existing) return { ccbId: existing.id };
      const signed = await signing[envelope.provider].signedDocument(envelope);
      const note = await securities.createBankCreditNote(
        {
          signed: true,
          signature_provider: signatureProvider,
          number: proposal.number,
          issuer_full_name: input.applicant.name,
          issuer_document: input.applicant.cpf,
          installments: input.loan.installments,
          document_data: ccbDocumentData(input, proposal.number),
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
