/** Talks to a running simulator's `/_simulator/*` endpoints over real HTTP, as a test would from outside. */
import type { SigningProviderName } from '../../src/providers/registry';
import { baseUrlVariableOf, type BaseUrlVariable } from '../../simulators/addresses';
import type { FaultRule } from '../../simulators/kit';
import { signingSimulators } from '../../simulators/registry';

async function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const origin = new URL(baseUrl).origin;
  const res = await fetch(origin + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`simulator ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/** Adds fault rules to the simulator serving `baseUrl`. */
export const addFaults = (baseUrl: string, rules: FaultRule[]) =>
  call(baseUrl, 'POST', '/_simulator/faults', rules);
/**
 * The next request to `route` (or the next `times`) is answered `status`, with `body` if given,
 * in place of the simulator's own answer.
 */
export const answerNext = (
  baseUrl: string,
  route: string,
  status: number,
  rule: Pick<FaultRule, 'body' | 'times' | 'retryAfterSeconds'> = {},
) => addFaults(baseUrl, [{ route, kind: 'status', status, times: 1, ...rule }]);
/** Removes every fault rule. */
export const clearFaults = (baseUrl: string) => call(baseUrl, 'DELETE', '/_simulator/faults');
/** Everything the simulator holds, with its counts of created objects. */
export const simulatorState = <T = Record<string, unknown>>(baseUrl: string) =>
  call(baseUrl, 'GET', '/_simulator/state') as Promise<T>;
/** How many requests each route received, by `METHOD /pattern` (faulted ones included). */
export const routeHits = (baseUrl: string) =>
  call(baseUrl, 'GET', '/_simulator/hits') as Promise<Record<string, number>>;
export const resetSimulator = (baseUrl: string) => call(baseUrl, 'POST', '/_simulator/reset');

/** Every signer of the envelope signs now, at the simulator of the provider that holds it (its `POST /_simulator/sign`). */
export const signAtProvider = (
  baseUrls: Record<BaseUrlVariable, string>,
  provider: SigningProviderName,
  envelopeId: string,
) =>
  call(
    baseUrls[baseUrlVariableOf(provider)],
    'POST',
    '/_simulator/sign',
    signingSimulators[provider].signRequest(envelopeId),
  );
