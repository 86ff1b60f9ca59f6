import { type FollowUpClock, followUpStatus } from './follow-up';

const acceptedAt = '2026-03-02T09:00:00.000Z';
// two attempts within 48 hours: due 2026-03-04T09:00Z
const deadline = '2026-03-04T09:00:00.000Z';
const justAfter = '2026-03-04T09:00:00.001Z';
const clock = (overrides: Partial<FollowUpClock> = {}): FollowUpClock => ({
  acceptedAt,
  terms: { attempts: 2, withinHours: 48 },
  activityTimes: [],
  convertedAt: null,
  lostAt: null,
  ...overrides,
});

describe('followUpStatus', () => {
  it('is due withinHours after the acceptance', () => {
    expect(followUpStatus(clock(), acceptedAt).deadline).toBe(deadline);
  });

  it('is met when the last required attempt is exactly at the deadline', () => {
    const times = ['2026-03-02T10:00:00.000Z', deadline];
    expect(followUpStatus(clock({ activityTimes: times }), justAfter)).toEqual({
      deadline,
      attemptsByDeadline: 2,
      status: 'met',
    });
  });

  it('is breached when the required attempt came a moment after the deadline', () => {
    const times = ['2026-03-02T10:00:00.000Z', justAfter];
    expect(followUpStatus(clock({ activityTimes: times }), justAfter)).toEqual({
      deadline,
      attemptsByDeadline: 1,
      status: 'breached',
    });
  });

  it('is met when the lead converted by the deadline, whatever the attempts', () => {
    const status = followUpStatus(clock({ convertedAt: '2026-03-03T12:00:00.000Z' }), justAfter);
    expect(status.status).toBe('met');
  });

  it('is breached when the lead converted only after a deadline missed', () => {
    expect(followUpStatus(clock({ convertedAt: justAfter }), justAfter).status).toBe('breached');
  });

  it('is breached at once when the lead was lost before the deadline with too few attempts', () => {
    const lost = clock({
      activityTimes: ['2026-03-02T10:00:00.000Z'],
      lostAt: '2026-03-02T12:00:00.000Z',
    });
    expect(followUpStatus(lost, '2026-03-02T12:00:00.000Z').status).toBe('breached');
  });

  it('is met when the lead was lost before the deadline after enough attempts', () => {
    const lost = clock({
      activityTimes: ['2026-03-02T10:00:00.000Z', '2026-03-02T11:00:00.000Z'],
      lostAt: '2026-03-02T12:00:00.000Z',
    });
    expect(followUpStatus(lost, '2026-03-02T12:00:00.000Z').status).toBe('met');
  });

  it('is open before the deadline and at exactly the deadline, with too few attempts', () => {
    const one = clock({ activityTimes: ['2026-03-02T10:00:00.000Z'] });
    expect(followUpStatus(one, '2026-03-03T09:00:00.000Z').status).toBe('open');
    expect(followUpStatus(one, deadline).status).toBe('open');
    expect(followUpStatus(one, justAfter).status).toBe('breached');
  });
});
