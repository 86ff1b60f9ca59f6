import { DomainError } from '../lead-errors';
import type { LeadFact, LeadScored } from '../lead-events';
import { type AgreementState, agreementInForceAt } from './agreement-state';
import { leadScoreInputs, profileAt } from './lead-score-inputs';
import { computeLeadScore } from './lead-scoring';

export type ScoreEvidence = {
  leadId: string;
  /** null under external scoring when no client has scored the lead by `at` */
  score: number | null;
  qualified: boolean;
  agreementVersion: number;
  at: string;
  reasons: { rule: string; kind: 'fit' | 'engagement' | 'external'; points: number }[];
};

// Scores the system computed name the agreement they were computed under.
const isComputed = (fact: LeadFact<LeadScored>): boolean =>
  fact.data.model?.startsWith('agreement@') === true;

/**
 * The evidence for a lead's score at business time `at` (DESIGN §10, GET /leads/:id/score): under
 * rule-based terms in force at `at`, the rules evaluated on the facts dated by then (decay applied
 * at `at`); under external terms, the latest score a client sent dated by then. Qualified by the threshold
 * in force at `at`. `facts` is the
 * stream as recorded so far, in stream order.
 */
export const leadScoreAt = (
  facts: readonly LeadFact[],
  agreements: AgreementState,
  at: string,
): ScoreEvidence => {
  const time = Date.parse(at);
  const known = facts.filter(({ metadata }) => Date.parse(metadata.occurredAt) <= time);
  const capture = known.find((fact) => fact.type === 'LeadCaptured');
  if (!capture) {
    const leadId = facts[0]?.data.leadId ?? 'unknown';
    throw new DomainError('lead_not_found', `lead ${leadId} was not captured by ${at}`);
  }
  const agreement = agreementInForceAt(agreements, at);
  // The founding version is in force since 1970, and business times are not earlier.
  if (!agreement) throw new Error(`no agreement in force at ${at}`);
  const base = { leadId: capture.data.leadId, agreementVersion: agreement.version, at };
  const { scoring, qualification } = agreement.terms;
  if (scoring.source === 'rules') {
    const inputs = leadScoreInputs(known);
    const { score, reasons } = computeLeadScore(
      scoring,
      profileAt(inputs, at),
      inputs.engagements,
      at,
    );
    return { ...base, score, qualified: score >= qualification.mqlThreshold, reasons };
  }
  const scored = known
    .filter((fact): fact is LeadFact<LeadScored> => fact.type === 'LeadScored')
    .filter((fact) => !isComputed(fact))
    // the latest in business time; stream order among equal times
    .reduce<LeadFact<LeadScored> | null>(
      (latest, fact) =>
        latest && Date.parse(latest.metadata.occurredAt) > Date.parse(fact.metadata.occurredAt)
          ? latest
          : fact,
      null,
    );
  if (!scored) return { ...base, score: null, qualified: false, reasons: [] };
  return {
    ...base,
    score: scored.data.score,
    qualified: scored.data.score >= qualification.mqlThreshold,
    reasons: scored.data.reasons.map(({ rule, points }) => ({ rule, kind: 'external', points })),
  };
};
