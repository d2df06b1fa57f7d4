/** The simulators' own endpoints the benchmark reads over HTTP: hits per route and the SMS "sent". */
import type { SimulatorUrls } from './bench-stack';

export type Hits = Record<string, Record<string, number>>;

const getJson = async <T>(url: string): Promise<T> => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
};

/** Requests per route, per simulator (`GET /_simulator/hits`). */
export async function readHits(urls: SimulatorUrls): Promise<Hits> {
  const entries = await Promise.all(
    Object.entries(urls.servers).map(
      async ([name, origin]) =>
        [name, await getJson<Record<string, number>>(`${origin}/_simulator/hits`)] as const,
    ),
  );
  return Object.fromEntries(entries);
}

/** Hits between two readings, per simulator and route (routes without any left out). */
export function hitsBetween(before: Hits, after: Hits): Hits {
  const out: Hits = {};
  for (const [sim, routes] of Object.entries(after)) {
    for (const [route, n] of Object.entries(routes)) {
      const d = n - (before[sim]?.[route] ?? 0);
      if (d > 0) (out[sim] ??= {})[route] = d;
    }
  }
  return out;
}

export const totalHits = (hits: Hits, sim?: string): number =>
  Object.entries(hits)
    .filter(([name]) => sim === undefined || name === sim)
    .reduce((sum, [, routes]) => sum + Object.values(routes).reduce((a, b) => a + b, 0), 0);

/** The SMS token Data Trust "sent" for a transaction, and when (epoch ms). */
export async function smsSent(
  urls: SimulatorUrls,
  transactionId: string,
): Promise<{ token: string; sentAt: number } | undefined> {
  const sent = await getJson<Array<{ token: string; sentAt: string }>>(
    `${urls.servers.datatrust}/_simulator/sms?transactionId=${encodeURIComponent(transactionId)}`,
  );
  const last = sent.at(-1);
  return last ? { token: last.token, sentAt: Date.parse(last.sentAt) } : undefined;
}
