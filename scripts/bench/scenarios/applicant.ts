/**
 * What the applicant waits for under load: onboardings started at a fixed rate, 80% of the
 * onboarding's measured ceiling (--load-fraction), each driven like the others; start → SMS sent
 * (when the Data Trust simulator created the transaction that sent it) and the `validateSmsToken`
 * update's round trip. The arrivals alternate between two workers in the same run: the onboarding
 * worker (TASK_QUEUE_PRIORITY on, the default) and one with it off, on a task queue of its own (its
 * onboardings keep one priority for all their work): the same machine, server and moment, so the
 * difference between the halves is what the applicant's priority gives.
 */
import { OnboardingClient } from '../../../src/client';
import type { Bench } from '../context';
import { driveOnboarding, onboardingInput, openLoop, type RunRecord } from '../driver';
import { CpuWindow } from '../process-costs';
import { distribution, type Distribution } from '../stats';

const WITHOUT_PRIORITY_TASK_QUEUE = 'bench-without-priority';

export interface ApplicantLoad {
  started: number;
  completed: number;
  startToSms: Distribution;
  update: Distribution;
  duration: Distribution;
}

export interface ApplicantResult extends ApplicantLoad {
  rate: number;
  fraction: number;
  errors: string[];
  /** Starts that came more than one interval late (the load generator could not keep up). */
  lateStarts: number;
  /** The half of the arrivals whose worker has TASK_QUEUE_PRIORITY off. */
  withoutPriority: ApplicantLoad;
  /** CPU of the whole load; `worker` and `reference worker` are the two halves' workers. */
  cpu: Record<string, number>;
}

const loadOf = (records: RunRecord[], started: number): ApplicantLoad => ({
  started,
  completed: records.length,
  startToSms: distribution(records.map((r) => r.startToSmsMs ?? NaN)),
  update: distribution(records.map((r) => r.updateMs)),
  duration: distribution(records.map((r) => r.durationMs)),
});

export async function measureApplicant(b: Bench, ceiling: number, fraction = 0.8): Promise<ApplicantResult> {
  const rate = ceiling * fraction;
  b.log(
    `applicant: ${rate.toFixed(2)} onboardings/s (${fraction * 100}% of ${ceiling.toFixed(2)}) for ${b.options.loadMs / 1000} s, every other one on a worker with TASK_QUEUE_PRIORITY=off`,
  );
  // As many reference workers as the topology has onboarding workers.
  const reference = await b.stack.startWorkers(WITHOUT_PRIORITY_TASK_QUEUE, { TASK_QUEUE_PRIORITY: 'off' });
  try {
    const clients = [
      b.stack.onboarding,
      new OnboardingClient(b.stack.onboarding.client, WITHOUT_PRIORITY_TASK_QUEUE),
    ] as const;
    const withPriority = new Set<string>();
    const referencePids = reference.map((w) => w.pid).filter((p) => p !== undefined);
    const cpu = new CpuWindow({ ...b.pids(), 'reference worker': referencePids });
    const result = await openLoop(
      (i) => {
        const input = onboardingInput(b.tag, b.next(), b.options.provider);
        if (i % 2 === 0) withPriority.add(input.onboardingId);
        return driveOnboarding(b.stack, input, { pollMs: b.options.pollMs, client: clients[i % 2]! });
      },
      rate,
      b.options.loadMs,
    );
    const first = result.records.filter((r) => withPriority.has(r.id));
    const second = result.records.filter((r) => !withPriority.has(r.id));
    return {
      rate,
      fraction,
      errors: result.errors,
      lateStarts: result.lateStarts,
      ...loadOf(first, Math.ceil(result.started / 2)),
      withoutPriority: loadOf(second, Math.floor(result.started / 2)),
      cpu: cpu.stop(),
    };
  } finally {
    for (const w of reference) await b.stack.stopChild(w);
  }
}
