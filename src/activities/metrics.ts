/**
 * Provider calls as metrics, through the activity's metric meter (the worker's Prometheus
 * endpoint): each attempt by provider, operation (the activity) and result, and the attempts that
 * were retries. The provider is the signing provider the call names, or the one its activity
 * always calls.
 */
import { Context } from '@temporalio/activity';
import { DATA_TRUST, SECURITIES } from '../provider-names';

export type CallResult = 'ok' | 'retryable' | 'final';

const CALLS: Record<string, string> = {
  startIdentityCheck: DATA_TRUST,
  findIdentityCheck: DATA_TRUST,
  checkSmsToken: DATA_TRUST,
  readSmsTokenState: DATA_TRUST,
  createCcbProposal: SECURITIES,
  findCcbProposal: SECURITIES,
};

/** `{ provider }`, an envelope (`{ provider }`) or `{ envelope }`: the signing calls' first argument. */
function signingProviderOf(arg: unknown): string | undefined {
  const named = (v: unknown) =>
    typeof v === 'object' && v !== null && typeof (v as { provider?: unknown }).provider === 'string'
      ? (v as { provider: string }).provider
      : undefined;
  return named(arg) ?? named((arg as { envelope?: unknown } | undefined)?.envelope);
}

export function recordCall(operation: string, args: readonly unknown[], result: CallResult): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return; // called outside an activity (a unit test of the function itself)
  }
  const { attempt } = context.info;
  const provider = CALLS[operation] ?? signingProviderOf(args[0]) ?? 'none';
  const meter = context.metricMeter;
  meter
    .createCounter('credit_onboarding_provider_calls', 'calls', 'Provider call attempts, by result')
    .add(1, { provider, operation, result });
  if (attempt > 1) {
    meter
      .createCounter(
        'credit_onboarding_provider_call_retries',
        'calls',
        'Provider call attempts that were retries',
      )
      .add(1, { provider, operation });
  }
}
