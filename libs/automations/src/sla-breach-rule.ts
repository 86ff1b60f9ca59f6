// When an unanswered handoff is alerted as breached: once its deadline has passed, and once it has
// been on record for the grace period, so a response backfilled just after a late-recorded
// handoff can land before the alert (ISO-8601 UTC strings compare in time order).
export type BreachCutoffs = { dueAt: string; recordedAt: string };

export const breachCutoffs = (now: Date, graceSeconds: number): BreachCutoffs => ({
  dueAt: now.toISOString(),
  recordedAt: new Date(now.getTime() - graceSeconds * 1000).toISOString(),
});

export const isBreachDue = (
  handoff: { dueAt: string; recordedAt: string },
  now: Date,
  graceSeconds: number,
): boolean => {
  const cutoffs = breachCutoffs(now, graceSeconds);
  return handoff.dueAt <= cutoffs.dueAt && handoff.recordedAt <= cutoffs.recordedAt;
};
