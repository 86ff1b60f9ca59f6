import { type AttributionModel, type Credit, modelId } from '@lead/domain';
import {
  type LeadAttributionDoc,
  creditsOf,
} from '../lead-projections/lead-attribution.projection';
import type { ReadStore } from '../read-store.port';
import { type BusinessTimeRange, inRange } from './business-time';

export const attributionGroupings = ['campaign', 'channel', 'sourcedBy'] as const;
export type AttributionGrouping = (typeof attributionGroupings)[number];

/**
 * A sum of integer minor units, exact: a JSON number up to Number.MAX_SAFE_INTEGER (2^53 - 1),
 * the exact decimal string above it (a double there would lose cents).
 */
export type MinorUnitSum = number | string;

export type AttributionRow = {
  key: string;
  currency: string;
  amount: MinorUnitSum;
  conversions: number;
};
export type AttributionTotal = { currency: string; amount: MinorUnitSum; conversions: number };

// Each amount is summed in two halves (amount = high * 2^26 + low): a double adds integers exactly
// while the sum stays below 2^53, and each half's sum does for any realistic number of conversions
// (amounts are at most 10^13 minor units, so high < 2^18). The halves are joined as a bigint.
const half = 2 ** 26;
const exactSum = (field: string) => ({
  high: { $sum: { $floor: { $divide: [field, half] } } },
  low: { $sum: { $mod: [field, half] } },
});
type Summed = { high: number; low: number };
const joined = ({ high, low }: Summed): bigint => BigInt(high) * BigInt(half) + BigInt(low);
/** an exact sum as served: a number while it is a safe integer, its decimal string above */
export const served = (sum: bigint): MinorUnitSum =>
  sum <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(sum) : sum.toString();

type Grouped = Summed & { _id: { key: string; currency: string }; conversions: number };
type Total = Summed & { _id: string; conversions: number };

// Code-unit order, not localeCompare: the collation of the process locale must not change the
// order of a report that has to be byte-identical on every replay.
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const byCurrencyThenAmount = <R extends { currency: string; sum: bigint; key?: string }>(
  a: R,
  b: R,
): number =>
  compareText(a.currency, b.currency) ||
  (b.sum > a.sum ? 1 : b.sum < a.sum ? -1 : 0) ||
  compareText(a.key ?? '', b.key ?? '');

const groupOf = (key: string, amount: string) => ({
  _id: { key, currency: '$currency' },
  ...exactSum(amount),
  conversions: { $sum: 1 },
});

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
  const shares = `$shares.${query.model}.${query.groupBy}`;
  // team credit: the sourcing team receives the lead's full amount; otherwise each lead's
  // shares, one per campaign or channel, so a lead counts once per key
  const rows =
    query.groupBy === 'sourcedBy'
      ? [{ $group: groupOf('$sourcedBy', '$amount') }]
      : [{ $unwind: shares }, { $group: groupOf(`${shares}.key`, `${shares}.amount`) }];
  // one scan for rows and totals: a report reads every converted lead's document once
  const [{ grouped, totals }] = await collection.aggregate<{ grouped: Grouped[]; totals: Total[] }>(
    [
      { $match: { converted: true, ...inRange('convertedAt', query) } },
      {
        $facet: {
          grouped: rows,
          totals: [
            { $group: { _id: '$currency', ...exactSum('$amount'), conversions: { $sum: 1 } } },
          ],
        },
      },
    ],
  );
  return {
    model: modelId(query.model),
    groupBy: query.groupBy,
    rows: grouped
      .map((row) => ({
        key: row._id.key,
        currency: row._id.currency,
        sum: joined(row),
        conversions: row.conversions,
      }))
      .sort(byCurrencyThenAmount)
      .map(({ key, currency, sum, conversions }) => ({
        key,
        currency,
        amount: served(sum),
        conversions,
      })),
    totals: totals
      .map((total) => ({
        currency: total._id,
        sum: joined(total),
        conversions: total.conversions,
      }))
      .sort(byCurrencyThenAmount)
      .map(({ currency, sum, conversions }) => ({ currency, amount: served(sum), conversions })),
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
    credits: creditsOf(doc, model),
  };
};
