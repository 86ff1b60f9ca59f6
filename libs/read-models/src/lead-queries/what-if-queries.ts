import {
  type AgreementVersion,
  type HandoffStatus,
  type LeadFact,
  type RuleScoring,
  compliance,
  handoffStatus,
  handoffUnder,
  maxScoreUnder,
} from '@lead/domain';
import type { LeadScoringFactsDoc } from '../lead-projections/lead-scoring-facts.projection';
import type { HandoffDoc, LeadSummaryDoc } from '../lead-projections/lead-summary.projection';
import type { ReadStore } from '../read-store.port';
import { type BusinessTimeRange, inRange, within } from './business-time';

export type SlaTally = {
  handoffs: number;
  met: number;
  breached: number;
  open: number;
  compliance: number | null;
};
export type SlaWhatIf = {
  actual: SlaTally;
  hypothetical: SlaTally;
  changed: {
    handoffId: string;
    leadId: string;
    toRep: string;
    actual: HandoffStatus;
    hypothetical: HandoffStatus;
    hypotheticalDueAt: string;
  }[];
};

const tally = (statuses: readonly HandoffStatus[]): SlaTally => {
  const count = (status: HandoffStatus) => statuses.filter((each) => each === status).length;
  const [met, breached, open] = [count('met'), count('breached'), count('open')];
  return { handoffs: statuses.length, met, breached, open, compliance: compliance(met, breached) };
};

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Every handoff made in the window (business time), judged at `now` as recorded and as if
 * `version` had been stamped at it. `changed` lists those whose status differs, by handoff id.
 */
export const slaWhatIf = async (
  store: ReadStore,
  query: BusinessTimeRange & { version: AgreementVersion; now: string },
): Promise<SlaWhatIf> => {
  const leads = await store
    .collection<LeadSummaryDoc>('leads')
    .find({ 'handoffs.0': { $exists: true } });
  const judged = leads
    .flatMap(({ leadId, handoffs }) => handoffs.map((handoff: HandoffDoc) => ({ leadId, handoff })))
    .filter(({ handoff }) => within(handoff.handedOffAt, query))
    .map(({ leadId, handoff }) => {
      const hypothetical = handoffUnder(query.version, handoff, query.now);
      return {
        id: handoff.handoffId,
        leadId,
        handoff,
        actual: handoffStatus(handoff, query.now),
        hypothetical,
      };
    })
    .sort(byId);
  return {
    actual: tally(judged.map(({ actual }) => actual)),
    hypothetical: tally(judged.map(({ hypothetical }) => hypothetical.status)),
    changed: judged
      .filter(({ actual, hypothetical }) => actual !== hypothetical.status)
      .map(({ id, leadId, handoff, actual, hypothetical }) => ({
        handoffId: id,
        leadId,
        toRep: handoff.toRep,
        actual,
        hypothetical: hypothetical.status,
        hypotheticalDueAt: hypothetical.dueAt,
      })),
  };
};

export type QualificationWhatIf = {
  actual: { leads: number; mqls: number };
  hypothetical: { leads: number; mqls: number };
  changed: {
    leadId: string;
    actual: boolean;
    hypothetical: boolean;
    hypotheticalMaxScore: number | null;
  }[];
};

/**
 * Leads captured in the window: how many became MQLs, and how many would have under `scoring`
 * and `mqlThreshold` (re-scored after each of their scoring facts). `changed` by lead id.
 */
export const qualificationWhatIf = async (
  store: ReadStore,
  query: BusinessTimeRange & { scoring: RuleScoring; mqlThreshold: number },
): Promise<QualificationWhatIf> => {
  const leads = await store.collection<LeadSummaryDoc>('leads').find(inRange('capturedAt', query));
  const facts = store.collection<LeadScoringFactsDoc>('lead_scoring_facts');
  const judged = await Promise.all(
    leads.map(async ({ leadId, qualifiedAt }) => {
      const doc = await facts.findOne({ _id: leadId });
      // the scorer reads type, data and the business time of each fact
      const history = (doc?.facts ?? []).map(
        ({ type, data, occurredAt }) =>
          ({ type, data, metadata: { occurredAt } }) as unknown as LeadFact,
      );
      const maxScore = maxScoreUnder(query.scoring, history);
      return {
        id: leadId,
        actual: qualifiedAt !== null,
        hypothetical: maxScore !== null && maxScore >= query.mqlThreshold,
        maxScore,
      };
    }),
  );
  judged.sort(byId);
  const mqls = (key: 'actual' | 'hypothetical') => judged.filter((lead) => lead[key]).length;
  return {
    actual: { leads: judged.length, mqls: mqls('actual') },
    hypothetical: { leads: judged.length, mqls: mqls('hypothetical') },
    changed: judged
      .filter(({ actual, hypothetical }) => actual !== hypothetical)
      .map(({ id, actual, hypothetical, maxScore }) => ({
        leadId: id,
        actual,
        hypothetical,
        hypotheticalMaxScore: maxScore,
      })),
  };
};
