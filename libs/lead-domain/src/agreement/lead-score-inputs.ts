import type { ScoreLead } from '../lead-commands';
import type { LeadFact } from '../lead-events';
import { type LeadState, evolve, initialLeadState } from '../lead-state';
import type { AgreementVersion } from './agreement-state';
import { type ScoringEngagement, type ScoringProfile, computeLeadScore } from './lead-scoring';

type ProfileChange = { occurredAt: string; fields: ScoringProfile };

/**
 * What the rule scorer reads from a lead's history: the profile as captured, every profile update
 * with its business time (the profile at T applies those dated <= T, in stream order), and the
 * engagements, the capture itself as kind `captured`. Personal fields read as null once erased.
 */
export type LeadScoreInputs = {
  captured: ScoringProfile;
  changes: ProfileChange[];
  engagements: ScoringEngagement[];
};

export const initialLeadScoreInputs: LeadScoreInputs = {
  captured: {},
  changes: [],
  engagements: [],
};

const withoutTitle = (profile: ScoringProfile): ScoringProfile =>
  profile.title === undefined ? profile : { ...profile, title: null };

export const evolveLeadScoreInputs = (inputs: LeadScoreInputs, fact: LeadFact): LeadScoreInputs => {
  const { occurredAt } = fact.metadata;
  switch (fact.type) {
    case 'LeadCaptured': {
      const { email, title, company, industry, country, employees } = fact.data;
      return {
        captured: {
          email: email ?? null,
          title: title ?? null,
          company: company ?? null,
          industry: industry ?? null,
          country: country ?? null,
          employees: employees ?? null,
        },
        changes: [],
        engagements: [{ kind: 'captured', occurredAt }],
      };
    }
    case 'LeadEngaged':
      return {
        ...inputs,
        engagements: [...inputs.engagements, { kind: fact.data.kind, occurredAt }],
      };
    case 'LeadProfileUpdated': {
      const { leadId: _leadId, personalDataErased: _erased, ...fields } = fact.data;
      return { ...inputs, changes: [...inputs.changes, { occurredAt, fields }] };
    }
    case 'LeadPersonalDataErased':
      return {
        ...inputs,
        captured: { ...withoutTitle(inputs.captured), email: null },
        changes: inputs.changes.map((change) => ({
          ...change,
          fields: withoutTitle(change.fields),
        })),
      };
    default:
      return inputs;
  }
};

export const leadScoreInputs = (facts: readonly LeadFact[]): LeadScoreInputs =>
  facts.reduce(evolveLeadScoreInputs, initialLeadScoreInputs);

/** The profile as it stood at business time `at`: the capture, then the updates dated by then. */
export const profileAt = (inputs: LeadScoreInputs, at: string): ScoringProfile => {
  const time = Date.parse(at);
  return inputs.changes
    .filter(({ occurredAt }) => Date.parse(occurredAt) <= time)
    .reduce<ScoringProfile>((profile, { fields }) => ({ ...profile, ...fields }), inputs.captured);
};

/**
 * A lead as the command runner keeps it: the decision state and the scorer's inputs, folded from
 * the same facts, so rescoring after a fact needs no second read of the stream. The inputs stay
 * beside LeadState rather than in it because read models persist LeadState, and the inputs hold
 * personal data (email, title) in the clear.
 */
export type ScoredLead = { lead: LeadState; inputs: LeadScoreInputs };

const initialScoredLead: ScoredLead = { lead: initialLeadState, inputs: initialLeadScoreInputs };

export const scoredLeadEvolution = {
  initialState: initialScoredLead,
  evolve: (state: ScoredLead, fact: LeadFact): ScoredLead => ({
    lead: evolve(state.lead, fact),
    inputs: evolveLeadScoreInputs(state.inputs, fact),
  }),
};

/**
 * The score the agreement's rules give the lead at business time `at` (that of the fact that
 * prompted it), as a command for the system to decide; null when the agreement scores externally
 * or neither the score nor the qualification would change.
 */
export const computedScoreOf = (
  { lead, inputs }: ScoredLead,
  agreement: AgreementVersion,
  at: string,
  now: string,
): ScoreLead | null => {
  const { scoring, qualification } = agreement.terms;
  if (scoring.source !== 'rules' || lead.stage === 'initial') return null;
  const { score, reasons } = computeLeadScore(
    scoring,
    profileAt(inputs, at),
    inputs.engagements,
    at,
  );
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

/** computedScoreOf for a lead given as its facts. */
export const computedScore = (
  facts: readonly LeadFact[],
  agreement: AgreementVersion,
  at: string,
  now: string,
): ScoreLead | null =>
  computedScoreOf(
    facts.reduce(scoredLeadEvolution.evolve, scoredLeadEvolution.initialState),
    agreement,
    at,
    now,
  );
