/** What a document's statuses mean for the onboarding, read in one place. */
import type { Documento, ParteDocumento, SignatureStatus } from './schemas';
import { DOCUMENT_STATUS, SIGN_ACTION } from './statuses';

export type DocumentOutcome = 'pending' | 'completed' | 'refused' | 'cancelled';

export function documentOutcome(doc: Pick<Documento, 'id_documento_status'>): DocumentOutcome {
  switch (doc.id_documento_status) {
    case DOCUMENT_STATUS.PENDENTE:
    case DOCUMENT_STATUS.EM_ASSINATURA:
      return 'pending';
    case DOCUMENT_STATUS.ASSINADO:
      return 'completed';
    case DOCUMENT_STATUS.RECUSADO:
      return 'refused';
    case DOCUMENT_STATUS.INVALIDADO:
      return 'cancelled';
  }
}

/** A party signed when its signature identifier is filled. */
export const hasSigned = (p: Pick<ParteDocumento, 'identificador_assinatura'> | SignatureStatus): boolean =>
  typeof p.identificador_assinatura === 'string' && p.identificador_assinatura.trim() !== '';

export const hasRefused = (p: Pick<ParteDocumento, 'recusado'>): boolean => p.recusado === 1;

/** Parties whose actions include signing (all of them when `acoes` is absent: the default signs). */
export const mustSign = (p: Pick<ParteDocumento, 'acoes'>): boolean =>
  p.acoes === null || p.acoes === undefined || p.acoes.length === 0 || p.acoes.includes(SIGN_ACTION);

export type PartySigningState = 'pending' | 'signed' | 'refused';

export function partySigningState(p: ParteDocumento): PartySigningState {
  if (hasSigned(p)) return 'signed';
  if (hasRefused(p)) return 'refused';
  return 'pending';
}
