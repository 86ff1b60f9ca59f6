import {
  agreementApproved,
  at,
  foundingTerms,
  given,
  handOffLead,
  leadHandedOff,
  leadHistory,
  leadScored,
  scoreLead,
} from '@lead/testing';
import type { SlaPolicy } from '../lead-events';
import { leadPolicyUnder, termsFromConfiguration } from './agreement-policy';
import { foldAgreement } from './agreement-state';
import { computedScore } from './lead-score-inputs';
import type { AgreementTerms, BusinessHours } from './agreement-terms';

const berlinHours: BusinessHours = {
  timeZone: 'Europe/Berlin',
  days: [1, 2, 3, 4, 5],
  from: '09:00',
  to: '17:00',
};
const piloted: AgreementTerms = {
  ...foundingTerms(),
  qualification: { mqlThreshold: 70 },
  salesResponse: { acceptWithinMinutes: 480, businessHours: berlinHours },
  salesFollowUp: { attempts: 3, withinHours: 72 },
  remedy: { onResponseBreach: 'escalate', escalateTo: 'sales-lead' },
  pilot: { reps: ['rep-9'], salesResponse: { acceptWithinMinutes: 60 } },
};
const version = (terms: AgreementTerms, number = 2) =>
  foldAgreement(agreementApproved({ version: number, terms })).versions[0];

describe('termsFromConfiguration', () => {
  it('writes today’s configuration as terms that score externally', () => {
    expect(
      termsFromConfiguration({
        mqlThreshold: 55,
        slaAcceptWithinMinutes: 720,
        mqlTargetPerMonth: 40,
      }),
    ).toEqual({
      qualification: { mqlThreshold: 55 },
      scoring: { source: 'external' },
      salesResponse: { acceptWithinMinutes: 720 },
      marketing: { mqlsPerMonth: 40 },
    });
  });
});

describe('leadPolicyUnder', () => {
  it('names the version and carries its response terms', () => {
    expect(leadPolicyUnder(version(piloted), 'rep-1')).toEqual({
      mqlThreshold: 70,
      scoreSource: 'external',
      slaPolicy: {
        id: 'agreement@2',
        agreementVersion: 2,
        acceptWithinMinutes: 480,
        businessHours: berlinHours,
        followUp: { attempts: 3, withinHours: 72 },
        remedy: { onResponseBreach: 'escalate', escalateTo: 'sales-lead' },
      },
    });
  });

  it('replaces each section the pilot sets, for a pilot rep only', () => {
    expect(leadPolicyUnder(version(piloted), 'rep-9').slaPolicy).toEqual({
      id: 'agreement@2',
      agreementVersion: 2,
      acceptWithinMinutes: 60,
      followUp: { attempts: 3, withinHours: 72 },
      remedy: { onResponseBreach: 'escalate', escalateTo: 'sales-lead' },
    });
  });

  it('stamps the founding version with nothing but the allowance', () => {
    expect(leadPolicyUnder(version(foundingTerms(), 1)).slaPolicy).toEqual({
      id: 'agreement@1',
      agreementVersion: 1,
      acceptWithinMinutes: 1440,
    });
  });
});

describe('HandOffLead under an agreement', () => {
  it('counts dueAt in business minutes when the terms have business hours', () => {
    // handed off Mon 10:20 Berlin: 400 min on Monday, 80 on Tuesday → Tue 10:20 Berlin
    const policy = leadPolicyUnder(version(piloted), 'rep-1');
    given(...leadHistory('mql'))
      .when(handOffLead({ occurredAt: at(20) }), policy)
      .then(
        leadHandedOff({
          occurredAt: at(20),
          slaPolicy: policy.slaPolicy,
          dueAt: '2026-01-06T09:20:00.000Z',
        }),
      );
  });

  it('counts wall-clock minutes for a pilot rep without business hours', () => {
    const policy = leadPolicyUnder(version(piloted), 'rep-9');
    given(...leadHistory('mql'))
      .when(handOffLead({ toRep: 'rep-9', occurredAt: at(20) }), policy)
      .then(
        leadHandedOff({
          toRep: 'rep-9',
          occurredAt: at(20),
          slaPolicy: policy.slaPolicy,
          dueAt: at(80),
        }),
      );
  });

  it('keeps a stamped handoff as it was: the policy lives in the event, not in the agreement', () => {
    const legacy: SlaPolicy = { id: 'accept-within-1440m', acceptWithinMinutes: 1440 };
    given(...leadHistory('mql'))
      .when(handOffLead({ occurredAt: at(20) }), { slaPolicy: legacy })
      .then(leadHandedOff({ occurredAt: at(20), slaPolicy: legacy, dueAt: at(1460) }));
  });
});

describe('ScoreLead under rule-based scoring', () => {
  const rules: AgreementTerms = {
    ...foundingTerms(),
    scoring: {
      source: 'rules',
      fit: [],
      engagement: [{ rule: 'captured', kind: 'captured', points: 70 }],
    },
  };

  it('refuses a score sent by a client', () => {
    given(...leadHistory('captured'))
      .when(scoreLead({ score: 80, occurredAt: at(5) }), leadPolicyUnder(version(rules)))
      .thenThrows('score_is_computed');
  });

  it('accepts a score sent by a client under external scoring', () => {
    given(...leadHistory('captured'))
      .when(scoreLead({ score: 80, occurredAt: at(5) }), leadPolicyUnder(version(foundingTerms())))
      .then(leadScored({ score: 80 }));
  });

  it('decides the computed score, naming the agreement version', () => {
    const history = leadHistory('captured');
    const command = computedScore(history, version(rules), at(0), at(0));
    expect(command).toMatchObject({ score: 70, model: 'agreement@2', computed: true });
    given(...history)
      .when(command!, leadPolicyUnder(version(rules)))
      .then(
        leadScored({
          score: 70,
          qualified: true,
          reasons: [{ rule: 'captured', points: 70 }],
          model: 'agreement@2',
        }),
      );
  });

  it('computes nothing when neither score nor qualification would change, or scoring is external', () => {
    const history = [...leadHistory('captured'), leadScored({ score: 70, occurredAt: at(1) })];
    expect(computedScore(history, version(rules), at(1), at(1))).toBeNull();
    expect(
      computedScore(leadHistory('captured'), version(foundingTerms()), at(0), at(0)),
    ).toBeNull();
  });
});
