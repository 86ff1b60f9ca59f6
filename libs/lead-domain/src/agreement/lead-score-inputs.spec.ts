import {
  addMinutes,
  agreementApproved,
  at,
  foundingTerms,
  given,
  leadCaptured,
  leadEngaged,
  leadPersonalDataErased,
  leadProfileUpdated,
  leadScored,
  t0,
} from '@lead/testing';
import type { LeadFact } from '../lead-events';
import { foldAgreement } from './agreement-state';
import type { AgreementTerms } from './agreement-terms';
import { leadScoreAt } from './lead-score-at';
import { computedScore, leadScoreInputs, profileAt } from './lead-score-inputs';
import { leadPolicyUnder } from './agreement-policy';

// Every fit predicate kind, each on a profile field a capture or a profile update can set.
const rules: AgreementTerms = {
  ...foundingTerms(),
  qualification: { mqlThreshold: 50 },
  scoring: {
    source: 'rules',
    fit: [
      { rule: 'cto', field: 'title', points: 30, containsAny: ['cto', 'chief technology'] },
      { rule: 'software', field: 'industry', points: 15, equals: 'Software' },
      { rule: 'dach', field: 'country', points: 10, in: ['DE', 'AT', 'CH'] },
      { rule: 'big', field: 'employees', points: 10, min: 500 },
      { rule: 'tiny', field: 'employees', points: -20, max: 10 },
      { rule: 'acme', field: 'company', points: 5, equals: 'ACME' },
    ],
    engagement: [{ rule: 'webinar', kind: 'webinar', points: 20 }],
    decayHalfLifeDays: 1,
  },
};
const v2 = foldAgreement(agreementApproved({ version: 2, terms: rules })).versions[0];
const day = 24 * 60;

// The score the system decides after the last of `facts`, as the event it appends.
const scoredAfter = (facts: LeadFact[]) => {
  const last = facts.at(-1)!.metadata.occurredAt;
  const command = computedScore(facts, v2, last, last);
  return { facts, command };
};

describe('rule scoring reads the profile', () => {
  it('given a capture with a profile, when scored, then every holding fit predicate counts', () => {
    const { facts, command } = scoredAfter([
      leadCaptured({ title: 'CTO', industry: 'software', country: 'AT', employees: 800 }),
    ]);
    // cto 30 + software 15 + dach 10 + big 10
    given(...facts)
      .when(command!, leadPolicyUnder(v2))
      .then(
        leadScored({
          score: 65,
          qualified: true,
          reasons: [
            { rule: 'cto', points: 30 },
            { rule: 'software', points: 15 },
            { rule: 'dach', points: 10 },
            { rule: 'big', points: 10 },
          ],
          model: 'agreement@2',
        }),
      );
  });

  it('given profile updates, when scored, then the updated fields count and replace the captured ones', () => {
    const { facts, command } = scoredAfter([
      leadCaptured({ employees: 800, company: 'Analytical Engines Ltd' }),
      leadScored({ score: 10, reasons: [{ rule: 'big', points: 10 }], occurredAt: at(1) }),
      leadProfileUpdated({ employees: 8, company: 'acme', country: 'CH', occurredAt: at(2) }),
    ]);
    // tiny -20 + dach 10 + acme 5 = -5, clamped to 0
    given(...facts)
      .when(command!, leadPolicyUnder(v2))
      .then(
        leadScored({
          score: 0,
          previousScore: 10,
          qualified: false,
          reasons: [
            { rule: 'dach', points: 10 },
            { rule: 'tiny', points: -20 },
            { rule: 'acme', points: 5 },
          ],
          model: 'agreement@2',
        }),
      );
  });

  it('given an erased lead, when scored, then its title no longer matches', () => {
    const facts = [
      leadCaptured({ title: 'CTO' }),
      leadProfileUpdated({ title: 'Chief Technology Officer', occurredAt: at(1) }),
      // as the event store reads them once the key is destroyed
      leadPersonalDataErased({ occurredAt: at(2) }),
    ];
    const inputs = leadScoreInputs(facts);
    expect(profileAt(inputs, at(3))).toMatchObject({ title: null, email: null });
  });

  it('takes the profile as it stood at T: updates dated later do not count, in stream order otherwise', () => {
    const inputs = leadScoreInputs([
      leadCaptured({ country: 'FR' }),
      leadProfileUpdated({ country: 'DE', occurredAt: at(10) }),
      // a backfilled update, recorded later but dated earlier, is overridden by the later-dated one
      leadProfileUpdated({ country: 'AT', occurredAt: at(5) }),
      leadProfileUpdated({ country: 'CH', occurredAt: at(30) }),
    ]);
    expect(profileAt(inputs, t0).country).toBe('FR');
    expect(profileAt(inputs, at(6)).country).toBe('AT');
    // both dated by then: applied in stream order
    expect(profileAt(inputs, at(20)).country).toBe('AT');
    expect(profileAt(inputs, at(30)).country).toBe('CH');
  });
});

describe('leadScoreAt (the evidence of GET /leads/:id/score)', () => {
  const agreements = foldAgreement([
    ...agreementApproved({ version: 1, effectiveFrom: '1970-01-01T00:00:00.000Z' }),
    ...agreementApproved({ version: 2, terms: rules, effectiveFrom: at(60) }),
  ]);
  const history = [
    leadCaptured({ title: 'CTO', occurredAt: t0 }),
    leadScored({ score: 35, reasons: [{ rule: 'crm', points: 35 }], occurredAt: at(1) }),
    leadEngaged({ kind: 'webinar', occurredAt: at(120) }),
    leadProfileUpdated({ country: 'DE', occurredAt: at(130) }),
  ];

  it('under external terms: the latest client score dated by `at`, reasons of kind external', () => {
    expect(leadScoreAt(history, agreements, at(30))).toEqual({
      leadId: history[0].data.leadId,
      score: 35,
      qualified: false,
      agreementVersion: 1,
      at: at(30),
      reasons: [{ rule: 'crm', kind: 'external', points: 35 }],
    });
    expect(leadScoreAt(history, agreements, t0)).toMatchObject({ score: null, reasons: [] });
  });

  it('under rules: the facts dated by `at`, decay applied at `at`', () => {
    expect(leadScoreAt(history, agreements, at(125))).toMatchObject({
      score: 50,
      qualified: true,
      agreementVersion: 2,
      reasons: [
        { rule: 'cto', kind: 'fit', points: 30 },
        // five minutes old: 20 × 2^(-5/1440)
        { rule: 'webinar', kind: 'engagement', points: 19.95 },
      ],
    });
    // a day after the webinar: halved; the later profile update counts
    expect(leadScoreAt(history, agreements, addMinutes(at(120), day))).toMatchObject({
      score: 50,
      reasons: [
        { rule: 'cto', kind: 'fit', points: 30 },
        { rule: 'dach', kind: 'fit', points: 10 },
        { rule: 'webinar', kind: 'engagement', points: 10 },
      ],
    });
  });

  it('refuses a time before the capture: the lead was not known then', () => {
    expect(() => leadScoreAt(history, agreements, at(-1))).toThrow(
      expect.objectContaining({ code: 'lead_not_found' }),
    );
  });
});
