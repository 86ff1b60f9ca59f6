import {
  type HandoffClock,
  compliance,
  handoffStatus,
  median,
  minutesBetween,
  percentile,
} from './sla';

const dueAt = '2024-03-01T12:00:00.000Z';
const clock = (fields: Partial<HandoffClock>): HandoffClock => ({
  dueAt,
  respondedAt: null,
  respondedAfterAlert: false,
  correction: null,
  ...fields,
});

describe('handoffStatus', () => {
  it('is met when the response comes before the deadline', () => {
    expect(
      handoffStatus(
        clock({ dueAt, respondedAt: '2024-03-01T09:30:00.000Z' }),
        '2024-03-05T00:00:00.000Z',
      ),
    ).toBe('met');
  });

  it('is met when the response comes exactly at the deadline', () => {
    expect(
      handoffStatus(
        clock({ dueAt, respondedAt: '2024-03-01T12:00:00.000Z' }),
        '2024-03-05T00:00:00.000Z',
      ),
    ).toBe('met');
  });

  it('compares instants, not strings', () => {
    // '…00Z' sorts after '…00.000Z' as a string, yet it is the same moment.
    expect(handoffStatus(clock({ dueAt, respondedAt: '2024-03-01T12:00:00Z' }), dueAt)).toBe('met');
    expect(
      handoffStatus(clock({ dueAt: '2024-03-01T13:00:00+01:00', respondedAt: dueAt }), dueAt),
    ).toBe('met');
  });

  it('is breached when the response comes one millisecond late', () => {
    expect(
      handoffStatus(
        clock({ dueAt, respondedAt: '2024-03-01T12:00:00.001Z' }),
        '2024-03-01T12:00:00.001Z',
      ),
    ).toBe('breached');
  });

  it('judges a response by its own time, whatever now is', () => {
    // A late response stays breached even when evaluated "before" the deadline (as-of replays).
    expect(
      handoffStatus(
        clock({ dueAt, respondedAt: '2024-03-02T00:00:00.000Z' }),
        '2024-03-01T00:00:00.000Z',
      ),
    ).toBe('breached');
    expect(
      handoffStatus(
        clock({ dueAt, respondedAt: '2024-03-01T11:00:00.000Z' }),
        '2024-03-01T11:00:00.000Z',
      ),
    ).toBe('met');
  });

  it('is open without a response while the deadline has not passed', () => {
    expect(handoffStatus(clock({ dueAt, respondedAt: null }), '2024-03-01T11:59:59.999Z')).toBe(
      'open',
    );
  });

  it('is still open without a response at exactly the deadline', () => {
    expect(handoffStatus(clock({ dueAt, respondedAt: null }), dueAt)).toBe('open');
  });

  it('is breached without a response once the deadline has passed', () => {
    expect(handoffStatus(clock({ dueAt, respondedAt: null }), '2024-03-01T12:00:00.001Z')).toBe(
      'breached',
    );
  });
});

describe('handoffStatus after a breach alert (issue 10)', () => {
  const afterDeadline = '2024-03-05T00:00:00.000Z';

  it('keeps a handoff breached when its response was recorded after the alert, whatever time it claims', () => {
    const claimedOnTime = clock({
      respondedAt: '2024-03-01T09:30:00.000Z',
      respondedAfterAlert: true,
    });
    expect(handoffStatus(claimedOnTime, afterDeadline)).toBe('breached');
    const claimedBeforeHandoff = clock({
      respondedAt: '2024-02-29T09:30:00.000Z',
      respondedAfterAlert: true,
    });
    expect(handoffStatus(claimedBeforeHandoff, afterDeadline)).toBe('breached');
  });

  it('judges a response recorded before any alert on business time, as backfills are', () => {
    expect(handoffStatus(clock({ respondedAt: '2024-03-01T09:30:00.000Z' }), afterDeadline)).toBe(
      'met',
    );
  });

  it("follows an admin's correction over every computed verdict", () => {
    const met = { verdict: 'met' as const };
    const breached = { verdict: 'breached' as const };
    expect(
      handoffStatus(
        clock({
          respondedAt: '2024-03-01T09:30:00.000Z',
          respondedAfterAlert: true,
          correction: met,
        }),
        afterDeadline,
      ),
    ).toBe('met');
    expect(
      handoffStatus(
        clock({ respondedAt: '2024-03-01T09:30:00.000Z', correction: breached }),
        afterDeadline,
      ),
    ).toBe('breached');
    expect(handoffStatus(clock({ correction: met }), afterDeadline)).toBe('met');
  });
});

describe('minutesBetween', () => {
  it('counts minutes from the first time to the second', () => {
    expect(minutesBetween('2024-03-01T10:00:00.000Z', '2024-03-01T12:30:00.000Z')).toBe(150);
  });

  it('spans days and keeps fractions of a minute', () => {
    expect(minutesBetween('2024-02-28T23:59:00.000Z', '2024-03-01T00:00:30.000Z')).toBe(1441.5);
  });

  it('is zero for the same instant and negative backwards', () => {
    expect(minutesBetween('2024-03-01T10:00:00Z', '2024-03-01T11:00:00+01:00')).toBe(0);
    expect(minutesBetween('2024-03-01T10:00:00.000Z', '2024-03-01T09:45:00.000Z')).toBe(-15);
  });
});

describe('percentile (linear interpolation between closest ranks)', () => {
  it('is null without values', () => {
    expect(percentile([], 50)).toBeNull();
    expect(median([])).toBeNull();
  });

  it('is the value itself for a single value, at any p', () => {
    expect(percentile([42], 0)).toBe(42);
    expect(percentile([42], 50)).toBe(42);
    expect(percentile([42], 90)).toBe(42);
  });

  it('takes the middle value of an odd count as the median, whatever the input order', () => {
    expect(median([50, 10, 40, 20, 30])).toBe(30);
    expect(percentile([50, 10, 40, 20, 30], 50)).toBe(30);
  });

  it('takes the mean of the two middle values of an even count as the median', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('interpolates between neighbouring ranks', () => {
    // sorted [10, 20, 30, 40, 50]; p90 sits at position 0.9 × 4 = 3.6: 40 + 0.6 × 10 = 46.
    expect(percentile([50, 10, 40, 20, 30], 90)).toBeCloseTo(46, 9);
    // sorted [1, 2, 3, 4]; p25 sits at position 0.25 × 3 = 0.75: 1 + 0.75 × 1 = 1.75.
    expect(percentile([4, 1, 3, 2], 25)).toBe(1.75);
    // two values: p90 = 0 + 0.9 × 100.
    expect(percentile([100, 0], 90)).toBeCloseTo(90, 9);
  });

  it('returns the extremes at p0 and p100', () => {
    expect(percentile([7, 3, 9, 1], 0)).toBe(1);
    expect(percentile([7, 3, 9, 1], 100)).toBe(9);
  });

  it('counts repeated values', () => {
    expect(median([5, 5, 5, 100])).toBe(5);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it('rejects p outside 0–100', () => {
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('compliance', () => {
  it('is met over decided handoffs', () => {
    expect(compliance(3, 1)).toBe(0.75);
    expect(compliance(0, 2)).toBe(0);
    expect(compliance(5, 0)).toBe(1);
  });

  it('is null when no handoff has been decided yet', () => {
    expect(compliance(0, 0)).toBeNull();
  });
});
