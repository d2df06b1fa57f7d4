/**
 * What the lender's backend imports: start an onboarding, forward the SMS token, ask for a new
 * token, decide a manual review, repair an onboarding that needs attention (or retry many at once), report a signature
 * event, read the status, cancel, and await the typed outcome. It never imports the workflow module: only the messages and the domain types.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  type WorkflowHandle,
} from '@temporalio/client';
import { loadConfig, type Config } from './config';
import { parseOnboardingInput, type OnboardingInput, type OnboardingInputDraft } from './domain/input';
import {
  DEFAULT_TENANT,
  type OnboardingOutcome,
  type OnboardingStatus,
  type Principal,
  type ReviewDecision,
  type SmsTokenValidation,
} from './domain/onboarding';
import type { RepairAnswer, RepairCommand } from './domain/repair';
import {
  BULK_REPAIR_DEFAULT_PER_SECOND,
  BULK_REPAIR_MAX_PER_SECOND,
  BULK_REPAIR_WORKFLOW_TYPE,
  bulkRepairWorkflowIdFor,
  type BulkRepairFilter,
  type BulkRepairProgress,
  type MatchedOnboarding,
} from './domain/bulk-repair';
import { matched, progress, type BulkRepairWorkflow } from './bulk-repair-messages';
import { allNeedingAttention } from './temporal/needs-attention';
import {
  SMS_TOKEN_PATTERN,
  TASK_QUEUE,
  WORKFLOW_TYPE,
  cancel,
  resendSmsToken,
  repair,
  reviewDecision,
  signatureEvent,
  status,
  submitSmsToken,
  validateSmsToken,
  workflowIdFor,
  type CreditOnboardingWorkflow,
} from './messages';
import { onboardingStageKey, onboardingTenantKey, signingProviderKey } from './search-attributes';
import { temporalConnectionSettings } from './temporal/connection';
import { configuredDataConverter } from './temporal/data-converter';
import type { DataKeys } from './temporal/data-keys/data-keys';
import {
  ERASURE_WORKFLOW_TYPE,
  erasureCheck,
  erasureWorkflowIdFor,
  keptStatusOf,
  type ErasedAnswer,
  type ErasureAnswer,
  type ErasureRequest,
} from './privacy/erasure';
import type { ErasureRecord } from './domain/erasure';
import { clientTracingInterceptors } from './tracing/client-tracing';

export type OnboardingHandle = WorkflowHandle<CreditOnboardingWorkflow>;

export interface StartedOnboarding {
  workflowId: string;
  handle: OnboardingHandle;
  /** False when an onboarding with this id already existed: nothing new was started. */
  started: boolean;
  /** Whether the existing onboarding was started with this same input (always true when `started`). */
  sameInput: boolean;
}

export { InvalidOnboardingInput } from './domain/input';
export type {
  OnboardingInputDraft,
  OnboardingOutcome,
  OnboardingStatus,
  Principal,
  ReviewDecision,
  SmsTokenValidation,
};

/** A repair as the caller gives it; the client adds who repaired (its principal). */
export type RepairRequest = Omit<RepairCommand, 'principal'>;
export type { RepairAnswer };

/** A bulk retry's options: why (required), a dry run, and the rate (1 to 20 a second; 5 when unset). */
export interface RepairAllOptions {
  reason: string;
  dryRun?: boolean;
  perSecond?: number;
  /** How long to wait for the job to have listed the matches (25 s by default). */
  matchWaitMs?: number;
}
/** A dry run's answer: the onboardings a bulk retry would retry, with why each waits. */
export interface RepairAllDryRun {
  dryRun: true;
  matched: number;
  onboardings: MatchedOnboarding[];
}
/** A bulk retry started: its job id (`repairJob(id)` follows it) and how many onboardings it matched. */
export interface RepairAllStarted {
  id: string;
  /** Absent when the job was still listing them after `matchWaitMs`. */
  matched?: number;
}
export type { BulkRepairFilter, BulkRepairProgress, MatchedOnboarding };

/** A manual review's decision as the caller gives it; the client adds who decided (its principal). */
export type ReviewAnswer = Omit<ReviewDecision, 'principal'>;

/** Backend code with this client holds the key ring: it acts as a service of its own (TEMPORAL_CLIENT_NAME). */
export const servicePrincipal = (config: Pick<Config, 'TEMPORAL_CLIENT_NAME'>): Principal => ({
  type: 'service',
  name: config.TEMPORAL_CLIENT_NAME,
  tenant: DEFAULT_TENANT,
});

export class OnboardingClient {
  constructor(
    readonly client: Client,
    readonly taskQueue: string = TASK_QUEUE,
    /** Who the commands this client sends (review, cancel, resend) come from. */
    readonly principal: Principal = { type: 'service', name: 'backend', tenant: DEFAULT_TENANT },
    /** Each onboarding's data key: what erasure destroys (none: this client cannot erase). */
    readonly dataKeys?: DataKeys,
  ) {}

  /** The same client, sending its commands as `principal` (the HTTP API: the API key of each request). */
  as(principal: Principal): OnboardingClient {
    return new OnboardingClient(this.client, this.taskQueue, principal, this.dataKeys);
  }

  /** Connects with the environment's settings (TEMPORAL_ADDRESS, namespace, TLS or API key). */
  static async connect(config: Config = loadConfig()): Promise<OnboardingClient> {
    const settings = temporalConnectionSettings(config);
    // Refuses to start outside loopback without TEMPORAL_ENCRYPTION_KEYS, before connecting anywhere.
    const { dataConverter: converter, dataKeys } = configuredDataConverter(config);
    const connection = await Connection.connect({
      address: settings.address,
      ...(settings.tls ? { tls: settings.tls } : {}),
      ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    });
    return new OnboardingClient(
      new Client({
        connection,
        namespace: settings.namespace,
        dataConverter: converter,
        // The process's tracer (src/tracing/exporter.ts): with none registered, the spans cost nothing.
        ...(config.OTEL_EXPORTER_OTLP_ENDPOINT ? { interceptors: clientTracingInterceptors() } : {}),
      }),
      config.TEMPORAL_TASK_QUEUE,
      servicePrincipal(config),
      dataKeys,
    );
  }

  /**
   * Validates the input (throws `InvalidOnboardingInput` naming every bad field, and starts nothing)
   * and starts the onboarding. Starting the same onboarding id again starts nothing: the existing
   * onboarding's handle comes back with `started: false`.
   */
  async start(draft: OnboardingInputDraft): Promise<StartedOnboarding> {
    const input = parseOnboardingInput(draft);
    const workflowId = workflowIdFor(input.onboardingId);
    const fingerprint = inputFingerprint(input);
    try {
      const handle = await this.client.workflow.start<CreditOnboardingWorkflow>(WORKFLOW_TYPE, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: onboardingStageKey, value: 'validating_input' },
          { key: onboardingTenantKey, value: input.tenant },
          { key: signingProviderKey, value: input.signingProvider },
        ],
        // Where the server balances task queues fairly, one tenant's burst does not starve another's applicants.
        priority: { fairnessKey: input.tenant },
        // Shown in the Web UI for operators: the loan and the provider, never personal data.
        staticSummary: summaryOf(input),
        staticDetails: detailsOf(input),
        // Encrypted like every payload: tells a repeated start from a different one under the same id.
        memo: { [FINGERPRINT]: fingerprint },
      });
      return { workflowId, handle, started: true, sameInput: true };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        const handle = this.handle(input.onboardingId);
        const { memo } = await handle.describe();
        return { workflowId, handle, started: false, sameInput: memo?.[FINGERPRINT] === fingerprint };
      }
      throw err;
    }
  }

  /** The tenant an onboarding belongs to; onboardings from before tenants belong to the default one. */
  async tenantOf(onboardingId: string): Promise<string> {
    const { typedSearchAttributes } = await this.handle(onboardingId).describe();
    return typedSearchAttributes.get(onboardingTenantKey) ?? DEFAULT_TENANT;
  }

  handle(onboardingId: string): OnboardingHandle {
    return this.client.workflow.getHandle<CreditOnboardingWorkflow>(workflowIdFor(onboardingId));
  }

  /** Forwards the token and returns at once; the result shows in `status`. */
  async submitSmsToken(onboardingId: string, token: string): Promise<void> {
    assertToken(token);
    await this.handle(onboardingId).signal(submitSmsToken, token);
  }

  /** Forwards the token and waits for Data Trust's answer and the attempts left. */
  async validateSmsToken(onboardingId: string, token: string): Promise<SmsTokenValidation> {
    assertToken(token);
    return this.handle(onboardingId).executeUpdate(validateSmsToken, { args: [token] });
  }

  async resendSmsToken(onboardingId: string): Promise<void> {
    await this.handle(onboardingId).signal(resendSmsToken, { principal: this.principal });
  }

  async review(onboardingId: string, decision: ReviewAnswer): Promise<void> {
    await this.handle(onboardingId).signal(reviewDecision, { ...decision, principal: this.principal });
  }

  /**
   * Retries, corrects and retries, or abandons the step an onboarding in `needs_attention` waits on;
   * answers what happens next. Refused (`WorkflowUpdateFailedError`, its cause naming why) when the
   * onboarding is not waiting for a repair or the corrections do not apply.
   */
  async repair(onboardingId: string, request: RepairRequest): Promise<RepairAnswer> {
    return this.handle(onboardingId).executeUpdate(repair, {
      args: [{ ...request, principal: this.principal }],
    });
  }

  /**
   * Retries every onboarding of this client's tenant waiting in `needs_attention` for the failure
   * `filter` names (docs/repair.md#repair-in-bulk). A dry run answers which, changing nothing;
   * otherwise a durable job starts, retrying at most `perSecond` a second as this client's
   * principal, and the answer says how many it matched. Only `retry`: corrections are per onboarding.
   */
  async repairAll(
    filter: BulkRepairFilter,
    options: RepairAllOptions & { dryRun: true },
  ): Promise<RepairAllDryRun>;
  async repairAll(filter: BulkRepairFilter, options: RepairAllOptions): Promise<RepairAllStarted>;
  async repairAll(
    filter: BulkRepairFilter,
    options: RepairAllOptions,
  ): Promise<RepairAllDryRun | RepairAllStarted> {
    const perSecond = options.perSecond ?? BULK_REPAIR_DEFAULT_PER_SECOND;
    assertBulkRepair(filter, options.reason, perSecond);
    const { tenant } = this.principal;
    if (options.dryRun) {
      const onboardings = await allNeedingAttention(this.client, tenant, filter);
      return { dryRun: true, matched: onboardings.length, onboardings };
    }
    const id = randomUUID();
    const handle = await this.client.workflow.start<BulkRepairWorkflow>(BULK_REPAIR_WORKFLOW_TYPE, {
      workflowId: bulkRepairWorkflowIdFor(id),
      taskQueue: this.taskQueue,
      args: [{ tenant, filter, reason: options.reason.trim(), principal: this.principal, perSecond }],
      staticSummary: `Bulk retry of onboardings needing attention, ${perSecond} a second`,
    });
    const waited = AbortSignal.timeout(options.matchWaitMs ?? 25_000);
    try {
      return { id, matched: await this.client.withAbortSignal(waited, () => handle.executeUpdate(matched)) };
    } catch (err) {
      // Still listing them: `repairJob(id)` will say.
      if (waited.aborted) return { id };
      // A job that matched nothing may have ended before the update reached it: its result says.
      const { status: state } = await handle.describe();
      if (state.name !== 'COMPLETED') throw err;
      return { id, matched: (await handle.result()).matched ?? 0 };
    }
  }

  /** Where a bulk retry job stands; undefined when it is no job of this client's tenant. */
  async repairJob(id: string): Promise<Omit<BulkRepairProgress, 'tenant'> | undefined> {
    const { tenant, ...answer } = await this.client.workflow
      .getHandle<BulkRepairWorkflow>(bulkRepairWorkflowIdFor(id))
      .query(progress);
    return tenant === this.principal.tenant ? answer : undefined;
  }

  /** A provider webhook or the backend says a signature changed: the onboarding checks at once. */
  async signatureEvent(onboardingId: string, source?: string): Promise<void> {
    await this.handle(onboardingId).signal(signatureEvent, source === undefined ? {} : { source });
  }

  /** Where the onboarding stands; once its personal data was erased, what was kept of it (`personalData` says). */
  async status(onboardingId: string): Promise<OnboardingStatus> {
    return (await this.keptStatus(onboardingId)) ?? this.handle(onboardingId).query(status);
  }

  /** What was kept of an erased onboarding; undefined while it is not erased; throws when nothing was kept. */
  private async keptStatus(onboardingId: string): Promise<OnboardingStatus | undefined> {
    const erasure = await this.erasureOf(onboardingId);
    if (erasure === undefined) return undefined;
    const kept = keptStatusOf(erasure);
    if (kept === undefined) throw new OnboardingErasedWithoutRecord(erasure);
    return kept;
  }

  /** When and why the onboarding's personal data was erased; undefined while it was not. */
  async erasureOf(onboardingId: string): Promise<ErasureRecord | undefined> {
    const entry = await this.dataKeys?.store.get(workflowIdFor(onboardingId));
    return entry?.state === 'erased' ? entry.erasure : undefined;
  }

  /**
   * Erases the applicant's personal data (docs/privacy.md) through a durable erasure workflow: a
   * running onboarding is ended first, then its data key is destroyed. Answers `erased` once done,
   * or `ending` when that takes longer than `waitMs`: the erasure goes on by itself. Throws
   * NotErasableByKey for an onboarding from before data keys.
   */
  async erasePersonalData(onboardingId: string, options: { waitMs?: number } = {}): Promise<ErasureAnswer> {
    if (this.dataKeys === undefined)
      throw new Error('this client was made without data keys: it cannot erase');
    const handle = this.handle(onboardingId);
    const erased = await erasureCheck(handle, this.dataKeys);
    if (erased !== undefined) return erased;
    const request: ErasureRequest = { workflowId: handle.workflowId, principal: this.principal };
    const erasure = await this.client.workflow.start<(r: ErasureRequest) => Promise<ErasedAnswer>>(
      ERASURE_WORKFLOW_TYPE,
      {
        workflowId: erasureWorkflowIdFor(handle.workflowId),
        taskQueue: this.taskQueue,
        args: [request],
        // A second request while one runs joins it.
        workflowIdConflictPolicy: 'USE_EXISTING',
        staticSummary: "Erasure of an onboarding's personal data",
      },
    );
    const waited = AbortSignal.timeout(options.waitMs ?? 20_000);
    try {
      return await this.client.withAbortSignal(waited, () => erasure.result());
    } catch (err) {
      if (waited.aborted) return { state: 'ending' };
      throw err;
    }
  }

  async cancel(onboardingId: string, reason: string): Promise<void> {
    await this.handle(onboardingId).signal(cancel, { reason, principal: this.principal });
  }

  async result(onboardingId: string): Promise<OnboardingOutcome> {
    const kept = await this.keptStatus(onboardingId);
    if (kept === undefined) return this.handle(onboardingId).result();
    if (kept.outcome === undefined) throw new Error('the onboarding ended without an outcome (terminated)');
    return kept.outcome;
  }
}

/** The onboarding's personal data was erased after its history was gone: nothing of it was kept. */
export class OnboardingErasedWithoutRecord extends Error {
  constructor(readonly erasure: ErasureRecord) {
    super(`the onboarding's personal data was erased (${erasure.erasedAt}) and nothing of it was kept`);
    this.name = 'OnboardingErasedWithoutRecord';
  }
}

const FINGERPRINT = 'inputFingerprint';

/** The SHA-256 of the normalized input, keys sorted: the same input always gives the same value. */
export function inputFingerprint(input: OnboardingInput): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(input)))
    .digest('hex');
}

function summaryOf(input: OnboardingInput): string {
  return `CCB R$ ${input.loan.terms.financed_amount} in ${input.loan.installments}x, signed with ${input.signingProvider}`;
}

function detailsOf(input: OnboardingInput): string {
  const { terms } = input.loan;
  return [
    `**Onboarding** ${input.onboardingId}`,
    `**Signing provider** ${input.signingProvider} · **signers** ${input.signers.length}`,
    `**Financed** R$ ${terms.financed_amount} · **disbursed** R$ ${terms.disbursed_amount} · **installments** ${input.loan.installments} of R$ ${terms.pmt}`,
    `**Due dates** ${terms.first_installment_due_date} to ${terms.last_installment_due_date}`,
    `**Credit policy** ${input.policy ?? 'the tenant’s default'} · **tenant** ${input.tenant}`,
  ].join('\n\n');
}

function assertBulkRepair(filter: BulkRepairFilter, reason: string, perSecond: number): void {
  if (reason.trim() === '' || reason.trim().length > 500)
    throw new TypeError('reason must be 1 to 500 characters');
  if (!Number.isInteger(perSecond) || perSecond < 1 || perSecond > BULK_REPAIR_MAX_PER_SECOND)
    throw new TypeError(`perSecond must be an integer from 1 to ${BULK_REPAIR_MAX_PER_SECOND}`);
  for (const field of ['since', 'until'] as const)
    if (filter[field] !== undefined && Number.isNaN(Date.parse(filter[field])))
      throw new TypeError(`filter.${field} must be an ISO 8601 date and time`);
}

function assertToken(token: string): void {
  if (!SMS_TOKEN_PATTERN.test(token)) throw new TypeError('token must be 4 to 8 digits');
}
