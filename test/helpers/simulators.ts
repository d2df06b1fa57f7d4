/** Talks to a running simulator's `/_simulator/*` endpoints over real HTTP, as a test would from outside. */
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

/** Every signer of the envelope signs now, at the simulator of the provider that holds it. */
export function signAtProvider(
  baseUrls: Record<'SECURITIES_BASE_URL' | 'ASSINEBEM_BASE_URL' | 'SIGNIO_BASE_URL', string>,
  provider: 'securities' | 'assinebem' | 'signio',
  envelopeId: string,
) {
  switch (provider) {
    case 'securities':
      return call(baseUrls.SECURITIES_BASE_URL, 'POST', '/_simulator/sign', { documentKey: envelopeId });
    case 'assinebem':
      return call(baseUrls.ASSINEBEM_BASE_URL, 'POST', '/_simulator/sign', {
        id_externo_documento: envelopeId,
      });
    case 'signio':
      return call(baseUrls.SIGNIO_BASE_URL, 'POST', '/_simulator/sign', { id_transaccion: envelopeId });
  }
}
