/**
 * Task-queue priority keys (1 goes first, 5 last, 3 when unset): the calls an applicant waits for
 * on a screen (the identity check that sends the SMS token, the token's check) go before the
 * background calls of every onboarding (the CCB, the envelope, status checks, the signed PDF).
 * Temporal's matching orders a task queue's backlog by it; a call dispatched eagerly to the worker
 * that scheduled it skips the queue. What it gives, measured: docs/performance.md, "The applicant
 * first".
 */
export const APPLICANT_PRIORITY_KEY = 1;
export const BACKGROUND_PRIORITY_KEY = 4;
