import type { SalesFollowUpTerms } from '../agreement/agreement-terms';
import type { HandoffStatus } from './sla';

// The follow-up SLA of one accepted handoff (DESIGN §11), on business times like the response SLA.
export type FollowUpClock = {
  acceptedAt: string;
  /** the terms stamped at the handoff */
  terms: SalesFollowUpTerms;
  /** business times of the activities logged on the lead since its acceptance */
  activityTimes: readonly string[];
  convertedAt: string | null;
  lostAt: string | null;
};

export type FollowUpVerdict = {
  deadline: string;
  /** activities dated at or before the deadline: the ones that count */
  attemptsByDeadline: number;
  status: HandoffStatus;
};

export const followUpDeadline = (acceptedAt: string, { withinHours }: SalesFollowUpTerms): string =>
  new Date(Date.parse(acceptedAt) + withinHours * 3_600_000).toISOString();

// Met: enough attempts by the deadline, or converted by it (a won deal needs no more chasing).
// Breached: lost by the deadline short of the attempts (it can no longer be met), or the deadline
// passed short of them. Open otherwise; at exactly the deadline an attempt still counts, so an
// unmet follow-up is open then, as an unanswered handoff is.
export const followUpStatus = (clock: FollowUpClock, now: string): FollowUpVerdict => {
  const deadline = followUpDeadline(clock.acceptedAt, clock.terms);
  const due = Date.parse(deadline);
  const byDeadline = (at: string | null) => at !== null && Date.parse(at) <= due;
  const attemptsByDeadline = clock.activityTimes.filter(byDeadline).length;
  const verdict = (status: HandoffStatus) => ({ deadline, attemptsByDeadline, status });
  if (attemptsByDeadline >= clock.terms.attempts || byDeadline(clock.convertedAt)) {
    return verdict('met');
  }
  if (byDeadline(clock.lostAt) || Date.parse(now) > due) return verdict('breached');
  return verdict('open');
};
