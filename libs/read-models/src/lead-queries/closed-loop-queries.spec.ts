import type { LeadFact, MarketingTarget, SlaPolicy } from '@lead/domain';
import {
  at,
  leadAccepted,
  leadCaptured,
  leadConverted,
  leadHandedOff,
  leadHandoffSlaBreached,
  leadLost,
  leadQualifiedBySales,
  leadReassigned,
  leadRejected,
  leadRejectionDisputeResolved,
  leadRejectionDisputed,
  leadScored,
  recordedLog,
  salesActivityLogged,
} from '@lead/testing';
import { EmbeddedReadStore } from '../embedded-read-store';
import { leadProjections } from '../lead-projections/lead-projections';
import { replayInto } from '../projection-runner';
import {
  marketingScorecard,
  qualityReport,
  salesScorecard,
  scoreBandReport,
} from './closed-loop-queries';

// Respond within an hour; then two attempts within 48 hours of the acceptance.
const slaPolicy: SlaPolicy = {
  id: 'agreement@1',
  agreementVersion: 1,
  acceptWithinMinutes: 60,
  followUp: { attempts: 2, withinHours: 48 },
};
const lead = (n: number): string =>
  `01943a4e-3c00-7000-8000-0000000002${n.toString().padStart(2, '0')}`;
const spring = { campaignId: 'cmp-spring', channel: 'paid_search' };
const february = '2026-02-02T09:00:00.000Z';
const now = '2026-03-01T00:00:00.000Z';

const captured = (n: number, source = spring, sourcedBy: 'marketing' | 'sales' = 'marketing') =>
  leadCaptured({ leadId: lead(n), source, sourcedBy });
const scored = (n: number, score: number) =>
  leadScored({ leadId: lead(n), score, occurredAt: at(10) });
const handedOff = (n: number, toRep: string, minute: number | string) =>
  leadHandedOff({
    leadId: lead(n),
    toRep,
    slaPolicy,
    occurredAt: typeof minute === 'string' ? minute : at(minute),
  });

// A: scored 85, accepted on time by rep-1, worked twice, SQL, won 1,000.00 USD.
const handoffA = handedOff(1, 'rep-1', 20);
const leadA: LeadFact[] = [
  captured(1),
  scored(1, 85),
  handoffA,
  leadAccepted({
    leadId: lead(1),
    handoffEventId: handoffA.metadata.eventId,
    acceptedBy: 'rep-1',
    occurredAt: at(30),
  }),
  salesActivityLogged({
    leadId: lead(1),
    handoffEventId: handoffA.metadata.eventId,
    occurredAt: at(40),
  }),
  salesActivityLogged({
    leadId: lead(1),
    handoffEventId: handoffA.metadata.eventId,
    occurredAt: at(50),
  }),
  leadQualifiedBySales({ leadId: lead(1), occurredAt: at(60) }),
  leadConverted({ leadId: lead(1), amount: 100_000, currency: 'USD', occurredAt: at(100) }),
];

// B: scored 65, rejected not_icp on time by rep-2; marketing disputed and the rejection was overturned.
const handoffB = handedOff(2, 'rep-2', 20);
const leadB: LeadFact[] = [
  captured(2),
  scored(2, 65),
  handoffB,
  leadRejected({
    leadId: lead(2),
    handoffEventId: handoffB.metadata.eventId,
    reason: 'not_icp',
    occurredAt: at(40),
  }),
  leadRejectionDisputed({
    leadId: lead(2),
    handoffEventId: handoffB.metadata.eventId,
    occurredAt: at(50),
  }),
  leadRejectionDisputeResolved({
    leadId: lead(2),
    handoffEventId: handoffB.metadata.eventId,
    outcome: 'overturned',
    occurredAt: at(60),
  }),
];

// C (email): scored 70, rejected late by rep-1 (bad_contact), handed off again to rep-2, who
// accepts, tries once, qualifies it and loses it before the follow-up deadline.
const handoffC1 = handedOff(3, 'rep-1', 20);
const handoffC2 = handedOff(3, 'rep-2', 300);
const leadC: LeadFact[] = [
  captured(3, { campaignId: 'cmp-spring', channel: 'email' }),
  scored(3, 70),
  handoffC1,
  leadRejected({
    leadId: lead(3),
    handoffEventId: handoffC1.metadata.eventId,
    reason: 'bad_contact',
    occurredAt: at(200),
  }),
  handoffC2,
  leadAccepted({
    leadId: lead(3),
    handoffEventId: handoffC2.metadata.eventId,
    acceptedBy: 'rep-2',
    occurredAt: at(310),
  }),
  salesActivityLogged({
    leadId: lead(3),
    handoffEventId: handoffC2.metadata.eventId,
    occurredAt: at(320),
  }),
  leadQualifiedBySales({ leadId: lead(3), occurredAt: at(330) }),
  leadLost({ leadId: lead(3), occurredAt: at(400) }),
];

// D (sourced by sales, webinar): never scored, handed off to rep-1 with an override, breached,
// reassigned to rep-2, who accepts, works it twice and wins 500.00 EUR.
const autumn = { campaignId: 'cmp-autumn', channel: 'webinar' };
const handoffD = leadHandedOff({
  leadId: lead(4),
  toRep: 'rep-1',
  slaPolicy,
  override: { reason: 'CEO referral' },
  occurredAt: at(20),
});
const breachD = leadHandoffSlaBreached({
  leadId: lead(4),
  handoffEventId: handoffD.metadata.eventId,
  dueAt: at(80),
  occurredAt: at(81),
});
const reassignedD = leadReassigned({
  leadId: lead(4),
  previousHandoffEventId: handoffD.metadata.eventId,
  breachEventId: breachD.metadata.eventId,
  fromRep: 'rep-1',
  toRep: 'rep-2',
  slaPolicy,
  occurredAt: at(85),
});
const leadD: LeadFact[] = [
  captured(4, autumn, 'sales'),
  handoffD,
  breachD,
  reassignedD,
  leadAccepted({
    leadId: lead(4),
    handoffEventId: reassignedD.metadata.eventId,
    acceptedBy: 'rep-2',
    occurredAt: at(90),
  }),
  salesActivityLogged({
    leadId: lead(4),
    handoffEventId: reassignedD.metadata.eventId,
    occurredAt: at(100),
  }),
  salesActivityLogged({
    leadId: lead(4),
    handoffEventId: reassignedD.metadata.eventId,
    occurredAt: at(110),
  }),
  leadConverted({ leadId: lead(4), amount: 50_000, currency: 'EUR', occurredAt: at(500) }),
];

// E (webinar): scored 30, handed off in February with an override; never answered.
const leadE: LeadFact[] = [
  captured(5, autumn),
  scored(5, 30),
  leadHandedOff({
    leadId: lead(5),
    toRep: 'rep-1',
    slaPolicy,
    override: { reason: 'trade show' },
    occurredAt: february,
  }),
];

// F: an MQL never handed off.
const leadF: LeadFact[] = [captured(6), scored(6, 75)];

// Version 1 in force in January (3 leads a month, 70 % accepted), version 2 from February.
const targetAt = (time: string): MarketingTarget =>
  time < '2026-02-01'
    ? { agreementVersion: 1, mqlsPerMonth: 3, minAcceptanceRate: 0.7 }
    : { agreementVersion: 2, mqlsPerMonth: 1, minAcceptanceRate: null };

describe('closed-loop reports', () => {
  let store: EmbeddedReadStore;
  beforeAll(async () => {
    store = new EmbeddedReadStore({ path: ':memory:' });
    const log = recordedLog(...leadA, ...leadB, ...leadC, ...leadD, ...leadE, ...leadF);
    await replayInto(store, log, leadProjections);
  });
  afterAll(() => store.close());

  describe('quality', () => {
    it('by campaign: a reassigned handoff is judged by its reassignment, an overturned rejection leaves the denominator', async () => {
      expect(await qualityReport(store, { groupBy: 'campaign' })).toEqual({
        groupBy: 'campaign',
        rows: [
          {
            key: 'cmp-autumn',
            handoffs: 2,
            accepted: 1,
            rejected: 0,
            rejectedBy: {},
            overturned: 0,
            acceptanceRate: 1,
            converted: 1,
            conversionRate: 1,
            revenue: [{ currency: 'EUR', amount: 50_000 }],
            avgScoreAtHandoff: 30,
          },
          {
            key: 'cmp-spring',
            handoffs: 4,
            accepted: 2,
            rejected: 2,
            rejectedBy: { bad_contact: 1, not_icp: 1 },
            overturned: 1,
            // 2 / (2 + 2 - 1)
            acceptanceRate: 0.6667,
            converted: 1,
            conversionRate: 0.5,
            revenue: [{ currency: 'USD', amount: 100_000 }],
            // (85 + 65 + 70 + 70) / 4
            avgScoreAtHandoff: 72.5,
          },
        ],
      });
    });

    it('by channel and by sourcing team', async () => {
      const byChannel = await qualityReport(store, { groupBy: 'channel' });
      expect(
        byChannel.rows.map(({ key, handoffs, acceptanceRate, conversionRate }) => ({
          key,
          handoffs,
          acceptanceRate,
          conversionRate,
        })),
      ).toEqual([
        { key: 'email', handoffs: 2, acceptanceRate: 0.5, conversionRate: 0 },
        { key: 'paid_search', handoffs: 2, acceptanceRate: 1, conversionRate: 1 },
        { key: 'webinar', handoffs: 2, acceptanceRate: 1, conversionRate: 1 },
      ]);
      const bySource = await qualityReport(store, { groupBy: 'sourcedBy' });
      expect(
        bySource.rows.map(({ key, handoffs, avgScoreAtHandoff }) => [
          key,
          handoffs,
          avgScoreAtHandoff,
        ]),
      ).toEqual([
        ['marketing', 5, 64],
        ['sales', 1, null],
      ]);
    });

    it('by month: two currencies side by side, and an empty denominator is null', async () => {
      const { rows } = await qualityReport(store, { groupBy: 'month' });
      expect(rows).toEqual([
        expect.objectContaining({
          key: '2026-01',
          handoffs: 5,
          accepted: 3,
          rejected: 2,
          overturned: 1,
          acceptanceRate: 0.75,
          converted: 2,
          conversionRate: 0.6667,
          revenue: [
            { currency: 'EUR', amount: 50_000 },
            { currency: 'USD', amount: 100_000 },
          ],
        }),
        {
          key: '2026-02',
          handoffs: 1,
          accepted: 0,
          rejected: 0,
          rejectedBy: {},
          overturned: 0,
          acceptanceRate: null,
          converted: 0,
          conversionRate: null,
          revenue: [],
          avgScoreAtHandoff: 30,
        },
      ]);
    });

    it('selects handoffs by their handoff time', async () => {
      const { rows } = await qualityReport(store, {
        groupBy: 'month',
        from: '2026-02-01T00:00:00.000Z',
      });
      expect(rows.map((row) => row.key)).toEqual(['2026-02']);
    });
  });

  it('score bands: every band listed, and a none band for the unscored handoff', async () => {
    expect(await scoreBandReport(store, {})).toEqual({
      bands: [
        {
          band: '0-19',
          handoffs: 0,
          accepted: 0,
          converted: 0,
          acceptanceRate: null,
          conversionRate: null,
        },
        {
          band: '20-39',
          handoffs: 1,
          accepted: 0,
          converted: 0,
          acceptanceRate: null,
          conversionRate: null,
        },
        {
          band: '40-59',
          handoffs: 0,
          accepted: 0,
          converted: 0,
          acceptanceRate: null,
          conversionRate: null,
        },
        // B (overturned), C's rejection and C's acceptance: 1 / (1 + 2 - 1)
        {
          band: '60-79',
          handoffs: 3,
          accepted: 1,
          converted: 0,
          acceptanceRate: 0.5,
          conversionRate: 0,
        },
        {
          band: '80-100',
          handoffs: 1,
          accepted: 1,
          converted: 1,
          acceptanceRate: 1,
          conversionRate: 1,
        },
        {
          band: 'none',
          handoffs: 1,
          accepted: 1,
          converted: 1,
          acceptanceRate: 1,
          conversionRate: 1,
        },
      ],
    });
  });

  it('marketing scorecard: volume and quality against the targets in force at each month start', async () => {
    expect(await marketingScorecard(store, { targetAt })).toEqual({
      months: [
        {
          month: '2026-01',
          // A, B, C and F qualified; D was never scored, E below the threshold
          mqls: 4,
          // first handoffs of A, B, C and D; C's second handoff is not a new lead
          handoffs: 4,
          volumeTarget: 3,
          volumeMet: true,
          accepted: 3,
          rejected: 2,
          overturned: 1,
          acceptanceRate: 0.75,
          qualityTarget: 0.7,
          qualityMet: true,
          // D was sourced by sales
          sourcedRevenue: [{ currency: 'USD', amount: 100_000 }],
          agreementVersion: 1,
        },
        {
          month: '2026-02',
          mqls: 0,
          handoffs: 1,
          volumeTarget: 1,
          volumeMet: true,
          accepted: 0,
          rejected: 0,
          overturned: 0,
          acceptanceRate: null,
          qualityTarget: null,
          qualityMet: null,
          sourcedRevenue: [],
          agreementVersion: 2,
        },
      ],
    });
  });

  it('marketing scorecard: a quality target missed', async () => {
    const strict = (): MarketingTarget => ({
      agreementVersion: 3,
      mqlsPerMonth: 5,
      minAcceptanceRate: 0.8,
    });
    const { months } = await marketingScorecard(store, { targetAt: strict });
    expect(months[0]).toMatchObject({ volumeMet: false, acceptanceRate: 0.75, qualityMet: false });
  });

  describe('sales scorecard', () => {
    it('by rep: responses for the rep handed to, follow-up and outcome for the rep who accepted', async () => {
      expect(await salesScorecard(store, { groupBy: 'rep', now })).toEqual({
        groupBy: 'rep',
        rows: [
          {
            key: 'rep-1',
            // A on time, C late, D breached and reassigned, E never answered
            handoffs: 4,
            respondedOnTime: 1,
            respondedLate: 1,
            unanswered: 2,
            responseCompliance: 0.25,
            worked: 1,
            followUpsMet: 1,
            followUpsBreached: 0,
            followUpCompliance: 1,
            sql: 1,
            converted: 1,
            lost: 0,
            closeRate: 1,
            revenue: [{ currency: 'USD', amount: 100_000 }],
            rejectionsOverturned: 0,
          },
          {
            key: 'rep-2',
            // B, C's second handoff and D's reassignment, all answered in time
            handoffs: 3,
            respondedOnTime: 3,
            respondedLate: 0,
            unanswered: 0,
            responseCompliance: 1,
            worked: 2,
            // D worked twice; C lost after one attempt
            followUpsMet: 1,
            followUpsBreached: 1,
            followUpCompliance: 0.5,
            // C qualified, D won straight from accepted
            sql: 2,
            converted: 1,
            lost: 1,
            closeRate: 0.5,
            revenue: [{ currency: 'EUR', amount: 50_000 }],
            rejectionsOverturned: 1,
          },
        ],
      });
    });

    it('by month, with empty denominators as null', async () => {
      const { rows } = await salesScorecard(store, { groupBy: 'month', now });
      expect(rows).toEqual([
        expect.objectContaining({
          key: '2026-01',
          handoffs: 6,
          respondedOnTime: 4,
          respondedLate: 1,
          unanswered: 1,
          responseCompliance: 0.6667,
          worked: 3,
          followUpCompliance: 0.6667,
          sql: 3,
          converted: 2,
          lost: 1,
          closeRate: 0.6667,
          revenue: [
            { currency: 'EUR', amount: 50_000 },
            { currency: 'USD', amount: 100_000 },
          ],
          rejectionsOverturned: 1,
        }),
        {
          key: '2026-02',
          handoffs: 1,
          respondedOnTime: 0,
          respondedLate: 0,
          unanswered: 1,
          responseCompliance: 0,
          worked: 0,
          followUpsMet: 0,
          followUpsBreached: 0,
          followUpCompliance: null,
          sql: 0,
          converted: 0,
          lost: 0,
          closeRate: null,
          revenue: [],
          rejectionsOverturned: 0,
        },
      ]);
    });

    it('judges at now: before E is due it is open, not breached', async () => {
      const { rows } = await salesScorecard(store, {
        groupBy: 'month',
        now: february,
        from: '2026-02-01T00:00:00.000Z',
      });
      expect(rows).toEqual([
        expect.objectContaining({ key: '2026-02', unanswered: 1, responseCompliance: null }),
      ]);
    });
  });
});
