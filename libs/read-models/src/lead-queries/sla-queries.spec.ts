import type { LeadFact } from '@lead/domain';
import {
  addMinutes,
  at,
  leadAccepted,
  leadCaptured,
  leadHandedOff,
  leadHandoffSlaBreached,
  leadHandoffSlaCorrected,
  leadRejected,
  leadScored,
  recorded,
  recordedLog,
  t0,
} from '@lead/testing';
import { EmbeddedReadStore } from '../embedded-read-store';
import { leadProjections } from '../lead-projections/lead-projections';
import { replayInto } from '../projection-runner';
import { type HandoffView, slaHandoffs, slaSummary } from './sla-queries';

// None of these handoffs carries follow-up terms (see sla-follow-ups.spec.ts).
const noFollowUps = {
  followUps: 0,
  followUpsMet: 0,
  followUpsBreached: 0,
  followUpsOpen: 0,
  followUpCompliance: null,
};

// Every handoff here must be answered within two hours.
const sla = { id: 'fast', acceptWithinMinutes: 120 };
const feb2 = '2026-02-02T10:00:00.000Z';
const inFeb = (minutes: number): string => addMinutes(feb2, minutes);
// Queries judge open handoffs at this instant: after every January deadline, before H4's.
const now = inFeb(120);
const targets = (mqlsPerMonth: number) => () => ({
  agreementVersion: 1,
  mqlsPerMonth,
  minAcceptanceRate: null,
});
const fourAMonth = targets(4);

const lead = (n: number): string =>
  `01943a4e-3c00-7000-8000-0000000000${n.toString().padStart(2, '0')}`;
const [s1, s2, s3, s4, s5, s6] = [1, 2, 3, 4, 5, 6].map(lead) as [
  string,
  string,
  string,
  string,
  string,
  string,
];

const qualified = (leadId: string, capturedAt: string): LeadFact[] => [
  leadCaptured({ leadId, occurredAt: capturedAt }),
  leadScored({ leadId, occurredAt: addMinutes(capturedAt, 5) }),
];

// H1 rep-1, met: handed off at(10), due at(130), accepted at(40) (30 min).
const h1 = leadHandedOff({ leadId: s1, toRep: 'rep-1', slaPolicy: sla, occurredAt: at(10) });
// H2 rep-1, breached late: handed off at(30), due at(150), accepted at(200) (170 min).
const h2 = leadHandedOff({ leadId: s2, toRep: 'rep-1', slaPolicy: sla, occurredAt: at(30) });
// H3 rep-2, breached unanswered: handed off at(60), due at(180), alerted at(181).
const h3 = leadHandedOff({ leadId: s3, toRep: 'rep-2', slaPolicy: sla, occurredAt: at(60) });
// H5a rep-1, met by a rejection at(50) (30 min); H5b rep-2, the re-handoff, met at(100) (30 min).
const h5a = leadHandedOff({ leadId: s5, toRep: 'rep-1', slaPolicy: sla, occurredAt: at(20) });
const h5b = leadHandedOff({ leadId: s5, toRep: 'rep-2', slaPolicy: sla, occurredAt: at(70) });
// H6 rep-1 in February, met: handed off inFeb(30), accepted 60 min 20 s later.
const h6 = leadHandedOff({ leadId: s6, toRep: 'rep-1', slaPolicy: sla, occurredAt: inFeb(30) });
// H4 rep-2 in February, open: handed off inFeb(60), due inFeb(180), no answer by now.
const h4 = leadHandedOff({ leadId: s4, toRep: 'rep-2', slaPolicy: sla, occurredAt: inFeb(60) });

const history: LeadFact[] = [
  ...qualified(s1, t0),
  h1,
  leadAccepted({
    leadId: s1,
    handoffEventId: h1.metadata.eventId,
    acceptedBy: 'rep-1',
    occurredAt: at(40),
  }),
  ...qualified(s2, t0),
  h2,
  leadAccepted({
    leadId: s2,
    handoffEventId: h2.metadata.eventId,
    acceptedBy: 'rep-1',
    occurredAt: at(200),
  }),
  ...qualified(s3, t0),
  h3,
  leadHandoffSlaBreached({
    leadId: s3,
    handoffEventId: h3.metadata.eventId,
    dueAt: at(180),
    occurredAt: at(181),
  }),
  ...qualified(s5, t0),
  h5a,
  leadRejected({ leadId: s5, handoffEventId: h5a.metadata.eventId, occurredAt: at(50) }),
  h5b,
  leadAccepted({
    leadId: s5,
    handoffEventId: h5b.metadata.eventId,
    acceptedBy: 'rep-2',
    occurredAt: at(100),
  }),
  ...qualified(s6, feb2),
  h6,
  leadAccepted({
    leadId: s6,
    handoffEventId: h6.metadata.eventId,
    acceptedBy: 'rep-1',
    occurredAt: inFeb(90 + 1 / 3),
  }),
  ...qualified(s4, feb2),
  h4,
];

const brief = ({ handoffId, toRep, status }: HandoffView) => ({ handoffId, toRep, status });
const idOf = (handoff: LeadFact) => handoff.metadata.eventId;

describe('SLA queries', () => {
  let store: EmbeddedReadStore;
  beforeAll(async () => {
    store = new EmbeddedReadStore({ path: ':memory:' });
    await replayInto(store, recordedLog(...history), leadProjections);
  });
  afterAll(() => store.close());

  describe('slaHandoffs', () => {
    it('lists every handoff in handoff order with its status at now', async () => {
      expect((await slaHandoffs(store, { now })).map(brief)).toEqual([
        { handoffId: idOf(h1), toRep: 'rep-1', status: 'met' },
        { handoffId: idOf(h5a), toRep: 'rep-1', status: 'met' },
        { handoffId: idOf(h2), toRep: 'rep-1', status: 'breached' },
        { handoffId: idOf(h3), toRep: 'rep-2', status: 'breached' },
        { handoffId: idOf(h5b), toRep: 'rep-2', status: 'met' },
        { handoffId: idOf(h6), toRep: 'rep-1', status: 'met' },
        { handoffId: idOf(h4), toRep: 'rep-2', status: 'open' },
      ]);
    });

    it('breached: answered after dueAt, or unanswered with now past dueAt', async () => {
      expect(await slaHandoffs(store, { now, status: 'breached' })).toStrictEqual<HandoffView[]>([
        {
          handoffId: idOf(h2),
          leadId: s2,
          toRep: 'rep-1',
          handedOffAt: at(30),
          dueAt: at(150),
          respondedAt: at(200),
          respondedRecordedAt: at(200),
          response: 'accepted',
          status: 'breached',
          responseMinutes: 170,
          speedToLeadMinutes: 30,
          override: null,
          breachAlertedAt: null,
          correction: null,
          remedy: null,
          reassignedFrom: null,
          dispute: 'none',
        },
        {
          handoffId: idOf(h3),
          leadId: s3,
          toRep: 'rep-2',
          handedOffAt: at(60),
          dueAt: at(180),
          respondedAt: null,
          respondedRecordedAt: null,
          response: null,
          status: 'breached',
          responseMinutes: null,
          speedToLeadMinutes: 60,
          override: null,
          breachAlertedAt: at(181),
          correction: null,
          remedy: null,
          reassignedFrom: null,
          dispute: 'none',
        },
      ]);
    });

    it('met: answered at or before dueAt, by acceptance or rejection', async () => {
      const met = await slaHandoffs(store, { now, status: 'met' });
      expect(
        met.map(({ handoffId, response, responseMinutes }) => ({
          handoffId,
          response,
          responseMinutes,
        })),
      ).toEqual([
        { handoffId: idOf(h1), response: 'accepted', responseMinutes: 30 },
        { handoffId: idOf(h5a), response: 'rejected', responseMinutes: 30 },
        { handoffId: idOf(h5b), response: 'accepted', responseMinutes: 30 },
        { handoffId: idOf(h6), response: 'accepted', responseMinutes: 60 + 1 / 3 },
      ]);
    });

    it('open: unanswered until now passes dueAt (at dueAt it is still open)', async () => {
      expect((await slaHandoffs(store, { now, status: 'open' })).map(brief)).toEqual([
        { handoffId: idOf(h4), toRep: 'rep-2', status: 'open' },
      ]);
      expect(
        (await slaHandoffs(store, { now: inFeb(180), status: 'open' })).map(brief),
      ).toHaveLength(1);
      expect((await slaHandoffs(store, { now: inFeb(181), status: 'open' })).map(brief)).toEqual(
        [],
      );
    });

    it('filters by rep, alone and with a status', async () => {
      expect((await slaHandoffs(store, { now, rep: 'rep-2' })).map(brief)).toEqual([
        { handoffId: idOf(h3), toRep: 'rep-2', status: 'breached' },
        { handoffId: idOf(h5b), toRep: 'rep-2', status: 'met' },
        { handoffId: idOf(h4), toRep: 'rep-2', status: 'open' },
      ]);
      expect((await slaHandoffs(store, { now, rep: 'rep-1', status: 'met' })).map(brief)).toEqual([
        { handoffId: idOf(h1), toRep: 'rep-1', status: 'met' },
        { handoffId: idOf(h5a), toRep: 'rep-1', status: 'met' },
        { handoffId: idOf(h6), toRep: 'rep-1', status: 'met' },
      ]);
      expect(await slaHandoffs(store, { now, rep: 'rep-9' })).toEqual([]);
    });

    it('filters on handoff time, from inclusive and to exclusive', async () => {
      expect((await slaHandoffs(store, { now, from: at(30), to: at(70) })).map(brief)).toEqual([
        { handoffId: idOf(h2), toRep: 'rep-1', status: 'breached' },
        { handoffId: idOf(h3), toRep: 'rep-2', status: 'breached' },
      ]);
      expect((await slaHandoffs(store, { now, from: feb2 })).map((view) => view.handoffId)).toEqual(
        [idOf(h6), idOf(h4)],
      );
    });
  });

  describe('slaSummary', () => {
    it('by rep: counts, compliance, median and p90 of response and speed-to-lead minutes', async () => {
      const summary = await slaSummary(store, { now, groupBy: 'rep', targetAt: fourAMonth });
      expect(summary.groupBy).toBe('rep');
      expect(summary.rows).toStrictEqual([
        {
          key: 'rep-1',
          handoffs: 4,
          met: 3,
          breached: 1,
          open: 0,
          compliance: 0.75,
          // sorted [30, 30, 60.33, 170]: p50 at rank 1.5 = 30 + 0.5 × 30.33; p90 at rank 2.7
          // = 60.33 + 0.7 × 109.67
          responseMinutes: { median: 45.17, p90: 137.1 },
          // sorted [10, 20, 30, 30]: rank 1.5 = 25; rank 2.7 = 30
          speedToLeadMinutes: { median: 25, p90: 30 },
          ...noFollowUps,
        },
        {
          key: 'rep-2',
          handoffs: 3,
          met: 1,
          breached: 1,
          open: 1,
          compliance: 0.5,
          responseMinutes: { median: 30, p90: 30 },
          // sorted [60, 60, 70]: rank 1 = 60; rank 1.8 = 60 + 0.8 × 10
          speedToLeadMinutes: { median: 60, p90: 68 },
          ...noFollowUps,
        },
      ]);
    });

    it('by month: counts and percentiles, with marketing volume (first handoffs) against the target', async () => {
      const summary = await slaSummary(store, { now, groupBy: 'month', targetAt: fourAMonth });
      expect(summary.rows).toStrictEqual([
        {
          key: '2026-01',
          handoffs: 5,
          met: 3,
          breached: 2,
          open: 0,
          compliance: 0.6,
          // sorted [30, 30, 30, 170]: rank 1.5 = 30; rank 2.7 = 30 + 0.7 × 140
          responseMinutes: { median: 30, p90: 128 },
          // sorted [10, 20, 30, 60, 70]: rank 2 = 30; rank 3.6 = 60 + 0.6 × 10
          speedToLeadMinutes: { median: 30, p90: 66 },
          ...noFollowUps,
        },
        {
          key: '2026-02',
          handoffs: 2,
          met: 1,
          breached: 0,
          open: 1,
          compliance: 1,
          responseMinutes: { median: 60.33, p90: 60.33 },
          // sorted [30, 60]: rank 0.5 = 45; rank 0.9 = 30 + 0.9 × 30
          speedToLeadMinutes: { median: 45, p90: 57 },
          ...noFollowUps,
        },
      ]);
      // January: H1, H5a, H2, H3 delivered; H5b is a re-handoff of the same lead
      expect(summary.marketingVolume).toStrictEqual([
        {
          month: '2026-01',
          handoffs: 4,
          target: 4,
          met: true,
          agreementVersion: 1,
          // H1, H2 and H5b accepted, H5a rejected, H3 unanswered
          acceptanceRate: 0.75,
          minAcceptanceRate: null,
        },
        {
          month: '2026-02',
          handoffs: 2,
          target: 4,
          met: false,
          agreementVersion: 1,
          acceptanceRate: 1,
          minAcceptanceRate: null,
        },
      ]);
    });

    it('judges open handoffs at now: later, the February one is breached too', async () => {
      const later = await slaSummary(store, {
        now: inFeb(181),
        groupBy: 'month',
        targetAt: fourAMonth,
      });
      expect(later.rows[1]).toMatchObject({
        key: '2026-02',
        met: 1,
        breached: 1,
        open: 0,
        compliance: 0.5,
      });
    });

    it('filters on handoff time; a month with only re-handoffs delivers 0 against the target', async () => {
      const summary = await slaSummary(store, {
        now,
        groupBy: 'rep',
        targetAt: fourAMonth,
        from: at(70),
        to: feb2,
      });
      expect(summary.rows).toStrictEqual([
        {
          key: 'rep-2',
          handoffs: 1,
          met: 1,
          breached: 0,
          open: 0,
          compliance: 1,
          responseMinutes: { median: 30, p90: 30 },
          speedToLeadMinutes: { median: 70, p90: 70 },
          ...noFollowUps,
        },
      ]);
      expect(summary.marketingVolume).toStrictEqual([
        {
          month: '2026-01',
          handoffs: 0,
          target: 4,
          met: false,
          agreementVersion: 1,
          acceptanceRate: 1,
          minAcceptanceRate: null,
        },
      ]);
    });

    it('with no handoff in range, no rows and no volume', async () => {
      expect(
        await slaSummary(store, { now, groupBy: 'month', targetAt: fourAMonth, to: t0 }),
      ).toStrictEqual({
        groupBy: 'month',
        rows: [],
        marketingVolume: [],
      });
    });

    it('with only open handoffs, compliance and response percentiles are null', async () => {
      const summary = await slaSummary(store, {
        now,
        groupBy: 'rep',
        targetAt: targets(1),
        from: inFeb(60),
      });
      expect(summary.rows).toStrictEqual([
        {
          key: 'rep-2',
          handoffs: 1,
          met: 0,
          breached: 0,
          open: 1,
          compliance: null,
          responseMinutes: { median: null, p90: null },
          speedToLeadMinutes: { median: 60, p90: 60 },
          ...noFollowUps,
        },
      ]);
      expect(summary.marketingVolume).toStrictEqual([
        {
          month: '2026-02',
          handoffs: 1,
          target: 1,
          met: true,
          agreementVersion: 1,
          acceptanceRate: null,
          minAcceptanceRate: null,
        },
      ]);
    });
  });
});

describe('SLA verdicts after a breach alert (issue 10)', () => {
  // Handed off at(10), due at(130), alerted at(131); the rep then claims an answer at(15).
  const late = leadHandedOff({ leadId: s1, toRep: 'rep-1', slaPolicy: sla, occurredAt: at(10) });
  const lateId = late.metadata.eventId;
  const corrected = leadHandedOff({
    leadId: s2,
    toRep: 'rep-1',
    slaPolicy: sla,
    occurredAt: at(10),
  });
  const correctedId = corrected.metadata.eventId;
  const admin = { id: 'admin-1', role: 'admin' };
  let store: EmbeddedReadStore;

  beforeAll(async () => {
    const alertAndClaim = (leadId: string, handoffEventId: string): LeadFact[] => [
      leadHandoffSlaBreached({ leadId, handoffEventId, dueAt: at(130), occurredAt: at(131) }),
      leadAccepted({ leadId, handoffEventId, occurredAt: at(15) }),
    ];
    const log = recordedLog(
      ...qualified(s1, t0),
      late,
      ...alertAndClaim(s1, lateId),
      ...qualified(s2, t0),
      corrected,
      ...alertAndClaim(s2, correctedId),
    );
    // the claims were recorded at(500), long after the alerts
    for (const event of log) if (event.type === 'LeadAccepted') event.metadata.recordedAt = at(500);
    const correction = recorded(
      leadHandoffSlaCorrected({ leadId: s2, handoffEventId: correctedId, reason: 'CRM outage' }),
      { position: log.length + 1, revision: 5, recordedAt: at(600), actor: admin },
    );
    store = new EmbeddedReadStore({ path: ':memory:' });
    await replayInto(store, [...log, correction], leadProjections);
  });
  afterAll(() => store.close());

  it('a response recorded after the alert keeps the handoff breached, showing both times', async () => {
    const [row] = await slaHandoffs(store, { now: at(1000), rep: 'rep-1', status: 'breached' });
    expect(row).toMatchObject({
      handoffId: lateId,
      status: 'breached',
      respondedAt: at(15),
      respondedRecordedAt: at(500),
      responseMinutes: 5,
      breachAlertedAt: at(131),
      correction: null,
    });
  });

  it("only an admin's correction turns it met, and the row says who, why and when", async () => {
    const [row] = await slaHandoffs(store, { now: at(1000), status: 'met' });
    expect(row).toMatchObject({
      handoffId: correctedId,
      status: 'met',
      correction: { verdict: 'met', reason: 'CRM outage', by: 'admin-1', at: at(600) },
    });
  });

  it('the summary counts the same verdicts', async () => {
    const summary = await slaSummary(store, {
      now: at(1000),
      groupBy: 'rep',
      targetAt: targets(1),
    });
    expect(summary.rows[0]).toMatchObject({ key: 'rep-1', met: 1, breached: 1, compliance: 0.5 });
  });
});
