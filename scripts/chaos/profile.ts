/**
 * The chaos run's faults: on every route of every provider simulator (`route: '*'`), a share of the
 * requests answered 503, 429 with Retry-After, dropped before anything is done, or done and then
 * dropped before the answer, and added latency, each drawn from the simulators' seeded PRNG.
 */
import type { FaultRule } from '../../simulators/kit';

/** The share of all provider requests each fault takes (the rest are answered normally). */
export const faultShares = {
  drop: 0.05,
  status503: 0.2,
  status429: 0.1,
  commitThenDrop: 0.05,
} as const;

/** Added latency: a share of the requests waits this long before anything else happens. */
export const latencies = [
  { latencyMs: 100, share: 0.3 },
  { latencyMs: 1_000, share: 0.05 },
] as const;

export const RETRY_AFTER_SECONDS = 1;

/**
 * The rules, in the order the simulators apply the kinds (drop, then status rules in order, then
 * commit-then-drop): each rule draws on its own, so a rule's probability is its share of the
 * requests the earlier ones left, and each fault takes exactly its share of all requests.
 */
export function chaosFaultRules(): FaultRule[] {
  const exclusive: Array<[number, Omit<FaultRule, 'probability'>]> = [
    [faultShares.drop, { route: '*', kind: 'drop' }],
    [faultShares.status503, { route: '*', kind: 'status', status: 503 }],
    [
      faultShares.status429,
      { route: '*', kind: 'status', status: 429, retryAfterSeconds: RETRY_AFTER_SECONDS },
    ],
    [faultShares.commitThenDrop, { route: '*', kind: 'commit-then-drop' }],
  ];
  let left = 1;
  const rules: FaultRule[] = exclusive.map(([share, rule]) => {
    const probability = share / left;
    left -= share;
    return { ...rule, probability };
  });
  return [
    ...rules,
    ...latencies.map(({ latencyMs, share }): FaultRule => ({
      route: '*',
      kind: 'latency',
      latencyMs,
      probability: share,
    })),
  ];
}

/** One line describing the profile, for the report. */
export function describeFaults(): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return (
    `${pct(faultShares.status503)} 503, ${pct(faultShares.status429)} 429 (Retry-After ${RETRY_AFTER_SECONDS} s), ` +
    `${pct(faultShares.drop)} dropped, ${pct(faultShares.commitThenDrop)} commit-then-drop; ` +
    latencies.map((l) => `+${l.latencyMs} ms on ${pct(l.share)}`).join(', ')
  );
}
