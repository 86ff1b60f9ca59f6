import { type LeadFact, attributionModels } from '@lead/domain';
import {
  at,
  leadAccepted,
  leadCaptured,
  leadConverted,
  leadEngaged,
  leadHandedOff,
  leadLost,
  leadScored,
  recorded,
  recordedLog,
  t0,
  testLeadId,
} from '@lead/testing';
import { EmbeddedReadStore } from '../embedded-read-store';
import { replayInto } from '../projection-runner';
import {
  type LeadAttributionDoc,
  applyLeadAttribution,
  creditsOf,
  leadAttributionProjection,
} from './lead-attribution.projection';

const given = (...facts: LeadFact[]): LeadAttributionDoc | null =>
  recordedLog(...facts).reduce<LeadAttributionDoc | null>(applyLeadAttribution, null);

// A prior touch, the capture, a webinar before acceptance and an event after it: four touches
// holding FT, LC, OC and CW, and an amount no model splits evenly.
const captured = leadCaptured({
  occurredAt: t0,
  sourcedBy: 'sales',
  priorTouches: [{ campaignId: 'cmp-blog', channel: 'organic', occurredAt: at(-3 * 1440) }],
});
const webinar = leadEngaged({ campaignId: 'cmp-webinar', channel: 'webinar', occurredAt: at(60) });
const handoff = leadHandedOff({ occurredAt: at(80) });
const accepted = leadAccepted({ handoffEventId: handoff.metadata.eventId, occurredAt: at(120) });
const demo = leadEngaged({
  campaignId: 'cmp-demo',
  channel: 'event',
  kind: 'demo_request',
  occurredAt: at(2 * 1440),
});
const converted = leadConverted({ amount: 100_003, currency: 'GBP', occurredAt: at(10 * 1440) });
const journeyToConversion = [
  captured,
  webinar,
  leadScored({ occurredAt: at(70) }),
  handoff,
  accepted,
  demo,
  converted,
];

describe('leadAttributionProjection', () => {
  it('routes only the events that shape a journey, into the attribution collection', () => {
    const routed = recordedLog(...journeyToConversion, leadLost({ occurredAt: at(20_000) })).map(
      (event) => [event.type, leadAttributionProjection.documentId(event)],
    );
    expect(leadAttributionProjection.collection).toBe('attribution');
    expect(routed).toEqual([
      ['LeadCaptured', testLeadId],
      ['LeadEngaged', testLeadId],
      ['LeadScored', null],
      ['LeadHandedOff', null],
      ['LeadAccepted', testLeadId],
      ['LeadEngaged', testLeadId],
      ['LeadConverted', testLeadId],
      ['LeadLost', null],
    ]);
  });

  it('given a capture, then the journey holds the prior and capture touches and no credits', () => {
    expect(given(captured)).toStrictEqual<LeadAttributionDoc>({
      _id: testLeadId,
      leadId: testLeadId,
      sourcedBy: 'sales',
      journey: {
        leadId: testLeadId,
        sourcedBy: 'sales',
        touches: [
          {
            touchId: `${captured.metadata.eventId}:prior:0`,
            campaignId: 'cmp-blog',
            channel: 'organic',
            occurredAt: at(-3 * 1440),
            kind: 'prior',
          },
          {
            touchId: captured.metadata.eventId,
            campaignId: 'cmp-spring',
            channel: 'paid_search',
            occurredAt: t0,
            kind: 'capture',
          },
        ],
        captureTouchId: captured.metadata.eventId,
        acceptedAt: null,
        conversion: null,
      },
      converted: false,
      convertedAt: null,
      amount: null,
      currency: null,
      shares: null,
    });
  });

  it('given engagements and an acceptance but no conversion, then shares stay null', () => {
    const doc = given(captured, webinar, handoff, accepted, demo);
    expect(doc).toMatchObject({ converted: false, amount: null, currency: null, shares: null });
    expect(doc!.journey.touches.map((touch) => touch.campaignId)).toEqual([
      'cmp-blog',
      'cmp-spring',
      'cmp-webinar',
      'cmp-demo',
    ]);
    expect(doc!.journey.acceptedAt).toBe(at(120));
  });

  it('given a conversion, then credits for all seven models, each summing exactly to the amount', () => {
    const doc = given(...journeyToConversion)!;

    expect(doc).toMatchObject({
      converted: true,
      convertedAt: at(10 * 1440),
      amount: 100_003,
      currency: 'GBP',
    });
    expect(Object.keys(doc.shares!).sort()).toEqual([...attributionModels].sort());
    for (const model of attributionModels) {
      const credits = creditsOf(doc, model);
      expect(credits.length).toBeGreaterThan(0);
      expect(credits.every((credit) => Number.isInteger(credit.amount))).toBe(true);
      expect({ model, sum: credits.reduce((sum, credit) => sum + credit.amount, 0) }).toEqual({
        model,
        sum: 100_003,
      });
    }
    // w_shaped: 30% each to FT, LC, OC, 10% to the one other touch; the odd unit goes by
    // largest remainder, ties to the earlier touch (30000.9 ×3 and 10000.3)
    expect(
      creditsOf(doc, 'w_shaped').map(({ campaignId, roles, amount }) => ({
        campaignId,
        roles,
        amount,
      })),
    ).toEqual([
      { campaignId: 'cmp-blog', roles: ['FT'], amount: 30_001 },
      { campaignId: 'cmp-spring', roles: ['LC'], amount: 30_001 },
      { campaignId: 'cmp-webinar', roles: ['OC'], amount: 30_001 },
      { campaignId: 'cmp-demo', roles: ['CW'], amount: 10_000 },
    ]);
    // a report reads only the shares: the credits per campaign and per channel
    expect(doc.shares!.w_shaped).toEqual({
      campaign: [
        { key: 'cmp-blog', amount: 30_001 },
        { key: 'cmp-spring', amount: 30_001 },
        { key: 'cmp-webinar', amount: 30_001 },
        { key: 'cmp-demo', amount: 10_000 },
      ],
      channel: [
        { key: 'organic', amount: 30_001 },
        { key: 'paid_search', amount: 30_001 },
        { key: 'webinar', amount: 30_001 },
        { key: 'event', amount: 10_000 },
      ],
    });
  });

  it('given touches of one campaign on two channels, then one campaign share and two channel shares', () => {
    const doc = given(
      leadCaptured({ source: { campaignId: 'cmp-spring', channel: 'paid_search' } }),
      leadEngaged({ campaignId: 'cmp-spring', channel: 'email', occurredAt: at(10) }),
      leadConverted({ amount: 1_001, currency: 'EUR', occurredAt: at(30) }),
    )!;
    expect(doc.shares!.linear).toEqual({
      campaign: [{ key: 'cmp-spring', amount: 1_001 }],
      channel: [
        { key: 'paid_search', amount: 501 },
        { key: 'email', amount: 500 },
      ],
    });
  });

  it('given a conversion without engagements, then a single capture touch takes the whole amount', () => {
    const doc = given(
      leadCaptured(),
      leadConverted({ amount: 999, currency: 'EUR', occurredAt: at(30) }),
    )!;
    for (const model of attributionModels) {
      expect(doc.shares![model]).toEqual({
        campaign: [{ key: 'cmp-spring', amount: 999 }],
        channel: [{ key: 'paid_search', amount: 999 }],
      });
      expect(creditsOf(doc, model)).toEqual([
        expect.objectContaining({
          campaignId: 'cmp-spring',
          roles: ['FT', 'LC', 'CW'],
          weight: 1,
          amount: 999,
        }),
      ]);
    }
  });

  it('given an event before any capture, then no document', () => {
    expect(given(webinar)).toBeNull();
  });

  it('applying LeadCaptured to an existing document changes nothing', () => {
    const doc = given(...journeyToConversion)!;
    const again = recorded(
      leadCaptured({ source: { campaignId: 'cmp-other', channel: 'email' } }),
      {
        position: 99,
        revision: 7,
      },
    );
    expect(applyLeadAttribution(doc, again)).toBe(doc);
  });

  it('applying a second LeadConverted keeps the first conversion and its credits', () => {
    const doc = given(...journeyToConversion)!;
    const again = recorded(leadConverted({ amount: 1, currency: 'USD', occurredAt: at(20_000) }), {
      position: 99,
      revision: 7,
    });
    expect(applyLeadAttribution(doc, again)).toBe(doc);
  });

  it('given a conversion, then later touches and acceptances leave the document as it was', () => {
    const doc = given(...journeyToConversion)!;
    const later = recorded(leadEngaged({ campaignId: 'cmp-late', occurredAt: at(11 * 1440) }), {
      position: 99,
      revision: 7,
    });
    expect(applyLeadAttribution(doc, later)).toBe(doc);
  });

  it('for a lead not converted, no credits under any model', () => {
    const doc = given(captured, webinar)!;
    for (const model of attributionModels) expect(creditsOf(doc, model)).toEqual([]);
  });

  it('applied twice through the runner, the document stays unchanged', async () => {
    const events = recordedLog(...journeyToConversion);
    const store = new EmbeddedReadStore({ path: ':memory:' });
    await replayInto(store, events, [leadAttributionProjection]);
    const once = await store.collection<LeadAttributionDoc>('attribution').find({});

    await replayInto(store, events, [leadAttributionProjection]);
    await replayInto(store, events.slice(1), [leadAttributionProjection]);
    const twice = await store.collection<LeadAttributionDoc>('attribution').find({});

    expect(twice).toStrictEqual(once);
    expect(twice[0].journey.touches).toHaveLength(4);
    // the stored document is the pure fold plus the position of the last event routed to it
    expect(twice).toStrictEqual([
      { ...given(...journeyToConversion), _position: '00000000000000000007' },
    ]);
    await store.close();
  });
});
