/** `npm run bench` options; `--quick` shortens every phase for a development run. */
import { parseArgs } from 'node:util';
import { msToNumber } from '@temporalio/common/lib/time';
import type { StringValue } from '@temporalio/common';
import { signingProviders } from '../../src/domain/input';
import type { Provider } from './driver';

export const PHASES = ['ceiling', 'latency', 'applicant', 'auth', 'cold-start', 'rate-limit'] as const;
/** The phases `--stack` runs on the production topology: those whose figures depend on the server. */
export const STACK_PHASES = ['ceiling', 'latency', 'applicant', 'parked'] as const;
export type Phase = (typeof PHASES)[number] | (typeof STACK_PHASES)[number];

/** How many onboardings `--stack`'s parked phase parks unless `--parked` says. */
export const STACK_PARKED = 1_000;

export interface Options {
  quick: boolean;
  provider: Provider;
  concurrency: number;
  /** Ceiling: warm-up and measured window per variant. */
  warmupMs: number;
  windowMs: number;
  /** One in flight: runs per variant. */
  runs: number;
  /** The applicant's load: how long onboardings are started, at what fraction of the ceiling. */
  loadMs: number;
  loadFraction: number;
  /** How often the driver reads `status` while waiting for the SMS token stage. */
  pollMs: number;
  coldStarts: number;
  rateLimitMs: number;
  /** A provider's limit in activities per second for the two rate-limit workers (see rate-limit.ts). */
  rateLimit: number | undefined;
  rateLimitProvider: string;
  phases: Phase[];
  /**
   * On the production topology (`--stack`, scripts/bench/production-stack.ts): STACK_PHASES, the
   * parked one last, each on a topology of its own.
   */
  stack: boolean;
  /** Parked: how many onboardings wait on signatures (undefined: the parked scenario does not run). */
  parked: number | undefined;
  parkConcurrency: number;
  checkInitial: string;
  checkMax: string;
  checkInitialMs: number;
  checkMaxMs: number;
  /** Parked: how long the steady state is observed (default two check intervals). */
  observeMs: number;
  /**
   * Parked: observe right after parking, with no check due (a policy whose checks are further apart
   * than the run), instead of waiting for the steady state of checks.
   */
  atRest: boolean;
  /**
   * The parked run's worker runs the signature sweep every --check-max (SIGNATURE_SWEEP_SECONDS), so
   * the onboardings park once their backoff reaches it; off (`--no-sweep`): they check by themselves.
   */
  sweep: boolean;
  probes: number;
  json: string | undefined;
  /** Build (`npm run build && npm run bundle:workflows`) before the run; off: use dist/ as it is. */
  build: boolean;
}

/** The parked scenario's default policy keeps its steady state at this many status checks a second at most. */
export const STEADY_CHECKS_PER_SECOND = 20;

/** `statusCheckMaxMs` for n parked onboardings: n / STEADY_CHECKS_PER_SECOND seconds in whole minutes, at least one. */
export const defaultCheckMaxSeconds = (n: number): number =>
  Math.max(1, Math.ceil(n / STEADY_CHECKS_PER_SECOND / 60)) * 60;

const HELP = `npm run bench -- [options]

  --quick                  short phases (a development run, about a minute and a half)
  --provider <name>        signing provider of the onboardings: ${signingProviders.join(', ')} (assinebem)
  --concurrency <n>        onboardings in flight for the ceiling (10)
  --window <s>             measured seconds per ceiling variant, after a warm-up of a sixth of it (25)
  --runs <n>               runs per variant at one in flight (10)
  --load <s>               seconds of arrivals at 80% of the ceiling (30)
  --load-fraction <x>      the applicant phase's arrivals as a fraction of the ceiling (0.8); above 1
                           a backlog builds, where the applicant's priority is meant to tell
  --poll <ms>              how often the driver reads status while waiting for the token stage (50)
  --only <phases>          comma-separated subset of: ${PHASES.join(', ')}
  --rate-limit <n|none>    the rate-limit phase's limit, activities/s at the provider (4)
  --rate-limit-provider    the provider it limits and watches (datatrust)
  --no-build               skip npm run build && npm run bundle:workflows (use dist/ as it is)
  --stack                  on the production topology instead (Temporal on PostgreSQL, mutual TLS, two
                           workers): ${STACK_PHASES.join(', ')}; the parked phase parks --parked
                           onboardings (${STACK_PARKED.toLocaleString('en')}); --only takes these names
  --json <file>            also write every raw figure as JSON to <file> ("-": stdout, tables to stderr)

  --parked <n>             the parked scenario instead: n onboardings waiting on signatures
  --park-concurrency <n>   onboardings driven at once while parking (20)
  --check-max <d>          their statusCheckMaxMs: the steady interval between status checks
                           (default: n / ${STEADY_CHECKS_PER_SECOND} seconds rounded up to whole minutes, at least
                           "1 minute", so the steady state asks ${STEADY_CHECKS_PER_SECOND} checks a second at most)
  --check-initial <d>      their statusCheckInitialMs (half of --check-max: one doubling to it)
  --observe <s>            seconds of steady state observed (whole sweep intervals, 3 minutes at least, and
                           5 s; with --no-sweep, 1.2 check intervals: one, plus the jitter)
  --at-rest                observe right after parking instead, with no check due: for a policy whose
                           checks are further apart than the run (e.g. --check-initial "6 hours"
                           --check-max "6 hours"); the steady-state figures are then not measured, and
                           each wake-up's cost is read from the probes (--observe default 120)
  --probes <n>             signatureEvent wake-ups timed (30)
  --no-sweep               the worker runs no signature sweep: parked onboardings check by themselves
                           (as before the sweep; the reference for the sweep's figures)
`;

export function parseOptions(argv = process.argv.slice(2)): Options {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      provider: { type: 'string', default: 'assinebem' },
      concurrency: { type: 'string' },
      window: { type: 'string' },
      runs: { type: 'string' },
      load: { type: 'string' },
      'load-fraction': { type: 'string' },
      poll: { type: 'string', default: '50' },
      only: { type: 'string' },
      'rate-limit': { type: 'string' },
      'rate-limit-provider': { type: 'string', default: 'datatrust' },
      'no-build': { type: 'boolean', default: false },
      json: { type: 'string' },
      parked: { type: 'string' },
      'park-concurrency': { type: 'string' },
      'check-initial': { type: 'string' },
      'check-max': { type: 'string' },
      observe: { type: 'string' },
      'at-rest': { type: 'boolean', default: false },
      'no-sweep': { type: 'boolean', default: false },
      stack: { type: 'boolean', default: false },
      probes: { type: 'string' },
    },
  });
  if (v.help) {
    console.log(HELP);
    process.exit(0);
  }
  const num = (value: string | undefined, fallback: number, name: string): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const provider = v.provider as Provider;
  if (!signingProviders.includes(provider))
    throw new Error(`--provider must be one of ${signingProviders.join(', ')}`);
  const quick = v.quick;
  const stack = v.stack;
  const known: readonly Phase[] = stack ? STACK_PHASES : PHASES;
  const phases = (v.only?.split(',').map((p) => p.trim()) ?? [...known]) as Phase[];
  for (const p of phases)
    if (!known.includes(p))
      throw new Error(
        `--only: unknown phase ${p}${stack ? ' with --stack' : ''} (one of ${known.join(', ')})`,
      );
  const windowMs = num(v.window, quick ? 8 : 25, 'window') * 1000;
  const concurrency = num(v.concurrency, 10, 'concurrency');
  const parked =
    v.parked !== undefined
      ? Math.floor(num(v.parked, 0, 'parked'))
      : stack && phases.includes('parked')
        ? quick
          ? STACK_PARKED / 5
          : STACK_PARKED
        : undefined;
  const maxSeconds = defaultCheckMaxSeconds(parked ?? 0);
  const checkMax = v['check-max'] ?? `${maxSeconds} seconds`;
  const checkMaxMs = msToNumber(checkMax as StringValue);
  const checkInitial = v['check-initial'] ?? `${Math.round(checkMaxMs / 2000)} seconds`;
  const checkInitialMs = msToNumber(checkInitial as StringValue);
  if (!(checkInitialMs > 0 && checkInitialMs <= checkMaxMs))
    throw new Error('--check-initial must be positive and not above --check-max');
  return {
    quick,
    provider,
    concurrency,
    warmupMs: Math.round(windowMs / 6),
    windowMs,
    runs: num(v.runs, quick ? 3 : 10, 'runs'),
    loadMs: num(v.load, quick ? 8 : 30, 'load') * 1000,
    loadFraction: num(v['load-fraction'], 0.8, 'load-fraction'),
    pollMs: num(v.poll, 50, 'poll'),
    coldStarts: quick ? 1 : 3,
    rateLimitMs: (quick ? 6 : 15) * 1000,
    rateLimit: v['rate-limit'] === 'none' ? undefined : num(v['rate-limit'], 4, 'rate-limit'),
    rateLimitProvider: v['rate-limit-provider'],
    phases,
    stack,
    parked,
    parkConcurrency: num(v['park-concurrency'], 20, 'park-concurrency'),
    checkInitial,
    checkMax,
    checkInitialMs,
    checkMaxMs,
    observeMs:
      v.observe !== undefined
        ? num(v.observe, 0, 'observe') * 1000
        : v['at-rest']
          ? 120_000
          : // Swept: whole sweep intervals, three minutes at least, and a few samples (the figures
            // are read over whole intervals; one sweep of a minute is too short to read steadily).
            v['no-sweep']
            ? Math.round(1.2 * checkMaxMs)
            : Math.max(1, Math.ceil(180_000 / checkMaxMs)) * checkMaxMs + 5_000,
    atRest: v['at-rest'],
    sweep: !v['no-sweep'],
    probes: num(v.probes, quick ? 10 : 30, 'probes'),
    json: v.json,
    build: !v['no-build'],
  };
}
