/**
 * What Assine Bem's answers mean for the onboarding, read in one place.
 *
 * Decision: the document publishes no table of document or party statuses. The one documented
 * signal that a party signed is call 12's `identificador_assinatura`: "UUID único da assinatura, se
 * vier preenchido significa que a parte assinou". So:
 * - a party signed only when call 12 says so;
 * - a refusal or an invalidation is read from the words of `descricao_documento_status` ("Recusado",
 *   "Invalidado", ...) or a party's `recusado: 1`; status numbers alone never end anything, since
 *   another numbering would turn a pending document into a refused one;
 * - when nothing says otherwise, the document is pending.
 */
import type { Documento, ParteDocumento, SignatureStatus } from './schemas';

export type DocumentHint = 'pending' | 'signed' | 'refused' | 'cancelled';

/** The document's status as its description words it; `pending` when they say nothing we know. */
export function documentHint(doc: Pick<Documento, 'descricao_documento_status'>): DocumentHint {
  const words = (doc.descricao_documento_status ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (/recusad/.test(words)) return 'refused';
  if (/invalidad|cancelad/.test(words)) return 'cancelled';
  if (/\bassinado\b|conclui|finalizad/.test(words)) return 'signed';
  return 'pending';
}

/** A party signed when its signature identifier (call 12) is filled. */
export const hasSigned = (p: Pick<ParteDocumento, 'identificador_assinatura'> | SignatureStatus): boolean =>
  typeof p.identificador_assinatura === 'string' && p.identificador_assinatura.trim() !== '';

export const hasRefused = (p: Pick<ParteDocumento, 'recusado'>): boolean => p.recusado === 1;
