/** Talks to a running simulator's `/_simulator/*` endpoints over real HTTP, as a test would from outside. */
import type { SigningProviderName } from '../../src/providers/registry';
import type { BaseUrlVariable } from '../../simulators';
import type { FaultRule } from '../../simulators/kit';

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
/** Removes every fault rule. */
export const clearFaults = (baseUrl: string) => call(baseUrl, 'DELETE', '/_simulator/faults');
/** Everything the simulator holds, with its counts of created objects. */
export const simulatorState = <T = Record<string, unknown>>(baseUrl: string) =>
  call(baseUrl, 'GET', '/_simulator/state') as Promise<T>;
/** How many requests each route received, by `METHOD /pattern` (faulted ones included). */
export const routeHits = (baseUrl: string) =>
  call(baseUrl, 'GET', '/_simulator/hits') as Promise<Record<string, number>>;
export const resetSimulator = (baseUrl: string) => call(baseUrl, 'POST', '/_simulator/reset');

/** How each signing simulator is told that every signer signs now (its `POST /_simulator/sign`). */
const signRequests: Record<
  SigningProviderName,
  { baseUrl: BaseUrlVariable; body: (envelopeId: string) => object }
> = {
  securities: { baseUrl: 'SECURITIES_BASE_URL', body: (envelopeId) => ({ documentKey: envelopeId }) },
  assinebem: { baseUrl: 'ASSINEBEM_BASE_URL', body: (envelopeId) => ({ id_externo_documento: envelopeId }) },
  signio: { baseUrl: 'SIGNIO_BASE_URL', body: (envelopeId) => ({ id_transaccion: envelopeId }) },
};

/** Every signer of the envelope signs now, at the simulator of the provider that holds it. */
export function signAtProvider(
  baseUrls: Record<BaseUrlVariable, string>,
  provider: SigningProviderName,
  envelopeId: string,
) {
  const { baseUrl, body } = signRequests[provider];
  return call(baseUrls[baseUrl], 'POST', '/_simulator/sign', body(envelopeId));
}
