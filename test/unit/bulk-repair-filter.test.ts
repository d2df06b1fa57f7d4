/** Which parked onboardings a bulk repair's filter names (src/domain/bulk-repair.ts). */
import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../src/domain/bulk-repair';
import type { Attention } from '../../src/domain/repair';

const attention: Attention = {
  step: 'ccb_proposal',
  provider: 'securities',
  call: 'createProposal',
  status: 422,
  failure: 'ProviderError: securities createProposal failed: HTTP 422',
  since: '2026-12-04T10:00:00.000Z',
  deadline: '2026-12-07T10:00:00.000Z',
  actions: ['retry', 'correct', 'abandon'],
};

describe('a bulk repair filter', () => {
  it('matches when every field given holds', () => {
    expect(matchesFilter(attention, {})).toBe(true);
    expect(matchesFilter(attention, { step: 'ccb_proposal', provider: 'securities' })).toBe(true);
    expect(matchesFilter(attention, { call: 'createProposal' })).toBe(true);
    expect(matchesFilter(attention, { step: 'signing' })).toBe(false);
    expect(matchesFilter(attention, { provider: 'signio' })).toBe(false);
    expect(matchesFilter(attention, { call: 'other' })).toBe(false);
  });

  it('takes since as at or after, until as before, in any offset', () => {
    expect(matchesFilter(attention, { since: '2026-12-04T10:00:00Z' })).toBe(true);
    expect(matchesFilter(attention, { since: '2026-12-04T07:00:01-03:00' })).toBe(false);
    expect(matchesFilter(attention, { until: '2026-12-04T10:00:00Z' })).toBe(false);
    expect(matchesFilter(attention, { until: '2026-12-04T07:00:01-03:00' })).toBe(true);
  });
});
