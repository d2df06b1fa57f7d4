/** What the chaos run reads from the simulators over HTTP: their states, requests and faults, and lifting the faults. */
import type { Simulators } from '../../simulators';
import type { ProviderStates } from './objects';

/** Requests each kind of fault took (`HTTP 503`, `drop`, `+100 ms`...), all simulators together. */
export type FaultCounts = Record<string, number>;

const origins = (simulators: Simulators) =>
  Object.values(simulators.servers).map((s) => new URL(s.baseUrl).origin);

async function call(origin: string, method: string, path: string): Promise<unknown> {
  const res = await fetch(origin + path, { method });
  if (!res.ok) throw new Error(`simulator ${method} ${path}: HTTP ${res.status}`);
  return res.status === 204 ? undefined : res.json();
}

/** Every simulator's `GET /_simulator/state`. */
export async function providerStates(simulators: Simulators): Promise<ProviderStates> {
  const states = await Promise.all(
    Object.entries(simulators.servers).map(async ([name, s]) => [
      name,
      await call(new URL(s.baseUrl).origin, 'GET', '/_simulator/state'),
    ]),
  );
  return Object.fromEntries(states) as ProviderStates;
}

/** Requests the providers received. */
export async function requestCount(simulators: Simulators): Promise<number> {
  let total = 0;
  for (const origin of origins(simulators)) {
    const hits = (await call(origin, 'GET', '/_simulator/hits')) as Record<string, number>;
    total += Object.values(hits).reduce((a, b) => a + b, 0);
  }
  return total;
}

export async function faultCounts(simulators: Simulators): Promise<FaultCounts> {
  const counts: FaultCounts = {};
  for (const origin of origins(simulators)) {
    const rules = (await call(origin, 'GET', '/_simulator/faults')) as Array<{
      kind: string;
      status?: number;
      latencyMs?: number;
      used: number;
    }>;
    for (const r of rules) {
      const name =
        r.kind === 'status' ? `HTTP ${r.status}` : r.kind === 'latency' ? `+${r.latencyMs} ms` : r.kind;
      counts[name] = (counts[name] ?? 0) + r.used;
    }
  }
  return counts;
}

/** Takes every fault rule away (the simulators answer normally from now on); returns what they did. */
export async function liftFaults(simulators: Simulators): Promise<FaultCounts> {
  const counts = await faultCounts(simulators);
  for (const origin of origins(simulators)) await call(origin, 'DELETE', '/_simulator/faults');
  return counts;
}
