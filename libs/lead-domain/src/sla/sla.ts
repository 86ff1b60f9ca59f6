import type { SlaVerdict } from '../lead-events';

export type HandoffStatus = 'met' | 'breached' | 'open';

// Business times (occurredAt) for the deadline, so imported history is judged by when things
// happened, not by when they were recorded (DESIGN §5). But knowledge order decides whether a
// response can still count: `respondedAfterAlert` is true when the response was recorded after
// the system had raised the handoff's breach alert (stream order, so as-of replays agree).
export type HandoffClock = {
  dueAt: string;
  respondedAt: string | null;
  respondedAfterAlert: boolean;
  correction: { verdict: SlaVerdict } | null;
};

// An admin's audited correction wins. Otherwise met: responded at or before dueAt, and not only
// after the breach alert (a claimed time cannot rewrite a raised alert). Breached: responded
// late or after the alert, or still no response once now is past dueAt. Open: no response yet
// and dueAt not passed; at exactly dueAt a response would still be on time, so an unanswered
// handoff is open, not breached.
export const handoffStatus = (
  { dueAt, respondedAt, respondedAfterAlert, correction }: HandoffClock,
  now: string,
): HandoffStatus => {
  if (correction) return correction.verdict;
  const due = Date.parse(dueAt);
  if (respondedAt !== null) {
    return !respondedAfterAlert && Date.parse(respondedAt) <= due ? 'met' : 'breached';
  }
  return Date.parse(now) > due ? 'breached' : 'open';
};

// Minutes from `from` to `to` (negative if `to` is earlier), not rounded: rounding is a
// presentation choice, and percentiles over rounded values would drift.
export const minutesBetween = (from: string, to: string): number =>
  (Date.parse(to) - Date.parse(from)) / 60_000;

// Linear interpolation between closest ranks (numpy's default, Excel PERCENTILE.INC): the value
// at position p/100 × (n − 1) of the sorted values. Chosen over nearest-rank because p50 is then
// the usual median (the mean of the two middle values for an even count). p is 0–100; null for
// no values.
export const percentile = (values: readonly number[], p: number): number | null => {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0–100`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
};

export const median = (values: readonly number[]): number | null => percentile(values, 50);

// Share of decided handoffs that were met; open handoffs are not decided yet and do not count.
export const compliance = (met: number, breached: number): number | null =>
  met + breached === 0 ? null : met / (met + breached);
