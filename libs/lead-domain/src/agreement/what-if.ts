import type { LeadFact } from '../lead-events';
import { type HandoffClock, type HandoffStatus, handoffStatus } from '../sla/sla';
import { handoffDueAt } from '../sla/handoff-due-at';
import { leadPolicyUnder } from './agreement-policy';
import type { AgreementVersion } from './agreement-state';
import { evolveLeadScoreInputs, initialLeadScoreInputs, profileAt } from './lead-score-inputs';
import { type RuleScoring, computeLeadScore } from './lead-scoring';

export type HandoffOnRecord = HandoffClock & { toRep: string; handedOffAt: string };

/**
 * A handoff judged as if `version` had been in force when it was made: that version's response
 * terms (its pilot's for a pilot rep) give the due time, and the one status rule judges it with
 * everything else as recorded (the response, a breach alert raised before it, a correction).
 */
export const handoffUnder = (
  version: AgreementVersion,
  handoff: HandoffOnRecord,
  now: string,
): { dueAt: string; status: HandoffStatus } => {
  const { slaPolicy } = leadPolicyUnder(version, handoff.toRep);
  const dueAt = handoffDueAt(handoff.handedOffAt, slaPolicy);
  return { dueAt, status: handoffStatus({ ...handoff, dueAt }, now) };
};

/** The facts after which the system re-scores a lead under rules (DESIGN §10). */
export const scoringFactTypes: readonly string[] = [
  'LeadCaptured',
  'LeadEngaged',
  'LeadProfileUpdated',
];

/**
 * The highest score `scoring` would have given the lead, evaluated as the system does: after
 * each scoring fact, at that fact's business time, on the history up to it.
 */
export const maxScoreUnder = (scoring: RuleScoring, facts: readonly LeadFact[]): number | null => {
  let inputs = initialLeadScoreInputs;
  let max: number | null = null;
  for (const fact of facts) {
    inputs = evolveLeadScoreInputs(inputs, fact);
    if (!scoringFactTypes.includes(fact.type)) continue;
    const at = fact.metadata.occurredAt;
    const { score } = computeLeadScore(scoring, profileAt(inputs, at), inputs.engagements, at);
    max = max === null ? score : Math.max(max, score);
  }
  return max;
};
