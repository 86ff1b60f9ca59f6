import type { LeadFact } from '@lead/domain';
import {
  at,
  leadAccepted,
  leadCaptured,
  leadConverted,
  leadEngaged,
  leadHandedOff,
  leadScored,
  recordedLog,
  t0,
} from '@lead/testing';
import { EmbeddedReadStore } from '../embedded-read-store';
import { leadProjections } from '../lead-projections/lead-projections';
import { replayInto } from '../projection-runner';
import { attributionReport, leadAttribution } from './attribution-queries';

const leadA = '01943a4e-3c00-7000-8000-00000000000a';
const leadB = '01943a4e-3c00-7000-8000-00000000000b';
const leadC = '01943a4e-3c00-7000-8000-00000000000c';
const leadD = '01943a4e-3c00-7000-8000-00000000000d';

// A, marketing, 100.00 EUR: prior blog post (FT), capture (LC), webinar (OC, before the
// acceptance at(120)), demo (CW). Converted at(240).
const capturedA = leadCaptured({
  leadId: leadA,
  sourcedBy: 'marketing',
  source: { campaignId: 'cmp-spring', channel: 'paid_search' },
  priorTouches: [{ campaignId: 'cmp-blog', channel: 'organic', occurredAt: at(-1440) }],
  occurredAt: t0,
});
const webinarA = leadEngaged({
  leadId: leadA,
  campaignId: 'cmp-webinar',
  channel: 'webinar',
  occurredAt: at(60),
});
const handoffA = leadHandedOff({ leadId: leadA, occurredAt: at(80) });
const demoA = leadEngaged({
  leadId: leadA,
  campaignId: 'cmp-demo',
  channel: 'event',
  occurredAt: at(180),
});
const historyA: LeadFact[] = [
  capturedA,
  webinarA,
  leadScored({ leadId: leadA, occurredAt: at(70) }),
  handoffA,
  leadAccepted({ leadId: leadA, handoffEventId: handoffA.metadata.eventId, occurredAt: at(120) }),
  demoA,
  leadConverted({ leadId: leadA, amount: 10_000, currency: 'EUR', occurredAt: at(240) }),
];

// B, sales, 30.00 EUR: capture (FT, LC), webinar (OC and CW). Converted at(300).
const handoffB = leadHandedOff({ leadId: leadB, occurredAt: at(40) });
const historyB: LeadFact[] = [
  leadCaptured({ leadId: leadB, sourcedBy: 'sales', occurredAt: at(10) }),
  leadEngaged({ leadId: leadB, campaignId: 'cmp-webinar', channel: 'webinar', occurredAt: at(30) }),
  leadScored({ leadId: leadB, occurredAt: at(35) }),
  handoffB,
  leadAccepted({ leadId: leadB, handoffEventId: handoffB.metadata.eventId, occurredAt: at(50) }),
  leadConverted({ leadId: leadB, amount: 3_000, currency: 'EUR', occurredAt: at(300) }),
];

// C, marketing, 70.00 USD: capture (FT, LC) and an email of the same campaign (OC, CW).
// Converted at(360).
const handoffC = leadHandedOff({ leadId: leadC, occurredAt: at(26) });
const historyC: LeadFact[] = [
  leadCaptured({ leadId: leadC, sourcedBy: 'marketing', occurredAt: at(20) }),
  leadEngaged({ leadId: leadC, campaignId: 'cmp-spring', channel: 'email', occurredAt: at(25) }),
  leadScored({ leadId: leadC, occurredAt: at(25) }),
  handoffC,
  leadAccepted({ leadId: leadC, handoffEventId: handoffC.metadata.eventId, occurredAt: at(100) }),
  leadConverted({ leadId: leadC, amount: 7_000, currency: 'USD', occurredAt: at(360) }),
];

// D never converts: it appears in no row and no total.
const handoffD = leadHandedOff({ leadId: leadD, occurredAt: at(15) });
const historyD: LeadFact[] = [
  leadCaptured({ leadId: leadD, occurredAt: at(5) }),
  leadScored({ leadId: leadD, occurredAt: at(10) }),
  handoffD,
  leadAccepted({ leadId: leadD, handoffEventId: handoffD.metadata.eventId, occurredAt: at(16) }),
];

const storeWith = async (...histories: LeadFact[][]): Promise<EmbeddedReadStore> => {
  const store = new EmbeddedReadStore({ path: ':memory:' });
  await replayInto(store, recordedLog(...histories.flat()), leadProjections);
  return store;
};

describe('attributionReport', () => {
  let store: EmbeddedReadStore;
  beforeAll(async () => {
    store = await storeWith(historyA, historyB, historyC, historyD);
  });
  afterAll(() => store.close());

  it('first_touch by campaign: the earliest touch takes each amount, currencies apart', async () => {
    expect(
      await attributionReport(store, { model: 'first_touch', groupBy: 'campaign' }),
    ).toStrictEqual({
      model: 'first_touch@1',
      groupBy: 'campaign',
      rows: [
        { key: 'cmp-blog', currency: 'EUR', amount: 10_000, conversions: 1 },
        { key: 'cmp-spring', currency: 'EUR', amount: 3_000, conversions: 1 },
        { key: 'cmp-spring', currency: 'USD', amount: 7_000, conversions: 1 },
      ],
      totals: [
        { currency: 'EUR', amount: 13_000, conversions: 2 },
        { currency: 'USD', amount: 7_000, conversions: 1 },
      ],
    });
  });

  it('u_shaped by campaign: 40/40 to FT and LC, 20 split over the others', async () => {
    // A: blog 4000, spring 4000, webinar 1000, demo 1000. B: spring 2400, webinar 600.
    // C: both touches are cmp-spring (5600 + 1400), one conversion.
    const report = await attributionReport(store, { model: 'u_shaped', groupBy: 'campaign' });
    expect(report.model).toBe('u_shaped@1');
    expect(report.rows).toStrictEqual([
      { key: 'cmp-spring', currency: 'EUR', amount: 6_400, conversions: 2 },
      { key: 'cmp-blog', currency: 'EUR', amount: 4_000, conversions: 1 },
      { key: 'cmp-webinar', currency: 'EUR', amount: 1_600, conversions: 2 },
      { key: 'cmp-demo', currency: 'EUR', amount: 1_000, conversions: 1 },
      { key: 'cmp-spring', currency: 'USD', amount: 7_000, conversions: 1 },
    ]);
    expect(report.totals).toStrictEqual([
      { currency: 'EUR', amount: 13_000, conversions: 2 },
      { currency: 'USD', amount: 7_000, conversions: 1 },
    ]);
  });

  it('w_shaped by channel: 30/30/30 to FT, LC, OC, 10 to the others, rounded by largest remainder', async () => {
    // A: organic 3000, paid_search 3000, webinar 3000, event 1000.
    // B: paid_search 2000 (FT+LC 60 of 90), webinar 1000 (OC 30 of 90).
    // C: paid_search 7000 × 60/90 = 4666.67 -> 4667, email 2333.33 -> 2333.
    const report = await attributionReport(store, { model: 'w_shaped', groupBy: 'channel' });
    expect(report.rows).toStrictEqual([
      { key: 'paid_search', currency: 'EUR', amount: 5_000, conversions: 2 },
      { key: 'webinar', currency: 'EUR', amount: 4_000, conversions: 2 },
      { key: 'organic', currency: 'EUR', amount: 3_000, conversions: 1 },
      { key: 'event', currency: 'EUR', amount: 1_000, conversions: 1 },
      { key: 'paid_search', currency: 'USD', amount: 4_667, conversions: 1 },
      { key: 'email', currency: 'USD', amount: 2_333, conversions: 1 },
    ]);
  });

  it('linear by campaign: equal amounts are ordered by key', async () => {
    // A: 2500 to each of four campaigns. B: 1500 + 1500. C: 3500 + 3500, both cmp-spring.
    const report = await attributionReport(store, { model: 'linear', groupBy: 'campaign' });
    expect(report.rows).toStrictEqual([
      { key: 'cmp-spring', currency: 'EUR', amount: 4_000, conversions: 2 },
      { key: 'cmp-webinar', currency: 'EUR', amount: 4_000, conversions: 2 },
      { key: 'cmp-blog', currency: 'EUR', amount: 2_500, conversions: 1 },
      { key: 'cmp-demo', currency: 'EUR', amount: 2_500, conversions: 1 },
      { key: 'cmp-spring', currency: 'USD', amount: 7_000, conversions: 1 },
    ]);
  });

  it('by sourcedBy: the sourcing team gets the full amount, whatever the model', async () => {
    const expected = [
      { key: 'marketing', currency: 'EUR', amount: 10_000, conversions: 1 },
      { key: 'sales', currency: 'EUR', amount: 3_000, conversions: 1 },
      { key: 'marketing', currency: 'USD', amount: 7_000, conversions: 1 },
    ];
    expect(
      (await attributionReport(store, { model: 'time_decay', groupBy: 'sourcedBy' })).rows,
    ).toStrictEqual(expected);
    expect(
      (await attributionReport(store, { model: 'first_touch', groupBy: 'sourcedBy' })).rows,
    ).toStrictEqual(expected);
  });

  it('every model attributes exactly the total of each currency', async () => {
    for (const model of [
      'first_touch',
      'last_touch',
      'linear',
      'u_shaped',
      'w_shaped',
      'full_path',
      'time_decay',
    ] as const) {
      const report = await attributionReport(store, { model, groupBy: 'campaign' });
      const byCurrency = (currency: string) =>
        report.rows
          .filter((row) => row.currency === currency)
          .reduce((sum, row) => sum + Number(row.amount), 0);
      expect({ model, EUR: byCurrency('EUR'), USD: byCurrency('USD') }).toEqual({
        model,
        EUR: 13_000,
        USD: 7_000,
      });
    }
  });

  it('filters on conversion time, from inclusive and to exclusive', async () => {
    // A converted at(240), B at(300), C at(360)
    const onlyA = await attributionReport(store, {
      model: 'first_touch',
      groupBy: 'campaign',
      from: at(240),
      to: at(300),
    });
    expect(onlyA.rows).toStrictEqual([
      { key: 'cmp-blog', currency: 'EUR', amount: 10_000, conversions: 1 },
    ]);
    expect(onlyA.totals).toStrictEqual([{ currency: 'EUR', amount: 10_000, conversions: 1 }]);

    const onlyB = await attributionReport(store, {
      model: 'first_touch',
      groupBy: 'sourcedBy',
      from: at(300),
      to: at(360),
    });
    expect(onlyB.rows).toStrictEqual([
      { key: 'sales', currency: 'EUR', amount: 3_000, conversions: 1 },
    ]);

    const fromB = await attributionReport(store, {
      model: 'last_touch',
      groupBy: 'campaign',
      from: at(241),
    });
    expect(fromB.totals).toStrictEqual([
      { currency: 'EUR', amount: 3_000, conversions: 1 },
      { currency: 'USD', amount: 7_000, conversions: 1 },
    ]);

    const none = await attributionReport(store, {
      model: 'linear',
      groupBy: 'channel',
      to: at(240),
    });
    expect(none).toMatchObject({ rows: [], totals: [] });
  });

  it('orders equal amounts by code unit, whatever the process locale', async () => {
    // ICU collation would put cmp_2 before cmp-1 and Cmp-3 last, and varies by locale
    const wonIn = (leadId: string, campaignId: string): LeadFact[] => [
      leadCaptured({ leadId, source: { campaignId, channel: 'email' } }),
      leadConverted({ leadId, amount: 500, currency: 'CHF', occurredAt: at(30) }),
    ];
    const keys = await storeWith(
      wonIn(leadA, 'cmp_2'),
      wonIn(leadB, 'cmp-1'),
      wonIn(leadC, 'Cmp-3'),
    );
    const report = await attributionReport(keys, { model: 'first_touch', groupBy: 'campaign' });
    expect(report.rows.map((row) => row.key)).toEqual(['Cmp-3', 'cmp-1', 'cmp_2']);
    await keys.close();
  });

  it('answers the same JSON whatever order the leads were projected in', async () => {
    const reversed = await storeWith(historyD, historyC, historyB, historyA);
    for (const groupBy of ['campaign', 'channel', 'sourcedBy'] as const) {
      const expected = JSON.stringify(
        await attributionReport(store, { model: 'time_decay', groupBy }),
      );
      expect(
        JSON.stringify(await attributionReport(reversed, { model: 'time_decay', groupBy })),
      ).toBe(expected);
    }
    await reversed.close();
  });
});

describe('leadAttribution', () => {
  let store: EmbeddedReadStore;
  beforeAll(async () => {
    store = await storeWith(historyA, historyB, historyC, historyD);
  });
  afterAll(() => store.close());

  it('gives the evidence for one lead: each touch with its roles, weight and amount', async () => {
    expect(await leadAttribution(store, leadA, 'w_shaped')).toStrictEqual({
      leadId: leadA,
      model: 'w_shaped@1',
      converted: true,
      amount: 10_000,
      currency: 'EUR',
      credits: [
        {
          touchId: `${capturedA.metadata.eventId}:prior:0`,
          campaignId: 'cmp-blog',
          channel: 'organic',
          occurredAt: at(-1440),
          roles: ['FT'],
          weight: 0.3,
          amount: 3_000,
        },
        {
          touchId: capturedA.metadata.eventId,
          campaignId: 'cmp-spring',
          channel: 'paid_search',
          occurredAt: t0,
          roles: ['LC'],
          weight: 0.3,
          amount: 3_000,
        },
        {
          touchId: webinarA.metadata.eventId,
          campaignId: 'cmp-webinar',
          channel: 'webinar',
          occurredAt: at(60),
          roles: ['OC'],
          weight: 0.3,
          amount: 3_000,
        },
        {
          touchId: demoA.metadata.eventId,
          campaignId: 'cmp-demo',
          channel: 'event',
          occurredAt: at(180),
          roles: ['CW'],
          weight: 0.1,
          amount: 1_000,
        },
      ],
    });
  });

  it('under last_touch, only the closing touch is credited', async () => {
    const view = await leadAttribution(store, leadA, 'last_touch');
    expect(view!.credits).toStrictEqual([
      expect.objectContaining({
        touchId: demoA.metadata.eventId,
        roles: ['CW'],
        weight: 1,
        amount: 10_000,
      }),
    ]);
  });

  it('for an unknown lead, null', async () => {
    expect(
      await leadAttribution(store, '01943a4e-3c00-7000-8000-0000000000ff', 'linear'),
    ).toBeNull();
  });

  it('for an unconverted lead, converted false and no credits', async () => {
    expect(await leadAttribution(store, leadD, 'linear')).toStrictEqual({
      leadId: leadD,
      model: 'linear@1',
      converted: false,
      amount: null,
      currency: null,
      credits: [],
    });
  });
});

// issue 10: sums above 2^53 minor units lost a cent in a double
describe('attribution sums above 2^53 minor units', () => {
  it('are exact, and served as a decimal string once past Number.MAX_SAFE_INTEGER', async () => {
    const store = new EmbeddedReadStore({ path: ':memory:' });
    const amount = 4_000_000_000_000_001; // every amount is safe; their sum is not
    const docs = ['a', 'b', 'c'].map((id) => ({
      _id: id,
      leadId: id,
      sourcedBy: 'marketing',
      journey: {},
      converted: true,
      convertedAt: t0,
      amount,
      currency: 'USD',
      shares: {
        linear: { campaign: [{ key: 'cmp-big', amount }], channel: [{ key: 'event', amount }] },
      },
    }));
    await store.commit(
      'test',
      1n,
      docs.map((doc) => ({ collection: 'attribution', id: doc._id, doc, position: 1n })),
    );

    const byCampaign = await attributionReport(store, { model: 'linear', groupBy: 'campaign' });
    const byTeam = await attributionReport(store, { model: 'linear', groupBy: 'sourcedBy' });

    expect(byCampaign.rows).toEqual([
      { key: 'cmp-big', currency: 'USD', amount: '12000000000000003', conversions: 3 },
    ]);
    expect(byTeam.rows).toEqual([
      { key: 'marketing', currency: 'USD', amount: '12000000000000003', conversions: 3 },
    ]);
    expect(byCampaign.totals).toEqual([
      { currency: 'USD', amount: '12000000000000003', conversions: 3 },
    ]);
    await store.close();
  });
});
