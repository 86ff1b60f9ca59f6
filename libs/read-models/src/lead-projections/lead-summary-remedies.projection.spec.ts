import type { LeadEvent, LeadFact } from '@lead/domain';
import type { RecordedEvent } from '@lead/event-store';
import {
  at,
  leadAccepted,
  leadCaptured,
  leadHandedOff,
  leadHandoffSlaBreached,
  leadLost,
  leadReassigned,
  leadReturnedToMarketing,
  leadScored,
  leadSlaEscalated,
  recordedLog,
} from '@lead/testing';
import { type LeadSummaryDoc, applyLeadSummary } from './lead-summary.projection';

const project = (events: RecordedEvent<LeadEvent>[]): LeadSummaryDoc =>
  events.reduce<LeadSummaryDoc | null>(applyLeadSummary, null)!;
const given = (...facts: LeadFact[]): LeadSummaryDoc => project(recordedLog(...facts));

const slaPolicy = {
  id: 'agreement@2',
  agreementVersion: 2,
  acceptWithinMinutes: 60,
  remedy: { onResponseBreach: 'reassign' as const, repPool: ['rep-1', 'rep-2'] },
};

// Captured t0, handed off at(30) to rep-1 (due at(90)), breach alerted at(91).
const breached = () => {
  const handoff = leadHandedOff({ toRep: 'rep-1', slaPolicy, occurredAt: at(30) });
  const handoffEventId = handoff.metadata.eventId;
  const breach = leadHandoffSlaBreached({ handoffEventId, dueAt: at(90), occurredAt: at(91) });
  return {
    history: [leadCaptured(), leadScored({ occurredAt: at(10) }), handoff, breach],
    handoffEventId,
    breachEventId: breach.metadata.eventId,
  };
};

describe('leadSummaryProjection: remedies on a response breach', () => {
  it('keeps the breach alert event id on the breached row, for the remedy automation', () => {
    const { history, breachEventId } = breached();
    expect(given(...history).handoffs[0]).toMatchObject({
      breachAlertedAt: at(91),
      breachEventId,
      remedy: null,
    });
  });

  it('a reassignment is a new row for the new rep, and the breached row shows its remedy', () => {
    const { history, handoffEventId, breachEventId } = breached();
    const reassigned = leadReassigned({
      previousHandoffEventId: handoffEventId,
      breachEventId,
      fromRep: 'rep-1',
      toRep: 'rep-2',
      slaPolicy,
      occurredAt: at(95),
      dueAt: at(155),
    });
    const doc = given(...history, reassigned);
    expect(doc).toMatchObject({ stage: 'handed_off', owner: 'rep-2', handedOffAt: at(30) });
    expect(doc.handoffs).toHaveLength(2);
    expect(doc.handoffs[0].remedy).toEqual({
      kind: 'reassign',
      at: at(95),
      eventId: reassigned.metadata.eventId,
    });
    expect(doc.handoffs[1]).toMatchObject({
      handoffId: reassigned.metadata.eventId,
      toRep: 'rep-2',
      handedOffAt: at(95),
      dueAt: at(155),
      slaPolicy,
      first: false,
      // marketing's clock is the breached handoff's, not re-run by sales' delay
      speedToLeadMinutes: 30,
      response: null,
      breachAlertedAt: null,
      remedy: null,
      reassignedFrom: { handoffId: handoffEventId, rep: 'rep-1' },
    });
  });

  it('a return to marketing puts the lead in nurturing without an owner and marks the row', () => {
    const { history, handoffEventId, breachEventId } = breached();
    const returned = leadReturnedToMarketing({ handoffEventId, breachEventId, occurredAt: at(95) });
    const doc = given(...history, returned);
    expect(doc).toMatchObject({ stage: 'nurturing', owner: null });
    expect(doc.handoffs[0].remedy).toEqual({
      kind: 'return_to_marketing',
      at: at(95),
      eventId: returned.metadata.eventId,
    });
  });

  it('an escalation marks the row and leaves stage and owner', () => {
    const { history, handoffEventId, breachEventId } = breached();
    const escalated = leadSlaEscalated({ handoffEventId, breachEventId, occurredAt: at(95) });
    const doc = given(...history, escalated);
    expect(doc).toMatchObject({ stage: 'handed_off', owner: 'rep-1' });
    expect(doc.handoffs[0].remedy).toEqual({
      kind: 'escalate',
      at: at(95),
      eventId: escalated.metadata.eventId,
    });
  });
});

describe('leadSummaryProjection: automationDueAt, when the SLA automations have work', () => {
  const handoff = () => leadHandedOff({ toRep: 'rep-1', slaPolicy, occurredAt: at(30) });
  const opened = () => [leadCaptured(), leadScored({ occurredAt: at(10) }), handoff()];

  it('is null before any handoff', () => {
    expect(given(leadCaptured(), leadScored({ occurredAt: at(10) })).automationDueAt).toBeNull();
  });

  it('is the deadline of a handoff waiting for its response and breach alert', () => {
    expect(given(...opened()).automationDueAt).toBe(at(90));
  });

  it('is null once the handoff is answered', () => {
    const [captured, scored, handedOff] = opened();
    const handoffEventId = handedOff.metadata.eventId;
    const accepted = leadAccepted({ handoffEventId, acceptedBy: 'rep-1', occurredAt: at(40) });
    expect(given(captured, scored, handedOff, accepted).automationDueAt).toBeNull();
  });

  it('stays the deadline after a live breach whose terms ask for a remedy, null once remedied', () => {
    const { history, handoffEventId, breachEventId } = breached();
    expect(given(...history).automationDueAt).toBe(at(90));
    const escalated = leadSlaEscalated({ handoffEventId, breachEventId, occurredAt: at(95) });
    expect(given(...history, escalated).automationDueAt).toBeNull();
  });

  it("is the reassignment's deadline once the breached handoff was reassigned", () => {
    const { history, handoffEventId, breachEventId } = breached();
    const reassigned = leadReassigned({
      previousHandoffEventId: handoffEventId,
      breachEventId,
      fromRep: 'rep-1',
      toRep: 'rep-2',
      slaPolicy,
      occurredAt: at(95),
      dueAt: at(155),
    });
    expect(given(...history, reassigned).automationDueAt).toBe(at(155));
  });

  it('is null after a breach alert when the terms ask for no remedy', () => {
    const none = { ...slaPolicy, remedy: { onResponseBreach: 'none' as const } };
    const handedOff = leadHandedOff({ slaPolicy: none, occurredAt: at(30) });
    const handoffEventId = handedOff.metadata.eventId;
    const breach = leadHandoffSlaBreached({ handoffEventId, dueAt: at(90), occurredAt: at(91) });
    const doc = given(leadCaptured(), leadScored({ occurredAt: at(10) }), handedOff, breach);
    expect(doc.automationDueAt).toBeNull();
  });

  it('is null after the breach alert of a handoff recorded after its deadline (history)', () => {
    const { history } = breached();
    const [captured, scored, handedOff, breach] = recordedLog(...history);
    const backfilled = { ...handedOff, metadata: { ...handedOff.metadata, recordedAt: at(600) } };
    expect(project([captured, scored, backfilled]).automationDueAt).toBe(at(90));
    expect(project([captured, scored, backfilled, breach]).automationDueAt).toBeNull();
  });

  it('is null once the lead no longer waits on sales (lost while handed off)', () => {
    expect(given(...opened(), leadLost({ occurredAt: at(40) })).automationDueAt).toBeNull();
  });
});
