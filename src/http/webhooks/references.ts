/**
 * From a provider's reference to the onboarding it belongs to, through search attributes that hold
 * no personal data (`SigningEnvelopeId`, `DataTrustTransactionIds`). Only running onboardings are
 * looked up: an ended one has nothing to be told. Visibility lags a moment behind a workflow's
 * upsert, so a reference not found yet is looked up again a few times before it counts as unknown.
 * Found references are cached (a bounded map, oldest out first).
 */
import type { Client } from '@temporalio/client';
import { visibilityLiteral } from '../../temporal/visibility';

/** References are opaque ids; anything else is no reference of ours and never reaches a query. */
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_.:~-]{0,199}$/;

export interface ReferenceLookupOptions {
  /** Waits before each new try while a reference is not found. */
  retryDelaysMs: number[];
  cacheSize: number;
}

export class ReferenceLookup {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly client: Client,
    private readonly options: ReferenceLookupOptions,
  ) {}

  /** The workflow id whose `attribute` holds `reference`, or undefined when none runs. */
  async workflowIdOf(attribute: string, reference: string): Promise<string | undefined> {
    if (!REFERENCE.test(reference)) return undefined;
    const cacheKey = `${attribute}\u0000${reference}`;
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const query = `${attribute} = ${visibilityLiteral(reference)} AND ExecutionStatus = 'Running'`;
    for (const delay of [0, ...this.options.retryDelaysMs]) {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      for await (const execution of this.client.workflow.list({ query, pageSize: 1 })) {
        this.remember(cacheKey, execution.workflowId);
        return execution.workflowId;
      }
    }
    return undefined;
  }

  private remember(key: string, workflowId: string): void {
    this.cache.set(key, workflowId);
    if (this.cache.size > this.options.cacheSize) {
      this.cache.delete(this.cache.keys().next().value as string);
    }
  }
}
