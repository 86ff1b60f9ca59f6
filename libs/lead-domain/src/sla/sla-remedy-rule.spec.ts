import type { SlaPolicy } from '../lead-events';
import { asksForRemedy, isLiveBreach } from './sla-remedy-rule';

const dueAt = '2026-01-06T10:00:00.000Z';

describe('isLiveBreach', () => {
  it('is live when the handoff was recorded before its deadline', () => {
    expect(isLiveBreach({ dueAt, recordedAt: '2026-01-05T10:00:00.000Z' })).toBe(true);
    expect(isLiveBreach({ dueAt, recordedAt: '2026-01-06T09:59:59.999Z' })).toBe(true);
  });

  it('is history when the handoff was recorded exactly at its deadline', () => {
    expect(isLiveBreach({ dueAt, recordedAt: dueAt })).toBe(false);
  });

  it('is history when the handoff was backfilled after its deadline (an import)', () => {
    expect(isLiveBreach({ dueAt, recordedAt: '2026-03-01T00:00:00.000Z' })).toBe(false);
  });
});

describe('asksForRemedy', () => {
  const policy = (remedy?: SlaPolicy['remedy']): SlaPolicy => ({
    id: 'agreement@1',
    acceptWithinMinutes: 60,
    ...(remedy && { remedy }),
  });

  it('asks when the stamped terms name a remedy that appends something', () => {
    expect(asksForRemedy(policy({ onResponseBreach: 'reassign', repPool: ['rep-1'] }))).toBe(true);
    expect(asksForRemedy(policy({ onResponseBreach: 'return_to_marketing' }))).toBe(true);
    expect(asksForRemedy(policy({ onResponseBreach: 'escalate' }))).toBe(true);
  });

  it("does not ask under 'none' or without remedy terms", () => {
    expect(asksForRemedy(policy({ onResponseBreach: 'none' }))).toBe(false);
    expect(asksForRemedy(policy())).toBe(false);
  });
});
