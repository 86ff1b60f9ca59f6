import { foundingTerms } from '@lead/testing';
import type { AgreementTerms } from './agreement-terms';
import { validateAgreementTerms } from './agreement-terms-validation';

const rules = (scoring: Record<string, unknown>) => ({
  ...foundingTerms(),
  scoring: { source: 'rules', fit: [], engagement: [], ...scoring },
});
const hours = (businessHours: Record<string, unknown>) => ({
  ...foundingTerms(),
  salesResponse: {
    acceptWithinMinutes: 240,
    businessHours: {
      timeZone: 'Europe/Berlin',
      days: [1, 2, 3, 4, 5],
      from: '09:00',
      to: '17:00',
      ...businessHours,
    },
  },
});
const fields = (terms: unknown) => validateAgreementTerms(terms).map(({ field }) => field);

const complete: AgreementTerms = {
  qualification: { mqlThreshold: 60 },
  scoring: {
    source: 'rules',
    fit: [
      { rule: 'cto', field: 'title', points: 20, containsAny: ['cto', 'chief technology'] },
      { rule: 'big', field: 'employees', points: 10, min: 500 },
      { rule: 'de', field: 'country', points: 5, in: ['DE', 'AT'] },
      { rule: 'free-mail', field: 'emailDomain', points: -30, equals: 'gmail.com' },
    ],
    engagement: [{ rule: 'webinar', kind: 'webinar', points: 15, max: 30 }],
    decayHalfLifeDays: 30,
  },
  salesResponse: {
    acceptWithinMinutes: 240,
    businessHours: {
      timeZone: 'America/New_York',
      days: [1, 2, 3, 4, 5],
      from: '09:00',
      to: '17:30',
      holidays: ['2026-11-26'],
    },
  },
  salesFollowUp: { attempts: 3, withinHours: 72 },
  marketing: { mqlsPerMonth: 120, minAcceptanceRate: 0.6 },
  remedy: { onResponseBreach: 'reassign', repPool: ['rep-1', 'rep-2'] },
  pilot: { reps: ['rep-9'], salesResponse: { acceptWithinMinutes: 60 } },
};

describe('validateAgreementTerms', () => {
  it('accepts the founding terms and a complete rule-based agreement', () => {
    expect(validateAgreementTerms(foundingTerms())).toEqual([]);
    expect(validateAgreementTerms(complete)).toEqual([]);
  });

  it('refuses unknown fields at every level', () => {
    expect(fields({ ...foundingTerms(), bonus: 1 })).toEqual(['terms.bonus']);
    expect(
      fields({ ...foundingTerms(), qualification: { mqlThreshold: 60, extra: true } }),
    ).toEqual(['terms.qualification.extra']);
    expect(fields({ ...foundingTerms(), scoring: { source: 'external', fit: [] } })).toEqual([
      'terms.scoring.fit',
    ]);
  });

  it('names the missing required sections', () => {
    expect(fields({})).toEqual([
      'terms.qualification',
      'terms.scoring',
      'terms.salesResponse',
      'terms.marketing',
    ]);
    expect(fields(null)).toEqual(['terms']);
  });

  it('refuses out-of-range and non-integer numbers', () => {
    expect(fields({ ...foundingTerms(), qualification: { mqlThreshold: 101 } })).toEqual([
      'terms.qualification.mqlThreshold',
    ]);
    expect(fields({ ...foundingTerms(), salesResponse: { acceptWithinMinutes: 43201 } })).toEqual([
      'terms.salesResponse.acceptWithinMinutes',
    ]);
    expect(fields({ ...foundingTerms(), salesResponse: { acceptWithinMinutes: 1.5 } })).toEqual([
      'terms.salesResponse.acceptWithinMinutes',
    ]);
    expect(
      fields({ ...foundingTerms(), marketing: { mqlsPerMonth: -1, minAcceptanceRate: 1.2 } }),
    ).toEqual(['terms.marketing.mqlsPerMonth', 'terms.marketing.minAcceptanceRate']);
    expect(
      fields({ ...foundingTerms(), salesFollowUp: { attempts: 21, withinHours: 2161 } }),
    ).toEqual(['terms.salesFollowUp.attempts', 'terms.salesFollowUp.withinHours']);
    expect(fields(rules({ decayHalfLifeDays: 0 }))).toEqual(['terms.scoring.decayHalfLifeDays']);
    expect(
      fields(rules({ engagement: [{ rule: 'w', kind: 'webinar', points: 101, max: 0 }] })),
    ).toEqual(['terms.scoring.engagement[0].points', 'terms.scoring.engagement[0].max']);
    expect(fields({ ...foundingTerms(), qualification: { mqlThreshold: '60' } })).toEqual([
      'terms.qualification.mqlThreshold',
    ]);
  });

  it('refuses an unknown time zone, checked against the IANA database', () => {
    expect(fields(hours({ timeZone: 'Mars/Olympus_Mons' }))).toEqual([
      'terms.salesResponse.businessHours.timeZone',
    ]);
    expect(fields(hours({ timeZone: 'Europe/Lisbon' }))).toEqual([]);
  });

  it('refuses bad times and from at or after to', () => {
    expect(fields(hours({ from: '9:00' }))).toEqual(['terms.salesResponse.businessHours.from']);
    expect(fields(hours({ to: '24:00' }))).toEqual(['terms.salesResponse.businessHours.to']);
    expect(validateAgreementTerms(hours({ from: '17:00', to: '09:00' }))).toEqual([
      { field: 'terms.salesResponse.businessHours.to', message: 'must be later than from' },
    ]);
    expect(fields(hours({ from: '09:00', to: '09:00' }))).toEqual([
      'terms.salesResponse.businessHours.to',
    ]);
  });

  it('refuses no working days, days outside 1..7 and repeated days', () => {
    expect(fields(hours({ days: [] }))).toEqual(['terms.salesResponse.businessHours.days']);
    expect(fields(hours({ days: [0, 8] }))).toEqual([
      'terms.salesResponse.businessHours.days[0]',
      'terms.salesResponse.businessHours.days[1]',
    ]);
    expect(fields(hours({ days: [1, 1] }))).toEqual(['terms.salesResponse.businessHours.days']);
  });

  it('refuses an allowance that needs more than a year of the business hours', () => {
    const minuteAWeek = { days: [3], from: '09:00', to: '09:01' };
    expect(fields(hours(minuteAWeek))).toEqual(['terms.salesResponse.acceptWithinMinutes']);
    expect(fields(hours({ ...minuteAWeek, to: '14:00' }))).toEqual([]);
  });

  it('refuses holidays that are not calendar dates', () => {
    expect(fields(hours({ holidays: ['2026-02-30', '25.12.2026', '2026-12-25'] }))).toEqual([
      'terms.salesResponse.businessHours.holidays[0]',
      'terms.salesResponse.businessHours.holidays[1]',
    ]);
  });

  it('refuses a rule name used twice, across fit and engagement rules', () => {
    expect(
      validateAgreementTerms(
        rules({
          fit: [{ rule: 'webinar', field: 'title', points: 5, equals: 'CTO' }],
          engagement: [{ rule: 'webinar', kind: 'webinar', points: 5 }],
        }),
      ),
    ).toEqual([{ field: 'terms.scoring', message: 'rule name webinar is used more than once' }]);
  });

  it('refuses rule names that are not slugs', () => {
    expect(
      fields(rules({ engagement: [{ rule: 'Web Inar', kind: 'webinar', points: 5 }] })),
    ).toEqual(['terms.scoring.engagement[0].rule']);
  });

  it('requires exactly one predicate per fit rule, min and max for employees only', () => {
    expect(fields(rules({ fit: [{ rule: 'a', field: 'title', points: 5 }] }))).toEqual([
      'terms.scoring.fit[0]',
    ]);
    expect(
      fields(
        rules({ fit: [{ rule: 'a', field: 'title', points: 5, equals: 'CTO', in: ['CEO'] }] }),
      ),
    ).toEqual(['terms.scoring.fit[0]']);
    expect(fields(rules({ fit: [{ rule: 'a', field: 'title', points: 5, min: 3 }] }))).toEqual([
      'terms.scoring.fit[0].min',
    ]);
    expect(
      fields(rules({ fit: [{ rule: 'a', field: 'employees', points: 5, equals: '50' }] })),
    ).toEqual(['terms.scoring.fit[0].equals']);
    expect(fields(rules({ fit: [{ rule: 'a', field: 'age', points: 5, equals: '50' }] }))).toEqual([
      'terms.scoring.fit[0].field',
    ]);
  });

  it('refuses a regular expression, and treats regex-looking strings as plain text', () => {
    expect(
      validateAgreementTerms(
        rules({ fit: [{ rule: 'a', field: 'title', points: 5, regex: '^C.O$' }] }),
      ),
    ).toEqual([
      {
        field: 'terms.scoring.fit[0].regex',
        message: 'regular expressions are not supported; use equals, in or containsAny',
      },
      {
        field: 'terms.scoring.fit[0]',
        message: 'must have exactly one of equals, in, containsAny, min, max',
      },
    ]);
    // a catastrophic-backtracking pattern is just a string to compare: validation never compiles it
    expect(
      validateAgreementTerms(
        rules({ fit: [{ rule: 'a', field: 'title', points: 5, equals: '(a+)+$' }] }),
      ),
    ).toEqual([]);
  });

  it('requires a pool of at least two reps to reassign on breach', () => {
    expect(fields({ ...foundingTerms(), remedy: { onResponseBreach: 'reassign' } })).toEqual([
      'terms.remedy.repPool',
    ]);
    expect(
      fields({ ...foundingTerms(), remedy: { onResponseBreach: 'reassign', repPool: ['rep-1'] } }),
    ).toEqual(['terms.remedy.repPool']);
    expect(
      fields({
        ...foundingTerms(),
        pilot: { reps: ['rep-9'], remedy: { onResponseBreach: 'reassign' } },
      }),
    ).toEqual(['terms.pilot.remedy.repPool']);
    expect(fields({ ...foundingTerms(), remedy: { onResponseBreach: 'shout' } })).toEqual([
      'terms.remedy.onResponseBreach',
    ]);
  });

  it('requires a pilot to name at least one rep', () => {
    expect(fields({ ...foundingTerms(), pilot: { reps: [] } })).toEqual(['terms.pilot.reps']);
  });
});
