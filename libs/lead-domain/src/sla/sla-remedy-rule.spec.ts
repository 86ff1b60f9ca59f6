import { isLiveBreach } from './sla-remedy-rule';

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
