/**
 * Erasure of an applicant's personal data by destroying the onboarding's data key
 * (src/temporal/data-keys/data-keys.ts): a running onboarding is ended first, as a cancel ends it
 * (its envelope closed at the provider); once it is closed, what is kept of it (its status, nothing
 * personal: src/domain/erasure.ts) goes into the key's tombstone, and the key is destroyed.
 * Repeating it is harmless: an erased onboarding answers when it was erased.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { erasedStatusOf, type ErasureRecord } from '../domain/erasure';
import type { OnboardingStatus, Principal } from '../domain/onboarding';
import { status, type CreditOnboardingWorkflow } from '../messages';
import type { WorkflowHandle } from '@temporalio/client';
import type { DataKeys } from '../temporal/data-keys/data-keys';
import { isUnderDataKey } from '../temporal/encryption-codec';

export type ErasureAnswer =
  | { state: 'erased'; erasedAt: string; cause: ErasureRecord['cause'] }
  /** It was running: its cancel is sent; ask again once it has ended. */
  | { state: 'ending' };

/** The cancel reason an erasure ends a running onboarding with. */
export const ERASURE_CANCEL_REASON = "the applicant's personal data is to be erased";

/**
 * The onboarding started before data keys: its payloads are under the keyring alone, so no key can
 * be destroyed for it. Deleting its workflow execution (and its exports) is what erases it.
 */
export class NotErasableByKey extends Error {
  constructor() {
    super(
      'this onboarding started before per-onboarding data keys: its personal data cannot be erased by key deletion; ' +
        'delete its workflow execution instead (docs/privacy.md)',
    );
    this.name = 'NotErasableByKey';
  }
}

export interface ErasureDeps {
  handle: WorkflowHandle<CreditOnboardingWorkflow>;
  dataKeys: DataKeys;
  principal: Principal;
  /** Sends the cancel that ends a running onboarding. */
  cancel: (reason: string) => Promise<void>;
  /** How long to wait for a running onboarding to end before answering `ending`. */
  waitMs: number;
}

export async function erasePersonalData(deps: ErasureDeps): Promise<ErasureAnswer> {
  const { handle, dataKeys } = deps;
  const entry = await dataKeys.store.get(handle.workflowId);
  if (entry === undefined) throw new NotErasableByKey();
  if (entry.state === 'erased') return erasedAnswer(entry.erasure);

  const closed = await closedOrGone(handle);
  // Started before data keys, then run by workers that have them: its input is under the keyring still.
  if (closed !== 'gone' && !(await inputUnderDataKey(handle))) throw new NotErasableByKey();
  if (closed === 'running') {
    const current = await handle.query(status);
    if (!current.cancelRequested) await deps.cancel(ERASURE_CANCEL_REASON);
    await Promise.race([handle.result().catch(() => undefined), sleep(deps.waitMs)]);
    if ((await closedOrGone(handle)) === 'running') return { state: 'ending' };
  }
  // Its history is gone (past the namespace's retention): nothing of it to keep but the erasure.
  const kept: OnboardingStatus | undefined = closed === 'gone' ? undefined : await handle.query(status);
  const erasure: ErasureRecord = {
    erasedAt: new Date().toISOString(),
    cause: 'request',
    by: `${deps.principal.type}:${deps.principal.name}@${deps.principal.tenant}`,
    ...(kept !== undefined ? { status: erasedStatusOf(kept) as unknown as Record<string, unknown> } : {}),
  };
  const done = await dataKeys.erase(handle.workflowId, erasure);
  if (done === 'erased') return erasedAnswer(erasure);
  // Erased meanwhile (another request, or the retention schedule): that erasure stands.
  const now = await dataKeys.store.get(handle.workflowId);
  if (now?.state === 'erased') return erasedAnswer(now.erasure);
  throw new NotErasableByKey();
}

/** What is kept of an erased onboarding: its status with nothing personal, or undefined when none was kept. */
export function keptStatusOf(erasure: ErasureRecord): OnboardingStatus | undefined {
  if (erasure.status === undefined) return undefined;
  return {
    ...(erasure.status as unknown as OnboardingStatus),
    personalData: { erasedAt: erasure.erasedAt, cause: erasure.cause },
  };
}

const erasedAnswer = (erasure: ErasureRecord): ErasureAnswer => ({
  state: 'erased',
  erasedAt: erasure.erasedAt,
  cause: erasure.cause,
});

/** Whether the onboarding's input, as Temporal stores it, is encrypted under its data key. */
async function inputUnderDataKey(handle: WorkflowHandle): Promise<boolean> {
  const { events } = await handle.fetchHistory();
  const input = events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  return input.length > 0 && input.every((p) => isUnderDataKey(p));
}

async function closedOrGone(handle: WorkflowHandle): Promise<'running' | 'closed' | 'gone'> {
  try {
    const { status: state } = await handle.describe();
    return state.name === 'RUNNING' ? 'running' : 'closed';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'gone';
    throw err;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
