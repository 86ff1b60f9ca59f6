import { type LeadEvent, scoringFactTypes } from '@lead/domain';
import type { Projection } from '../projection';
import { leadIdOf } from './lead-fact';

/** A fact the rule scorer reads, as the log holds it (personal fields revealed, or null once erased). */
export type ScoringFact = { type: string; data: Record<string, unknown>; occurredAt: string };
export type LeadScoringFactsDoc = { _id: string; leadId: string; facts: ScoringFact[] };

// Only for what-if replays (never projected live): it holds revealed personal fields, in the
// memory of an as-of worker for as long as the replay is kept.
export const leadScoringFactsProjection: Projection<LeadScoringFactsDoc, LeadEvent> = {
  name: 'lead-scoring-facts',
  version: 1,
  collection: 'lead_scoring_facts',
  documentId: (event) => (scoringFactTypes.includes(event.type) ? leadIdOf(event) : null),
  apply: (doc, event) => {
    const leadId = leadIdOf(event)!;
    const fact = { type: event.type, data: event.data, occurredAt: event.metadata.occurredAt };
    return { _id: leadId, leadId, facts: [...(doc?.facts ?? []), fact] };
  },
};
