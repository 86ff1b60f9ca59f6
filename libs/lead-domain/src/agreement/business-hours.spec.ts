import type { BusinessHours } from './agreement-terms';
import { businessDueAt } from './business-hours';

const weekdays = [1, 2, 3, 4, 5];
const berlin: BusinessHours = {
  timeZone: 'Europe/Berlin',
  days: weekdays,
  from: '09:00',
  to: '17:00',
};
const newYork: BusinessHours = {
  timeZone: 'America/New_York',
  days: weekdays,
  from: '09:00',
  to: '17:00',
};

// Times are UTC; comments give the wall clock in the zone. January in Berlin is UTC+1.
describe('businessDueAt', () => {
  it('counts inside one working day', () => {
    // Mon 10:00 + 4 h → Mon 14:00
    expect(businessDueAt('2026-01-05T09:00:00.000Z', 240, berlin)).toBe('2026-01-05T13:00:00.000Z');
  });

  it('ends at the window’s close when the minutes fill it exactly', () => {
    // Mon 09:00 + 8 h → Mon 17:00, not Tuesday
    expect(businessDueAt('2026-01-05T08:00:00.000Z', 480, berlin)).toBe('2026-01-05T16:00:00.000Z');
  });

  it('carries the rest over the night', () => {
    // Mon 16:00: 1 h on Monday, 1 h on Tuesday → Tue 10:00
    expect(businessDueAt('2026-01-05T15:00:00.000Z', 120, berlin)).toBe('2026-01-06T09:00:00.000Z');
  });

  it('starts the clock at the next window for a handoff before opening or after closing', () => {
    // Mon 07:00 → clock starts 09:00 → 09:30
    expect(businessDueAt('2026-01-05T06:00:00.000Z', 30, berlin)).toBe('2026-01-05T08:30:00.000Z');
    // Mon 20:00 → Tue 09:00 → 09:30
    expect(businessDueAt('2026-01-05T19:00:00.000Z', 30, berlin)).toBe('2026-01-06T08:30:00.000Z');
  });

  it('skips the weekend', () => {
    // Fri 16:30: 30 min on Friday, 30 min on Monday → Mon 09:30
    expect(businessDueAt('2026-01-09T15:30:00.000Z', 60, berlin)).toBe('2026-01-12T08:30:00.000Z');
    // Sat 11:00 → Mon 09:00 + 1 h
    expect(businessDueAt('2026-01-10T10:00:00.000Z', 60, berlin)).toBe('2026-01-12T09:00:00.000Z');
  });

  it('skips holidays, taken as dates in the zone', () => {
    const withHoliday = { ...berlin, holidays: ['2026-01-12'] };
    // Fri 16:30 + 1 h, Monday a holiday → Tue 09:30
    expect(businessDueAt('2026-01-09T15:30:00.000Z', 60, withHoliday)).toBe(
      '2026-01-13T08:30:00.000Z',
    );
    // Sun 23:30 UTC is already Monday 00:30 in Berlin: the holiday, so Tuesday 09:00 + 1 h
    expect(businessDueAt('2026-01-11T23:30:00.000Z', 60, withHoliday)).toBe(
      '2026-01-13T09:00:00.000Z',
    );
  });

  it('spans several days for long allowances', () => {
    // 3 working days of 8 h from Mon 09:00 → Wed 17:00
    expect(businessDueAt('2026-01-05T08:00:00.000Z', 3 * 480, berlin)).toBe(
      '2026-01-07T16:00:00.000Z',
    );
  });

  describe('Europe/Berlin daylight saving (29 March and 25 October 2026)', () => {
    it('keeps the wall-clock window across the spring change', () => {
      // Fri 27 Mar 16:00 CET (UTC+1): 1 h, then Mon 30 Mar 09:00 CEST (UTC+2) + 1 h → 10:00 CEST
      expect(businessDueAt('2026-03-27T15:00:00.000Z', 120, berlin)).toBe(
        '2026-03-30T08:00:00.000Z',
      );
    });

    it('keeps the wall-clock window across the autumn change', () => {
      // Fri 23 Oct 16:00 CEST: 1 h, then Mon 26 Oct 09:00 CET + 1 h → 10:00 CET
      expect(businessDueAt('2026-10-23T14:00:00.000Z', 120, berlin)).toBe(
        '2026-10-26T09:00:00.000Z',
      );
    });

    it('counts a window spanning the change as the hours that really pass', () => {
      const nights: BusinessHours = {
        timeZone: 'Europe/Berlin',
        days: [1, 7],
        from: '00:00',
        to: '06:00',
      };
      // Sun 29 Mar 00:00–06:00 lasts 5 h (02:00 is skipped); the sixth hour falls on Monday 00:00–01:00 CEST
      expect(businessDueAt('2026-03-28T23:00:00.000Z', 300, nights)).toBe(
        '2026-03-29T04:00:00.000Z',
      );
      expect(businessDueAt('2026-03-28T23:00:00.000Z', 360, nights)).toBe(
        '2026-03-29T23:00:00.000Z',
      );
      // Sun 25 Oct 00:00–06:00 lasts 7 h (02:00–03:00 happens twice)
      expect(businessDueAt('2026-10-24T22:00:00.000Z', 420, nights)).toBe(
        '2026-10-25T05:00:00.000Z',
      );
    });
  });

  describe('America/New_York daylight saving (8 March and 1 November 2026)', () => {
    it('keeps the wall-clock window across the spring change', () => {
      // Fri 6 Mar 16:00 EST (UTC−5): 1 h, then Mon 9 Mar 09:00 EDT (UTC−4) + 1 h → 10:00 EDT
      expect(businessDueAt('2026-03-06T21:00:00.000Z', 120, newYork)).toBe(
        '2026-03-09T14:00:00.000Z',
      );
    });

    it('keeps the wall-clock window across the autumn change', () => {
      // Fri 30 Oct 16:00 EDT: 1 h, then Mon 2 Nov 09:00 EST + 1 h → 10:00 EST
      expect(businessDueAt('2026-10-30T20:00:00.000Z', 120, newYork)).toBe(
        '2026-11-02T15:00:00.000Z',
      );
    });

    it('counts a window spanning the change as the hours that really pass', () => {
      const sundays: BusinessHours = {
        timeZone: 'America/New_York',
        days: [7],
        from: '01:00',
        to: '04:00',
      };
      // Sun 8 Mar 01:00 EST → 04:00 EDT is 2 h; the third hour is the next Sunday 01:00–02:00 EDT
      expect(businessDueAt('2026-03-08T06:00:00.000Z', 180, sundays)).toBe(
        '2026-03-15T06:00:00.000Z',
      );
      // Sun 1 Nov 01:00 EDT → 04:00 EST is 4 h
      expect(businessDueAt('2026-11-01T05:00:00.000Z', 240, sundays)).toBe(
        '2026-11-01T09:00:00.000Z',
      );
    });
  });

  it('finds the working time however many holidays come first', () => {
    const mondays: BusinessHours = {
      timeZone: 'Europe/Berlin',
      days: [1],
      from: '09:00',
      to: '17:00',
      holidays: Array.from({ length: 200 }, (_, week) =>
        new Date(Date.UTC(2026, 0, 5 + 7 * week)).toISOString().slice(0, 10),
      ),
    };
    // 200 Mondays off from 5 Jan 2026: the first working Monday is 8 Nov 2029 + 200 weeks later
    expect(businessDueAt('2026-01-05T08:00:00.000Z', 60, mondays)).toBe('2029-11-05T09:00:00.000Z');
  });

  it('finds the end of the longest allowance a validated window allows', () => {
    // 52 weeks of one Wednesday hour
    const hourAWeek: BusinessHours = {
      timeZone: 'Europe/Berlin',
      days: [3],
      from: '09:00',
      to: '10:00',
    };
    expect(businessDueAt('2026-01-05T08:00:00.000Z', 52 * 60, hourAWeek)).toBe(
      '2026-12-30T09:00:00.000Z',
    );
  });

  it('throws on terms with no working days, which validation refuses before they are in force', () => {
    expect(() => businessDueAt('2026-01-05T08:00:00.000Z', 60, { ...berlin, days: [] })).toThrow(
      'no working time',
    );
  });
});
