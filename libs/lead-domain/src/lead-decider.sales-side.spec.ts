import {
  at,
  convertLead,
  disputeRejection,
  given,
  handOffLead,
  leadAccepted,
  leadCaptured,
  leadConverted,
  leadHandedOff,
  leadHistory,
  leadLost,
  leadQualifiedBySales,
  leadRejected,
  leadRejectionDisputeResolved,
  leadRejectionDisputed,
  leadScored,
  logSalesActivity,
  loseLead,
  qualifyLead,
  resolveRejectionDispute,
  salesActivityLogged,
} from '@lead/testing';
import type { LeadFact } from './lead-events';
import { foldLead } from './lead-state';

// leadHistory: captured t0, scored at(10), handed off at(20), accepted or rejected at(60),
// qualified by sales at(90), closed at(120).
const handoffIdOf = (history: LeadFact[]): string => {
  const handoff = history.find((event) => event.type === 'LeadHandedOff');
  if (!handoff) throw new Error('history has no handoff');
  return handoff.metadata.eventId;
};

describe('QualifyLead (SQL)', () => {
  it('qualifies an accepted lead as an opportunity: stage sql', () => {
    const history = leadHistory('accepted');
    given(...history)
      .when(
        qualifyLead({
          opportunityId: 'opp-7',
          estimatedAmount: 900_000,
          currency: 'EUR',
          occurredAt: at(90),
        }),
      )
      .then(
        leadQualifiedBySales({ opportunityId: 'opp-7', estimatedAmount: 900_000, currency: 'EUR' }),
      );
    const state = foldLead([
      ...history,
      leadQualifiedBySales({ opportunityId: 'opp-7', occurredAt: at(90) }),
    ]);
    expect(state).toMatchObject({
      stage: 'sql',
      opportunityId: 'opp-7',
      qualifiedBySalesAt: at(90),
    });
  });

  it('omits the estimate when none is given', () => {
    const [event] = given(...leadHistory('accepted'))
      .when(qualifyLead({ occurredAt: at(90) }))
      .then(leadQualifiedBySales());
    expect(Object.keys(event.data)).toEqual(['leadId', 'opportunityId']);
  });

  it('refuses to qualify twice', () => {
    given(...leadHistory('sql'))
      .when(qualifyLead({ occurredAt: at(100) }))
      .thenThrows('lead_already_sql');
  });

  it.each(['captured', 'mql', 'handed_off', 'nurturing'] as const)(
    'refuses to qualify a lead that is %s (before acceptance)',
    (stage) => {
      given(...leadHistory(stage))
        .when(qualifyLead({ occurredAt: at(90) }))
        .thenThrows('invalid_transition');
    },
  );

  it.each(['converted', 'lost'] as const)('refuses to qualify a lead that is %s', (stage) => {
    given(...leadHistory(stage))
      .when(qualifyLead({ occurredAt: at(200) }))
      .thenThrows('lead_closed');
  });

  it('refuses a qualification dated before the acceptance', () => {
    given(...leadHistory('accepted'))
      .when(qualifyLead({ occurredAt: at(50), now: at(90) }))
      .thenThrows('occurred_before_prerequisite');
  });
});

describe('ConvertLead and LoseLead from sql', () => {
  it('converts a lead in stage sql', () => {
    given(...leadHistory('sql'))
      .when(
        convertLead({
          amount: 500_000,
          currency: 'USD',
          opportunityId: 'opp-1',
          occurredAt: at(120),
        }),
      )
      .then(leadConverted({ amount: 500_000, currency: 'USD', opportunityId: 'opp-1' }));
  });

  it('refuses a conversion dated before the qualification', () => {
    given(...leadHistory('sql'))
      .when(convertLead({ occurredAt: at(80), now: at(120) }))
      .thenThrows('occurred_before_prerequisite');
  });

  it('loses a lead in stage sql', () => {
    given(...leadHistory('sql'))
      .when(loseLead({ occurredAt: at(120) }))
      .then(leadLost());
  });
});

describe('LogSalesActivity', () => {
  it.each(['accepted', 'sql'] as const)(
    'logs an outreach attempt on a lead that is %s, against the accepted handoff',
    (stage) => {
      const history = leadHistory(stage);
      given(...history)
        .when(
          logSalesActivity({
            kind: 'email',
            outcome: 'replied',
            note: 'asked for a demo',
            occurredAt: at(100),
          }),
        )
        .then(
          salesActivityLogged({
            kind: 'email',
            outcome: 'replied',
            note: 'asked for a demo',
            handoffEventId: handoffIdOf(history),
          }),
        );
    },
  );

  it('omits outcome and note when they are not given', () => {
    const history = leadHistory('accepted');
    const [event] = given(...history)
      .when(logSalesActivity({ occurredAt: at(100) }))
      .then(salesActivityLogged({ handoffEventId: handoffIdOf(history) }));
    expect(Object.keys(event.data)).toEqual(['leadId', 'kind', 'handoffEventId']);
  });

  it('counts towards the accepted handoff, not an earlier rejected one', () => {
    const first = leadHandedOff({ occurredAt: at(20) });
    const second = leadHandedOff({ occurredAt: at(70) });
    const history = [
      leadCaptured(),
      leadScored({ occurredAt: at(10) }),
      first,
      leadRejected({ handoffEventId: first.metadata.eventId, occurredAt: at(60) }),
      second,
      leadAccepted({ handoffEventId: second.metadata.eventId, occurredAt: at(80) }),
    ];
    given(...history)
      .when(logSalesActivity({ occurredAt: at(100) }))
      .then(salesActivityLogged({ handoffEventId: second.metadata.eventId }));
  });

  it.each(['captured', 'mql', 'handed_off', 'nurturing'] as const)(
    'refuses an activity on a lead that is %s (before acceptance)',
    (stage) => {
      given(...leadHistory(stage))
        .when(logSalesActivity({ occurredAt: at(100) }))
        .thenThrows('invalid_transition');
    },
  );

  it.each(['converted', 'lost'] as const)(
    'refuses an activity on a lead that is %s (after close)',
    (stage) => {
      given(...leadHistory(stage))
        .when(logSalesActivity({ occurredAt: at(200) }))
        .thenThrows('lead_closed');
    },
  );

  it('refuses an activity dated before the acceptance', () => {
    given(...leadHistory('accepted'))
      .when(logSalesActivity({ occurredAt: at(30), now: at(100) }))
      .thenThrows('occurred_before_prerequisite');
  });
});

describe('rejection disputes', () => {
  const rejected = () => {
    const history = leadHistory('nurturing');
    return { history, handoffEventId: handoffIdOf(history) };
  };

  it('marketing disputes a rejected handoff with a reason', () => {
    const { history, handoffEventId } = rejected();
    given(...history)
      .when(disputeRejection({ handoffEventId, reason: 'fits the ICP', occurredAt: at(100) }))
      .then(leadRejectionDisputed({ handoffEventId, reason: 'fits the ICP' }));
  });

  it('allows a dispute of a rejection on a lead that was since handed off again and closed', () => {
    const { history, handoffEventId } = rejected();
    const closed = [...history, handOffAgainAndLose()].flat();
    given(...closed)
      .when(disputeRejection({ handoffEventId, occurredAt: at(300) }))
      .then(leadRejectionDisputed({ handoffEventId }));
  });

  it('refuses to dispute a handoff that was accepted, not rejected', () => {
    const history = leadHistory('accepted');
    given(...history)
      .when(disputeRejection({ handoffEventId: handoffIdOf(history), occurredAt: at(100) }))
      .thenThrows('handoff_not_rejected');
  });

  it('refuses to dispute a handoff still waiting for a response', () => {
    const history = leadHistory('handed_off');
    given(...history)
      .when(disputeRejection({ handoffEventId: handoffIdOf(history), occurredAt: at(100) }))
      .thenThrows('handoff_not_rejected');
  });

  it('refuses a second dispute of the same rejection', () => {
    const { history, handoffEventId } = rejected();
    given(...history, leadRejectionDisputed({ handoffEventId, occurredAt: at(100) }))
      .when(disputeRejection({ handoffEventId, occurredAt: at(110) }))
      .thenThrows('rejection_already_disputed');
  });

  it('refuses a dispute once it was ruled on', () => {
    const { history, handoffEventId } = rejected();
    given(
      ...history,
      leadRejectionDisputed({ handoffEventId, occurredAt: at(100) }),
      leadRejectionDisputeResolved({ handoffEventId, outcome: 'upheld', occurredAt: at(110) }),
    )
      .when(disputeRejection({ handoffEventId, occurredAt: at(120) }))
      .thenThrows('rejection_already_disputed');
  });

  it('refuses a dispute of a handoff the lead does not have', () => {
    given(...rejected().history)
      .when(
        disputeRejection({
          handoffEventId: '00000000-0000-7000-8000-0000000000ff',
          occurredAt: at(100),
        }),
      )
      .thenThrows('handoff_not_found');
  });

  it('refuses a dispute on an unknown lead', () => {
    given()
      .when(disputeRejection({ handoffEventId: '00000000-0000-7000-8000-0000000000ff' }))
      .thenThrows('lead_not_found');
  });

  it.each(['upheld', 'overturned'] as const)('a sales manager rules a dispute %s', (outcome) => {
    const { history, handoffEventId } = rejected();
    given(...history, leadRejectionDisputed({ handoffEventId, occurredAt: at(100) }))
      .when(
        resolveRejectionDispute({
          handoffEventId,
          outcome,
          note: 'reviewed the call',
          occurredAt: at(110),
        }),
      )
      .then(leadRejectionDisputeResolved({ handoffEventId, outcome, note: 'reviewed the call' }));
  });

  it('keeps the dispute status per handoff in the state', () => {
    const { history, handoffEventId } = rejected();
    const state = foldLead([
      ...history,
      leadRejectionDisputed({ handoffEventId, occurredAt: at(100) }),
      leadRejectionDisputeResolved({ handoffEventId, outcome: 'overturned', occurredAt: at(110) }),
    ]);
    expect(state.stage !== 'initial' && state.handoffs).toEqual([
      {
        eventId: handoffEventId,
        dueAt: at(1460),
        responded: true,
        rejectedAt: at(60),
        dispute: { status: 'overturned', at: at(110) },
      },
    ]);
  });

  it('refuses a dispute dated before the rejection, and a ruling dated before the dispute', () => {
    const { history, handoffEventId } = rejected();
    given(...history)
      .when(disputeRejection({ handoffEventId, occurredAt: at(50), now: at(100) }))
      .thenThrows('occurred_before_prerequisite');
    given(...history, leadRejectionDisputed({ handoffEventId, occurredAt: at(100) }))
      .when(resolveRejectionDispute({ handoffEventId, occurredAt: at(90), now: at(110) }))
      .thenThrows('occurred_before_prerequisite');
  });

  it('refuses a ruling on an undisputed rejection', () => {
    const { history, handoffEventId } = rejected();
    given(...history)
      .when(resolveRejectionDispute({ handoffEventId, occurredAt: at(100) }))
      .thenThrows('rejection_not_disputed');
  });

  it('refuses a second ruling', () => {
    const { history, handoffEventId } = rejected();
    given(
      ...history,
      leadRejectionDisputed({ handoffEventId, occurredAt: at(100) }),
      leadRejectionDisputeResolved({ handoffEventId, outcome: 'upheld', occurredAt: at(110) }),
    )
      .when(resolveRejectionDispute({ handoffEventId, outcome: 'overturned', occurredAt: at(120) }))
      .thenThrows('rejection_dispute_already_resolved');
  });

  it('refuses a ruling on a handoff the lead does not have', () => {
    given(...rejected().history)
      .when(
        resolveRejectionDispute({
          handoffEventId: '00000000-0000-7000-8000-0000000000ff',
          occurredAt: at(100),
        }),
      )
      .thenThrows('handoff_not_found');
  });
});

// After the rejection at(60): handed off again at(150), lost at(200).
const handOffAgainAndLose = (): LeadFact[] => [
  leadHandedOff({ occurredAt: at(150) }),
  leadLost({ occurredAt: at(200) }),
];

it('leadHistory(sql) folds to stage sql', () => {
  expect(foldLead(leadHistory('sql')).stage).toBe('sql');
});

// handOffLead is refused in sql like in accepted: a lead sales owns is not handed off again.
it('refuses to hand off a lead in stage sql', () => {
  given(...leadHistory('sql'))
    .when(handOffLead({ occurredAt: at(100) }))
    .thenThrows('invalid_transition');
});
