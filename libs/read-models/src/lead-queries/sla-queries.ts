import {
  type DisputeStatus,
  type HandoffStatus,
  type MarketingTarget,
  compliance,
  followUpStatus,
  handoffStatus,
  median,
  percentile,
} from '@lead/domain';
import type { HandoffDoc, LeadSummaryDoc } from '../lead-projections/lead-summary.projection';
import type { ReadStore } from '../read-store.port';
import { type BusinessTimeRange, inRange } from './business-time';

export const handoffStatuses: HandoffStatus[] = ['met', 'breached', 'open'];
export const slaGroupings = ['rep', 'month'] as const;
export type SlaGrouping = (typeof slaGroupings)[number];

export type HandoffView = {
  handoffId: string;
  leadId: string;
  toRep: string;
  handedOffAt: string;
  dueAt: string;
  respondedAt: string | null;
  respondedRecordedAt: string | null;
  response: HandoffDoc['response'];
  status: HandoffStatus;
  responseMinutes: number | null;
  speedToLeadMinutes: number;
  override: HandoffDoc['override'];
  breachAlertedAt: string | null;
  correction: HandoffDoc['correction'];
  /** what the remedy automation did about this handoff's breach */
  remedy: HandoffDoc['remedy'];
  /** on a reassignment's row: the breached handoff it took over */
  reassignedFrom: HandoffDoc['reassignedFrom'];
  /** marketing's dispute of a rejection: none, open, or the ruling */
  dispute: DisputeStatus | 'none';
};

export type HandoffRow = HandoffDoc & {
  leadId: string;
  convertedAt: string | null;
  lostAt: string | null;
};

// One row per handoff, in handoff order. Status is judged at `now` on business times (§5),
// except that a response recorded after the breach alert cannot make it met (handoffStatus).
const handoffRows = async (
  store: ReadStore,
  range: BusinessTimeRange,
  rep?: string,
): Promise<HandoffRow[]> =>
  store.collection<LeadSummaryDoc>('leads').aggregate<HandoffRow>([
    { $match: { 'handoffs.0': { $exists: true } } },
    { $unwind: '$handoffs' },
    {
      $replaceRoot: {
        newRoot: {
          $mergeObjects: [
            '$handoffs',
            { leadId: '$leadId', convertedAt: '$convertedAt', lostAt: '$lostAt' },
          ],
        },
      },
    },
    { $match: { ...inRange('handedOffAt', range), ...(rep ? { toRep: rep } : {}) } },
    { $sort: { handedOffAt: 1, handoffId: 1 } },
  ]);

const toView = (row: HandoffRow, now: string): HandoffView => ({
  handoffId: row.handoffId,
  leadId: row.leadId,
  toRep: row.toRep,
  handedOffAt: row.handedOffAt,
  dueAt: row.dueAt,
  respondedAt: row.respondedAt,
  respondedRecordedAt: row.respondedRecordedAt,
  response: row.response,
  status: handoffStatus(row, now),
  responseMinutes: row.responseMinutes,
  speedToLeadMinutes: row.speedToLeadMinutes,
  override: row.override,
  breachAlertedAt: row.breachAlertedAt,
  correction: row.correction,
  remedy: row.remedy ?? null,
  reassignedFrom: row.reassignedFrom ?? null,
  dispute: row.dispute?.status ?? 'none',
});

export const disputeStatuses: HandoffView['dispute'][] = ['none', 'open', 'upheld', 'overturned'];

export const slaHandoffs = async (
  store: ReadStore,
  query: BusinessTimeRange & {
    now: string;
    status?: HandoffStatus;
    rep?: string;
    dispute?: HandoffView['dispute'];
  },
): Promise<HandoffView[]> =>
  (await handoffRows(store, query, query.rep))
    .map((row) => toView(row, query.now))
    .filter(
      (view) =>
        (!query.status || view.status === query.status) &&
        (!query.dispute || view.dispute === query.dispute),
    );

export type FollowUpView = {
  handoffId: string;
  leadId: string;
  /** the rep who accepted the handoff and owns the follow-up */
  rep: string;
  acceptedAt: string;
  deadline: string;
  /** attempts required by the terms stamped at the handoff */
  required: number;
  /** every attempt logged since the acceptance */
  attempts: number;
  /** the attempts dated at or before the deadline: the ones that count */
  attemptsByDeadline: number;
  status: HandoffStatus;
};

// One follow-up per accepted handoff whose terms carry salesFollowUp; judged at `now` on
// business times (followUpStatus).
export const toFollowUp = (row: HandoffRow, now: string): FollowUpView | null => {
  const terms = row.slaPolicy.followUp;
  if (row.response !== 'accepted' || !terms || row.respondedAt === null) return null;
  const verdict = followUpStatus(
    {
      acceptedAt: row.respondedAt,
      terms,
      activityTimes: row.activities.map((activity) => activity.at),
      convertedAt: row.convertedAt,
      lostAt: row.lostAt,
    },
    now,
  );
  return {
    handoffId: row.handoffId,
    leadId: row.leadId,
    rep: row.respondedBy ?? row.toRep,
    acceptedAt: row.respondedAt,
    deadline: verdict.deadline,
    required: terms.attempts,
    attempts: row.activities.length,
    attemptsByDeadline: verdict.attemptsByDeadline,
    status: verdict.status,
  };
};

const followUpsOf = (rows: HandoffRow[], now: string): FollowUpView[] =>
  rows.flatMap((row) => toFollowUp(row, now) ?? []);

// from/to select handoffs by their handoff time, as /sla/handoffs does, so a follow-up row
// and its handoff row fall in the same window.
export const slaFollowUps = async (
  store: ReadStore,
  query: BusinessTimeRange & { now: string; status?: HandoffStatus; rep?: string },
): Promise<FollowUpView[]> =>
  followUpsOf(await handoffRows(store, query), query.now).filter(
    (view) =>
      (!query.status || view.status === query.status) && (!query.rep || view.rep === query.rep),
  );

export type SlaSummaryRow = {
  key: string;
  handoffs: number;
  met: number;
  breached: number;
  open: number;
  compliance: number | null;
  responseMinutes: { median: number | null; p90: number | null };
  speedToLeadMinutes: { median: number | null; p90: number | null };
  followUps: number;
  followUpsMet: number;
  followUpsBreached: number;
  followUpsOpen: number;
  followUpCompliance: number | null;
};

export type MarketingVolumeRow = {
  month: string;
  handoffs: number;
  target: number;
  met: boolean;
  /** the agreement version in force at the month's start, which set both targets */
  agreementVersion: number | null;
  /** accepted ÷ (accepted + rejected) of the month's handoffs; null before any response */
  acceptanceRate: number | null;
  minAcceptanceRate: number | null;
};

// Code-unit order, not localeCompare: the process locale must not reorder a replayed report.
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const round2 = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 100) / 100;

const summarise = (key: string, views: HandoffView[], followUps: FollowUpView[]): SlaSummaryRow => {
  const count = (status: HandoffStatus) => views.filter((view) => view.status === status).length;
  const countFollowUps = (status: HandoffStatus) =>
    followUps.filter((view) => view.status === status).length;
  const responses = views.flatMap((view) =>
    view.responseMinutes === null ? [] : [view.responseMinutes],
  );
  // a reassignment repeats its breached handoff's speed to lead: count marketing's clock once
  const speeds = views.flatMap((view) => (view.reassignedFrom ? [] : [view.speedToLeadMinutes]));
  const [met, breached] = [count('met'), count('breached')];
  return {
    key,
    handoffs: views.length,
    met,
    breached,
    open: count('open'),
    compliance: round2(compliance(met, breached)),
    responseMinutes: { median: round2(median(responses)), p90: round2(percentile(responses, 90)) },
    speedToLeadMinutes: { median: round2(median(speeds)), p90: round2(percentile(speeds, 90)) },
    followUps: followUps.length,
    followUpsMet: countFollowUps('met'),
    followUpsBreached: countFollowUps('breached'),
    followUpsOpen: countFollowUps('open'),
    followUpCompliance: round2(compliance(countFollowUps('met'), countFollowUps('breached'))),
  };
};

export const slaSummary = async (
  store: ReadStore,
  query: BusinessTimeRange & {
    now: string;
    groupBy: SlaGrouping;
    /** marketing's targets in force at an instant (each month's start) */
    targetAt: (at: string) => MarketingTarget | null;
  },
): Promise<{
  groupBy: SlaGrouping;
  rows: SlaSummaryRow[];
  marketingVolume: MarketingVolumeRow[];
}> => {
  const rows = await handoffRows(store, query);
  const groups = new Map<string, { views: HandoffView[]; followUps: FollowUpView[] }>();
  const groupOf = (key: string) => {
    const group = groups.get(key) ?? { views: [], followUps: [] };
    groups.set(key, group);
    return group;
  };
  for (const row of rows) {
    groupOf(query.groupBy === 'rep' ? row.toRep : row.month).views.push(toView(row, query.now));
    // a follow-up belongs to the rep who accepted the handoff (usually the one it went to)
    const followUp = toFollowUp(row, query.now);
    if (followUp)
      groupOf(query.groupBy === 'rep' ? followUp.rep : row.month).followUps.push(followUp);
  }
  // Marketing's volume SLA counts leads delivered: a lead's first handoff, not re-handoffs. A
  // month with only re-handoffs still shows, as 0 delivered against the target.
  const volume = new Map<string, { delivered: number; accepted: number; rejected: number }>();
  for (const row of rows) {
    const month = volume.get(row.month) ?? { delivered: 0, accepted: 0, rejected: 0 };
    volume.set(row.month, {
      delivered: month.delivered + (row.first ? 1 : 0),
      accepted: month.accepted + (row.response === 'accepted' ? 1 : 0),
      rejected: month.rejected + (row.response === 'rejected' ? 1 : 0),
    });
  }
  return {
    groupBy: query.groupBy,
    rows: [...groups.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([key, { views, followUps }]) => summarise(key, views, followUps)),
    marketingVolume: [...volume.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([month, { delivered, accepted, rejected }]) => {
        const terms = query.targetAt(`${month}-01T00:00:00.000Z`);
        const target = terms?.mqlsPerMonth ?? 0;
        const responded = accepted + rejected;
        return {
          month,
          handoffs: delivered,
          target,
          met: delivered >= target,
          agreementVersion: terms?.agreementVersion ?? null,
          acceptanceRate: responded === 0 ? null : round2(accepted / responded),
          minAcceptanceRate: terms?.minAcceptanceRate ?? null,
        };
      }),
  };
};
