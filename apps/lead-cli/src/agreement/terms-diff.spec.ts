import type { AgreementTerms } from '@lead/domain';
import { diffTerms, flattenTerms, formatChange } from './terms-diff';

const founding: AgreementTerms = {
  qualification: { mqlThreshold: 60 },
  scoring: { source: 'external' },
  salesResponse: { acceptWithinMinutes: 1440 },
  marketing: { mqlsPerMonth: 100 },
};

const rules: AgreementTerms = {
  qualification: { mqlThreshold: 65 },
  scoring: {
    source: 'rules',
    fit: [
      { rule: 'vp-title', field: 'title', containsAny: ['vp', 'head'], points: 20 },
      { rule: 'big-company', field: 'employees', min: 200, points: 15 },
    ],
    engagement: [{ rule: 'webinar', kind: 'webinar_attended', points: 10, max: 30 }],
    decayHalfLifeDays: 30,
  },
  salesResponse: {
    acceptWithinMinutes: 240,
    businessHours: { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' },
  },
  marketing: { mqlsPerMonth: 100 },
};

describe('diffTerms', () => {
  it('finds nothing between equal terms', () => {
    expect(diffTerms(founding, structuredClone(founding))).toEqual([]);
  });

  it('names each changed leaf by its path, old → new, in the order the terms are written', () => {
    expect(diffTerms(founding, rules).map(formatChange)).toEqual([
      'qualification.mqlThreshold: 60 → 65',
      'scoring.source: "external" → "rules"',
      'scoring.fit[vp-title]: (none) → {"rule":"vp-title","field":"title","containsAny":["vp","head"],"points":20}',
      'scoring.fit[big-company]: (none) → {"rule":"big-company","field":"employees","min":200,"points":15}',
      'scoring.engagement[webinar]: (none) → {"rule":"webinar","kind":"webinar_attended","points":10,"max":30}',
      'scoring.decayHalfLifeDays: (none) → 30',
      'salesResponse.acceptWithinMinutes: 1440 → 240',
      'salesResponse.businessHours.timeZone: (none) → "Europe/Berlin"',
      'salesResponse.businessHours.days: (none) → [1,2,3,4,5]',
      'salesResponse.businessHours.from: (none) → "09:00"',
      'salesResponse.businessHours.to: (none) → "17:00"',
    ]);
  });

  it('keys rule lists by rule name, so a reordered list is no change, an edited rule names its field, a removed rule is one line', () => {
    const scoring = rules.scoring as Extract<AgreementTerms['scoring'], { source: 'rules' }>;
    const edited: AgreementTerms = {
      ...rules,
      scoring: {
        ...scoring,
        fit: [{ ...scoring.fit[1], points: 25 }, scoring.fit[0]],
        engagement: [],
      },
    };
    expect(diffTerms(rules, edited)).toEqual([
      { path: 'scoring.fit[big-company].points', before: 15, after: 25 },
      { path: 'scoring.engagement[webinar]', before: scoring.engagement[0], after: undefined },
    ]);
  });

  it('shows lists of plain values, and a section that became a value, whole', () => {
    const before = { pilot: { reps: ['rep-ana'] }, days: [1, 2, 3, 4, 5] };
    const after = { pilot: 'none', days: [1, 2, 3, 4] };
    expect(diffTerms(before, after).map(formatChange)).toEqual([
      'pilot: {"reps":["rep-ana"]} → "none"',
      'days: [1,2,3,4,5] → [1,2,3,4]',
    ]);
  });
});

describe('flattenTerms', () => {
  it('lists every leaf with its value', () => {
    expect(flattenTerms(founding)).toEqual([
      { path: 'qualification.mqlThreshold', value: 60 },
      { path: 'scoring.source', value: 'external' },
      { path: 'salesResponse.acceptWithinMinutes', value: 1440 },
      { path: 'marketing.mqlsPerMonth', value: 100 },
    ]);
  });
});
