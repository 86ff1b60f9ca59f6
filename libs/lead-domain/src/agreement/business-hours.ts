import { DateTime } from 'luxon';
import type { BusinessHours } from './agreement-terms';

const minutesOf = (hhmm: string): number => {
  const [hour, minute] = hhmm.split(':').map(Number);
  return hour * 60 + minute;
};

// Enough calendar days for any validated terms: every week has a working day, so the allowance
// needs at most one week per window it fills, per holiday and per shortened (DST) day, plus slack.
// Only terms that were never validated (no working days) can run out.
const daysToSearch = (minutes: number, hours: BusinessHours): number => {
  const windowMinutes = Math.max(1, minutesOf(hours.to) - minutesOf(hours.from));
  return 7 * (Math.ceil(minutes / windowMinutes) + (hours.holidays?.length ?? 0) + 4);
};

const at = (day: DateTime, hhmm: string): DateTime => {
  const [hour, minute] = hhmm.split(':').map(Number);
  // Wall-clock time in the zone; luxon moves a time inside a spring-forward gap past the gap.
  return day.set({ hour, minute, second: 0, millisecond: 0 });
};

/**
 * The instant `minutes` of working time after `start`, counting only inside the daily windows of
 * `hours` (wall-clock in its zone, on the listed ISO weekdays, skipping holidays). A start outside
 * a window waits for the next one. Minutes are real elapsed minutes, so a window that spans a
 * daylight-saving change is as long as the clock says it is.
 */
export const businessDueAt = (start: string, minutes: number, hours: BusinessHours): string => {
  const holidays = new Set(hours.holidays ?? []);
  const parsed = DateTime.fromISO(start, { zone: hours.timeZone });
  if (!parsed.isValid) throw new Error(`invalid start ${start}`);
  let cursor: DateTime = parsed;
  let remainingMs = minutes * 60_000;
  const maxDays = daysToSearch(minutes, hours);
  for (let day = 0; day < maxDays; day++) {
    const date: DateTime = cursor.startOf('day');
    if (hours.days.includes(date.weekday) && !holidays.has(date.toISODate() ?? '')) {
      const opens = at(date, hours.from);
      const closes = at(date, hours.to);
      if (cursor < opens) cursor = opens;
      if (cursor < closes) {
        const availableMs = closes.toMillis() - cursor.toMillis();
        if (remainingMs <= availableMs) {
          return new Date(cursor.toMillis() + remainingMs).toISOString();
        }
        remainingMs -= availableMs;
      }
    }
    cursor = date.plus({ days: 1 });
  }
  throw new Error(`no working time within ${maxDays} days of ${start}`);
};
