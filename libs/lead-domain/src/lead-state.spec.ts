import {
  at,
  leadAccepted,
  leadCaptured,
  leadConverted,
  leadEngaged,
  leadHandedOff,
  leadHandoffSlaBreached,
  leadLost,
  leadPersonalDataErased,
  leadProfileUpdated,
  leadRejected,
  leadScored,
  t0,
  testLeadId,
  defaultSlaPolicy,
} from '@lead/testing';
import type { LeadFact } from './lead-events';
import { evolve, foldLead, initialLeadState } from './lead-state';

// A lead's log may hold event types this version does not know (written by a newer version).
const unknownEvent = (): LeadFact =>
  ({
    type: 'LeadArchived',
    data: { leadId: testLeadId },
    metadata: { eventId: 'ffffffff-0000-7000-8000-000000000000', occurredAt: at(5) },
  }) as unknown as LeadFact;

// the profile leadCaptured() builds: a company and nothing else
const builderProfile = {
  title: null,
  company: 'Analytical Engines Ltd',
  industry: null,
  country: null,
  employees: null,
};

describe('evolve', () => {
  it('starts from the initial state', () => {
    expect(foldLead([])).toEqual({ stage: 'initial' });
    expect(initialLeadState).toEqual({ stage: 'initial' });
  });

  it('ignores events before the capture', () => {
    expect(evolve(initialLeadState, leadScored({ score: 90 }))).toBe(initialLeadState);
    const handoff = leadHandedOff();
    const beforeCapture = [
      leadEngaged(),
      handoff,
      leadAccepted({ handoffEventId: handoff.metadata.eventId }),
    ];
    expect(foldLead(beforeCapture)).toEqual({ stage: 'initial' });
    expect(foldLead([...beforeCapture, leadCaptured()])).toEqual({
      stage: 'captured',
      leadId: testLeadId,
      score: null,
      qualified: false,
      owner: null,
      capturedAt: t0,
      lastMilestone: { kind: 'capture', at: t0 },
      handoffs: [],
      personalDataErased: false,
      profile: builderProfile,
    });
  });

  it('ignores unknown event types', () => {
    expect(evolve(initialLeadState, unknownEvent())).toBe(initialLeadState);
    const mql = foldLead([leadCaptured(), leadScored({ score: 80 })]);
    expect(evolve(mql, unknownEvent())).toBe(mql);
  });

  it('a capture starts a lead with no score, unqualified and without owner', () => {
    expect(foldLead([leadCaptured()])).toEqual({
      stage: 'captured',
      leadId: testLeadId,
      score: null,
      qualified: false,
      owner: null,
      capturedAt: t0,
      lastMilestone: { kind: 'capture', at: t0 },
      handoffs: [],
      personalDataErased: false,
      profile: builderProfile,
    });
  });

  it('engagements change no decision state; erasure is remembered, so it is recorded once', () => {
    const captured = foldLead([leadCaptured()]);
    expect(evolve(captured, leadEngaged())).toBe(captured);
    expect(evolve(captured, leadPersonalDataErased())).toEqual({
      ...captured,
      personalDataErased: true,
      profile: builderProfile,
    });
  });

  it('keeps the profile as it stands: captured, then updated field by field; erasure clears the title', () => {
    const captured = foldLead([leadCaptured({ title: 'CTO', country: 'DE', employees: 40 })]);
    const updated = evolve(captured, leadProfileUpdated({ country: 'AT', industry: 'software' }));
    expect(updated).toEqual({
      ...captured,
      profile: {
        ...builderProfile,
        title: 'CTO',
        country: 'AT',
        industry: 'software',
        employees: 40,
      },
    });
    expect(evolve(updated, leadPersonalDataErased())).toMatchObject({
      personalDataErased: true,
      profile: { title: null, country: 'AT' },
    });
  });

  it('a qualified score makes a captured lead an MQL; an unqualified one keeps it captured', () => {
    const captured = foldLead([leadCaptured()]);
    expect(evolve(captured, leadScored({ score: 59, qualified: false }))).toMatchObject({
      stage: 'captured',
      score: 59,
      qualified: false,
    });
    expect(evolve(captured, leadScored({ score: 60, qualified: true }))).toMatchObject({
      stage: 'mql',
      score: 60,
      qualified: true,
    });
  });

  it('a score dropping below the threshold returns an MQL to captured', () => {
    const state = foldLead([
      leadCaptured(),
      leadScored({ score: 80 }),
      leadScored({ score: 30, previousScore: 80 }),
    ]);
    expect(state).toMatchObject({ stage: 'captured', score: 30, qualified: false });
  });

  it('a nurtured lead stays nurturing when rescored, its qualification follows the score', () => {
    const handoff = leadHandedOff();
    const nurturing = [
      leadCaptured(),
      leadScored({ score: 80 }),
      handoff,
      leadRejected({ handoffEventId: handoff.metadata.eventId }),
    ];
    expect(foldLead([...nurturing, leadScored({ score: 20 })])).toMatchObject({
      stage: 'nurturing',
      score: 20,
      qualified: false,
    });
    expect(
      foldLead([...nurturing, leadScored({ score: 20 }), leadScored({ score: 90 })]),
    ).toMatchObject({
      stage: 'nurturing',
      score: 90,
      qualified: true,
    });
  });

  it('a handoff makes the rep the owner and records the pending handoff by its event id', () => {
    const handoff = leadHandedOff({ toRep: 'rep-3', occurredAt: at(20) });
    expect(foldLead([leadCaptured(), leadScored(), handoff])).toEqual({
      stage: 'handed_off',
      leadId: testLeadId,
      score: 80,
      qualified: true,
      owner: 'rep-3',
      handoff: {
        eventId: handoff.metadata.eventId,
        toRep: 'rep-3',
        handedOffAt: at(20),
        dueAt: at(1460),
        breached: false,
        slaPolicy: defaultSlaPolicy,
      },
      capturedAt: t0,
      lastMilestone: { kind: 'handoff', at: at(20) },
      handoffs: [{ eventId: handoff.metadata.eventId, dueAt: at(1460), responded: false }],
      personalDataErased: false,
      profile: builderProfile,
    });
  });

  it('a rescore while handed off keeps the pending handoff', () => {
    const handoff = leadHandedOff();
    const state = foldLead([
      leadCaptured(),
      leadScored(),
      handoff,
      leadScored({ score: 40, previousScore: 80 }),
    ]);
    expect(state).toMatchObject({
      stage: 'handed_off',
      score: 40,
      qualified: false,
      handoff: { eventId: handoff.metadata.eventId },
    });
  });

  it('a breach marks only the matching pending handoff', () => {
    const handoff = leadHandedOff();
    const handedOff = foldLead([leadCaptured(), leadScored(), handoff]);
    expect(
      evolve(handedOff, leadHandoffSlaBreached({ handoffEventId: handoff.metadata.eventId })),
    ).toMatchObject({
      handoff: { breached: true },
    });
    expect(evolve(handedOff, leadHandoffSlaBreached({ handoffEventId: 'another-handoff' }))).toBe(
      handedOff,
    );
  });

  it('an acceptance makes the accepting rep the owner and clears the handoff', () => {
    const handoff = leadHandedOff({ toRep: 'rep-1', occurredAt: at(20) });
    const state = foldLead([
      leadCaptured(),
      leadScored(),
      handoff,
      leadAccepted({
        acceptedBy: 'rep-9',
        handoffEventId: handoff.metadata.eventId,
        occurredAt: at(30),
      }),
    ]);
    expect(state).toEqual({
      stage: 'accepted',
      leadId: testLeadId,
      score: 80,
      qualified: true,
      owner: 'rep-9',
      acceptedAt: at(30),
      capturedAt: t0,
      lastMilestone: { kind: 'acceptance', at: at(30) },
      handoffs: [{ eventId: handoff.metadata.eventId, dueAt: at(1460), responded: true }],
      personalDataErased: false,
      profile: builderProfile,
    });
  });

  it('a rejection sends the lead to nurturing without owner and clears the handoff', () => {
    const handoff = leadHandedOff();
    const state = foldLead([
      leadCaptured(),
      leadScored(),
      handoff,
      leadRejected({ handoffEventId: handoff.metadata.eventId }),
    ]);
    expect(state).toEqual({
      stage: 'nurturing',
      leadId: testLeadId,
      score: 80,
      qualified: true,
      owner: null,
      capturedAt: t0,
      lastMilestone: { kind: 'rejection', at: t0 },
      handoffs: [
        { eventId: handoff.metadata.eventId, dueAt: at(1440), responded: true, rejectedAt: t0 },
      ],
      personalDataErased: false,
      profile: builderProfile,
    });
  });

  it('a lead lost while handed off keeps its owner and drops the pending handoff', () => {
    const state = foldLead([
      leadCaptured(),
      leadScored(),
      leadHandedOff({ toRep: 'rep-4' }),
      leadLost(),
    ]);
    expect(state).toMatchObject({
      stage: 'lost',
      leadId: testLeadId,
      score: 80,
      qualified: true,
      owner: 'rep-4',
    });
    expect(state).not.toHaveProperty('handoff');
  });
});

describe('business times the decider checks', () => {
  it('keeps the latest milestone even when an old stream recorded them out of order', () => {
    const handoff = leadHandedOff({ occurredAt: at(50) });
    const state = foldLead([
      leadCaptured({ occurredAt: at(60) }),
      leadScored(),
      handoff,
      leadRejected({ handoffEventId: handoff.metadata.eventId, occurredAt: at(40) }),
    ]);
    expect(state).toMatchObject({
      capturedAt: at(60),
      lastMilestone: { kind: 'capture', at: at(60) },
    });
  });
});

describe('foldLead', () => {
  it('folds a full journey through rejection, a second handoff, a breach and a late acceptance to converted', () => {
    const first = leadHandedOff({ toRep: 'rep-1', occurredAt: at(30) });
    const second = leadHandedOff({ toRep: 'rep-2', occurredAt: at(300) });
    const journey = [
      leadCaptured({ occurredAt: at(0) }),
      leadEngaged({ occurredAt: at(5) }),
      leadScored({ score: 40, occurredAt: at(10) }),
      leadScored({ score: 75, previousScore: 40, occurredAt: at(20) }),
      first,
      leadRejected({
        handoffEventId: first.metadata.eventId,
        reason: 'not_ready',
        occurredAt: at(90),
      }),
      leadEngaged({ kind: 'demo_request', occurredAt: at(200) }),
      leadScored({ score: 85, previousScore: 75, occurredAt: at(250) }),
      second,
      leadHandoffSlaBreached({
        handoffEventId: second.metadata.eventId,
        dueAt: at(1740),
        occurredAt: at(1741),
      }),
      leadAccepted({
        handoffEventId: second.metadata.eventId,
        acceptedBy: 'rep-2',
        occurredAt: at(1800),
      }),
      leadConverted({ amount: 990_000, currency: 'EUR', occurredAt: at(9000) }),
      leadPersonalDataErased({ occurredAt: at(20_000) }),
    ];
    expect(foldLead(journey)).toEqual({
      stage: 'converted',
      leadId: testLeadId,
      score: 85,
      qualified: true,
      owner: 'rep-2',
      capturedAt: at(0),
      lastMilestone: { kind: 'acceptance', at: at(1800) },
      handoffs: [
        { eventId: first.metadata.eventId, dueAt: at(1470), responded: true, rejectedAt: at(90) },
        { eventId: second.metadata.eventId, dueAt: at(1740), responded: true },
      ],
      personalDataErased: true,
      profile: builderProfile,
    });
  });

  it('folds a journey lost after acceptance, keeping the owner', () => {
    const handoff = leadHandedOff({ toRep: 'rep-5' });
    const journey = [
      leadCaptured(),
      leadScored({ score: 65 }),
      handoff,
      leadAccepted({ handoffEventId: handoff.metadata.eventId, acceptedBy: 'rep-5' }),
      leadLost({ reason: 'no_budget' }),
    ];
    expect(foldLead(journey)).toMatchObject({
      stage: 'lost',
      leadId: testLeadId,
      score: 65,
      qualified: true,
      owner: 'rep-5',
    });
  });

  it('tells the stage at every step of the journey', () => {
    const handoff = leadHandedOff();
    const steps: [LeadFact, string][] = [
      [leadCaptured(), 'captured'],
      [leadScored({ score: 70 }), 'mql'],
      [leadScored({ score: 50 }), 'captured'],
      [leadScored({ score: 65 }), 'mql'],
      [handoff, 'handed_off'],
      [leadRejected({ handoffEventId: handoff.metadata.eventId }), 'nurturing'],
    ];
    const stages = steps.map(
      (_, index) => foldLead(steps.slice(0, index + 1).map(([event]) => event)).stage,
    );
    expect(stages).toEqual(steps.map(([, stage]) => stage));
  });
});
