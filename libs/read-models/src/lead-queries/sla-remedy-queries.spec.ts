import type { LeadFact } from '@lead/domain';
import {
  at,
  leadAccepted,
  leadCaptured,
  leadHandedOff,
  leadHandoffSlaBreached,
  leadReassigned,
  leadScored,
  recordedLog,
  t0,
} from '@lead/testing';
import { EmbeddedReadStore } from '../embedded-read-store';
import { leadProjections } from '../lead-projections/lead-projections';
import { replayInto } from '../projection-runner';
import { slaHandoffs, slaSummary } from './sla-queries';

const slaPolicy = {
  id: 'agreement@2',
  agreementVersion: 2,
  acceptWithinMinutes: 60,
  remedy: { onResponseBreach: 'reassign' as const, repPool: ['rep-1', 'rep-2'] },
};

// Captured t0, handed off at(30) to rep-1 (due at(90)), alerted at(91), reassigned at(95) to
// rep-2 (due at(155)), who accepts at(100).
const handoff = leadHandedOff({ toRep: 'rep-1', slaPolicy, occurredAt: at(30) });
const breach = leadHandoffSlaBreached({
  handoffEventId: handoff.metadata.eventId,
  dueAt: at(90),
  occurredAt: at(91),
});
const reassigned = leadReassigned({
  previousHandoffEventId: handoff.metadata.eventId,
  breachEventId: breach.metadata.eventId,
  fromRep: 'rep-1',
  toRep: 'rep-2',
  slaPolicy,
  occurredAt: at(95),
  dueAt: at(155),
});
const history: LeadFact[] = [
  leadCaptured({ occurredAt: t0 }),
  leadScored({ occurredAt: at(10) }),
  handoff,
  breach,
  reassigned,
  leadAccepted({
    handoffEventId: reassigned.metadata.eventId,
    acceptedBy: 'rep-2',
    occurredAt: at(100),
  }),
];

const storeWith = async (facts: LeadFact[]) => {
  const store = new EmbeddedReadStore({ path: ':memory:' });
  await replayInto(store, recordedLog(...facts), leadProjections);
  return store;
};

const target = { agreementVersion: 1, mqlsPerMonth: 1, minAcceptanceRate: null };

describe('SLA rows of a reassigned handoff', () => {
  it('shows the breached handoff with its remedy and the reassignment as its own, met, row', async () => {
    const store = await storeWith(history);
    const rows = await slaHandoffs(store, { now: at(200) });
    expect(rows).toEqual([
      expect.objectContaining({
        handoffId: handoff.metadata.eventId,
        toRep: 'rep-1',
        status: 'breached',
        breachAlertedAt: at(91),
        remedy: { kind: 'reassign', at: at(95), eventId: reassigned.metadata.eventId },
        reassignedFrom: null,
      }),
      expect.objectContaining({
        handoffId: reassigned.metadata.eventId,
        toRep: 'rep-2',
        handedOffAt: at(95),
        dueAt: at(155),
        response: 'accepted',
        responseMinutes: 5,
        status: 'met',
        remedy: null,
        reassignedFrom: { handoffId: handoff.metadata.eventId, rep: 'rep-1' },
      }),
    ]);
  });

  it('counts each clock for its rep, and marketing once (volume and speed to lead)', async () => {
    const store = await storeWith(history);
    const byRep = await slaSummary(store, { now: at(200), groupBy: 'rep', targetAt: () => target });
    expect(
      byRep.rows.map(({ key, handoffs, met, breached }) => ({ key, handoffs, met, breached })),
    ).toEqual([
      { key: 'rep-1', handoffs: 1, met: 0, breached: 1 },
      { key: 'rep-2', handoffs: 1, met: 1, breached: 0 },
    ]);
    expect(byRep.rows[1].speedToLeadMinutes).toEqual({ median: null, p90: null });
    expect(byRep.marketingVolume).toEqual([
      {
        month: '2026-01',
        handoffs: 1,
        target: 1,
        met: true,
        agreementVersion: 1,
        acceptanceRate: 1,
        minAcceptanceRate: null,
      },
    ]);
    const byMonth = await slaSummary(store, {
      now: at(200),
      groupBy: 'month',
      targetAt: () => target,
    });
    expect(byMonth.rows[0].speedToLeadMinutes).toEqual({ median: 30, p90: 30 });
  });
});
