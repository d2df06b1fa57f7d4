/**
 * `npm run bench`: figures anyone can reproduce, each beside the same run's reference. One run on
 * one dev server of its own (free loopback ports, a database in a temporary folder; `--stack`: the
 * production topology, scripts/bench/production-stack.ts), with the
 * provider simulators, the onboarding worker (`node dist/src/worker.js`) and a skeleton worker as
 * child processes; everything it started is stopped at the end, even on failure.
 *
 *   npm run bench                      the default run (under five minutes on two cores)
 *   npm run bench -- --quick           a short development run
 *   npm run bench -- --parked 10000    the parked scenario: 10,000 onboardings waiting on signatures
 *   npm run bench -- --stack           on the production topology: ceiling, latency, applicant, parked
 *   npm run bench -- --help            every option
 *
 * Progress goes to stderr, the tables to stdout, the raw figures to `--json <file>`.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Bench } from './context';
import type { Header } from './header';
import { describeMachine, describeVersions, machine, versions } from './machine';
import { STEADY_CHECKS_PER_SECOND, parseOptions, type Options, type Phase } from './options';
import { printDefault, printParked, type DefaultRun, type ParkedRun } from './report';
import { measureApplicant } from './scenarios/applicant';
import { exerciseSignio, tokenRequests, workerTokens } from './scenarios/auth';
import { measureCeiling, measureVariant } from './scenarios/ceiling';
import { runner, variants } from './scenarios/variants';
import { measureColdStart } from './scenarios/cold-start';
import { measureLatency } from './scenarios/latency';
import { measureParked, parkedPolicy } from './scenarios/parked';
import { toolingPoliciesEnv } from '../tooling-policies';
import { measureRateLimit } from './scenarios/rate-limit';
import { readShape } from './scenarios/shape';
import { readHits, hitsBetween } from './simulator-client';
import type { BenchStack, BenchStackOptions } from './bench-stack';
import { DevServerBenchStack } from './dev-server-stack';
import { ProductionBenchStack } from './production-stack';
import { projectRoot } from '../temporal/config';
import { describeError, runTag } from './driver';
import type { Child } from '../child-process';

/** Worker variables that change the figures; the benchmark's workers inherit them from its environment. */
const WORKER_VARIABLES = ['TEMPORAL_MAX_CACHED_WORKFLOWS', 'PROVIDER_RATE_LIMITS'];

const log = (line: string) => process.stderr.write(`· ${line}\n`);

/** `npm run <script>`, timed; rejects with its last output on failure. */
async function npmRun(script: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn('npm', ['run', '--silent', script], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`npm run ${script} exited with ${code}: ${output.trim()}`);
  return performance.now() - t0;
}

async function build(options: Options): Promise<Header['build']> {
  if (!options.build) return { ok: true, buildMs: NaN, bundleMs: NaN };
  log('npm run build && npm run bundle:workflows');
  try {
    const buildMs = await npmRun('build');
    const bundleMs = await npmRun('bundle:workflows');
    return { ok: true, buildMs, bundleMs };
  } catch (err) {
    return {
      ok: false,
      buildMs: NaN,
      bundleMs: NaN,
      error: err instanceof Error ? err.message : String(err),
    };
  }
}

async function withStack<T>(
  header: Header,
  autoSignMs: number | null,
  body: (stack: BenchStack) => Promise<T>,
): Promise<T> {
  const options: BenchStackOptions = { autoSignMs, workerMode: header.workerMode, log };
  const stack = header.options.stack
    ? await ProductionBenchStack.start(options)
    : await DevServerBenchStack.start(options);
  const stop = () => {
    log('interrupted: stopping what the benchmark started');
    void stack.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    header.versions = versions(stack.cliPath);
    header.topology = stack.topology;
    return await body(stack);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    log('stopping the workers, the simulators and the server');
    await stack.stop();
  }
}

/** The workers' pids as one figure, or undefined while any is not running. */
const pidsOf = (workers: Child[]): number[] | undefined => {
  const pids = workers.map((w) => w.pid);
  return pids.every((p) => p !== undefined) ? (pids as number[]) : undefined;
};

function bench(stack: BenchStack, options: Options, workers: Child[], skeleton?: Child): Bench {
  let index = 0;
  return {
    stack,
    options,
    tag: runTag(),
    log,
    next: () => index++,
    pids: () => ({
      server: stack.serverProcesses(),
      worker: pidsOf(workers),
      ...(skeleton ? { skeleton: skeleton.pid } : {}),
      simulators: stack.simulators.pid,
      ...(skeleton ? { driver: process.pid } : {}),
    }),
  };
}

async function defaultRun(header: Header, options: Options): Promise<DefaultRun> {
  const has = (p: Phase) => options.phases.includes(p);
  return withStack(header, 0, async (stack) => {
    const run: DefaultRun = { header };
    if (has('cold-start') && header.workerMode === 'built') {
      run.coldStart = await measureColdStart(stack, options, log);
    }
    const workers = await stack.startWorkers();
    const workerStarted = performance.now();
    const skeleton = await stack.startSkeletonWorker();
    const b = bench(stack, options, workers, skeleton);

    log('shape: one onboarding, its history, and the skeleton checked against it');
    run.shape = await readShape(b);
    const upserts = run.shape.onboarding.upserts;

    if (has('ceiling')) run.ceiling = await measureCeiling(b, run.shape.shape, upserts);
    if (has('latency')) {
      const before = await readHits(stack.urls);
      run.latency = await measureLatency(b, run.shape.shape, upserts);
      run.plainLoopTokens = tokenRequests(hitsBetween(before, await readHits(stack.urls)));
    }
    if (has('applicant')) {
      let ceiling = run.ceiling?.find((v) => v.name === 'onboarding')?.throughput;
      if (ceiling === undefined) {
        log('applicant: measuring the onboarding ceiling first (short)');
        const onboarding = variants(upserts).at(-1)!;
        ceiling = (
          await measureVariant(
            b,
            'onboarding',
            runner(b, onboarding, run.shape.shape),
            options.concurrency,
            2000,
            8000,
          )
        ).throughput;
      }
      run.applicant = await measureApplicant(b, ceiling, options.loadFraction);
    }
    if (has('auth')) {
      await exerciseSignio(b);
      const all = tokenRequests(await readHits(stack.urls));
      const plain = run.plainLoopTokens ?? { datatrust: 0, signio: 0 };
      run.auth = [
        workerTokens(
          'onboarding worker',
          performance.now() - workerStarted,
          { datatrust: all.datatrust - plain.datatrust, signio: all.signio - plain.signio },
          { datatrust: true, signio: true },
        ),
      ];
    }
    if (has('rate-limit')) {
      run.rateLimit = await measureRateLimit(b);
      if (run.auth) {
        // The simulators cannot tell the two workers apart: each is given half of their requests.
        const tokens = tokenRequests(run.rateLimit.hits);
        run.auth.push(
          workerTokens(
            'each of the 2 rate-limit workers',
            run.rateLimit.durationMs,
            { datatrust: tokens.datatrust / 2, signio: tokens.signio / 2 },
            { datatrust: true, signio: options.provider === 'signio' },
          ),
        );
      }
    }
    return run;
  });
}

/** The signature sweep at the parked policy's interval, fast enough to check every envelope within it. */
const sweepEnv = (options: Options): Record<string, string> => ({
  SIGNATURE_SWEEP_SECONDS: options.sweep ? String(Math.ceil(options.checkMaxMs / 1_000)) : '0',
  SIGNATURE_SWEEP_CHECKS_PER_SECOND: String(2 * STEADY_CHECKS_PER_SECOND),
});

async function parkedRun(header: Header, options: Options): Promise<ParkedRun> {
  return withStack(header, null, async (stack) => {
    const workers = await stack.startWorkers('credit-onboarding', sweepEnv(options));
    return { header, parked: await measureParked(bench(stack, options, workers)) };
  });
}

/**
 * The parked scenario (`--parked`), or the default phases; on the production topology (`--stack`),
 * the default phases asked for and then the parked one, each on a topology of its own (the parked
 * one's simulated signers never sign).
 */
async function run(header: Header, options: Options): Promise<{ default?: DefaultRun; parked?: ParkedRun }> {
  if (!options.stack) {
    return options.parked === undefined
      ? { default: await defaultRun(header, options) }
      : { parked: await parkedRun(header, options) };
  }
  const phases = options.phases.filter((p) => p !== 'parked');
  return {
    ...(phases.length > 0 ? { default: await defaultRun(header, { ...options, phases }) } : {}),
    ...(options.phases.includes('parked') && options.parked !== undefined
      ? { parked: await parkedRun(header, options) }
      : {}),
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  // The processes the run starts take their credit policies from here (scripts/tooling-policies.ts).
  Object.assign(process.env, toolingPoliciesEnv([parkedPolicy(options)]));
  const began = performance.now();
  const header: Header = {
    startedAt: new Date().toISOString(),
    machine: machine(),
    versions: versions(undefined),
    options,
    build: { ok: true, buildMs: NaN, bundleMs: NaN },
    workerMode: 'built',
    workerEnv: Object.fromEntries(
      WORKER_VARIABLES.flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]!]])),
    ),
  };
  header.build = await build(options);
  if (!header.build.ok) {
    log(
      `the build failed, so the workers run from sources (tsx) and cold start is not measured: ${header.build.error}`,
    );
    header.workerMode = 'tsx';
  }
  const result = await run(header, options);
  header.seconds = (performance.now() - began) / 1000;
  header.loadAverageAtEnd = machine().loadAverage;
  const out = options.json === '-' ? (line: string) => process.stderr.write(`${line}\n`) : console.log;
  out(`credit-onboarding bench, ${header.startedAt}`);
  out(`machine   ${describeMachine(header.machine)}`);
  out(`versions  ${describeVersions(header.versions)}`);
  if (result.default) printDefault(result.default, out);
  if (result.default && result.parked) out('');
  if (result.parked) printParked(result.parked, out);
  if (options.json !== undefined) {
    const json = JSON.stringify(
      options.stack ? result : (result.default ?? result.parked),
      (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
      2,
    );
    if (options.json === '-') console.log(json);
    else writeFileSync(options.json, `${json}\n`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    if (err instanceof Error && err.cause !== undefined)
      console.error(`caused by: ${describeError(err.cause)}`);
    process.exit(1);
  },
);
