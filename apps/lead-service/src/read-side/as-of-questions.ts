import {
  type AgreementState,
  type AgreementVersion,
  type AttributionModel,
  type HandoffStatus,
  type RuleScoring,
  marketingTargetAt,
} from '@lead/domain';
import {
  type AttributionGrouping,
  type BusinessTimeRange,
  type HandoffView,
  type Projection,
  type QualityGrouping,
  type ReadView,
  type SalesScorecardGrouping,
  type SlaGrouping,
  attributionReport,
  funnel,
  leadAttribution,
  leadAttributionProjection,
  leadScoringFactsProjection,
  leadSummaryProjection,
  marketingScorecard,
  qualificationWhatIf,
  qualityReport,
  salesScorecard,
  scoreBandReport,
  slaFollowUps,
  slaHandoffs,
  slaSummary,
  slaWhatIf,
} from '@lead/read-models';

type Question<P, A> = {
  /** the read models it reads: an as-of replay projects only those */
  projections: readonly Projection[];
  answer: (view: ReadView, params: P) => Promise<A>;
};
const question = <P, A>(definition: Question<P, A>): Question<P, A> => definition;

const attribution = [leadAttributionProjection];
const leads = [leadSummaryProjection];

// Every question that may be asked as of a past point, by name: the main thread answers live
// questions with these and the as-of workers answer replayed ones with the very same code, so
// both paths give byte-identical answers. Parameters and answers cross the thread boundary, so
// they are plain data.
export const asOfQuestions = {
  attributionReport: question({
    projections: attribution,
    answer: async (
      { store, asOf },
      query: BusinessTimeRange & { model: AttributionModel; groupBy: AttributionGrouping },
    ) => {
      const report = await attributionReport(store, query);
      return {
        model: report.model,
        groupBy: report.groupBy,
        asOf,
        rows: report.rows,
        totals: report.totals,
      };
    },
  }),
  leadAttribution: question({
    projections: attribution,
    answer: async (
      { store, asOf },
      { leadId, model }: { leadId: string; model: AttributionModel },
    ) => {
      const view = await leadAttribution(store, leadId, model);
      return view && { ...view, asOf };
    },
  }),
  slaHandoffs: question({
    projections: leads,
    answer: async (
      { store, asOf, now },
      query: BusinessTimeRange & {
        status?: HandoffStatus;
        rep?: string;
        dispute?: HandoffView['dispute'];
      },
    ) => ({ asOf, now, items: await slaHandoffs(store, { ...query, now }) }),
  }),
  slaFollowUps: question({
    projections: leads,
    answer: async (
      { store, asOf, now },
      query: BusinessTimeRange & { status?: HandoffStatus; rep?: string },
    ) => ({ asOf, now, items: await slaFollowUps(store, { ...query, now }) }),
  }),
  slaSummary: question({
    projections: leads,
    answer: async (
      { store, asOf, now },
      {
        agreement,
        ...query
      }: BusinessTimeRange & { groupBy: SlaGrouping; agreement: AgreementState },
    ) => {
      const targetAt = (at: string) => marketingTargetAt(agreement, at);
      return { asOf, now, ...(await slaSummary(store, { ...query, now, targetAt })) };
    },
  }),
  funnel: question({
    projections: leads,
    answer: async ({ store, asOf }, range: BusinessTimeRange) => ({
      asOf,
      ...(await funnel(store, range)),
    }),
  }),
  quality: question({
    projections: leads,
    answer: async ({ store, asOf }, query: BusinessTimeRange & { groupBy: QualityGrouping }) => {
      const { groupBy, rows } = await qualityReport(store, query);
      return { groupBy, asOf, rows };
    },
  }),
  scoreBands: question({
    projections: leads,
    answer: async ({ store, asOf }, range: BusinessTimeRange) => ({
      asOf,
      ...(await scoreBandReport(store, range)),
    }),
  }),
  // Marketing's targets come from the agreement in force at each month's start.
  marketingScorecard: question({
    projections: leads,
    answer: async (
      { store, asOf },
      { agreement, ...range }: BusinessTimeRange & { agreement: AgreementState },
    ) => {
      const targetAt = (at: string) => marketingTargetAt(agreement, at);
      return { asOf, ...(await marketingScorecard(store, { ...range, targetAt })) };
    },
  }),
  salesScorecard: question({
    projections: leads,
    answer: async (
      { store, asOf, now },
      query: BusinessTimeRange & { groupBy: SalesScorecardGrouping },
    ) => {
      const { groupBy, rows } = await salesScorecard(store, { ...query, now });
      return { groupBy, asOf, now, rows };
    },
  }),
  whatIfSla: question({
    projections: leads,
    answer: async (
      { store, asOf, now },
      query: BusinessTimeRange & { version: AgreementVersion },
    ) => ({
      version: query.version.version,
      asOf,
      now,
      ...(await slaWhatIf(store, { ...query, now })),
    }),
  }),
  whatIfQualification: question({
    projections: [leadSummaryProjection, leadScoringFactsProjection],
    answer: async (
      { store, asOf },
      query: BusinessTimeRange & { version: number; scoring: RuleScoring; mqlThreshold: number },
    ) => ({ version: query.version, asOf, ...(await qualificationWhatIf(store, query)) }),
  }),
};

export type AsOfQuestions = typeof asOfQuestions;
export type QuestionName = keyof AsOfQuestions;
export type ParamsOf<Q extends QuestionName> = Parameters<AsOfQuestions[Q]['answer']>[1];
export type AnswerOf<Q extends QuestionName> = Awaited<ReturnType<AsOfQuestions[Q]['answer']>>;
