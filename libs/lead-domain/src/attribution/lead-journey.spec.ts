import type { LeadCaptured, LeadEvent, LeadFact } from '../lead-events';
import { evolveJourney, journeyOf, type Journey } from './lead-journey';

const leadId = '0190a000-0000-7000-8000-000000000001';

const fact = (event: LeadEvent, eventId: string, occurredAt: string): LeadFact => ({
  ...event,
  metadata: { eventId, occurredAt },
});

const capture: LeadCaptured = {
  type: 'LeadCaptured',
  data: {
    leadId,
    email: 'ada@example.com',
    source: { campaignId: 'spring-webinar', channel: 'webinar' },
    sourcedBy: 'marketing',
    priorTouches: [
      {
        campaignId: 'brand-search',
        channel: 'paid_search',
        occurredAt: '2024-01-03T00:00:00.000Z',
      },
      { campaignId: 'newsletter', channel: 'email', occurredAt: '2024-01-01T00:00:00.000Z' },
    ],
  },
};
const captured = fact(capture, 'evt-capture', '2024-01-05T00:00:00.000Z');

const engaged = (eventId: string, occurredAt: string, campaignId: string) =>
  fact(
    { type: 'LeadEngaged', data: { leadId, campaignId, channel: 'email', kind: 'email_click' } },
    eventId,
    occurredAt,
  );

const handedOff = (eventId: string, occurredAt: string) =>
  fact(
    {
      type: 'LeadHandedOff',
      data: {
        leadId,
        toRep: 'rep-1',
        fromTeam: 'marketing',
        slaPolicy: { id: 'default', acceptWithinMinutes: 1440 },
        dueAt: '2024-02-01T00:00:00.000Z',
      },
    },
    eventId,
    occurredAt,
  );

const accepted = (eventId: string, occurredAt: string, handoffEventId: string) =>
  fact(
    { type: 'LeadAccepted', data: { leadId, acceptedBy: 'rep-1', handoffEventId } },
    eventId,
    occurredAt,
  );

const rejected = (eventId: string, occurredAt: string, handoffEventId: string) =>
  fact(
    { type: 'LeadRejected', data: { leadId, reason: 'not_ready', handoffEventId } },
    eventId,
    occurredAt,
  );

const converted = (eventId: string, occurredAt: string, amount: number) =>
  fact(
    { type: 'LeadConverted', data: { leadId, amount, currency: 'EUR', opportunityId: 'opp-1' } },
    eventId,
    occurredAt,
  );

describe('journeyOf', () => {
  it('starts at the capture with its prior touches, in the order the capture listed them, then the capture touch', () => {
    expect(journeyOf([captured])).toEqual<Journey>({
      leadId,
      sourcedBy: 'marketing',
      touches: [
        {
          touchId: 'evt-capture:prior:0',
          campaignId: 'brand-search',
          channel: 'paid_search',
          occurredAt: '2024-01-03T00:00:00.000Z',
          kind: 'prior',
        },
        {
          touchId: 'evt-capture:prior:1',
          campaignId: 'newsletter',
          channel: 'email',
          occurredAt: '2024-01-01T00:00:00.000Z',
          kind: 'prior',
        },
        {
          touchId: 'evt-capture',
          campaignId: 'spring-webinar',
          channel: 'webinar',
          occurredAt: '2024-01-05T00:00:00.000Z',
          kind: 'capture',
        },
      ],
      captureTouchId: 'evt-capture',
      acceptedAt: null,
      conversion: null,
    });
  });

  it('adds every engagement as a touch identified by its event id, and records the conversion', () => {
    const journey = journeyOf([
      captured,
      engaged('evt-e1', '2024-01-06T00:00:00.000Z', 'nurture-1'),
      fact(
        {
          type: 'LeadScored',
          data: { leadId, score: 80, previousScore: null, qualified: true, reasons: [] },
        },
        'evt-score',
        '2024-01-06T01:00:00.000Z',
      ),
      handedOff('evt-h1', '2024-01-07T00:00:00.000Z'),
      accepted('evt-a1', '2024-01-07T02:00:00.000Z', 'evt-h1'),
      engaged('evt-e2', '2024-01-08T00:00:00.000Z', 'nurture-2'),
      converted('evt-won', '2024-01-20T00:00:00.000Z', 125_000),
    ]);

    expect(journey?.touches.map((touch) => [touch.touchId, touch.kind, touch.campaignId])).toEqual([
      ['evt-capture:prior:0', 'prior', 'brand-search'],
      ['evt-capture:prior:1', 'prior', 'newsletter'],
      ['evt-capture', 'capture', 'spring-webinar'],
      ['evt-e1', 'engagement', 'nurture-1'],
      ['evt-e2', 'engagement', 'nurture-2'],
    ]);
    expect(journey?.touches[3]).toEqual({
      touchId: 'evt-e1',
      campaignId: 'nurture-1',
      channel: 'email',
      occurredAt: '2024-01-06T00:00:00.000Z',
      kind: 'engagement',
    });
    expect(journey?.acceptedAt).toBe('2024-01-07T02:00:00.000Z');
    expect(journey?.conversion).toEqual({
      amount: 125_000,
      currency: 'EUR',
      occurredAt: '2024-01-20T00:00:00.000Z',
      eventId: 'evt-won',
    });
  });

  it('takes the latest acceptance when a lead was handed off again after a rejection', () => {
    const journey = journeyOf([
      captured,
      handedOff('evt-h1', '2024-01-07T00:00:00.000Z'),
      accepted('evt-a1', '2024-01-07T02:00:00.000Z', 'evt-h1'),
      handedOff('evt-h2', '2024-01-09T00:00:00.000Z'),
      rejected('evt-r2', '2024-01-09T03:00:00.000Z', 'evt-h2'),
      handedOff('evt-h3', '2024-01-12T00:00:00.000Z'),
      accepted('evt-a3', '2024-01-12T05:00:00.000Z', 'evt-h3'),
    ]);
    expect(journey?.acceptedAt).toBe('2024-01-12T05:00:00.000Z');
  });

  it('ignores a rejection: only acceptances count', () => {
    const journey = journeyOf([
      captured,
      handedOff('evt-h1', '2024-01-07T00:00:00.000Z'),
      rejected('evt-r1', '2024-01-07T03:00:00.000Z', 'evt-h1'),
    ]);
    expect(journey?.acceptedAt).toBeNull();
  });

  it('is null before a capture, and ignores events that arrive without one', () => {
    expect(journeyOf([])).toBeNull();
    expect(
      evolveJourney(null, engaged('evt-e1', '2024-01-06T00:00:00.000Z', 'nurture-1')),
    ).toBeNull();
  });

  it('keeps the first capture and the first conversion of a corrupt stream', () => {
    const journey = journeyOf([
      captured,
      converted('evt-won', '2024-01-20T00:00:00.000Z', 100),
      fact(
        { ...capture, data: { ...capture.data, sourcedBy: 'sales' } },
        'evt-again',
        '2024-01-21T00:00:00.000Z',
      ),
      converted('evt-won-again', '2024-01-22T00:00:00.000Z', 999),
    ]);
    expect(journey?.sourcedBy).toBe('marketing');
    expect(journey?.touches).toHaveLength(3);
    expect(journey?.conversion?.eventId).toBe('evt-won');
  });

  it('ignores events that do not touch attribution', () => {
    const before = journeyOf([captured]);
    const after = [
      handedOff('evt-h1', '2024-01-07T00:00:00.000Z'),
      fact(
        {
          type: 'LeadHandoffSlaBreached',
          data: { leadId, handoffEventId: 'evt-h1', dueAt: '2024-01-08T00:00:00.000Z' },
        },
        'evt-b',
        '2024-01-08T00:00:00.000Z',
      ),
      fact(
        { type: 'LeadPersonalDataErased', data: { leadId } },
        'evt-erase',
        '2024-01-09T00:00:00.000Z',
      ),
      fact(
        { type: 'LeadLost', data: { leadId, reason: 'no_budget' } },
        'evt-lost',
        '2024-01-10T00:00:00.000Z',
      ),
    ].reduce(evolveJourney, before);
    expect(after).toEqual(before);
  });

  it('never changes the journey it is given', () => {
    const start = journeyOf([captured]);
    const snapshot = structuredClone(start);
    evolveJourney(start, engaged('evt-e1', '2024-01-06T00:00:00.000Z', 'nurture-1'));
    evolveJourney(start, accepted('evt-a1', '2024-01-07T02:00:00.000Z', 'evt-h1'));
    evolveJourney(start, converted('evt-won', '2024-01-20T00:00:00.000Z', 100));
    expect(start).toEqual(snapshot);
  });
});
