import { type HandoffStatus, type MarketingTarget, compliance, handoffStatus } from '@lead/domain';
import type { HandoffDoc, LeadSummaryDoc } from '../lead-projections/lead-summary.projection';
import type { ReadStore } from '../read-store.port';
import { type MinorUnitSum, served } from './attribution-queries';
import { type BusinessTimeRange, inRange, within } from './business-time';
import { toFollowUp } from './sla-queries';

// Closed-loop reports (DESIGN §11): sales' answers to marketing's handoffs, judged per team.

export const qualityGroupings = ['campaign', 'channel', 'sourcedBy', 'month'] as const;
export type QualityGrouping = (typeof qualityGroupings)[number];
export const salesScorecardGroupings = ['rep', 'month'] as const;
export type SalesScorecardGrouping = (typeof salesScorecardGroupings)[number];

export type Revenue = { currency: string; amount: MinorUnitSum };

type LeadRow = Pick<
  LeadSummaryDoc,
  | 'leadId'
  | 'source'
  | 'sourcedBy'
  | 'handoffs'
  | 'sqlAt'
  | 'convertedAt'
  | 'lostAt'
  | 'amount'
  | 'currency'
>;

/**
 * A handoff marketing made, judged by the end of its reassignment chain: when a breach remedy
 * reassigned it, the new rep's answer is sales' answer to marketing's lead.
 */
type Delivery = { lead: LeadRow; handoff: HandoffDoc; outcome: HandoffDoc };

// Code-unit order, not localeCompare: the process locale must not reorder a replayed report.
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** a fraction 0..1 to four decimals, null when there is nothing to divide by */
const ratio = (count: number, of: number): number | null =>
  of === 0 ? null : Math.round((count / of) * 10_000) / 10_000;
const rounded = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 10_000) / 10_000;

const leadsWithHandoffs = (store: ReadStore): Promise<LeadRow[]> =>
  store.collection<LeadSummaryDoc>('leads').aggregate<LeadRow>([
    { $match: { 'handoffs.0': { $exists: true } } },
    {
      $project: {
        leadId: 1,
        source: 1,
        sourcedBy: 1,
        handoffs: 1,
        sqlAt: 1,
        convertedAt: 1,
        lostAt: 1,
        amount: 1,
        currency: 1,
      },
    },
    { $sort: { _id: 1 } },
  ]);

// from/to select marketing's handoffs by their handoff time, as the SLA reports do.
const deliveriesOf = (leads: LeadRow[], range: BusinessTimeRange): Delivery[] =>
  leads.flatMap((lead) => {
    const reassignment = new Map(
      lead.handoffs.flatMap((row) =>
        row.reassignedFrom ? [[row.reassignedFrom.handoffId, row] as const] : [],
      ),
    );
    return lead.handoffs
      .filter((handoff) => !handoff.reassignedFrom && within(handoff.handedOffAt, range))
      .map((handoff) => {
        let outcome = handoff;
        for (let next = reassignment.get(outcome.handoffId); next;) {
          outcome = next;
          next = reassignment.get(outcome.handoffId);
        }
        return { lead, handoff, outcome };
      });
  });

const isConverted = (lead: LeadRow): boolean => lead.convertedAt !== null;
const accepted = ({ outcome }: Delivery) => outcome.response === 'accepted';
const rejected = ({ outcome }: Delivery) => outcome.response === 'rejected';
const overturned = ({ outcome }: Delivery) =>
  outcome.response === 'rejected' && outcome.dispute?.status === 'overturned';
// A lead has at most one accepted handoff, so this counts each won lead once.
const converted = (delivery: Delivery) => accepted(delivery) && isConverted(delivery.lead);
const countOf = <T>(items: T[], test: (item: T) => boolean): number => items.filter(test).length;

// An overturned rejection was sales' mistake: it leaves marketing's denominator.
const acceptanceRate = (deliveries: Delivery[]): number | null => {
  const [yes, no, wrongful] = [accepted, rejected, overturned].map((test) =>
    countOf(deliveries, test),
  );
  return ratio(yes, yes + no - wrongful);
};

// Never adds different currencies: one entry per currency, in currency order, summed exactly.
const revenueOf = (leads: Pick<LeadRow, 'amount' | 'currency'>[]): Revenue[] => {
  const sums = new Map<string, bigint>();
  for (const { amount, currency } of leads) {
    if (amount === null || currency === null) continue;
    sums.set(currency, (sums.get(currency) ?? 0n) + BigInt(amount));
  }
  return [...sums.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([currency, sum]) => ({ currency, amount: served(sum) }));
};

const groupBy = <T>(items: T[], keyOf: (item: T) => string): [string, T[]][] => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.entries()].sort(([a], [b]) => compareText(a, b));
};

export type QualityRow = {
  key: string;
  handoffs: number;
  accepted: number;
  rejected: number;
  rejectedBy: Record<string, number>;
  overturned: number;
  acceptanceRate: number | null;
  converted: number;
  conversionRate: number | null;
  revenue: Revenue[];
  avgScoreAtHandoff: number | null;
};

const qualityKey: Record<QualityGrouping, (delivery: Delivery) => string> = {
  campaign: ({ lead }) => lead.source.campaignId,
  channel: ({ lead }) => lead.source.channel,
  sourcedBy: ({ lead }) => lead.sourcedBy,
  month: ({ handoff }) => handoff.month,
};

const qualityRow = (key: string, deliveries: Delivery[]): QualityRow => {
  const reasons = deliveries.flatMap(({ outcome }) =>
    outcome.response === 'rejected' && outcome.rejectionReason ? [outcome.rejectionReason] : [],
  );
  const scores = deliveries.flatMap(({ handoff }) =>
    handoff.scoreAtHandoff === null ? [] : [handoff.scoreAtHandoff],
  );
  const won = deliveries.filter(converted);
  return {
    key,
    handoffs: deliveries.length,
    accepted: countOf(deliveries, accepted),
    rejected: countOf(deliveries, rejected),
    rejectedBy: Object.fromEntries(
      groupBy(reasons, (reason) => reason).map(([reason, all]) => [reason, all.length]),
    ),
    overturned: countOf(deliveries, overturned),
    acceptanceRate: acceptanceRate(deliveries),
    converted: won.length,
    conversionRate: ratio(won.length, countOf(deliveries, accepted)),
    revenue: revenueOf(won.map(({ lead }) => lead)),
    avgScoreAtHandoff:
      scores.length === 0
        ? null
        : Math.round((scores.reduce((sum, score) => sum + score, 0) / scores.length) * 100) / 100,
  };
};

/**
 * Sales' verdict on marketing's handoffs, grouped by the lead's capture source, sourcing team or
 * the handoff's month. acceptanceRate = accepted / (accepted + rejected − overturned);
 * conversionRate = converted / accepted.
 */
export const qualityReport = async (
  store: ReadStore,
  query: BusinessTimeRange & { groupBy: QualityGrouping },
): Promise<{ groupBy: QualityGrouping; rows: QualityRow[] }> => {
  const deliveries = deliveriesOf(await leadsWithHandoffs(store), query);
  return {
    groupBy: query.groupBy,
    rows: groupBy(deliveries, qualityKey[query.groupBy]).map(([key, group]) =>
      qualityRow(key, group),
    ),
  };
};

export const scoreBands = ['0-19', '20-39', '40-59', '60-79', '80-100'] as const;
export type ScoreBand = (typeof scoreBands)[number] | 'none';

export type ScoreBandRow = {
  band: ScoreBand;
  handoffs: number;
  accepted: number;
  converted: number;
  acceptanceRate: number | null;
  conversionRate: number | null;
};

const bandOf = (score: number | null): ScoreBand =>
  score === null ? 'none' : scoreBands[Math.min(Math.floor(score / 20), scoreBands.length - 1)];

/**
 * Does the score at handoff predict acceptance and conversion? Every band is listed, empty or
 * not, so charts compare like with like; `none` (handoffs of unscored leads) only when there are
 * any.
 */
export const scoreBandReport = async (
  store: ReadStore,
  range: BusinessTimeRange,
): Promise<{ bands: ScoreBandRow[] }> => {
  const deliveries = deliveriesOf(await leadsWithHandoffs(store), range);
  const bands: ScoreBand[] = deliveries.some(({ handoff }) => handoff.scoreAtHandoff === null)
    ? [...scoreBands, 'none']
    : [...scoreBands];
  return {
    bands: bands.map((band) => {
      const inBand = deliveries.filter(({ handoff }) => bandOf(handoff.scoreAtHandoff) === band);
      const yes = countOf(inBand, accepted);
      const won = countOf(inBand, converted);
      return {
        band,
        handoffs: inBand.length,
        accepted: yes,
        converted: won,
        acceptanceRate: acceptanceRate(inBand),
        conversionRate: ratio(won, yes),
      };
    }),
  };
};

export type MarketingScorecardRow = {
  month: string;
  mqls: number;
  handoffs: number;
  volumeTarget: number | null;
  volumeMet: boolean | null;
  accepted: number;
  rejected: number;
  overturned: number;
  acceptanceRate: number | null;
  qualityTarget: number | null;
  qualityMet: boolean | null;
  sourcedRevenue: Revenue[];
  /** the agreement version in force at the month's start, which set both targets */
  agreementVersion: number | null;
};

const monthOf = (time: string): string => time.slice(0, 7);

/**
 * Marketing per month against the agreement in force at the month's start: MQLs by qualification
 * time; handoffs = leads delivered (first handoffs, as the volume SLA of /sla/summary counts);
 * accepted, rejected and overturned of every handoff marketing made that month; revenue of the
 * leads marketing sourced, in the month they converted.
 */
export const marketingScorecard = async (
  store: ReadStore,
  query: BusinessTimeRange & { targetAt: (at: string) => MarketingTarget | null },
): Promise<{ months: MarketingScorecardRow[] }> => {
  const leads = store.collection<LeadSummaryDoc>('leads');
  const qualified = await leads.aggregate<{ qualifiedAt: string }>([
    { $match: { $and: [{ qualifiedAt: { $ne: null } }, inRange('qualifiedAt', query)] } },
    { $project: { qualifiedAt: 1 } },
  ]);
  const sourced = await leads.aggregate<Pick<LeadRow, 'convertedAt' | 'amount' | 'currency'>>([
    {
      $match: {
        $and: [
          { sourcedBy: 'marketing', convertedAt: { $ne: null } },
          inRange('convertedAt', query),
        ],
      },
    },
    { $project: { convertedAt: 1, amount: 1, currency: 1 } },
  ]);
  const deliveries = deliveriesOf(await leadsWithHandoffs(store), query);
  const months = [
    ...new Set([
      ...qualified.map(({ qualifiedAt }) => monthOf(qualifiedAt)),
      ...deliveries.map(({ handoff }) => handoff.month),
      ...sourced.map(({ convertedAt }) => monthOf(convertedAt!)),
    ]),
  ].sort(compareText);
  return {
    months: months.map((month) => {
      const made = deliveries.filter(({ handoff }) => handoff.month === month);
      const delivered = countOf(made, ({ handoff }) => handoff.first);
      const [yes, no, wrongful] = [accepted, rejected, overturned].map((test) =>
        countOf(made, test),
      );
      const target = query.targetAt(`${month}-01T00:00:00.000Z`);
      const volumeTarget = target?.mqlsPerMonth ?? null;
      const qualityTarget = target?.minAcceptanceRate ?? null;
      const decided = yes + no - wrongful;
      return {
        month,
        mqls: countOf(qualified, ({ qualifiedAt }) => monthOf(qualifiedAt) === month),
        handoffs: delivered,
        volumeTarget,
        volumeMet: volumeTarget === null ? null : delivered >= volumeTarget,
        accepted: yes,
        rejected: no,
        overturned: wrongful,
        acceptanceRate: ratio(yes, decided),
        qualityTarget,
        // compared unrounded, so a rate shown as the target's four decimals cannot flip it
        qualityMet: qualityTarget === null || decided === 0 ? null : yes >= qualityTarget * decided,
        sourcedRevenue: revenueOf(
          sourced.filter(({ convertedAt }) => monthOf(convertedAt!) === month),
        ),
        agreementVersion: target?.agreementVersion ?? null,
      };
    }),
  };
};

export type SalesScorecardRow = {
  key: string;
  handoffs: number;
  respondedOnTime: number;
  respondedLate: number;
  unanswered: number;
  responseCompliance: number | null;
  worked: number;
  followUpsMet: number;
  followUpsBreached: number;
  followUpCompliance: number | null;
  sql: number;
  converted: number;
  lost: number;
  closeRate: number | null;
  revenue: Revenue[];
  rejectionsOverturned: number;
};

/** What the sales scorecard counts of one handoff row, for the rep (or month) it belongs to. */
type SalesFact =
  | {
      kind: 'response';
      key: string;
      status: HandoffStatus;
      responded: boolean;
      overturned: boolean;
    }
  /** an accepted handoff: what its owner did with the lead */
  | { kind: 'owned'; key: string; worked: boolean; followUp: HandoffStatus | null; lead: LeadRow };

// Response facts belong to the rep the handoff went to (as /sla/summary counts them); an accepted
// handoff's follow-up and outcome to the rep who accepted it (as /sla/follow-ups does).
const salesFacts = (
  lead: LeadRow,
  row: HandoffDoc,
  groupBy: SalesScorecardGrouping,
  now: string,
): SalesFact[] => {
  const keyOf = (rep: string) => (groupBy === 'rep' ? rep : row.month);
  const response: SalesFact = {
    kind: 'response',
    key: keyOf(row.toRep),
    status: handoffStatus(row, now),
    responded: row.response !== null,
    overturned: row.response === 'rejected' && row.dispute?.status === 'overturned',
  };
  if (row.response !== 'accepted') return [response];
  const followUp = toFollowUp(
    { ...row, leadId: lead.leadId, convertedAt: lead.convertedAt, lostAt: lead.lostAt },
    now,
  );
  return [
    response,
    {
      kind: 'owned',
      key: keyOf(row.respondedBy ?? row.toRep),
      worked: row.activities.length > 0,
      followUp: followUp?.status ?? null,
      lead,
    },
  ];
};

const salesRow = (key: string, facts: SalesFact[]): SalesScorecardRow => {
  const responses = facts.flatMap((fact) => (fact.kind === 'response' ? [fact] : []));
  const owned = facts.flatMap((fact) => (fact.kind === 'owned' ? [fact] : []));
  const met = countOf(responses, (fact) => fact.status === 'met');
  const breached = countOf(responses, (fact) => fact.status === 'breached');
  const followUpsMet = countOf(owned, (fact) => fact.followUp === 'met');
  const followUpsBreached = countOf(owned, (fact) => fact.followUp === 'breached');
  const won = owned.filter(({ lead }) => isConverted(lead));
  const lost = countOf(owned, ({ lead }) => lead.lostAt !== null);
  return {
    key,
    handoffs: responses.length,
    respondedOnTime: countOf(responses, (fact) => fact.responded && fact.status === 'met'),
    respondedLate: countOf(responses, (fact) => fact.responded && fact.status === 'breached'),
    unanswered: countOf(responses, (fact) => !fact.responded),
    responseCompliance: rounded(compliance(met, breached)),
    worked: countOf(owned, (fact) => fact.worked),
    followUpsMet,
    followUpsBreached,
    followUpCompliance: rounded(compliance(followUpsMet, followUpsBreached)),
    // a won deal was an opportunity even when converted straight from accepted (as the funnel counts)
    sql: countOf(owned, ({ lead }) => lead.sqlAt !== null || isConverted(lead)),
    converted: won.length,
    lost,
    closeRate: ratio(won.length, won.length + lost),
    revenue: revenueOf(won.map(({ lead }) => lead)),
    rejectionsOverturned: countOf(responses, (fact) => fact.overturned),
  };
};

/**
 * Sales per rep or per handoff month: every handoff row (a reassignment is the new rep's own row)
 * judged at `now` by the SLA rules; responseCompliance = met / (met + breached) as in
 * /sla/summary, where an unanswered handoff past due is breached; closeRate = converted /
 * (converted + lost) of the accepted handoffs.
 */
export const salesScorecard = async (
  store: ReadStore,
  query: BusinessTimeRange & { groupBy: SalesScorecardGrouping; now: string },
): Promise<{ groupBy: SalesScorecardGrouping; rows: SalesScorecardRow[] }> => {
  const leads = await leadsWithHandoffs(store);
  const facts = leads.flatMap((lead) =>
    lead.handoffs
      .filter((row) => within(row.handedOffAt, query))
      .flatMap((row) => salesFacts(lead, row, query.groupBy, query.now)),
  );
  return {
    groupBy: query.groupBy,
    rows: groupBy(facts, (fact) => fact.key).map(([key, group]) => salesRow(key, group)),
  };
};
