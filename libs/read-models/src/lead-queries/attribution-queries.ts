import { type AttributionModel, type Credit, modelId } from '@lead/domain';
import type { LeadAttributionDoc } from '../lead-projections/lead-attribution.projection';
import type { ReadStore } from '../read-store.port';
import { type BusinessTimeRange, inRange } from './business-time';

export const attributionGroupings = ['campaign', 'channel', 'sourcedBy'] as const;
export type AttributionGrouping = (typeof attributionGroupings)[number];

export type AttributionRow = { key: string; currency: string; amount: number; conversions: number };
export type AttributionTotal = { currency: string; amount: number; conversions: number };

type Grouped = {
  _id: { key: string; currency: string };
  amount: number;
  leads?: string[];
  conversions?: number;
};

// Code-unit order, not localeCompare: the collation of the process locale must not change the
// order of a report that has to be byte-identical on every replay.
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const byCurrencyThenAmount = <R extends { currency: string; amount: number; key?: string }>(
  a: R,
  b: R,
): number =>
  compareText(a.currency, b.currency) ||
  b.amount - a.amount ||
  compareText(a.key ?? '', b.key ?? '');

// Never adds different currencies: every row and total is per currency.
export const attributionReport = async (
  store: ReadStore,
  query: { model: AttributionModel; groupBy: AttributionGrouping } & BusinessTimeRange,
): Promise<{
  model: string;
  groupBy: AttributionGrouping;
  rows: AttributionRow[];
  totals: AttributionTotal[];
}> => {
  const collection = store.collection<LeadAttributionDoc>('attribution');
  const match = { $match: { converted: true, ...inRange('convertedAt', query) } };
  const credits = `$credits.${query.model}`;
  const pipeline =
    query.groupBy === 'sourcedBy'
      ? // team credit: the sourcing team receives the lead's full amount
        [
          match,
          {
            $group: {
              _id: { key: '$sourcedBy', currency: '$currency' },
              amount: { $sum: '$amount' },
              conversions: { $sum: 1 },
            },
          },
        ]
      : [
          match,
          { $unwind: credits },
          {
            $group: {
              _id: {
                key: `${credits}.${query.groupBy === 'campaign' ? 'campaignId' : 'channel'}`,
                currency: '$currency',
              },
              amount: { $sum: `${credits}.amount` },
              leads: { $addToSet: '$leadId' },
            },
          },
        ];
  const grouped = await collection.aggregate<Grouped>(pipeline);
  const totals = await collection.aggregate<{ _id: string; amount: number; conversions: number }>([
    match,
    { $group: { _id: '$currency', amount: { $sum: '$amount' }, conversions: { $sum: 1 } } },
  ]);
  return {
    model: modelId(query.model),
    groupBy: query.groupBy,
    rows: grouped
      .map((row) => ({
        key: row._id.key,
        currency: row._id.currency,
        amount: row.amount,
        conversions: row.conversions ?? row.leads?.length ?? 0,
      }))
      .sort(byCurrencyThenAmount),
    totals: totals
      .map((total) => ({
        currency: total._id,
        amount: total.amount,
        conversions: total.conversions,
      }))
      .sort(byCurrencyThenAmount),
  };
};

export type LeadAttributionView = {
  leadId: string;
  model: string;
  converted: boolean;
  amount: number | null;
  currency: string | null;
  credits: Credit[];
};

export const leadAttribution = async (
  store: ReadStore,
  leadId: string,
  model: AttributionModel,
): Promise<LeadAttributionView | null> => {
  const doc = await store.collection<LeadAttributionDoc>('attribution').findOne({ _id: leadId });
  if (!doc) return null;
  return {
    leadId,
    model: modelId(model),
    converted: doc.converted,
    amount: doc.amount,
    currency: doc.currency,
    credits: doc.credits?.[model] ?? [],
  };
};
