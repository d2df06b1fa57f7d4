/**
 * What the applicant waits for under load: onboardings started at a fixed rate, 80% of the
 * onboarding's measured ceiling, each driven like the others; start → SMS sent (when the Data Trust
 * simulator created the transaction that sent it) and the `validateSmsToken` update's round trip.
 */
import type { Bench } from '../context';
import { driveOnboarding, onboardingInput, openLoop } from '../driver';
import { CpuWindow } from '../process-costs';
import { distribution, type Distribution } from '../stats';

export interface ApplicantResult {
  rate: number;
  started: number;
  completed: number;
  errors: string[];
  /** Starts that came more than one interval late (the load generator could not keep up). */
  lateStarts: number;
  startToSms: Distribution;
  update: Distribution;
  duration: Distribution;
  cpu: Record<string, number>;
}

export async function measureApplicant(b: Bench, ceiling: number, fraction = 0.8): Promise<ApplicantResult> {
  const rate = ceiling * fraction;
  b.log(
    `applicant: ${rate.toFixed(2)} onboardings/s (${fraction * 100}% of ${ceiling.toFixed(2)}) for ${b.options.loadMs / 1000} s`,
  );
  const cpu = new CpuWindow(b.pids());
  const result = await openLoop(
    () =>
      driveOnboarding(b.stack, onboardingInput(b.tag, b.next(), b.options.provider), {
        pollMs: b.options.pollMs,
      }),
    rate,
    b.options.loadMs,
  );
  return {
    rate,
    started: result.started,
    completed: result.records.length,
    errors: result.errors,
    lateStarts: result.lateStarts,
    startToSms: distribution(result.records.map((r) => r.startToSmsMs ?? NaN)),
    update: distribution(result.records.map((r) => r.updateMs)),
    duration: distribution(result.records.map((r) => r.durationMs)),
    cpu: cpu.stop(),
  };
}
