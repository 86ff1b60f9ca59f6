import type { LeadFact } from '@lead/domain';
import {
  addMinutes,
  at,
  leadAccepted,
  leadCaptured,
  leadConverted,
  leadHandedOff,
  leadLost,
  leadQualifiedBySales,
  leadRejected,
  leadScored,
  recordedLog,
  t0,
} from '@lead/testing';
import { EmbeddedReadStore } from '../embedded-read-store';
import { leadProjections } from '../lead-projections/lead-projections';
import { replayInto } from '../projection-runner';
import { funnel } from './funnel-query';

const lead = (n: number): string => `01943a4e-3c00-7000-8000-0000000000f${n}`;
const feb2 = '2026-02-02T10:00:00.000Z';

// A lead captured at `capturedAt` that goes as far as `until` along the usual path.
const journey = (
  n: number,
  capturedAt: string,
  until:
    | 'captured'
    | 'unqualified'
    | 'mql'
    | 'handed_off'
    | 'accepted'
    | 'rejected'
    | 'converted'
    | 'lost',
): LeadFact[] => {
  const leadId = lead(n);
  const after = (minutes: number) => addMinutes(capturedAt, minutes);
  const captured = leadCaptured({ leadId, occurredAt: capturedAt });
  if (until === 'captured') return [captured];
  if (until === 'unqualified')
    return [captured, leadScored({ leadId, score: 30, occurredAt: after(10) })];
  const mql = [captured, leadScored({ leadId, score: 80, occurredAt: after(10) })];
  if (until === 'mql') return mql;
  if (until === 'lost') return [...mql, leadLost({ leadId, occurredAt: after(15) })];
  const handoff = leadHandedOff({ leadId, occurredAt: after(20) });
  const handedOff = [...mql, handoff];
  const handoffEventId = handoff.metadata.eventId;
  if (until === 'handed_off') return handedOff;
  if (until === 'rejected')
    return [...handedOff, leadRejected({ leadId, handoffEventId, occurredAt: after(30) })];
  const accepted = [...handedOff, leadAccepted({ leadId, handoffEventId, occurredAt: after(30) })];
  if (until === 'accepted') return accepted;
  return [...accepted, leadConverted({ leadId, occurredAt: after(100) })];
};

// Seven leads: six captured in January (t0 … at(5)), one in February.
const history: LeadFact[] = [
  ...journey(1, t0, 'converted'),
  ...journey(2, at(1), 'accepted'),
  ...journey(3, at(2), 'rejected'),
  ...journey(4, at(3), 'lost'),
  ...journey(5, at(4), 'unqualified'),
  // lost straight from captured, never qualified
  leadCaptured({ leadId: lead(7), occurredAt: at(5) }),
  leadLost({ leadId: lead(7), reason: 'duplicate', occurredAt: at(6) }),
  ...journey(6, feb2, 'mql'),
];

describe('funnel', () => {
  let store: EmbeddedReadStore;
  beforeAll(async () => {
    store = new EmbeddedReadStore({ path: ':memory:' });
    await replayInto(store, recordedLog(...history), leadProjections);
  });
  afterAll(() => store.close());

  it('given all leads, then how many ever reached each step, rates, losses and where they stand', async () => {
    expect(await funnel(store, {})).toStrictEqual({
      steps: [
        { stage: 'captured', count: 7 },
        { stage: 'mql', count: 5 },
        { stage: 'handed_off', count: 3 },
        { stage: 'accepted', count: 2 },
        { stage: 'sql', count: 1 },
        { stage: 'converted', count: 1 },
      ],
      conversionRates: [
        { from: 'captured', to: 'mql', rate: 0.7143 },
        { from: 'mql', to: 'handed_off', rate: 0.6 },
        { from: 'handed_off', to: 'accepted', rate: 0.6667 },
        { from: 'accepted', to: 'sql', rate: 0.5 },
        { from: 'sql', to: 'converted', rate: 1 },
      ],
      lost: 2,
      lostFrom: { captured: 1, mql: 1 },
      currentStages: { accepted: 1, captured: 1, converted: 1, lost: 2, mql: 1, nurturing: 1 },
    });
  });

  it('lists current stages in stage-name order', async () => {
    expect(Object.keys((await funnel(store, {})).currentStages)).toEqual([
      'accepted',
      'captured',
      'converted',
      'lost',
      'mql',
      'nurturing',
    ]);
  });

  it('takes the cohort by capture time, from inclusive and to exclusive', async () => {
    const january = await funnel(store, { from: t0, to: '2026-02-01T00:00:00.000Z' });
    expect(january.steps.map((step) => step.count)).toEqual([6, 4, 3, 2, 1, 1]);
    expect(january.conversionRates.map((rate) => rate.rate)).toEqual([
      0.6667, 0.75, 0.6667, 0.5, 1,
    ]);
    expect(january.currentStages).toEqual({
      accepted: 1,
      captured: 1,
      converted: 1,
      lost: 2,
      nurturing: 1,
    });

    // leads 1–3, captured t0, at(1), at(2); lead 4 at(3) is excluded
    const firstThree = await funnel(store, { to: at(3) });
    expect(firstThree.steps.map((step) => step.count)).toEqual([3, 3, 3, 2, 1, 1]);
    expect(firstThree.lost).toBe(0);

    // leads 4, 5, 7 and 6: no handoff, so the later rates have no base
    const rest = await funnel(store, { from: at(3) });
    expect(rest.steps.map((step) => step.count)).toEqual([4, 2, 0, 0, 0, 0]);
    expect(rest.conversionRates.map((rate) => rate.rate)).toEqual([0.5, 0, null, null, null]);
    expect(rest.lost).toBe(2);
  });

  it('for an empty cohort, zero counts and no rates', async () => {
    expect(await funnel(store, { to: t0 })).toStrictEqual({
      steps: [
        { stage: 'captured', count: 0 },
        { stage: 'mql', count: 0 },
        { stage: 'handed_off', count: 0 },
        { stage: 'accepted', count: 0 },
        { stage: 'sql', count: 0 },
        { stage: 'converted', count: 0 },
      ],
      conversionRates: [
        { from: 'captured', to: 'mql', rate: null },
        { from: 'mql', to: 'handed_off', rate: null },
        { from: 'handed_off', to: 'accepted', rate: null },
        { from: 'accepted', to: 'sql', rate: null },
        { from: 'sql', to: 'converted', rate: null },
      ],
      lost: 0,
      lostFrom: {},
      currentStages: {},
    });
  });
});

describe('funnel with the SQL stage (issue 14)', () => {
  // lead 1: accepted, qualified by sales, won; lead 2: qualified by sales, then lost;
  // lead 3: accepted, then lost; lead 4: lost while handed off
  const sqlHistory = (n: number, end: 'won' | 'lost' | 'accepted_lost' | 'handed_off_lost') => {
    const leadId = lead(n);
    const handoff = leadHandedOff({ leadId, occurredAt: at(20) });
    const handoffEventId = handoff.metadata.eventId;
    const handedOff = [
      leadCaptured({ leadId, occurredAt: t0 }),
      leadScored({ leadId, score: 80, occurredAt: at(10) }),
      handoff,
    ];
    if (end === 'handed_off_lost') return [...handedOff, leadLost({ leadId, occurredAt: at(40) })];
    const accepted = [...handedOff, leadAccepted({ leadId, handoffEventId, occurredAt: at(30) })];
    if (end === 'accepted_lost') return [...accepted, leadLost({ leadId, occurredAt: at(40) })];
    const sql = [...accepted, leadQualifiedBySales({ leadId, occurredAt: at(50) })];
    return [
      ...sql,
      end === 'won'
        ? leadConverted({ leadId, occurredAt: at(90) })
        : leadLost({ leadId, occurredAt: at(90) }),
    ];
  };

  it('counts the SQL step between SAL and won, and lost leads by the stage they were lost from', async () => {
    const store = new EmbeddedReadStore({ path: ':memory:' });
    const log = [
      ...sqlHistory(1, 'won'),
      ...sqlHistory(2, 'lost'),
      ...sqlHistory(3, 'accepted_lost'),
      ...sqlHistory(4, 'handed_off_lost'),
    ];
    await replayInto(store, recordedLog(...log), leadProjections);
    const answer = await funnel(store, {});
    expect(answer.steps).toEqual([
      { stage: 'captured', count: 4 },
      { stage: 'mql', count: 4 },
      { stage: 'handed_off', count: 4 },
      { stage: 'accepted', count: 3 },
      { stage: 'sql', count: 2 },
      { stage: 'converted', count: 1 },
    ]);
    expect(answer.conversionRates.slice(3)).toEqual([
      { from: 'accepted', to: 'sql', rate: 0.6667 },
      { from: 'sql', to: 'converted', rate: 0.5 },
    ]);
    expect(answer.lost).toBe(3);
    expect(answer.lostFrom).toEqual({ accepted: 1, handed_off: 1, sql: 1 });
    await store.close();
  });
});
