import {
  acceptLead,
  at,
  captureLead,
  convertLead,
  correctHandoffSla,
  engageLead,
  eraseLeadPersonalData,
  given,
  handOffLead,
  leadAccepted,
  leadCaptured,
  leadConverted,
  leadEngaged,
  leadHandedOff,
  leadHandoffSlaBreached,
  leadHandoffSlaCorrected,
  leadHistory,
  leadLost,
  leadPersonalDataErased,
  leadProfileUpdated,
  leadRejected,
  leadScored,
  loseLead,
  recordSlaBreach,
  rejectLead,
  scoreLead,
  t0,
  defaultLeadPolicy,
  updateLeadProfile,
} from '@lead/testing';
import type { LeadCommand } from './lead-commands';
import { decide, leadDecider, maxClockSkewMs } from './lead-decider';
import type { LeadFact } from './lead-events';
import { foldLead, type LeadStage } from './lead-state';

const openStages = ['captured', 'mql', 'nurturing', 'handed_off', 'accepted'] as const;
const closedStages = ['converted', 'lost'] as const;
const existingStages = [...openStages, ...closedStages];

// The pending handoff of a history built by leadHistory('handed_off').
const pendingHandoff = (history: LeadFact[]) => {
  const handoff = history.find((event) => event.type === 'LeadHandedOff');
  if (!handoff) throw new Error('history has no handoff');
  return handoff;
};

// A lead captured, scored qualified at(10) and handed off at(20): due at(1460).
const handedOff = () => {
  const history = leadHistory('handed_off');
  return { history, handoffEventId: pendingHandoff(history).metadata.eventId, dueAt: at(1460) };
};

describe('CaptureLead', () => {
  it('captures a new lead with its source, team and prior touches', () => {
    const priorTouches = [{ campaignId: 'cmp-ebook', channel: 'organic', occurredAt: at(-600) }];
    given()
      .when(captureLead({ sourcedBy: 'partner', priorTouches }))
      .then(leadCaptured({ sourcedBy: 'partner', priorTouches }));
  });

  it('omits name and company when they are not given, instead of storing undefined', () => {
    const [event] = given()
      .when(captureLead({ name: undefined, company: undefined }))
      .then(leadCaptured({ name: undefined, company: undefined }));
    expect(Object.keys(event.data)).toEqual([
      'leadId',
      'email',
      'source',
      'sourcedBy',
      'priorTouches',
    ]);
  });

  it('refuses a lead that already exists', () => {
    given(leadCaptured()).when(captureLead()).thenThrows('lead_already_exists');
  });

  it.each(existingStages)('refuses to capture again a lead that is %s', (stage) => {
    given(...leadHistory(stage))
      .when(captureLead())
      .thenThrows('lead_already_exists');
  });
});

describe('EngageLead', () => {
  it.each(openStages)('records an engagement while the lead is %s', (stage) => {
    given(...leadHistory(stage))
      .when(engageLead({ campaignId: 'cmp-demo', channel: 'web', kind: 'demo_request' }))
      .then(leadEngaged({ campaignId: 'cmp-demo', channel: 'web', kind: 'demo_request' }));
  });

  it.each(closedStages)('refuses an engagement once the lead is %s', (stage) => {
    given(...leadHistory(stage))
      .when(engageLead())
      .thenThrows('lead_closed');
  });

  it('refuses an engagement for an unknown lead', () => {
    given().when(engageLead()).thenThrows('lead_not_found');
  });
});

describe('ScoreLead', () => {
  it('records the first score with no previous score', () => {
    given(leadCaptured())
      .when(scoreLead({ score: 72, reasons: [{ rule: 'job_title', points: 72 }], model: 'fit@2' }))
      .then(
        leadScored({
          score: 72,
          previousScore: null,
          qualified: true,
          reasons: [{ rule: 'job_title', points: 72 }],
          model: 'fit@2',
        }),
      );
  });

  it('carries the previous score', () => {
    given(leadCaptured(), leadScored({ score: 40 }), leadScored({ score: 55, previousScore: 40 }))
      .when(scoreLead({ score: 30 }))
      .then(leadScored({ score: 30, previousScore: 55, qualified: false }));
  });

  it.each([
    { score: 59, qualified: false },
    { score: 60, qualified: true },
    { score: 61, qualified: true },
    { score: 0, qualified: false },
    { score: 100, qualified: true },
  ])(
    'a score of $score against the threshold 60 is qualified: $qualified',
    ({ score, qualified }) => {
      given(leadCaptured())
        .when(scoreLead({ score }), { mqlThreshold: 60 })
        .then(leadScored({ score, qualified }));
    },
  );

  it('judges qualification by the threshold in the policy in force', () => {
    given(leadCaptured())
      .when(scoreLead({ score: 65 }), { mqlThreshold: 70 })
      .then(leadScored({ score: 65, qualified: false }));
  });

  it('omits the model when none is given', () => {
    const [event] = given(leadCaptured())
      .when(scoreLead({ model: undefined }))
      .then(leadScored());
    expect('model' in event.data).toBe(false);
  });

  it('a score that crosses the threshold makes a captured lead an MQL, ready for handoff', () => {
    const history = [leadCaptured(), leadScored({ score: 40 })];
    const scored = leadScored({ score: 75, previousScore: 40, qualified: true });
    given(...history)
      .when(scoreLead({ score: 75 }))
      .then(scored);
    expect(foldLead([...history, scored]).stage).toBe('mql');
    given(...history, scored)
      .when(handOffLead())
      .then(leadHandedOff({ dueAt: at(1440) }));
  });

  it('a score that drops below the threshold returns an MQL to captured, no longer ready for handoff', () => {
    const history = [
      ...leadHistory('mql'),
      leadScored({ score: 45, previousScore: 80, occurredAt: at(30) }),
    ];
    expect(foldLead(history).stage).toBe('captured');
    given(...history)
      .when(handOffLead({ occurredAt: at(40) }))
      .thenThrows('lead_not_qualified');
  });

  it('a nurtured lead stays nurturing when rescored, but its qualification follows the score', () => {
    const nurturing = leadHistory('nurturing');
    given(...nurturing)
      .when(scoreLead({ score: 50, occurredAt: at(90) }))
      .then(leadScored({ score: 50, previousScore: 80, qualified: false }));
    const rescored = [
      ...nurturing,
      leadScored({ score: 50, previousScore: 80, occurredAt: at(90) }),
    ];
    expect(foldLead(rescored)).toMatchObject({ stage: 'nurturing', score: 50, qualified: false });
    given(...rescored)
      .when(handOffLead({ occurredAt: at(100) }))
      .thenThrows('lead_not_qualified');
  });

  it.each(['handed_off', 'accepted'] as const)(
    'rescoring is allowed while the lead is %s',
    (stage) => {
      given(...leadHistory(stage))
        .when(scoreLead({ score: 95, occurredAt: at(70) }))
        .then(leadScored({ score: 95, previousScore: 80, qualified: true }));
    },
  );

  it.each(closedStages)('refuses a score once the lead is %s', (stage) => {
    given(...leadHistory(stage))
      .when(scoreLead())
      .thenThrows('lead_closed');
  });

  it('refuses a score for an unknown lead', () => {
    given().when(scoreLead()).thenThrows('lead_not_found');
  });
});

describe('HandOffLead', () => {
  it('hands off an MQL from marketing, stamping the SLA policy and its deadline', () => {
    const policy = { id: 'enterprise', acceptWithinMinutes: 240 };
    given(...leadHistory('mql'))
      .when(handOffLead({ toRep: 'rep-7', note: 'asked for a demo', occurredAt: at(30) }), {
        slaPolicy: policy,
      })
      .then(
        leadHandedOff({
          toRep: 'rep-7',
          fromTeam: 'marketing',
          note: 'asked for a demo',
          slaPolicy: policy,
          dueAt: at(270),
        }),
      );
  });

  it('computes the deadline from business time, not from now, for a backfilled handoff', () => {
    given(...leadHistory('mql'))
      .when(handOffLead({ occurredAt: at(30), now: at(5000) }))
      .then(leadHandedOff({ dueAt: at(30 + 1440) }));
  });

  it('omits note and override when they are not given', () => {
    const [event] = given(...leadHistory('mql'))
      .when(handOffLead({ note: undefined, override: undefined }))
      .then(leadHandedOff());
    expect(Object.keys(event.data)).toEqual(['leadId', 'toRep', 'fromTeam', 'slaPolicy', 'dueAt']);
  });

  it('refuses to hand off a captured lead that was never scored', () => {
    given(leadCaptured()).when(handOffLead()).thenThrows('lead_not_qualified');
  });

  it('refuses to hand off a captured lead scored below the threshold', () => {
    given(leadCaptured(), leadScored({ score: 59 }))
      .when(handOffLead())
      .thenThrows('lead_not_qualified');
  });

  it('hands off a lead below the threshold with an override, keeping the reason', () => {
    given(leadCaptured(), leadScored({ score: 30 }))
      .when(handOffLead({ override: { reason: 'CEO referral' } }))
      .then(leadHandedOff({ override: { reason: 'CEO referral' } }));
  });

  it('hands off a nurtured lead that is still qualified, with a new SLA clock', () => {
    const { history, handoffEventId } = handedOff();
    const nurturing = [...history, leadRejected({ handoffEventId, occurredAt: at(60) })];
    given(...nurturing)
      .when(handOffLead({ toRep: 'rep-2', occurredAt: at(200) }))
      .then(leadHandedOff({ toRep: 'rep-2', dueAt: at(200 + 1440) }));
  });

  it('hands off a nurtured lead no longer qualified only with an override', () => {
    const nurturing = [
      ...leadHistory('nurturing'),
      leadScored({ score: 20, previousScore: 80, occurredAt: at(90) }),
    ];
    given(...nurturing)
      .when(handOffLead({ occurredAt: at(100) }))
      .thenThrows('lead_not_qualified');
    given(...nurturing)
      .when(handOffLead({ occurredAt: at(100), override: { reason: 'budget approved' } }))
      .then(leadHandedOff({ override: { reason: 'budget approved' }, dueAt: at(100 + 1440) }));
  });

  it.each(['handed_off', 'accepted'] as const)(
    'refuses to hand off a lead that is %s, even with an override',
    (stage) => {
      given(...leadHistory(stage))
        .when(handOffLead({ occurredAt: at(90) }))
        .thenThrows('invalid_transition');
      given(...leadHistory(stage))
        .when(handOffLead({ occurredAt: at(90), override: { reason: 'reassign' } }))
        .thenThrows('invalid_transition');
    },
  );

  it.each(closedStages)('refuses to hand off a lead that is %s', (stage) => {
    given(...leadHistory(stage))
      .when(handOffLead({ occurredAt: at(200) }))
      .thenThrows('lead_closed');
  });

  it('refuses to hand off an unknown lead', () => {
    given().when(handOffLead()).thenThrows('lead_not_found');
  });
});

describe('AcceptLead', () => {
  it('accepts a handed-off lead, naming the handoff it answers', () => {
    const { history, handoffEventId } = handedOff();
    given(...history)
      .when(acceptLead({ acceptedBy: 'rep-1', occurredAt: at(45) }))
      .then(leadAccepted({ acceptedBy: 'rep-1', handoffEventId }));
  });

  it('accepts late, after the SLA breach was recorded', () => {
    const { history, handoffEventId, dueAt } = handedOff();
    given(...history, leadHandoffSlaBreached({ handoffEventId, dueAt, occurredAt: at(1461) }))
      .when(acceptLead({ occurredAt: at(1500) }))
      .then(leadAccepted({ handoffEventId }));
  });

  it('answers the latest handoff after a rejection and a new handoff', () => {
    const { history, handoffEventId } = handedOff();
    const second = leadHandedOff({ toRep: 'rep-2', occurredAt: at(200) });
    given(...history, leadRejected({ handoffEventId, occurredAt: at(60) }), second)
      .when(acceptLead({ acceptedBy: 'rep-2', occurredAt: at(210) }))
      .then(leadAccepted({ acceptedBy: 'rep-2', handoffEventId: second.metadata.eventId }));
  });

  it.each(['captured', 'mql', 'nurturing', 'accepted'] as const)(
    'refuses to accept a lead that is %s',
    (stage) => {
      given(...leadHistory(stage))
        .when(acceptLead({ occurredAt: at(90) }))
        .thenThrows('invalid_transition');
    },
  );

  it.each(closedStages)('refuses to accept a lead that is %s', (stage) => {
    given(...leadHistory(stage))
      .when(acceptLead({ occurredAt: at(200) }))
      .thenThrows('lead_closed');
  });

  it('refuses to accept an unknown lead', () => {
    given().when(acceptLead()).thenThrows('lead_not_found');
  });
});

describe('RejectLead', () => {
  it('rejects a handed-off lead with a reason and note, naming the handoff it answers', () => {
    const { history, handoffEventId } = handedOff();
    given(...history)
      .when(rejectLead({ reason: 'bad_contact', note: 'phone bounces', occurredAt: at(50) }))
      .then(leadRejected({ reason: 'bad_contact', note: 'phone bounces', handoffEventId }));
  });

  it('omits the note when none is given', () => {
    const { history, handoffEventId } = handedOff();
    const [event] = given(...history)
      .when(rejectLead({ note: undefined, occurredAt: at(50) }))
      .then(leadRejected({ handoffEventId }));
    expect(Object.keys(event.data)).toEqual(['leadId', 'reason', 'handoffEventId']);
  });

  it('sends the lead back to nurturing, to be handed off again on a new SLA clock', () => {
    const { history, handoffEventId } = handedOff();
    const rejected = [...history, leadRejected({ handoffEventId, occurredAt: at(50) })];
    expect(foldLead(rejected)).toMatchObject({ stage: 'nurturing', owner: null });
    const second = leadHandedOff({ toRep: 'rep-2', occurredAt: at(300) });
    given(...rejected)
      .when(handOffLead({ toRep: 'rep-2', occurredAt: at(300) }))
      .then(second);
    // The first handoff was answered: only the new one can breach, and only on its own deadline.
    given(...rejected, second)
      .when(recordSlaBreach({ handoffEventId, now: at(1500) }))
      .thenThrows('handoff_not_pending');
    given(...rejected, second)
      .when(recordSlaBreach({ handoffEventId: second.metadata.eventId, now: at(1500) }))
      .thenThrows('handoff_not_pending');
    given(...rejected, second)
      .when(recordSlaBreach({ handoffEventId: second.metadata.eventId, now: at(300 + 1440) }))
      .then(
        leadHandoffSlaBreached({ handoffEventId: second.metadata.eventId, dueAt: at(300 + 1440) }),
      );
  });

  it.each(['captured', 'mql', 'nurturing', 'accepted'] as const)(
    'refuses to reject a lead that is %s',
    (stage) => {
      given(...leadHistory(stage))
        .when(rejectLead({ occurredAt: at(90) }))
        .thenThrows('invalid_transition');
    },
  );

  it.each(closedStages)('refuses to reject a lead that is %s', (stage) => {
    given(...leadHistory(stage))
      .when(rejectLead({ occurredAt: at(200) }))
      .thenThrows('lead_closed');
  });

  it('refuses to reject an unknown lead', () => {
    given().when(rejectLead()).thenThrows('lead_not_found');
  });
});

describe('ConvertLead', () => {
  it('converts an accepted lead with an amount in minor units and its currency', () => {
    given(...leadHistory('accepted'))
      .when(
        convertLead({
          amount: 123_456,
          currency: 'USD',
          opportunityId: 'opp-42',
          occurredAt: at(500),
        }),
      )
      .then(leadConverted({ amount: 123_456, currency: 'USD', opportunityId: 'opp-42' }));
  });

  it('omits the opportunity id when none is given', () => {
    const [event] = given(...leadHistory('accepted'))
      .when(convertLead({ opportunityId: undefined, occurredAt: at(500) }))
      .then(leadConverted());
    expect(Object.keys(event.data)).toEqual(['leadId', 'amount', 'currency']);
  });

  it('refuses to convert a lead sales has not accepted yet', () => {
    given(...leadHistory('handed_off'))
      .when(convertLead({ occurredAt: at(30) }))
      .thenThrows('invalid_transition');
  });

  it.each(['captured', 'mql', 'nurturing'] as const)(
    'refuses to convert a lead that is %s',
    (stage) => {
      given(...leadHistory(stage))
        .when(convertLead({ occurredAt: at(90) }))
        .thenThrows('invalid_transition');
    },
  );

  it.each(closedStages)('refuses to convert a lead that is %s', (stage) => {
    given(...leadHistory(stage))
      .when(convertLead({ occurredAt: at(200) }))
      .thenThrows('lead_closed');
  });

  it('refuses to convert an unknown lead', () => {
    given().when(convertLead()).thenThrows('lead_not_found');
  });
});

describe('LoseLead', () => {
  it.each(openStages)('loses a lead that is %s', (stage) => {
    given(...leadHistory(stage))
      .when(loseLead({ reason: 'went_with_competitor', note: 'chose Acme', occurredAt: at(90) }))
      .then(leadLost({ reason: 'went_with_competitor', note: 'chose Acme' }));
  });

  it('omits the note when none is given', () => {
    const [event] = given(...leadHistory('mql'))
      .when(loseLead({ note: undefined, occurredAt: at(90) }))
      .then(leadLost());
    expect(Object.keys(event.data)).toEqual(['leadId', 'reason']);
  });

  it.each(closedStages)('refuses to lose a lead that is already %s', (stage) => {
    given(...leadHistory(stage))
      .when(loseLead({ occurredAt: at(200) }))
      .thenThrows('lead_closed');
  });

  it('refuses to lose an unknown lead', () => {
    given().when(loseLead()).thenThrows('lead_not_found');
  });
});

describe('a closed lead', () => {
  const changes = (): LeadCommand[] => [
    engageLead({ occurredAt: at(200) }),
    scoreLead({ occurredAt: at(200) }),
    handOffLead({ occurredAt: at(200), override: { reason: 'retry' } }),
    acceptLead({ occurredAt: at(200) }),
    rejectLead({ occurredAt: at(200) }),
    convertLead({ occurredAt: at(200) }),
    loseLead({ occurredAt: at(200) }),
  ];

  it.each(closedStages)('accepts no further change once %s', (stage) => {
    for (const command of changes())
      given(...leadHistory(stage))
        .when(command)
        .thenThrows('lead_closed');
  });

  it('accepts no SLA breach once converted, even for the handoff it answered', () => {
    const history = leadHistory('converted');
    given(...history)
      .when(
        recordSlaBreach({
          handoffEventId: pendingHandoff(history).metadata.eventId,
          now: at(2000),
        }),
      )
      .thenThrows('lead_closed');
  });

  it('accepts no SLA breach once lost from handed off, even past the deadline', () => {
    const { history, handoffEventId } = handedOff();
    given(...history, leadLost({ occurredAt: at(30) }))
      .when(recordSlaBreach({ handoffEventId, now: at(2000) }))
      .thenThrows('lead_closed');
  });
});

describe('RecordSlaBreach', () => {
  it('records the breach of the pending handoff when now reaches its deadline', () => {
    const { history, handoffEventId, dueAt } = handedOff();
    given(...history)
      .when(recordSlaBreach({ handoffEventId, now: dueAt }))
      .then(leadHandoffSlaBreached({ handoffEventId, dueAt }));
  });

  it('records the breach well after the deadline, still naming the stamped deadline', () => {
    const { history, handoffEventId, dueAt } = handedOff();
    given(...history)
      .when(recordSlaBreach({ handoffEventId, now: at(5000) }))
      .then(leadHandoffSlaBreached({ handoffEventId, dueAt }));
  });

  it('refuses before the deadline', () => {
    const { history, handoffEventId } = handedOff();
    const justBefore = new Date(Date.parse(at(1460)) - 1).toISOString();
    given(...history)
      .when(recordSlaBreach({ handoffEventId, now: justBefore }))
      .thenThrows('handoff_not_pending');
  });

  it('records a breach only once', () => {
    const { history, handoffEventId, dueAt } = handedOff();
    given(...history, leadHandoffSlaBreached({ handoffEventId, dueAt, occurredAt: at(1461) }))
      .when(recordSlaBreach({ handoffEventId, now: at(1500) }))
      .thenThrows('handoff_not_pending');
  });

  it('refuses once sales accepted the handoff', () => {
    const { history, handoffEventId } = handedOff();
    given(...history, leadAccepted({ handoffEventId, occurredAt: at(1500) }))
      .when(recordSlaBreach({ handoffEventId, now: at(1500) }))
      .thenThrows('handoff_not_pending');
  });

  it('refuses once sales rejected the handoff', () => {
    const { history, handoffEventId } = handedOff();
    given(...history, leadRejected({ handoffEventId, occurredAt: at(1500) }))
      .when(recordSlaBreach({ handoffEventId, now: at(1600) }))
      .thenThrows('handoff_not_pending');
  });

  it('refuses for a handoff that is not the pending one', () => {
    const { history } = handedOff();
    given(...history)
      .when(recordSlaBreach({ handoffEventId: history[0].metadata.eventId, now: at(2000) }))
      .thenThrows('handoff_not_pending');
  });

  it('refuses for a lead that was never handed off', () => {
    const history = leadHistory('mql');
    given(...history)
      .when(recordSlaBreach({ handoffEventId: history[1].metadata.eventId, now: at(2000) }))
      .thenThrows('handoff_not_pending');
  });

  it('refuses for an unknown lead', () => {
    given()
      .when(recordSlaBreach({ handoffEventId: 'unknown', now: at(2000) }))
      .thenThrows('lead_not_found');
  });
});

describe('CorrectHandoffSla', () => {
  it('records an admin ruling on an answered handoff, even once the lead is closed', () => {
    const history = leadHistory('converted');
    const handoffEventId = pendingHandoff(history).metadata.eventId;
    given(...history)
      .when(
        correctHandoffSla({
          handoffEventId,
          verdict: 'breached',
          reason: 'backdated',
          now: at(300),
        }),
      )
      .then(leadHandoffSlaCorrected({ handoffEventId, verdict: 'breached', reason: 'backdated' }));
  });

  it('corrects an unanswered handoff once past its deadline', () => {
    const { history, handoffEventId } = handedOff();
    given(...history)
      .when(correctHandoffSla({ handoffEventId, now: at(1461) }))
      .then(leadHandoffSlaCorrected({ handoffEventId }));
  });

  it('refuses an unanswered handoff still within its deadline: there is no verdict yet', () => {
    const { history, handoffEventId, dueAt } = handedOff();
    given(...history)
      .when(correctHandoffSla({ handoffEventId, now: dueAt }))
      .thenThrows('handoff_not_decided');
  });

  it('corrects an earlier handoff of a lead handed off again', () => {
    const { history, handoffEventId } = handedOff();
    const rejected = [...history, leadRejected({ handoffEventId, occurredAt: at(60) })];
    given(...rejected, leadHandedOff({ occurredAt: at(100) }))
      .when(correctHandoffSla({ handoffEventId, verdict: 'breached', now: at(200) }))
      .then(leadHandoffSlaCorrected({ handoffEventId, verdict: 'breached' }));
  });

  it('refuses a handoff the lead does not have', () => {
    given(...leadHistory('accepted'))
      .when(correctHandoffSla({ handoffEventId: 'not-a-handoff', now: at(300) }))
      .thenThrows('handoff_not_found');
  });

  it('refuses an unknown lead', () => {
    given()
      .when(correctHandoffSla({ handoffEventId: 'any' }))
      .thenThrows('lead_not_found');
  });
});

describe('EraseLeadPersonalData', () => {
  it.each(existingStages)('erases the personal data of a lead that is %s', (stage) => {
    given(...leadHistory(stage))
      .when(eraseLeadPersonalData({ occurredAt: at(300) }))
      .then(leadPersonalDataErased());
  });

  it('leaves the lead working: an erased lead can still be scored', () => {
    given(leadCaptured(), leadPersonalDataErased())
      .when(scoreLead({ score: 70 }))
      .then(leadScored({ score: 70 }));
  });

  it('decides nothing for a lead already erased: the first erasure stands', () => {
    given(leadCaptured(), leadPersonalDataErased(), leadScored({ score: 70 }))
      .when(eraseLeadPersonalData({ occurredAt: at(300) }))
      .then();
  });

  it('refuses to erase an unknown lead', () => {
    given().when(eraseLeadPersonalData()).thenThrows('lead_not_found');
  });
});

describe('business time', () => {
  const skewMinutes = maxClockSkewMs / 60_000;
  const justBeyondSkew = new Date(Date.parse(t0) + maxClockSkewMs + 1).toISOString();

  // Every command, each sent "now = t0" with a business time just beyond the allowed skew.
  const commands = (occurredAt: string, now: string): LeadCommand[] => [
    captureLead({ occurredAt, now }),
    engageLead({ occurredAt, now }),
    scoreLead({ occurredAt, now }),
    handOffLead({ occurredAt, now }),
    acceptLead({ occurredAt, now }),
    rejectLead({ occurredAt, now }),
    convertLead({ occurredAt, now }),
    loseLead({ occurredAt, now }),
    recordSlaBreach({ handoffEventId: 'any', occurredAt, now }),
    correctHandoffSla({ handoffEventId: 'any', occurredAt, now }),
    eraseLeadPersonalData({ occurredAt, now }),
  ];

  it.each(
    commands(justBeyondSkew, t0).map((command): [string, LeadCommand] => [command.type, command]),
  )(
    'refuses %s when occurredAt is beyond the clock skew in the future, before any other check',
    (_type, command) => {
      given().when(command).thenThrows('occurred_at_in_future');
      given(...leadHistory('accepted'))
        .when(command)
        .thenThrows('occurred_at_in_future');
    },
  );

  it('accepts a business time ahead of the clock within the skew', () => {
    given()
      .when(captureLead({ occurredAt: at(skewMinutes), now: t0 }))
      .then(leadCaptured());
    given(...leadHistory('mql'))
      .when(handOffLead({ occurredAt: at(20 + skewMinutes), now: at(20) }))
      .then(leadHandedOff({ dueAt: at(20 + skewMinutes + 1440) }));
  });

  it('accepts a business time in the past, for imports', () => {
    given()
      .when(captureLead({ occurredAt: '2025-03-01T12:00:00.000Z', now: t0 }))
      .then(leadCaptured());
  });
});

describe('causal order of business time (issue 10)', () => {
  // leadHistory: captured t0, scored at(10), handed off at(20), responded at(60), closed at(120).
  it.each([
    ['an engagement', engageLead({ occurredAt: at(-1) })],
    ['a score', scoreLead({ occurredAt: at(-1) })],
    ['a loss', loseLead({ occurredAt: at(-1) })],
  ])('refuses %s dated before the capture', (_what, command) => {
    const error = given(leadCaptured({ occurredAt: t0 }))
      .when(command)
      .thenThrows('occurred_before_prerequisite');
    expect(error.message).toContain(`before its capture at ${t0}`);
  });

  it('refuses a handoff dated before the capture', () => {
    given(leadCaptured({ occurredAt: at(30) }), leadScored({ occurredAt: at(40) }))
      .when(handOffLead({ occurredAt: at(29), now: at(50) }))
      .thenThrows('occurred_before_prerequisite');
  });

  it('refuses an accept dated before its handoff, naming both times', () => {
    const { history } = handedOff();
    const error = given(...history)
      .when(acceptLead({ occurredAt: at(19), now: at(2000) }))
      .thenThrows('occurred_before_prerequisite');
    expect(error.message).toBe(`accept at ${at(19)} is before its handoff at ${at(20)}`);
  });

  it('refuses a reject dated before its handoff', () => {
    const { history } = handedOff();
    given(...history)
      .when(rejectLead({ occurredAt: at(-1440), now: at(2000) }))
      .thenThrows('occurred_before_prerequisite');
  });

  it('accepts a response at the very instant of its handoff', () => {
    const { history, handoffEventId } = handedOff();
    given(...history)
      .when(acceptLead({ occurredAt: at(20), now: at(2000) }))
      .then(leadAccepted({ handoffEventId }));
  });

  it('refuses a re-handoff dated before the rejection it follows', () => {
    given(...leadHistory('nurturing'))
      .when(handOffLead({ occurredAt: at(59), now: at(200) }))
      .thenThrows('occurred_before_prerequisite');
    given(...leadHistory('nurturing'))
      .when(handOffLead({ occurredAt: at(60), now: at(200) }))
      .then(leadHandedOff({ dueAt: at(60 + 1440) }));
  });

  it('refuses a conversion dated before its acceptance', () => {
    const error = given(...leadHistory('accepted'))
      .when(convertLead({ occurredAt: at(59), now: at(200) }))
      .thenThrows('occurred_before_prerequisite');
    expect(error.message).toBe(`convert at ${at(59)} is before its acceptance at ${at(60)}`);
  });

  it('refuses a conversion dated 1971, before every touch (issue 10 item 5)', () => {
    given(...leadHistory('accepted'))
      .when(convertLead({ occurredAt: '1971-01-01T00:00:00.000Z', now: at(200) }))
      .thenThrows('occurred_before_prerequisite');
  });

  it.each([
    ['handed_off', 19, 'handoff'],
    ['accepted', 59, 'acceptance'],
    ['nurturing', 59, 'rejection'],
  ] as const)('refuses to lose a %s lead before its latest milestone', (stage, minute, what) => {
    const error = given(...leadHistory(stage))
      .when(loseLead({ occurredAt: at(minute), now: at(200) }))
      .thenThrows('occurred_before_prerequisite');
    expect(error.message).toContain(`before its ${what} at`);
  });

  it('still takes engagements and scores dated before a later milestone: touches may arrive late', () => {
    given(...leadHistory('accepted'))
      .when(engageLead({ occurredAt: at(5), now: at(200) }))
      .then(leadEngaged());
    given(...leadHistory('accepted'))
      .when(scoreLead({ score: 90, occurredAt: at(5), now: at(200) }))
      .then(leadScored({ score: 90, previousScore: 80 }));
  });

  it('judges a backfilled history sent in one go on business time', () => {
    const captured = leadCaptured({ occurredAt: '2025-03-01T09:00:00.000Z' });
    const scored = leadScored({ occurredAt: '2025-03-01T09:10:00.000Z' });
    const handoff = leadHandedOff({
      occurredAt: '2025-03-01T09:20:00.000Z',
      dueAt: '2025-03-02T09:20:00.000Z',
    });
    given(captured, scored, handoff)
      .when(acceptLead({ occurredAt: '2025-03-01T09:25:00.000Z', now: t0 }))
      .then(leadAccepted({ handoffEventId: handoff.metadata.eventId }));
  });
});

describe('decide', () => {
  it('is pure: the same command on the same history decides the same events', () => {
    const history = leadHistory('handed_off');
    const command = acceptLead({ occurredAt: at(45) });
    expect(decide(command, foldLead(history), defaultLeadPolicy)).toStrictEqual(
      decide(command, foldLead(history), defaultLeadPolicy),
    );
  });

  it('is the leadDecider, which folds from its initial state with evolve', () => {
    const history = leadHistory('mql');
    expect(leadDecider.decide).toBe(decide);
    expect(history.reduce(leadDecider.evolve, leadDecider.initialState)).toStrictEqual(
      foldLead(history),
    );
  });

  it('leaves the folded state untouched', () => {
    const state = foldLead(leadHistory('mql'));
    const before = structuredClone(state);
    decide(handOffLead({ occurredAt: at(30) }), state, defaultLeadPolicy);
    expect(state).toStrictEqual(before);
  });
});

// Sanity of the shared fixture every test above relies on.
it.each(existingStages)('leadHistory(%s) folds to that stage', (stage: LeadStage) => {
  expect(foldLead(leadHistory(stage)).stage).toBe(stage);
});

describe('CaptureLead with a profile', () => {
  it('records the profile fields it is given, and omits the others', () => {
    given()
      .when(captureLead({ title: 'CTO', country: 'DE', employees: 800, industry: undefined }))
      .then(leadCaptured({ title: 'CTO', country: 'DE', employees: 800 }));
  });
});

describe('UpdateLeadProfile', () => {
  it.each(openStages)('records the changed fields of a lead that is %s', (stage) => {
    given(...leadHistory(stage))
      .when(updateLeadProfile({ industry: 'software', employees: 40, occurredAt: at(300) }))
      .then(leadProfileUpdated({ industry: 'software', employees: 40 }));
  });

  it('records only what differs from the profile as it stands, captured or updated since', () => {
    given(leadCaptured({ title: 'CTO' }), leadProfileUpdated({ country: 'FR' }))
      .when(
        updateLeadProfile({
          title: 'CTO',
          company: 'Analytical Engines Ltd',
          country: 'DE',
          employees: undefined,
        }),
      )
      .then(leadProfileUpdated({ country: 'DE' }));
  });

  it('decides nothing when nothing changes', () => {
    given(leadCaptured({ country: 'DE' }))
      .when(updateLeadProfile({ country: 'DE', company: 'Analytical Engines Ltd' }))
      .then();
  });

  it.each(closedStages)('refuses a lead that is %s: lead_closed', (stage) => {
    given(...leadHistory(stage))
      .when(updateLeadProfile({ industry: 'software', occurredAt: at(300) }))
      .thenThrows('lead_closed');
  });

  it('refuses a title for an erased lead, but takes the other fields', () => {
    given(leadCaptured({ title: 'CTO' }), leadPersonalDataErased())
      .when(updateLeadProfile({ title: 'CEO' }))
      .thenThrows('personal_data_erased');
    given(leadCaptured({ title: 'CTO' }), leadPersonalDataErased())
      .when(updateLeadProfile({ employees: 12 }))
      .then(leadProfileUpdated({ employees: 12 }));
  });

  it('refuses an update dated before the capture, and an unknown lead', () => {
    given(leadCaptured({ occurredAt: at(10) }))
      .when(updateLeadProfile({ industry: 'software', occurredAt: at(5), now: at(20) }))
      .thenThrows('occurred_before_prerequisite');
    given()
      .when(updateLeadProfile({ industry: 'software' }))
      .thenThrows('lead_not_found');
  });
});
