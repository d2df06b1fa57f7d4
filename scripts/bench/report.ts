/** The printed tables: every figure beside the same run's reference, the ratio, and the targets. */
import type { Header } from './header';
import type { ApplicantResult } from './scenarios/applicant';
import type { TokenProvider, WorkerTokens } from './scenarios/auth';
import type { VariantResult } from './scenarios/ceiling';
import type { ColdStartResult } from './scenarios/cold-start';
import type { LatencyResult } from './scenarios/latency';
import type { ParkedResult } from './scenarios/parked';
import type { RateLimitResult } from './scenarios/rate-limit';
import type { ShapeResult } from './scenarios/shape';
import { describeShape } from './skeleton/shape';
import { fmt, fmtRatio, ratio, table, type Distribution } from './stats';
import { atLeast, atMost, below, mb, verdict, type Target } from './targets';

export interface DefaultRun {
  header: Header;
  shape?: ShapeResult;
  ceiling?: VariantResult[];
  latency?: LatencyResult;
  plainLoopTokens?: Record<TokenProvider, number>;
  applicant?: ApplicantResult;
  auth?: WorkerTokens[];
  coldStart?: ColdStartResult;
  rateLimit?: RateLimitResult;
  targets?: Target[];
}

export interface ParkedRun {
  header: Header;
  parked: ParkedResult;
  targets?: Target[];
}

type Out = (line: string) => void;

const cpuCell = (cpu: Record<string, number>, names: string[]): string =>
  names.map((n) => fmt(cpu[n])).join('/');

function printRun(h: Header, out: Out, extra: string): void {
  const o = h.options;
  const worker =
    h.workerMode === 'built' ? 'node dist/src/worker.js' : 'tsx src/worker.ts (the build failed)';
  const env = Object.entries(h.workerEnv).map(([k, v]) => `${k}=${v}`);
  if (h.topology) out(`topology  ${h.topology}`);
  out(
    `run       ${extra}; worker ${worker}${env.length > 0 ? ` with ${env.join(' ')}` : ''}; ${fmt(h.seconds)} s in all`,
  );
  out(
    `load avg  ${h.machine.loadAverage.map((l) => l.toFixed(2)).join(' ')} at start, ${(h.loadAverageAtEnd ?? []).map((l) => l.toFixed(2)).join(' ')} at the end (the machine may be shared)`,
  );
  if (o.build && h.build.ok)
    out(
      `build     npm run build ${fmt(h.build.buildMs / 1000, 1)} s, npm run bundle:workflows ${fmt(h.build.bundleMs / 1000, 1)} s`,
    );
}

function tokenRows(workers: WorkerTokens[]): string[][] {
  const rows: string[][] = [];
  for (const w of workers) {
    for (const p of ['datatrust', 'signio'] as const) {
      if (!w.used[p]) continue;
      rows.push([
        `${w.worker}: ${p === 'datatrust' ? 'Data Trust' : 'Signio'}`,
        fmt(w.requests[p], Number.isInteger(w.requests[p]) ? 0 : 1),
        `${fmt(w.lifeMs / 1000)} s / ${fmt(p === 'datatrust' ? 3600 : 7200)} s = ${(w.lifeMs / (p === 'datatrust' ? 3_600_000 : 7_200_000)).toFixed(3)}`,
        String(w.allowed[p]),
        fmtRatio(ratio(w.requests[p], w.allowed[p])),
      ]);
    }
  }
  return rows;
}

const tokenTargets = (workers: WorkerTokens[]): Target[] =>
  workers.flatMap((w) =>
    (['datatrust', 'signio'] as const)
      .filter((p) => w.used[p])
      .map((p) =>
        atMost(
          `token requests per lifetime, ${w.worker}, ${p === 'datatrust' ? 'Data Trust' : 'Signio'}`,
          w.requests[p] / w.allowed[p],
          1,
          `${fmt(w.requests[p], Number.isInteger(w.requests[p]) ? 0 : 1)} per ${w.allowed[p]} allowed`,
          '≤ 1 per token lifetime',
        ),
      ),
  );

function printTargets(targets: Target[], out: Out): void {
  out('');
  out('Targets (a missed target does not fail the run)');
  for (const line of table(
    ['target', 'measured', 'target', ''],
    targets.map((t) => [t.name, t.shown, t.target, verdict(t)]),
  ))
    out(line);
}

const dist = (d: Distribution | undefined): string[] => [fmt(d?.p50), fmt(d?.p95), fmt(d?.p99)];

export function defaultTargets(run: DefaultRun): Target[] {
  const targets: Target[] = [];
  const skeleton = run.ceiling?.find((v) => v.name === 'skeleton, no upserts');
  const onboarding = run.ceiling?.find((v) => v.name === 'onboarding');
  if (skeleton && onboarding) {
    const r = ratio(onboarding.throughput, skeleton.throughput);
    targets.push(atLeast('throughput / skeleton without upserts', r, 0.9, fmtRatio(r), '≥ 0.90×'));
  }
  if (run.applicant && run.latency && run.applicant.fraction === 0.8) {
    const a = ratio(run.applicant.startToSms.p95, run.latency.startToSms.p95);
    targets.push(atMost('start → SMS sent p95, 80% load / one in flight', a, 2, fmtRatio(a), '≤ 2×'));
    const u = ratio(run.applicant.update.p95, run.latency.update.p95);
    targets.push(atMost('validateSmsToken p95, 80% load / one in flight', u, 2, fmtRatio(u), '≤ 2×'));
  }
  if (run.auth) targets.push(...tokenTargets(run.auth));
  const r = run.rateLimit;
  if (r?.limit !== undefined) {
    // One second's window may catch the edge of the next: a tenth (at least one) of slack.
    const slack = Math.max(1, r.limit * 0.1);
    targets.push(
      atMost(
        `${r.provider} activities started/s, 2 workers, peak 1-s window after the first`,
        r.peakActivities,
        r.limit + slack,
        fmt(r.peakActivities, 1),
        `≤ ${r.limit} (limit) + ${fmt(slack, 1)} (window edge)`,
      ),
    );
  }
  return targets;
}

export function printDefault(run: DefaultRun, out: Out): void {
  const h = run.header;
  const o = h.options;
  printRun(
    h,
    out,
    `provider ${o.provider}, ${o.concurrency} in flight, status read every ${o.pollMs} ms while waiting for the token stage`,
  );
  if (run.shape) {
    out(`shape     onboarding (from its history): ${describeShape(run.shape.onboarding)}`);
    out(`          skeleton, upserts, queues:     ${describeShape(run.shape.skeleton)}`);
    out(`          skeleton without upserts:      ${describeShape(run.shape.skeletonNoUpserts)}`);
  }
  const cpuNames = ['server', 'worker', 'skeleton', 'simulators', 'driver'];

  if (run.ceiling) {
    const ref = run.ceiling[0]!;
    out('');
    out(
      `1. Engine ceiling: ${o.concurrency} in flight, ${fmt(o.windowMs / 1000)} s measured per variant after ${fmt(o.warmupMs / 1000)} s of warm-up, one variant after the other`,
    );
    for (const line of table(
      [
        'variant',
        'per second',
        'vs skeleton',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'vs skeleton p50',
        'status reads',
        'errors',
        `CPU % ${cpuNames.join('/')}`,
      ],
      run.ceiling.map((v) => [
        v.name,
        fmt(v.throughput, 2),
        fmtRatio(ratio(v.throughput, ref.throughput)),
        ...dist(v.durations),
        fmtRatio(ratio(v.durations.p50, ref.durations.p50)),
        fmt(v.reads, 1),
        String(v.errors.length),
        cpuCell(v.cpu, cpuNames),
      ]),
    ))
      out(line);
  }

  if (run.latency) {
    const l = run.latency;
    out('');
    out(`2. Latency at one in flight: ${o.runs} runs each, start to outcome`);
    for (const line of table(
      ['what runs', 'p50 ms', 'p95 ms', 'vs plain loop p50'],
      [
        [
          'plain Node loop: the same provider calls, no Temporal',
          fmt(l.plain.p50),
          fmt(l.plain.p95),
          fmtRatio(1),
        ],
        ...l.variants.map((v) => [
          v.name,
          fmt(v.durations.p50),
          fmt(v.durations.p95),
          fmtRatio(ratio(v.durations.p50, l.plain.p50)),
        ]),
      ],
    ))
      out(line);
    out(`   where the time went, p50 of the histories (server clock), ms:`);
    for (const line of table(
      [
        '   ',
        'started → completed',
        'activities running',
        'activities queued',
        'workflow tasks',
        'the rest (client)',
      ],
      l.variants.map((v) => {
        const x = v.split;
        return [
          `   ${v.name}`,
          fmt(x.total),
          fmt(x.activitiesRunning),
          fmt(x.activitiesQueued),
          fmt(x.workflowTasks),
          fmt(x.total - x.activitiesRunning - x.activitiesQueued - x.workflowTasks),
        ];
      }),
    ))
      out(line);
    const s = l.variants.at(-1)!.split;
    for (const line of table(
      ['   per call, p50 ms', 'plain loop', 'activity in the onboarding ("-": a local one)', 'ratio'],
      Object.keys(l.plainPerCall).map((name) => [
        `   ${name}`,
        fmt(l.plainPerCall[name], 1),
        fmt(s.perActivity[name], 1),
        fmtRatio(ratio(s.perActivity[name] ?? NaN, l.plainPerCall[name]!)),
      ]),
    ))
      out(line);
  }

  if (run.applicant) {
    const a = run.applicant;
    const w = a.withoutPriority;
    const l = run.latency;
    out('');
    out(
      `3. What the applicant waits for at ${fmt(a.fraction * 100)}% of the onboarding's ceiling: ${fmt(a.rate, 2)} started per second for ${fmt(o.loadMs / 1000)} s, every other one on a worker with TASK_QUEUE_PRIORITY=off (${a.started} and ${w.started} started, ${a.completed} and ${w.completed} completed, ${a.errors.length} errors, ${a.lateStarts} late starts)`,
    );
    for (const line of table(
      [
        '',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'one in flight p95',
        'p95 ratio',
        'priority off p95',
        'its p95 ratio',
      ],
      (
        [
          ['start → SMS sent', a.startToSms, w.startToSms, l?.startToSms],
          ['validateSmsToken update, round trip', a.update, w.update, l?.update],
          ['start → outcome', a.duration, w.duration, l?.variants.at(-1)?.durations],
        ] as Array<[string, Distribution, Distribution, Distribution | undefined]>
      ).map(([name, d, without, ref]) => [
        name,
        ...dist(d),
        fmt(ref?.p95),
        fmtRatio(ratio(d.p95, ref?.p95 ?? NaN)),
        fmt(without.p95),
        fmtRatio(ratio(without.p95, ref?.p95 ?? NaN)),
      ]),
    ))
      out(line);
    const names = [...cpuNames, 'reference worker'];
    out(`   CPU % ${names.join('/')}: ${cpuCell(a.cpu, names)}`);
  }

  if (run.auth) {
    out('');
    out(
      '4. Provider auth: token requests per worker (simulator hits on the token routes) vs its life / the token lifetime',
    );
    for (const line of table(
      ['worker: provider', 'requests', 'life / token lifetime', 'allowed', 'ratio'],
      tokenRows(run.auth),
    ))
      out(line);
  }

  if (run.coldStart) {
    const c = run.coldStart;
    out('');
    out(
      `5. Cold start, spawn → polling ("credit-onboarding worker on ..."), ${c.builtRuns.length} runs each`,
    );
    for (const line of table(
      ['worker', 'p50 ms', 'max ms', 'vs tsx'],
      [
        [
          'node dist/src/worker.js (prebundled workflow code)',
          fmt(c.built.p50),
          fmt(c.built.max),
          fmtRatio(ratio(c.built.p50, c.tsx.p50)),
        ],
        ['tsx src/worker.ts (bundles at start)', fmt(c.tsx.p50), fmt(c.tsx.max), fmtRatio(1)],
      ],
    ))
      out(line);
  }

  if (run.rateLimit) {
    const r = run.rateLimit;
    out('');
    out(
      `6. Provider rate limit: ${r.workers} workers, ${2 * o.concurrency} in flight for ${fmt(o.rateLimitMs / 1000)} s (${r.onboardings} onboardings, ${r.errors.length} errors), calls per second at ${r.provider} over 1-second windows`,
    );
    const limit = r.limit === undefined ? 'none (--rate-limit <n>)' : `${r.limit}/s (${r.variable})`;
    for (const line of table(
      ['', 'first second', 'peak /s after it', 'mean /s', 'limit /s'],
      [
        [
          `${r.provider}: activities started on its queue`,
          fmt(r.firstActivities),
          fmt(r.peakActivities),
          fmt(r.meanActivities, 1),
          limit,
        ],
        [
          `${r.provider}: HTTP calls at its simulator`,
          fmt(r.firstCalls),
          fmt(r.peak),
          fmt(r.mean, 1),
          `(${fmt(r.callsPerActivity, 2)} calls per activity)`,
        ],
      ],
    ))
      out(line);
  }

  run.targets = defaultTargets(run);
  printTargets(run.targets, out);
}

export function parkedTargets(run: ParkedRun): Target[] {
  const p = run.parked;
  const w = p.window;
  const peakRatio = ratio(w.perSecondPeak, w.perSecondMean);
  // With several workers the memory target holds for each: their sum over their number.
  const workers = p.workers ?? 1;
  const each = workers === 1 ? '' : `, each of ${workers} (their sum / ${workers})`;
  return [
    below(
      `worker RSS while parked (max)${each}`,
      w.workerRssMaxBytes / workers,
      400 * 2 ** 20,
      mb(w.workerRssMaxBytes / workers),
      '< 400 MB',
    ),
    below(
      p.atRest
        ? `worker CPU while parked, at rest (no check due)${workers === 1 ? '' : `, ${workers} workers`}`
        : `worker CPU while parked${workers === 1 ? '' : `, ${workers} workers`}`,
      w.workerCpuPercent,
      2,
      `${fmt(w.workerCpuPercent, 1)}% of a core`,
      '< 2% of a core',
    ),
    below(
      `worker CPU while parked, projected: ${p.n} checked every ${fmt(p.defaultPolicyMaxMs / 60_000)} min (the default)`,
      p.projectedWorkerCpuPercentAtDefaultPolicy,
      2,
      `${fmt(p.projectedWorkerCpuPercentAtDefaultPolicy, 1)}% of a core`,
      '< 2% of a core',
    ),
    below(
      `server CPU while parked, projected: ${p.n} checked every ${fmt(p.defaultPolicyMaxMs / 60_000)} min (the default)`,
      p.projectedServerCpuPercentAtDefaultPolicy,
      2,
      `${fmt(p.projectedServerCpuPercentAtDefaultPolicy, 1)}% of a core`,
      '< 2% of a core',
    ),
    below(
      'signatureEvent → status check p95',
      p.wake.latency.p95,
      1000,
      `${fmt(p.wake.latency.p95)} ms`,
      '< 1000 ms',
    ),
    atMost(
      'status calls per onboarding per check interval',
      // To the precision shown: the window's ends are the nearest samples, a second apart.
      Math.round(w.statusCallsPerOnboardingPerInterval * 100) / 100,
      1,
      fmt(w.statusCallsPerOnboardingPerInterval, 2),
      '≤ 1',
    ),
    atMost('peak provider calls/s / average', peakRatio, 3, fmtRatio(peakRatio), '≤ 3×'),
    ...tokenTargets([p.tokens]),
  ];
}

export function printParked(run: ParkedRun, out: Out): void {
  const p = run.parked;
  const w = p.window;
  printRun(
    run.header,
    out,
    `parked: ${p.n} onboardings (${p.provider}) waiting on signatures that never come, status-check policy statusCheckInitialMs "${p.policy.statusCheckInitialMs}", statusCheckMaxMs "${p.policy.statusCheckMaxMs}", ${run.header.options.sweep ? 'parked: checked by the signature sweep every statusCheckMaxMs' : 'no signature sweep: each checks by itself'}`,
  );
  out('');
  out(
    `Parking: ${p.n} in ${fmt(p.parking.ms / 1000)} s (${fmt(p.parking.perSecond, 2)}/s, ${p.parking.concurrency} at a time, ${p.parking.errors.length} errors); ` +
      (p.atRest
        ? `observed at rest for ${fmt(w.ms / 1000)} s right after parking, ${p.checksDueInWindow ? 'with checks falling due in the window' : 'no check due'} (the steady state of checks is not measured)`
        : `backoff ramp ${fmt(p.rampMs / 1000)} s; steady state observed for ${fmt(w.ms / 1000)} s (${fmt(w.intervals, 2)} check intervals)`),
  );
  for (const line of table(
    ['while parked', 'measured', 'reference'],
    [
      [
        (p.workers ?? 1) === 1
          ? 'worker RSS, max in the window'
          : `worker RSS, max in the window (${p.workers} workers, summed)`,
        mb(w.workerRssMaxBytes),
        `idle before parking ${mb(p.idle.workerRssBytes)}, right after parking ${mb(p.workerRssAfterParkingBytes)}, at the end ${mb(w.workerRssEndBytes)}`,
      ],
      [
        'worker CPU',
        `${fmt(w.workerCpuPercent, 1)}% of a core`,
        `idle ${fmt(p.idle.workerCpuPercent, 1)}%; ${fmt(Number.isFinite(w.workerCpuMsPerCheck) ? w.workerCpuMsPerCheck : p.wake.workerCpuMsEach, 1)} ms per status check beyond it${p.atRest ? ' (the wake-ups)' : ''}; projected with the default policy (checks ${fmt(p.defaultPolicyMaxMs / 60_000)} min apart): ${fmt(p.projectedWorkerCpuPercentAtDefaultPolicy, 1)}%`,
      ],
      [
        'server CPU',
        `${fmt(w.serverCpuPercent, 1)}% of a core`,
        `idle ${fmt(p.idle.serverCpuPercent, 1)}%; ${fmt(w.serverCpuMsPerCheck, 1)} ms per status check beyond it; projected with the default policy: ${fmt(p.projectedServerCpuPercentAtDefaultPolicy, 1)}%; RSS ${mb(w.serverRssEndBytes)}`,
      ],
      ['simulators CPU', `${fmt(w.simulatorsCpuPercent, 1)}% of a core`, ''],
      [
        run.header.options.stack
          ? 'server database (PostgreSQL data directory)'
          : 'server database (SQLite + WAL)',
        mb(p.databaseBytes),
        `${fmt(p.databaseBytes / p.n / 1024, 1)} KiB per onboarding`,
      ],
      [
        'status calls per onboarding per check interval',
        fmt(w.statusCallsPerOnboardingPerInterval, 2),
        `the most-called route: ${w.statusRoute}`,
      ],
      [
        'provider calls per second, peak (1-s windows)',
        fmt(w.perSecondPeak, 1),
        `mean ${fmt(w.perSecondMean, 1)}: ${fmtRatio(ratio(w.perSecondPeak, w.perSecondMean))}`,
      ],
      [
        `signatureEvent → status check done, p50 / p95 (${p.wake.probes} probes)`,
        `${fmt(p.wake.latency.p50)} / ${fmt(p.wake.latency.p95)} ms`,
        `${p.wake.missing} without a check within 5 s; CPU each beyond idle: worker ${fmt(p.wake.workerCpuMsEach, 1)} ms, server ${fmt(p.wake.serverCpuMsEach, 1)} ms`,
      ],
    ],
  ))
    out(line);
  if (!p.atRest) {
    out('   provider calls per onboarding per check interval, by route:');
    for (const [sim, routes] of Object.entries(w.callsPerOnboardingPerInterval))
      for (const [route, v] of Object.entries(routes)) out(`     ${sim} ${route}: ${v.toFixed(2)}`);
  }
  out('');
  out('Provider auth');
  for (const line of table(
    ['worker: provider', 'requests', 'life / token lifetime', 'allowed', 'ratio'],
    tokenRows([p.tokens]),
  ))
    out(line);
  run.targets = parkedTargets(run);
  printTargets(run.targets, out);
}
