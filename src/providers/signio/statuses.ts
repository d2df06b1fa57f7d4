/**
 * A Signio transaction ("sobre", envelope) and its states, with the document's own names.
 *
 *   1 En Elaboración ──distribuir──▶ 2 Pendiente de Firma ──every signer signed──▶ 3 Firmada
 *        ▲   │                            │   └──a signer rejects──▶ 4 Rechazada
 *        │   └──eliminar──▶ (deleted)     │
 *        └──────────devolver──────────────┘  (also from 7 En Captura de Datos)
 *
 * 6 Suspendida and 7 En Captura de Datos exist in the document's lists but no documented call leads
 * to them. Decision: a deleted transaction has no documented state; the API answers 06 (not found)
 * for it afterwards, and the simulator shows it as "Eliminada" in its own state only.
 */
import type { Transaction, TransactionStateCode } from './schemas';

export const TRANSACTION_STATES: Record<TransactionStateCode, string> = {
  1: 'En Elaboración',
  2: 'Pendiente de Firma',
  3: 'Firmada',
  4: 'Rechazada',
  6: 'Suspendida',
  7: 'En Captura de Datos',
  8: 'Devolución con Observaciones',
};

/**
 * The 6.16 search names its statuses differently. Decision: its "En Proceso" is the 6.2
 * "En Elaboración" (the search lists no other name for drafts); 7 En Captura de Datos also shows as
 * "En Proceso".
 */
export const ENVELOPE_STATUS_NAMES: Record<TransactionStateCode, string> = {
  1: 'En Proceso',
  2: 'Pendiente de Firma',
  3: 'Firmada',
  4: 'Rechazada',
  6: 'Suspendida',
  7: 'En Proceso',
  8: 'Devolución con Observaciones',
};

/** Nothing more will happen to a transaction in these states. */
export const FINAL_STATES: ReadonlySet<TransactionStateCode> = new Set([3, 4]);

export type SignerProgress = 'pending' | 'signed';

/**
 * Who has signed, from a 6.11 answer. It lists signatures per (signer, document) but not which
 * documents each contact must sign, so a contact counts as signed once it has a signature, and
 * every contact does once the transaction is Firmada.
 */
export function signerProgress(transaction: Transaction): Map<string, SignerProgress> {
  const progress = new Map<string, SignerProgress>();
  for (const contact of transaction.contactos) {
    const signed =
      transaction.estado === 3 || transaction.firmas.some((f) => f.id_firmante === contact.id_contacto);
    progress.set(contact.id_contacto, signed ? 'signed' : 'pending');
  }
  return progress;
}
