/** A chaos run's figures, and the table `npm run chaos` prints. */
import { table } from '../text-table';
import { outcomeStatuses } from '../../src/domain/onboarding';
import { signingProviders } from '../../src/domain/input';
import type { SigningProviderName } from '../../src/providers/registry';
import type { Driven, DrivenStatus } from './drive';
import type { ObjectTally, OpenEnvelope, RunOnboarding } from './objects';
import { describeFaults } from './profile';
import type { ChaosOptions } from './options';

export interface Disturbances {
  kills: number;
  workerStarts: number;
  /** Worker processes that exited by themselves (e.g. while the dev server was down). */
  workerCrashes: number;
  serverRestarts: number;
  serverDownMs: number;
}

export interface ObjectCount {
  expected: number;
  min: number;
  max: number;
  /** Onboardings whose count is not the expected one. */
  off: number;
}

export interface Durations {
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

export interface ChaosFigures {
  seed: number;
  count: number;
  perProvider: Record<SigningProviderName, number>;
  killEverySeconds: number;
  killForSeconds: number;
  timeoutSeconds: number;
  wallSeconds: number;
  faults: string;
  disturbances: Disturbances;
  /** For how long the faults were on (null: the whole run). */
  faultsForSeconds: number | null;
  /** Requests the providers received. */
  requests: number;
  /** Requests each kind of fault took (`503`, `429`, `drop`, `commit-then-drop`, `+100 ms`...). */
  faultsApplied: Record<string, number>;
  outcomes: Record<DrivenStatus, Durations>;
  /** Per kind of object, per signing provider: expected per onboarding, and what was found. */
  objects: Array<{ name: string; bySigning: Record<SigningProviderName, ObjectCount> }>;
  unattributedObjects: number;
  openEnvelopes: { ofUncompleted: number; other: number };
}

const percentile = (sorted: number[], p: number): number | null =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export function figuresOf(run: {
  options: ChaosOptions;
  inputs: RunOnboarding[];
  driven: Driven[];
  wallMs: number;
  disturbances: Disturbances;
  tallies: ObjectTally[];
  open: OpenEnvelope[];
  faults: ChaosFigures['faultsApplied'];
  requests: number;
}): ChaosFigures {
  const statuses: DrivenStatus[] = [...outcomeStatuses, 'not terminal'];
  const outcomes = Object.fromEntries(
    statuses.map((status) => {
      const ms = run.driven
        .filter((d) => d.status === status)
        .map((d) => d.durationMs)
        .sort((a, b) => a - b);
      return [
        status,
        { count: ms.length, p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95), maxMs: ms.at(-1) ?? null },
      ];
    }),
  ) as Record<DrivenStatus, Durations>;
  const perProvider = Object.fromEntries(
    signingProviders.map((p) => [p, run.inputs.filter((i) => i.provider === p).length]),
  ) as Record<SigningProviderName, number>;
  const objects = run.tallies.map((t) => ({
    name: t.name,
    bySigning: Object.fromEntries(
      signingProviders.map((provider) => {
        const counts = run.inputs
          .filter((i) => i.provider === provider)
          .map((i) => t.perOnboarding.get(i.onboardingId) ?? 0);
        const expected = t.expected[provider];
        return [
          provider,
          {
            expected,
            min: counts.length === 0 ? expected : Math.min(...counts),
            max: counts.length === 0 ? expected : Math.max(...counts),
            off: counts.filter((c) => c !== expected).length,
          },
        ];
      }),
    ) as Record<SigningProviderName, ObjectCount>,
  }));
  const completed = new Set(run.driven.filter((d) => d.status === 'completed').map((d) => d.onboardingId));
  const ofUncompleted = run.open.filter(
    (e) => e.onboardingId !== undefined && !completed.has(e.onboardingId),
  ).length;
  return {
    seed: run.options.seed,
    count: run.inputs.length,
    perProvider,
    killEverySeconds: run.options.killEverySeconds,
    killForSeconds: run.options.killForSeconds,
    timeoutSeconds: run.options.timeoutSeconds,
    wallSeconds: Math.round(run.wallMs / 100) / 10,
    faults: describeFaults(),
    faultsForSeconds: run.options.faultsForSeconds ?? null,
    disturbances: run.disturbances,
    requests: run.requests,
    faultsApplied: run.faults,
    outcomes,
    objects,
    unattributedObjects: run.tallies.reduce((a, t) => a + t.unattributed, 0),
    openEnvelopes: { ofUncompleted, other: run.open.length - ofUncompleted },
  };
}

const seconds = (ms: number | null) => (ms === null ? '-' : (ms / 1000).toFixed(1));

const objectCell = ({ expected, min, max, off }: ObjectCount): string =>
  off === 0 ? String(expected) : `${expected} (${min}-${max}, ${off} off)`;

export function formatReport(f: ChaosFigures, violations: string[]): string {
  const d = f.disturbances;
  const providers = signingProviders.map((p) => `${f.perProvider[p]} ${p}`).join(', ');
  const faultCounts = Object.entries(f.faultsApplied)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  const faultsFor = f.faultsForSeconds === null ? 'the whole run' : `the first ${f.faultsForSeconds} s`;
  const lines = [
    `chaos run: ${f.count} onboardings (${providers}), seed ${f.seed}, all expected to complete`,
    `faults on every provider route for ${faultsFor}: ${f.faults}`,
    `provider requests: ${f.requests}; faults applied: ${faultCounts}`,
    `worker SIGKILLed ${d.kills} times in ${f.killForSeconds} s (after polling ${f.killEverySeconds / 2}-${(f.killEverySeconds * 3) / 2} s), ` +
      `${d.workerStarts} worker starts, ${d.workerCrashes} exited by themselves; ` +
      (d.serverRestarts === 0
        ? 'dev server not restarted'
        : `dev server restarted ${d.serverRestarts === 1 ? 'once' : `${d.serverRestarts} times`} (${seconds(d.serverDownMs)} s down)`),
    `${f.wallSeconds} s from the first start to the last outcome (bound ${f.timeoutSeconds} s)`,
    '',
    ...table(
      ['outcome', 'count', 'p50 s', 'p95 s', 'max s'],
      (Object.entries(f.outcomes) as Array<[string, Durations]>)
        .filter(([status, o]) => status !== 'not terminal' || o.count > 0)
        .map(([status, o]) => [
          status,
          String(o.count),
          seconds(o.p50Ms),
          seconds(o.p95Ms),
          seconds(o.maxMs),
        ]),
    ),
    '',
    ...table(
      ['objects per onboarding', ...signingProviders],
      f.objects.map((o) => [o.name, ...signingProviders.map((p) => objectCell(o.bySigning[p]))]),
    ),
    'expected per onboarding; where it differs: (fewest-most found, onboardings off)',
    `objects of no onboarding: ${f.unattributedObjects}`,
    `envelopes left open: ${f.openEnvelopes.ofUncompleted} of onboardings that did not complete, ${f.openEnvelopes.other} others`,
    '',
    violations.length === 0
      ? 'no violations'
      : [`${violations.length} violation(s):`, ...violations.map((v) => `  ${v}`)].join('\n'),
  ];
  return lines.join('\n');
}
