import type { LeadFact } from '@lead/domain';
import {
  at,
  leadAccepted,
  leadCaptured,
  leadHandedOff,
  leadLost,
  leadQualifiedBySales,
  leadRejected,
  leadRejectionDisputeResolved,
  leadRejectionDisputed,
  leadScored,
  recorded,
  salesActivityLogged,
} from '@lead/testing';
import { type LeadSummaryDoc, applyLeadSummary } from './lead-summary.projection';

// Each fact recorded by the actor named beside it, in order.
const project = (...facts: [LeadFact, string][]): LeadSummaryDoc | null =>
  facts
    .map(([fact, actor], index) =>
      recorded(fact, { position: index + 1, revision: index, actor: { id: actor, role: 'x' } }),
    )
    .reduce<LeadSummaryDoc | null>((doc, event) => applyLeadSummary(doc, event), null);

describe('lead summary, sales side (issue 14)', () => {
  it('given an accepted lead, activities, a qualification by sales and a loss, then stage sql, the opportunity, the attempts and the stage it was lost from', () => {
    const handoff = leadHandedOff({ occurredAt: at(20) });
    const handoffEventId = handoff.metadata.eventId;
    const qualified = project(
      [leadCaptured(), 'mkt-1'],
      [leadScored({ occurredAt: at(10) }), 'mkt-1'],
      [handoff, 'mkt-1'],
      [leadAccepted({ handoffEventId, occurredAt: at(30) }), 'rep-1'],
      [
        salesActivityLogged({
          handoffEventId,
          kind: 'call',
          outcome: 'no_answer',
          occurredAt: at(40),
        }),
        'rep-1',
      ],
      [salesActivityLogged({ handoffEventId, kind: 'email', occurredAt: at(50) }), 'rep-1'],
      [
        leadQualifiedBySales({
          opportunityId: 'opp-9',
          estimatedAmount: 700_000,
          currency: 'USD',
          occurredAt: at(60),
        }),
        'rep-1',
      ],
    );
    expect(qualified).toMatchObject({
      stage: 'sql',
      sqlAt: at(60),
      opportunityId: 'opp-9',
      estimate: { amount: 700_000, currency: 'USD' },
      lostFrom: null,
    });
    expect(qualified!.handoffs[0].activities).toEqual([
      { at: at(40), kind: 'call', outcome: 'no_answer' },
      { at: at(50), kind: 'email', outcome: null },
    ]);
    const lost = applyLeadSummary(
      qualified,
      recorded(leadLost({ occurredAt: at(90) }), {
        position: 8,
        revision: 7,
      }),
    );
    expect(lost).toMatchObject({ stage: 'lost', lostAt: at(90), lostFrom: 'sql' });
  });

  it('given a disputed rejection and its ruling, then the handoff shows the dispute, who raised it and who ruled', () => {
    const handoff = leadHandedOff({ occurredAt: at(20) });
    const handoffEventId = handoff.metadata.eventId;
    const disputed: [LeadFact, string][] = [
      [leadCaptured(), 'mkt-1'],
      [handoff, 'mkt-1'],
      [leadRejected({ handoffEventId, reason: 'not_icp', occurredAt: at(30) }), 'rep-1'],
      [
        leadRejectionDisputed({ handoffEventId, reason: 'fits the ICP', occurredAt: at(40) }),
        'mkt-1',
      ],
    ];
    expect(project(...disputed)!.handoffs[0].dispute).toEqual({
      status: 'open',
      reason: 'fits the ICP',
      disputedBy: 'mkt-1',
      disputedAt: at(40),
      ruledBy: null,
      ruledAt: null,
      note: null,
    });
    const ruled = project(...disputed, [
      leadRejectionDisputeResolved({
        handoffEventId,
        outcome: 'overturned',
        note: 'heard the call',
        occurredAt: at(50),
      }),
      'sm-1',
    ]);
    expect(ruled!.handoffs[0].dispute).toEqual({
      status: 'overturned',
      reason: 'fits the ICP',
      disputedBy: 'mkt-1',
      disputedAt: at(40),
      ruledBy: 'sm-1',
      ruledAt: at(50),
      note: 'heard the call',
    });
  });
});
