/**
 * Erasure of an applicant's personal data by destroying the onboarding's data key
 * (src/temporal/data-keys/data-keys.ts), as a durable workflow of its own
 * (src/workflows/erasure/): a running onboarding is ended first, as a cancel ends it (its envelope
 * closed at the provider); once it is closed, what is kept of it (its status, nothing personal:
 * src/domain/erasure.ts) goes into the key's tombstone, and the key is destroyed. Asked once, it
 * completes even if the caller never asks again; asked again, it answers when it was erased.
 */
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { erasedStatusOf, type ErasureRecord } from '../domain/erasure';
import type { OnboardingStatus, Principal } from '../domain/onboarding';
import { cancel, status, type CreditOnboardingWorkflow } from '../messages';
import type { DataKeys } from '../temporal/data-keys/data-keys';
import { isUnderDataKey } from '../temporal/encryption-codec';

export type ErasedAnswer = { state: 'erased'; erasedAt: string; cause: ErasureRecord['cause'] };
export type ErasureAnswer =
  | ErasedAnswer
  /** It was running: it is being ended, then its key is destroyed, with no further request. */
  | { state: 'ending' };

/** What the erasure workflow is given: whose data, and who asked. */
export interface ErasureRequest {
  /** The onboarding's workflow id. */
  workflowId: string;
  principal: Principal;
}

export const ERASURE_WORKFLOW_TYPE = 'personalDataErasure';
/** One erasure workflow per onboarding at a time (a second request joins the running one). */
export const erasureWorkflowIdFor = (onboardingWorkflowId: string): string =>
  `erasure-${onboardingWorkflowId}`;

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

/**
 * Before an erasure starts: its answer when the onboarding is erased already, undefined when it can
 * be erased, NotErasableByKey when it cannot (no data key, or its input is under the keyring).
 */
export async function erasureCheck(
  handle: WorkflowHandle<CreditOnboardingWorkflow>,
  dataKeys: DataKeys,
): Promise<ErasedAnswer | undefined> {
  const entry = await dataKeys.store.get(handle.workflowId);
  if (entry === undefined) throw new NotErasableByKey();
  if (entry.state === 'erased') return erasedAnswer(entry.erasure);
  // Started before data keys, then run by workers that have them: its input is under the keyring still.
  if ((await closedOrGone(handle)) !== 'gone' && !(await inputUnderDataKey(handle)))
    throw new NotErasableByKey();
  return undefined;
}

/** Sends a running onboarding the cancel that ends it, unless it has accepted one. */
export async function endForErasure(client: Client, request: ErasureRequest): Promise<void> {
  const handle = client.workflow.getHandle<CreditOnboardingWorkflow>(request.workflowId);
  if ((await closedOrGone(handle)) !== 'running') return;
  if ((await handle.query(status)).cancelRequested) return;
  await handle.signal(cancel, { reason: ERASURE_CANCEL_REASON, principal: request.principal });
}

/**
 * Once the onboarding has closed: keeps its status without personal data and destroys its key;
 * `running` while it has not closed yet.
 */
export async function destroyDataKey(
  client: Client,
  dataKeys: DataKeys,
  request: ErasureRequest,
): Promise<ErasedAnswer | 'running'> {
  const entry = await dataKeys.store.get(request.workflowId);
  if (entry?.state === 'erased') return erasedAnswer(entry.erasure);
  const handle = client.workflow.getHandle<CreditOnboardingWorkflow>(request.workflowId);
  const closed = await closedOrGone(handle);
  if (closed === 'running') return 'running';
  // Its history is gone (past the namespace's retention): nothing of it to keep but the erasure.
  const kept: OnboardingStatus | undefined = closed === 'gone' ? undefined : await handle.query(status);
  const { type, name, tenant } = request.principal;
  const erasure: ErasureRecord = {
    erasedAt: new Date().toISOString(),
    cause: 'request',
    by: `${type}:${name}@${tenant}`,
    ...(kept !== undefined ? { status: erasedStatusOf(kept) as unknown as Record<string, unknown> } : {}),
  };
  if ((await dataKeys.erase(request.workflowId, erasure)) === 'erased') return erasedAnswer(erasure);
  // Erased meanwhile (by the retention schedule): that erasure stands.
  const now = await dataKeys.store.get(request.workflowId);
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

const erasedAnswer = (erasure: ErasureRecord): ErasedAnswer => ({
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
