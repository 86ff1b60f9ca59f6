import {
  addMinutes,
  at,
  foundingTerms,
  leadCaptured,
  leadEngaged,
  leadScored,
  t0,
} from '@lead/testing';
import type { AgreementVersion } from './agreement-state';
import type { AgreementTerms } from './agreement-terms';
import type { RuleScoring } from './lead-scoring';
import { type HandoffOnRecord, handoffUnder, maxScoreUnder } from './what-if';

const proposed = (terms: Partial<AgreementTerms>): AgreementVersion => ({
  version: 3,
  status: 'proposed',
  effectiveFrom: t0,
  terms: { ...foundingTerms(), ...terms },
  proposedAt: t0,
  proposer: 'marketing-manager-1',
  signatures: [],
});

// t0 is Monday 2026-01-05 09:00 UTC; the recorded handoffs were stamped with 1,440 minutes
const handoff = (overrides: Partial<HandoffOnRecord> = {}): HandoffOnRecord => ({
  toRep: 'rep-ana',
  handedOffAt: t0,
  dueAt: at(1440),
  respondedAt: at(180),
  respondedAfterAlert: false,
  correction: null,
  ...overrides,
});

describe('a handoff judged under another version', () => {
  const twoHours = proposed({ salesResponse: { acceptWithinMinutes: 120 } });

  it('a response in 3 hours, met under 24 hours, is breached under 2 hours', () => {
    expect(handoffUnder(twoHours, handoff(), at(2000))).toEqual({
      dueAt: at(120),
      status: 'breached',
    });
  });

  it('a pilot rep is judged by the pilot terms', () => {
    const piloted = proposed({
      salesResponse: { acceptWithinMinutes: 120 },
      pilot: { reps: ['rep-ana'], salesResponse: { acceptWithinMinutes: 240 } },
    });
    expect(handoffUnder(piloted, handoff(), at(2000))).toEqual({ dueAt: at(240), status: 'met' });
    expect(handoffUnder(piloted, handoff({ toRep: 'rep-bo' }), at(2000)).status).toBe('breached');
  });

  it('business hours count only working minutes: Friday 16:00 + 2 h is Monday 10:00', () => {
    const officeHours = proposed({
      salesResponse: {
        acceptWithinMinutes: 120,
        businessHours: { timeZone: 'UTC', days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' },
      },
    });
    const friday = '2026-01-09T16:00:00.000Z';
    const unanswered = handoff({ handedOffAt: friday, respondedAt: null });
    expect(handoffUnder(officeHours, unanswered, '2026-01-10T12:00:00.000Z')).toEqual({
      dueAt: '2026-01-12T10:00:00.000Z',
      status: 'open',
    });
  });

  it('a response recorded after the breach alert stays breached, and a correction still wins', () => {
    const generous = proposed({ salesResponse: { acceptWithinMinutes: 600 } });
    expect(handoffUnder(generous, handoff({ respondedAfterAlert: true }), at(2000)).status).toBe(
      'breached',
    );
    const corrected = handoff({ correction: { verdict: 'met' } });
    expect(handoffUnder(twoHours, corrected, at(2000)).status).toBe('met');
  });
});

describe('the highest score under rule-based terms', () => {
  const rules: RuleScoring = {
    source: 'rules',
    fit: [{ rule: 'analytical', field: 'company', points: 5, containsAny: ['analytical'] }],
    engagement: [
      { rule: 'captured', kind: 'captured', points: 10 },
      { rule: 'webinar', kind: 'webinar', points: 15, max: 30 },
    ],
    decayHalfLifeDays: 1,
  };

  it('is evaluated after each scoring fact at its business time', () => {
    const facts = [
      leadCaptured({ occurredAt: t0 }),
      // a client's score is no scoring fact under rules
      leadScored({ score: 99, occurredAt: at(5) }),
      leadEngaged({ kind: 'webinar', occurredAt: at(10) }),
      leadEngaged({ kind: 'webinar', occurredAt: at(20) }),
    ];
    // at(20): 5 fit + 10 × 2^(−20/1440) + min(30, 15 × 2^(−10/1440) + 15) = 5 + 9.90 + 29.93 → 45
    expect(maxScoreUnder(rules, facts)).toBe(45);
  });

  it('decay can make an earlier score the highest', () => {
    const facts = [
      leadCaptured({ occurredAt: t0 }),
      leadEngaged({ kind: 'webinar', occurredAt: at(0) }),
      leadEngaged({ kind: 'other', occurredAt: addMinutes(t0, 3 * 1440) }),
    ];
    // at t0: 5 + 10 + 15 = 30; three days later the engagement halves three times
    expect(maxScoreUnder(rules, facts)).toBe(30);
  });

  it('is null for a lead without scoring facts', () => {
    expect(maxScoreUnder(rules, [])).toBeNull();
  });
});
