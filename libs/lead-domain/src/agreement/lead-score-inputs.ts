import type { ScoreLead } from '../lead-commands';
import type { LeadFact } from '../lead-events';
import { foldLead } from '../lead-state';
import type { AgreementVersion } from './agreement-state';
import { type ScoringEngagement, type ScoringProfile, computeLeadScore } from './lead-scoring';

/**
 * What the rule scorer reads from a lead's history: its profile and its engagements, the capture
 * itself as kind `captured`. Personal fields read as null once erased.
 */
export const leadScoreInputs = (
  facts: readonly LeadFact[],
): { profile: ScoringProfile; engagements: ScoringEngagement[] } => {
  let profile: ScoringProfile = {};
  const engagements: ScoringEngagement[] = [];
  for (const fact of facts) {
    const { occurredAt } = fact.metadata;
    if (fact.type === 'LeadCaptured') {
      profile = { email: fact.data.email ?? null, company: fact.data.company ?? null };
      engagements.push({ kind: 'captured', occurredAt });
    }
    if (fact.type === 'LeadEngaged') engagements.push({ kind: fact.data.kind, occurredAt });
  }
  return { profile, engagements };
};

/**
 * The score the agreement's rules give the lead at the business time of its latest fact `at`, as
 * a command for the system to decide; null when the agreement scores externally or neither the
 * score nor the qualification would change.
 */
export const computedScore = (
  facts: readonly LeadFact[],
  agreement: AgreementVersion,
  at: string,
  now: string,
): ScoreLead | null => {
  const { scoring, qualification } = agreement.terms;
  const lead = foldLead(facts);
  if (scoring.source !== 'rules' || lead.stage === 'initial') return null;
  const { profile, engagements } = leadScoreInputs(facts);
  const { score, reasons } = computeLeadScore(scoring, profile, engagements, at);
  const qualified = score >= qualification.mqlThreshold;
  if (lead.score === score && lead.qualified === qualified) return null;
  return {
    type: 'ScoreLead',
    leadId: lead.leadId,
    score,
    reasons: reasons.map(({ rule, points }) => ({ rule, points })),
    model: `agreement@${agreement.version}`,
    computed: true,
    occurredAt: at,
    now,
  };
};
