/** What a chaos run is told: how many onboardings, how it disturbs them, and for how long. */
export interface ChaosOptions {
  /** Onboardings, spread across the signing providers in turn. */
  count: number;
  /** The worker is SIGKILLed after polling for 0.5 to 1.5 times this (seeded). */
  killEverySeconds: number;
  /** For how long, from the first start, workers are killed. */
  killForSeconds: number;
  /** For how long, from the first start, the simulators inject faults (undefined: the whole run). */
  faultsForSeconds?: number | undefined;
  /** Restart the dev server once, halfway through the kills. */
  restartServer: boolean;
  /** Seeds the faults, the kill times and the applicants' CPFs. */
  seed: number;
  /** Every onboarding must be terminal this long after the first start. */
  timeoutSeconds: number;
  /** Simulated signers sign this long after the envelope is sent (default 1 s). */
  autoSignMs?: number;
  /** Keep the run's folder (database, worker log, keys) even when nothing was wrong. */
  keep?: boolean;
  /** The workflow code already bundled (the test suite has it); bundled here otherwise. */
  workflowCode?: string;
  log?: (line: string) => void;
  signal?: AbortSignal;
}
