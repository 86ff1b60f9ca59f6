import type { LeadFact } from '../lead-events';
import type { ScoringEngagement, ScoringProfile } from './lead-scoring';

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
