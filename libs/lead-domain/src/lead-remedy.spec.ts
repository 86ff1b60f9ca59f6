import {
  acceptLead,
  at,
  given,
  handOffLead,
  leadAccepted,
  leadCaptured,
  leadHandedOff,
  leadHandoffSlaBreached,
  leadLost,
  leadReassigned,
  leadRejected,
  leadReturnedToMarketing,
  leadScored,
  leadSlaEscalated,
  recordSlaBreach,
  rejectLead,
  remedySlaBreach,
  t0,
} from '@lead/testing';
import type { RemedyTerms } from './agreement/agreement-terms';
import type { LeadFact, SlaPolicy } from './lead-events';
import { foldLead } from './lead-state';

const pool = ['rep-1', 'rep-2', 'rep-3'];
const termsWith = (remedy?: RemedyTerms, extra: Partial<SlaPolicy> = {}): SlaPolicy => ({
  id: 'agreement@2',
  agreementVersion: 2,
  acceptWithinMinutes: 60,
  ...(remedy ? { remedy } : {}),
  ...extra,
});
const reassign = termsWith({ onResponseBreach: 'reassign', repPool: pool });

// Captured t0, scored at(10), handed off at(20) to `toRep` (due at(80)), breach alerted at(81).
const breached = (slaPolicy: SlaPolicy = reassign, toRep = 'rep-1') => {
  const handoff = leadHandedOff({ toRep, slaPolicy, occurredAt: at(20) });
  const handoffEventId = handoff.metadata.eventId;
  const breach = leadHandoffSlaBreached({ handoffEventId, dueAt: at(80), occurredAt: at(81) });
  const history: LeadFact[] = [
    leadCaptured({ occurredAt: t0 }),
    leadScored({ occurredAt: at(10) }),
    handoff,
    breach,
  ];
  return { history, handoffEventId, breachEventId: breach.metadata.eventId };
};

describe('RemedySlaBreach: reassign', () => {
  it('hands the lead to the next rep of the pool with a new clock from the remedy, under the breached terms', () => {
    const { history, handoffEventId, breachEventId } = breached();
    given(...history)
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: at(90) }))
      .then(
        leadReassigned({
          fromRep: 'rep-1',
          toRep: 'rep-2',
          previousHandoffEventId: handoffEventId,
          breachEventId,
          slaPolicy: reassign,
          dueAt: at(150),
        }),
      );
  });

  it('goes round the pool: after the last rep comes the first', () => {
    const { history, handoffEventId, breachEventId } = breached(reassign, 'rep-3');
    const [event] = given(...history)
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: at(90) }))
      .then(
        leadReassigned({
          fromRep: 'rep-3',
          toRep: 'rep-1',
          previousHandoffEventId: handoffEventId,
          breachEventId,
          slaPolicy: reassign,
          dueAt: at(150),
        }),
      );
    expect(event.type).toBe('LeadReassigned');
  });

  it('starts at the first rep of the pool when the breaching rep is not in it', () => {
    const { history, handoffEventId, breachEventId } = breached(reassign, 'rep-outside');
    given(...history)
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: at(90) }))
      .then(
        leadReassigned({
          fromRep: 'rep-outside',
          toRep: 'rep-1',
          previousHandoffEventId: handoffEventId,
          breachEventId,
          slaPolicy: reassign,
          dueAt: at(150),
        }),
      );
  });

  it('keeps pilot terms stamped at the breached handoff for the next rep, even outside the pilot', () => {
    // the pilot's 30 minutes were stamped because rep-1 is a pilot rep; rep-2 is not
    const pilotTerms = termsWith(
      { onResponseBreach: 'reassign', repPool: pool },
      { acceptWithinMinutes: 30 },
    );
    const { history, handoffEventId, breachEventId } = breached(pilotTerms);
    given(...history)
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: at(90) }))
      .then(
        leadReassigned({
          fromRep: 'rep-1',
          toRep: 'rep-2',
          previousHandoffEventId: handoffEventId,
          breachEventId,
          slaPolicy: pilotTerms,
          dueAt: at(120),
        }),
      );
  });

  it('counts the new clock inside business hours from the remedy time', () => {
    const businessHours = { timeZone: 'UTC', days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' };
    const terms = termsWith({ onResponseBreach: 'reassign', repPool: pool }, { businessHours });
    const { history, handoffEventId, breachEventId } = breached(terms);
    // Friday 16:30 + 60 working minutes = Monday 09:30
    given(...history)
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: '2026-01-09T16:30:00.000Z' }))
      .then(
        leadReassigned({
          fromRep: 'rep-1',
          toRep: 'rep-2',
          previousHandoffEventId: handoffEventId,
          breachEventId,
          slaPolicy: terms,
          dueAt: '2026-01-12T09:30:00.000Z',
          occurredAt: '2026-01-09T16:30:00.000Z',
        }),
      );
  });

  it('makes the reassignment the handoff that an acceptance or a rejection answers', () => {
    const { history, handoffEventId, breachEventId } = breached();
    const reassigned = leadReassigned({
      previousHandoffEventId: handoffEventId,
      breachEventId,
      slaPolicy: reassign,
      occurredAt: at(90),
    });
    const reassignmentId = reassigned.metadata.eventId;
    const state = foldLead([...history, reassigned]);
    expect(state).toMatchObject({ stage: 'handed_off', owner: 'rep-2' });
    given(...history, reassigned)
      .when(acceptLead({ acceptedBy: 'rep-2', occurredAt: at(100) }))
      .then(leadAccepted({ acceptedBy: 'rep-2', handoffEventId: reassignmentId }));
    given(...history, reassigned)
      .when(rejectLead({ occurredAt: at(100) }))
      .then(leadRejected({ handoffEventId: reassignmentId }));
  });

  it('refuses an acceptance dated before the reassignment', () => {
    const { history, handoffEventId, breachEventId } = breached();
    const reassigned = leadReassigned({
      previousHandoffEventId: handoffEventId,
      breachEventId,
      occurredAt: at(90),
    });
    given(...history, reassigned)
      .when(acceptLead({ occurredAt: at(85), now: at(100) }))
      .thenThrows('occurred_before_prerequisite');
  });

  it('lets the reassignment breach on its own deadline and be remedied again, to the next rep', () => {
    const { history, handoffEventId, breachEventId } = breached();
    const reassigned = leadReassigned({
      previousHandoffEventId: handoffEventId,
      breachEventId,
      slaPolicy: reassign,
      occurredAt: at(90),
      dueAt: at(150),
    });
    const reassignmentId = reassigned.metadata.eventId;
    given(...history, reassigned)
      .when(recordSlaBreach({ handoffEventId: reassignmentId, now: at(150) }))
      .then(leadHandoffSlaBreached({ handoffEventId: reassignmentId, dueAt: at(150) }));
    const secondBreach = leadHandoffSlaBreached({
      handoffEventId: reassignmentId,
      dueAt: at(150),
      occurredAt: at(151),
    });
    given(...history, reassigned, secondBreach)
      .when(
        remedySlaBreach({
          handoffEventId: reassignmentId,
          breachEventId: secondBreach.metadata.eventId,
          now: at(160),
        }),
      )
      .then(
        leadReassigned({
          fromRep: 'rep-2',
          toRep: 'rep-3',
          previousHandoffEventId: reassignmentId,
          breachEventId: secondBreach.metadata.eventId,
          slaPolicy: reassign,
          dueAt: at(220),
        }),
      );
  });

  it('raises no second alert for the handoff it replaced', () => {
    const { history, handoffEventId, breachEventId } = breached();
    const reassigned = leadReassigned({ previousHandoffEventId: handoffEventId, breachEventId });
    given(...history, reassigned)
      .when(recordSlaBreach({ handoffEventId, now: at(2000) }))
      .thenThrows('handoff_not_pending');
  });
});

describe('RemedySlaBreach: return to marketing and escalate', () => {
  const returning = termsWith({ onResponseBreach: 'return_to_marketing' });

  it('returns the lead to marketing, which may hand it off again (a new clock)', () => {
    const { history, handoffEventId, breachEventId } = breached(returning);
    given(...history)
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: at(90) }))
      .then(leadReturnedToMarketing({ handoffEventId, breachEventId }));
    const returned = leadReturnedToMarketing({ handoffEventId, breachEventId, occurredAt: at(90) });
    expect(foldLead([...history, returned])).toMatchObject({ stage: 'nurturing', owner: null });
    given(...history, returned)
      .when(handOffLead({ toRep: 'rep-9', occurredAt: at(100) }))
      .then(leadHandedOff({ toRep: 'rep-9', occurredAt: at(100) }));
  });

  it('refuses a re-handoff dated before the return', () => {
    const { history, handoffEventId, breachEventId } = breached(returning);
    const returned = leadReturnedToMarketing({ handoffEventId, breachEventId, occurredAt: at(90) });
    given(...history, returned)
      .when(handOffLead({ occurredAt: at(85), now: at(100) }))
      .thenThrows('occurred_before_prerequisite');
  });

  it('escalates to whom the terms name, without changing the stage', () => {
    const terms = termsWith({ onResponseBreach: 'escalate', escalateTo: 'vp-sales' });
    const { history, handoffEventId, breachEventId } = breached(terms);
    given(...history)
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: at(90) }))
      .then(leadSlaEscalated({ handoffEventId, breachEventId, to: 'vp-sales' }));
    const escalated = leadSlaEscalated({ handoffEventId, breachEventId, occurredAt: at(90) });
    expect(foldLead([...history, escalated])).toMatchObject({
      stage: 'handed_off',
      owner: 'rep-1',
    });
    given(...history, escalated)
      .when(acceptLead({ occurredAt: at(100) }))
      .then(leadAccepted({ handoffEventId }));
  });

  it('escalates to the sales manager when the terms name no one', () => {
    const { history, handoffEventId, breachEventId } = breached(
      termsWith({ onResponseBreach: 'escalate' }),
    );
    given(...history)
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: at(90) }))
      .then(leadSlaEscalated({ handoffEventId, breachEventId, to: 'sales_manager' }));
  });

  it.each([
    ['remedy none', termsWith({ onResponseBreach: 'none' })],
    ['no remedy in the terms', termsWith()],
  ])('decides nothing under %s', (_, terms) => {
    const { history, handoffEventId, breachEventId } = breached(terms);
    given(...history)
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: at(90) }))
      .then();
  });
});

describe('RemedySlaBreach: refusals', () => {
  it('refuses a second remedy of the same breach (escalated already)', () => {
    const { history, handoffEventId, breachEventId } = breached(
      termsWith({ onResponseBreach: 'escalate' }),
    );
    given(...history, leadSlaEscalated({ handoffEventId, breachEventId }))
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: at(90) }))
      .thenThrows('handoff_not_pending');
  });

  it('refuses once the breached handoff was reassigned', () => {
    const { history, handoffEventId, breachEventId } = breached();
    given(...history, leadReassigned({ previousHandoffEventId: handoffEventId, breachEventId }))
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: at(90) }))
      .thenThrows('handoff_not_pending');
  });

  it('refuses once the lead was returned to marketing', () => {
    const { history, handoffEventId, breachEventId } = breached();
    given(...history, leadReturnedToMarketing({ handoffEventId, breachEventId }))
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: at(90) }))
      .thenThrows('handoff_not_pending');
  });

  it.each([
    ['accepted', (handoffEventId: string) => leadAccepted({ handoffEventId, occurredAt: at(85) })],
    ['rejected', (handoffEventId: string) => leadRejected({ handoffEventId, occurredAt: at(85) })],
  ])('refuses once sales %s the handoff late', (_, response) => {
    const { history, handoffEventId, breachEventId } = breached();
    given(...history, response(handoffEventId))
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: at(90) }))
      .thenThrows('handoff_not_pending');
  });

  it('refuses once the lead is closed', () => {
    const { history, handoffEventId, breachEventId } = breached();
    given(...history, leadLost({ occurredAt: at(85) }))
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: at(90) }))
      .thenThrows('lead_closed');
  });

  it('refuses a breach that is not the latest breach of the current handoff', () => {
    const { history, handoffEventId } = breached();
    given(...history)
      .when(remedySlaBreach({ handoffEventId, breachEventId: 'not-the-breach', now: at(90) }))
      .thenThrows('handoff_not_pending');
  });

  it('refuses a handoff that was never breached', () => {
    const { history, handoffEventId, breachEventId } = breached();
    given(...history.slice(0, 3))
      .when(remedySlaBreach({ handoffEventId, breachEventId, now: at(90) }))
      .thenThrows('handoff_not_pending');
  });

  it('refuses for an unknown lead', () => {
    given()
      .when(remedySlaBreach({ handoffEventId: 'h', breachEventId: 'b' }))
      .thenThrows('lead_not_found');
  });
});
