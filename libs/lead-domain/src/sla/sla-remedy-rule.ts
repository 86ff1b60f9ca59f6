import type { SlaPolicy } from '../lead-events';

// A remedy answers a live breach only: one whose handoff was on record while its clock still ran,
// so the rep could have answered in time and the system watched the deadline pass. A handoff
// recorded at or after its deadline is history (an import or a backfill): its breach is reported,
// but nobody is reassigned today for what happened in another system (ISO-8601 UTC strings
// compare in time order).
export const isLiveBreach = (handoff: { dueAt: string; recordedAt: string }): boolean =>
  handoff.recordedAt < handoff.dueAt;

/** the remedies that append something; 'none' (or no remedy terms) leaves a breach alone */
const responseBreachRemedies = ['reassign', 'return_to_marketing', 'escalate'] as const;

export const asksForRemedy = (policy: SlaPolicy): boolean =>
  (responseBreachRemedies as readonly string[]).includes(policy.remedy?.onResponseBreach ?? 'none');
