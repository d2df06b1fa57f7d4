/**
 * Idempotency keys derived from the workflow id. Providers limit their lengths (Data Trust's
 * `AdditionalInformation.Transaction`: 30; Signio's `envelopeDeduplicationKey`: 36), and a workflow
 * id is the lender's choice, so long ids are shortened with a hash: same id, same key, always.
 */
import { createHash } from 'node:crypto';

const digest = (value: string, length: number): string =>
  createHash('sha256').update(value).digest('hex').slice(0, length);

/** `<prefix><id>` when it fits in `max`, else `<prefix><hash>`. */
export function boundedKey(prefix: string, id: string, max: number): string {
  const plain = `${prefix}${id}`;
  if (plain.length <= max && /^[A-Za-z0-9_-]+$/.test(id)) return plain;
  return `${prefix}${digest(id, max - prefix.length)}`;
}

/** Data Trust transaction reference for the n-th token of an onboarding (0 = first). */
export const dataTrustReference = (workflowId: string, attempt: number): string =>
  boundedKey(`t${attempt}-`, workflowId, 30);

/** The proposal number in Securities: the onboarding's own id, so a lender can find it. */
export const proposalNumber = (onboardingId: string): string => boundedKey('', onboardingId, 64);

/** Signio `envelopeDeduplicationKey` (at most 36 characters). */
export const signioDeduplicationKey = (workflowId: string): string => boundedKey('', workflowId, 36);
