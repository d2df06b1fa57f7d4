/**
 * `npm run chaos`: the product's reliability under faults, measured. N onboardings across the
 * signing providers, every provider route failing or slow a share of the time (seeded), the worker
 * SIGKILLed every few seconds for a minute, the Temporal dev server restarted once on its database.
 * Prints the outcomes with their durations, the objects created per onboarding at each provider and
 * the envelopes left open; exits 1 on any violation. Loopback only; everything it starts, it stops
 * (on Ctrl-C too).
 *
 *   npm run chaos -- --count 100 --kill-every 5 --kill-for 60 --seed 1 --timeout 300
 *   npm run chaos -- --faults-for all --timeout 1800   # faults for the whole run, not only the first minute
 *   npm run chaos -- --no-restart-server --json
 */
import { parseArgs } from 'node:util';
import { killChildren } from './chaos/processes';
import { formatReport } from './chaos/report';
import { runChaos } from './chaos/run';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '100' },
    'kill-every': { type: 'string', default: '5' },
    'kill-for': { type: 'string', default: '60' },
    'faults-for': { type: 'string' },
    'restart-server': { type: 'boolean', default: true },
    'no-restart-server': { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '300' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

function number(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

async function main(): Promise<number> {
  const aborted = new AbortController();
  let interrupts = 0;
  const interrupt = () => {
    interrupts += 1;
    console.error(interrupts === 1 ? 'Stopping: ending every process the run started...' : 'Killed.');
    aborted.abort(new Error('interrupted'));
    if (interrupts > 1) {
      killChildren();
      process.exit(130);
    }
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  // Whatever happens, no child outlives the script.
  process.on('exit', () => killChildren());

  const options = {
    count: number('count', args.count, 1, 1000),
    killEverySeconds: number('kill-every', args['kill-every'], 1, 600),
    killForSeconds: number('kill-for', args['kill-for'], 0, 3600),
    // The faults last as long as the kills unless told otherwise; `all`: the whole run.
    faultsForSeconds:
      args['faults-for'] === 'all'
        ? undefined
        : number('faults-for', args['faults-for'] ?? args['kill-for'], 0, 24 * 3600),
    restartServer: args['restart-server'] && !args['no-restart-server'],
    seed: number('seed', args.seed, 0, 0xffffffff),
    timeoutSeconds: number('timeout', args.timeout, 10, 24 * 3600),
    keep: args.keep,
    signal: aborted.signal,
    log: (line: string) => console.error(line),
  };
  const { figures, violations } = await runChaos(options);
  console.log(
    args.json ? JSON.stringify({ figures, violations }, null, 2) : formatReport(figures, violations),
  );
  return violations.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(aborted(err) ? 130 : 1);
  },
);

function aborted(err: unknown): boolean {
  return err instanceof Error && err.message === 'interrupted';
}
