import type { LeadSummaryDoc } from '../lead-projections/lead-summary.projection';
import type { ReadStore } from '../read-store.port';
import { type BusinessTimeRange, inRange } from './business-time';

// MQL → SAL (accepted) → SQL → won; sql was added by issue 14, so older leads skip it.
export const funnelSteps = [
  'captured',
  'mql',
  'handed_off',
  'accepted',
  'sql',
  'converted',
] as const;
type FunnelStep = (typeof funnelSteps)[number];

const reached = (field: keyof LeadSummaryDoc) => ({
  $sum: { $cond: [{ $ne: [`$${field}`, null] }, 1, 0] },
});

// A cohort funnel: the leads captured in the range, how many ever reached each step, and the
// step-to-step conversion rates; plus where the cohort stands now.
export const funnel = async (store: ReadStore, range: BusinessTimeRange) => {
  const leads = store.collection<LeadSummaryDoc>('leads');
  const match = { $match: inRange('capturedAt', range) };
  const [counts] = await leads.aggregate<Record<FunnelStep | 'lost', number>>([
    match,
    {
      $group: {
        _id: null,
        captured: { $sum: 1 },
        mql: reached('qualifiedAt'),
        handed_off: reached('handedOffAt'),
        accepted: reached('acceptedAt'),
        // a won deal was an opportunity, even when sales converted it without qualifying it
        // first (allowed, and all there was before issue 14): the funnel stays monotone
        sql: {
          $sum: {
            $cond: [{ $or: [{ $ne: ['$sqlAt', null] }, { $ne: ['$convertedAt', null] }] }, 1, 0],
          },
        },
        converted: reached('convertedAt'),
        lost: reached('lostAt'),
      },
    },
  ]);
  const lostFrom = await leads.aggregate<{ _id: string; count: number }>([
    match,
    { $match: { lostAt: { $ne: null } } },
    // leads lost before issue 14 recorded no stage: reported as unknown
    { $group: { _id: { $ifNull: ['$lostFrom', 'unknown'] }, count: { $sum: 1 } } },
    { $sort: { _id: 1 } },
  ]);
  const current = await leads.aggregate<{ _id: string; count: number }>([
    match,
    { $group: { _id: '$stage', count: { $sum: 1 } } },
    { $sort: { _id: 1 } },
  ]);
  const count = (step: FunnelStep | 'lost') => counts?.[step] ?? 0;
  return {
    steps: funnelSteps.map((step) => ({ stage: step, count: count(step) })),
    conversionRates: funnelSteps.slice(1).map((step, index) => {
      const from = funnelSteps[index];
      return {
        from,
        to: step,
        rate: count(from) === 0 ? null : Math.round((count(step) / count(from)) * 10_000) / 10_000,
      };
    }),
    lost: count('lost'),
    lostFrom: Object.fromEntries(lostFrom.map((row) => [row._id, row.count])),
    currentStages: Object.fromEntries(current.map((row) => [row._id, row.count])),
  };
};
