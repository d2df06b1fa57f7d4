/**
 * Provider calls as metrics, through the activity's metric meter (the worker's Prometheus
 * endpoint): each attempt by provider, operation (the activity) and result, and the attempts that
 * were retries. The provider is the one whose task queue the activity ran on.
 */
import { Context } from '@temporalio/activity';
import { calledProviders } from '../providers/registry';

export type CallResult = 'ok' | 'retryable' | 'final';

export function recordCall(operation: string, result: CallResult): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return; // called outside an activity (a unit test of the function itself)
  }
  const { taskQueue, attempt } = context.info;
  const provider = calledProviders.find((p) => taskQueue.endsWith(`-${p}`)) ?? 'none';
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
