/**
 * The longest an onboarding can live, from the policy's maxima (src/domain/policy-bounds.ts) and
 * the calls' timeouts (call-options.ts): every wait has a deadline and every call gives up, so the
 * sum of the longest waits and the calls that can run past them bounds the whole. It decides when
 * a patch may be deprecated and removed (docs/versioning.md). The workflow itself does not use it.
 */
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { policyMaxima as M } from '../../domain/policy-bounds';
import { callOptions, statusCheckOptions, transferOptions, workerCheckOptions } from './call-options';

const ms = (d: Duration): number => msToNumber(d);

/** The parts of the longest life, in the order an onboarding meets them. */
export function longestLifeParts(): Array<{ part: string; ms: number }> {
  const call = ms(callOptions.scheduleToCloseTimeout);
  const workerCheck = ms(workerCheckOptions.startToCloseTimeout) * workerCheckOptions.retry.maximumAttempts;
  const tokens = 1 + M.maxSmsTokenResends;
  return [
    { part: 'input check and provider routes (local activities)', ms: 2 * workerCheck },
    { part: 'Data Trust check (one call)', ms: call },
    { part: 'manual review deadline', ms: M.reviewTimeoutMs },
    {
      part: `SMS tokens: ${tokens} deadlines, each with the call in flight when it passes`,
      ms: tokens * (M.smsTokenTimeoutMs + call),
    },
    { part: `SMS token resends (${M.maxSmsTokenResends} Data Trust calls)`, ms: M.maxSmsTokenResends * call },
    { part: 'CCB proposal and sending (three calls)', ms: 3 * call },
    {
      part: `needs attention: ${M.maxRepairs} waits for a repair, each followed by its step again`,
      ms:
        M.maxRepairs *
        (M.attentionTimeoutMs + Math.max(2 * call, ms(transferOptions.scheduleToCloseTimeout))),
    },
    { part: 'signature deadline', ms: M.signatureDeadlineMs },
    { part: 'the reminder or check in flight at the deadline', ms: call },
    {
      part: 'finalizing, or the last look and closing the envelope',
      ms: Math.max(
        ms(transferOptions.scheduleToCloseTimeout),
        ms(statusCheckOptions.scheduleToCloseTimeout) +
          Math.max(call, ms(transferOptions.scheduleToCloseTimeout)),
      ),
    },
    {
      part: 'the evidence record (the signed document read again)',
      ms: ms(transferOptions.scheduleToCloseTimeout),
    },
  ];
}

export const longestLifeMs = (): number => longestLifeParts().reduce((sum, p) => sum + p.ms, 0);
