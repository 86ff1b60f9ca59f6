import type { LeadFact, SlaPolicy } from '@lead/domain';
import {
  at,
  leadAccepted,
  leadCaptured,
  leadConverted,
  leadHandedOff,
  leadLost,
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
import { slaFollowUps, slaHandoffs, slaSummary } from './sla-queries';

// Two attempts within 48 hours of the acceptance (2880 minutes).
const withFollowUp: SlaPolicy = {
  id: 'agreement@2',
  agreementVersion: 2,
  acceptWithinMinutes: 120,
  followUp: { attempts: 2, withinHours: 48 },
};
const lead = (n: number): string =>
  `01943a4e-3c00-7000-8000-0000000001${n.toString().padStart(2, '0')}`;

type Ending = { activities: number[]; converted?: number; lost?: number; acceptedAt?: number };

// A lead handed off at(20) to rep-1 and accepted (at(30) unless told), then its activities and
// ending at the given minutes.
const accepted = (n: number, ending: Ending, slaPolicy = withFollowUp): LeadFact[] => {
  const leadId = lead(n);
  const handoff = leadHandedOff({ leadId, toRep: 'rep-1', slaPolicy, occurredAt: at(20) });
  const handoffEventId = handoff.metadata.eventId;
  return [
    leadCaptured({ leadId }),
    leadScored({ leadId, occurredAt: at(10) }),
    handoff,
    leadAccepted({
      leadId,
      handoffEventId,
      acceptedBy: 'rep-1',
      occurredAt: at(ending.acceptedAt ?? 30),
    }),
    ...ending.activities.map((minute) =>
      salesActivityLogged({ leadId, handoffEventId, occurredAt: at(minute) }),
    ),
    ...(ending.converted ? [leadConverted({ leadId, occurredAt: at(ending.converted) })] : []),
    ...(ending.lost ? [leadLost({ leadId, occurredAt: at(ending.lost) })] : []),
  ];
};

// A rejected handoff whose rejection marketing disputed and, unless still open, the sales
// manager overturned.
const disputed = (n: number, ruling: 'overturned' | 'open'): LeadFact[] => {
  const leadId = lead(n);
  const handoff = leadHandedOff({
    leadId,
    toRep: 'rep-2',
    slaPolicy: withFollowUp,
    occurredAt: at(20),
  });
  const handoffEventId = handoff.metadata.eventId;
  return [
    leadCaptured({ leadId }),
    leadScored({ leadId, occurredAt: at(10) }),
    handoff,
    leadRejected({ leadId, handoffEventId, occurredAt: at(40) }),
    leadRejectionDisputed({ leadId, handoffEventId, occurredAt: at(50) }),
    ...(ruling === 'open'
      ? []
      : [
          leadRejectionDisputeResolved({
            leadId,
            handoffEventId,
            outcome: ruling,
            occurredAt: at(60),
          }),
        ]),
  ];
};

// Deadline of a handoff accepted at(30): at(2910).
const now = at(2950);

describe('follow-up SLA queries', () => {
  let store: EmbeddedReadStore;
  beforeAll(async () => {
    store = new EmbeddedReadStore({ path: ':memory:' });
    const log = [
      ...accepted(1, { activities: [60, 2910] }), // the second attempt exactly at the deadline
      ...accepted(2, { activities: [60, 2911] }), // the second a moment late
      ...accepted(3, { activities: [], converted: 600 }), // won by the deadline
      ...accepted(4, { activities: [60], lost: 100 }), // lost before it, one attempt short
      ...accepted(5, { activities: [1100], acceptedAt: 1000 }), // due at(3880): still open
      ...accepted(6, { activities: [] }, { id: 'default', acceptWithinMinutes: 120 }), // no terms
      ...disputed(9, 'overturned'),
      ...disputed(10, 'open'),
    ];
    await replayInto(store, recordedLog(...log), leadProjections);
  });
  afterAll(() => store.close());

  it('one row per accepted handoff with follow-up terms, judged at now', async () => {
    const rows = await slaFollowUps(store, { now });
    expect(
      rows.map((row) => [row.leadId, row.attempts, row.attemptsByDeadline, row.status]),
    ).toEqual([
      [lead(1), 2, 2, 'met'],
      [lead(2), 2, 1, 'breached'],
      [lead(3), 0, 0, 'met'],
      [lead(4), 1, 1, 'breached'],
      [lead(5), 1, 1, 'open'],
    ]);
    expect(rows[0]).toEqual({
      handoffId: expect.any(String),
      leadId: lead(1),
      rep: 'rep-1',
      acceptedAt: at(30),
      deadline: at(2910),
      required: 2,
      attempts: 2,
      attemptsByDeadline: 2,
      status: 'met',
    });
  });

  it('filters by status and rep', async () => {
    const breached = await slaFollowUps(store, { now, status: 'breached' });
    expect(breached.map((row) => row.leadId)).toEqual([lead(2), lead(4)]);
    expect(await slaFollowUps(store, { now, rep: 'rep-2' })).toEqual([]);
  });

  it('as of an earlier now, a deadline not yet passed is open', async () => {
    const rows = await slaFollowUps(store, { now: at(2910) });
    expect(rows.map((row) => row.status)).toEqual(['met', 'open', 'met', 'breached', 'open']);
  });

  it('adds follow-up columns to the SLA summary, compliance over decided follow-ups', async () => {
    const { rows } = await slaSummary(store, { now, groupBy: 'rep', targetAt: () => null });
    expect(
      rows.map(
        ({
          key,
          followUps,
          followUpsMet,
          followUpsBreached,
          followUpsOpen,
          followUpCompliance,
        }) => ({
          key,
          followUps,
          followUpsMet,
          followUpsBreached,
          followUpsOpen,
          followUpCompliance,
        }),
      ),
    ).toEqual([
      {
        key: 'rep-1',
        followUps: 5,
        followUpsMet: 2,
        followUpsBreached: 2,
        followUpsOpen: 1,
        followUpCompliance: 0.5,
      },
      {
        key: 'rep-2',
        followUps: 0,
        followUpsMet: 0,
        followUpsBreached: 0,
        followUpsOpen: 0,
        followUpCompliance: null,
      },
    ]);
  });

  it('shows the dispute status on SLA handoff rows', async () => {
    const rows = await slaHandoffs(store, { now });
    expect(rows.find((row) => row.leadId === lead(9))?.dispute).toBe('overturned');
    expect(rows.find((row) => row.leadId === lead(1))?.dispute).toBe('none');
  });

  it('filters SLA handoff rows by dispute status: the open disputes await a ruling', async () => {
    const leads = async (dispute: 'open' | 'overturned' | 'upheld') =>
      (await slaHandoffs(store, { now, dispute })).map((row) => row.leadId);
    expect(await leads('open')).toEqual([lead(10)]);
    expect(await leads('overturned')).toEqual([lead(9)]);
    expect(await leads('upheld')).toEqual([]);
  });
});
