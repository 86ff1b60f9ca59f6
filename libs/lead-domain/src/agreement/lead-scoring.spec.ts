import { addMinutes, t0 } from '@lead/testing';
import fc from 'fast-check';
import type { EngagementRule, FitRule } from './agreement-terms';
import {
  computeLeadScore,
  roundHalfAwayFromZero,
  type RuleScoring,
  type ScoringEngagement,
} from './lead-scoring';

const daysBefore = (days: number): string => addMinutes(t0, -days * 24 * 60);
const engaged = (kind: string, occurredAt = t0): ScoringEngagement => ({ kind, occurredAt });

const fit: FitRule[] = [
  { rule: 'cto', field: 'title', points: 20, containsAny: ['cto', 'chief technology'] },
  { rule: 'big', field: 'employees', points: 10, min: 500 },
  { rule: 'tiny', field: 'employees', points: -15, max: 10 },
  { rule: 'dach', field: 'country', points: 5, in: ['DE', 'AT', 'CH'] },
  { rule: 'saas', field: 'industry', points: 10, equals: 'SaaS' },
  { rule: 'free-mail', field: 'emailDomain', points: -30, equals: 'gmail.com' },
  { rule: 'acme', field: 'company', points: 5, containsAny: ['acme'] },
];
const engagement: EngagementRule[] = [
  { rule: 'captured', kind: 'captured', points: 10 },
  { rule: 'webinar', kind: 'webinar', points: 15, max: 30 },
  { rule: 'bounce', kind: 'email_bounce', points: -20, max: 30 },
];
const terms: RuleScoring = { source: 'rules', fit, engagement };
const decaying: RuleScoring = {
  source: 'rules',
  fit: [],
  engagement: [{ rule: 'webinar', kind: 'webinar', points: 15 }],
  decayHalfLifeDays: 10,
};

const idealProfile = {
  email: 'Ada@Example.COM',
  title: 'Chief Technology Officer',
  company: 'ACME GmbH',
  industry: ' saas ',
  country: 'de',
  employees: 800,
};

describe('computeLeadScore', () => {
  it('adds each holding fit rule once, with case-insensitive literal comparisons', () => {
    // cto 20 + big 10 + dach 5 + saas 10 + acme 5 = 50; no engagements
    expect(computeLeadScore(terms, idealProfile, [], t0)).toEqual({
      score: 50,
      reasons: [
        { rule: 'cto', kind: 'fit', points: 20 },
        { rule: 'big', kind: 'fit', points: 10 },
        { rule: 'dach', kind: 'fit', points: 5 },
        { rule: 'saas', kind: 'fit', points: 10 },
        { rule: 'acme', kind: 'fit', points: 5 },
      ],
    });
  });

  it('compares employees inclusively with min and max, and the email domain after the @', () => {
    const small = { email: 'bob@GMAIL.com', employees: 10 };
    // tiny -15 + free-mail -30 + captured 10 = -35, clamped to 0
    expect(computeLeadScore(terms, small, [engaged('captured')], t0)).toEqual({
      score: 0,
      reasons: [
        { rule: 'tiny', kind: 'fit', points: -15 },
        { rule: 'free-mail', kind: 'fit', points: -30 },
        { rule: 'captured', kind: 'engagement', points: 10 },
      ],
    });
    expect(computeLeadScore(terms, { employees: 500 }, [], t0).reasons).toEqual([
      { rule: 'big', kind: 'fit', points: 10 },
    ]);
    expect(computeLeadScore(terms, { employees: 499 }, [], t0).reasons).toEqual([]);
  });

  it('matches no rule on a missing or erased field', () => {
    expect(computeLeadScore(terms, { email: null, title: null }, [], t0)).toEqual({
      score: 0,
      reasons: [],
    });
  });

  it('never reads a string as a pattern', () => {
    const literal: RuleScoring = {
      source: 'rules',
      fit: [{ rule: 'odd', field: 'title', points: 40, equals: '(a+)+$' }],
      engagement: [],
    };
    expect(
      computeLeadScore(literal, { title: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa!' }, [], t0).score,
    ).toBe(0);
    expect(computeLeadScore(literal, { title: '(A+)+$' }, [], t0).score).toBe(40);
  });

  it('counts the capture as kind captured and caps a rule’s engagements at max', () => {
    const webinars = [engaged('webinar'), engaged('webinar'), engaged('webinar')];
    // 50 fit + captured 10 + webinars 45 capped at 30 = 90
    expect(
      computeLeadScore(terms, idealProfile, [engaged('captured'), ...webinars], t0),
    ).toMatchObject({
      score: 90,
      reasons: expect.arrayContaining([
        { rule: 'captured', kind: 'engagement', points: 10 },
        { rule: 'webinar', kind: 'engagement', points: 30 },
      ]) as unknown,
    });
  });

  it('caps negative totals at max in absolute value', () => {
    const bounces = [engaged('email_bounce'), engaged('email_bounce')];
    // 50 + 10 - 40 capped at -30 = 30
    const result = computeLeadScore(terms, idealProfile, [engaged('captured'), ...bounces], t0);
    expect(result.score).toBe(30);
    expect(result.reasons.at(-1)).toEqual({ rule: 'bounce', kind: 'engagement', points: -30 });
  });

  it('clamps the sum to 100', () => {
    const generous: RuleScoring = {
      source: 'rules',
      fit: [
        { rule: 'a', field: 'country', points: 100, equals: 'DE' },
        { rule: 'b', field: 'industry', points: 100, equals: 'saas' },
      ],
      engagement: [],
    };
    expect(computeLeadScore(generous, idealProfile, [], t0).score).toBe(100);
  });

  it('ignores engagements after the evaluation time', () => {
    expect(computeLeadScore(terms, {}, [engaged('captured', addMinutes(t0, 1))], t0)).toEqual({
      score: 0,
      reasons: [],
    });
  });

  it.each([
    // age in days → 15 × 2^(−age/10): points to 2 decimals, score rounded half away from zero
    [0, 15, 15],
    [5, 10.61, 11], // 10.6066…
    [10, 7.5, 8],
    [20, 3.75, 4],
    [30, 1.88, 2], // 1.875
    [100, 0.01, 0], // 0.0146…
  ])('decays an engagement %d days old to %d points (score %d)', (age, points, score) => {
    expect(computeLeadScore(decaying, {}, [engaged('webinar', daysBefore(age))], t0)).toEqual({
      score,
      reasons: [{ rule: 'webinar', kind: 'engagement', points }],
    });
  });

  it('sums decayed engagements before capping and rounding', () => {
    // 15 + 7.5 + 3.75 = 26.25 → 26
    const three = [0, 10, 20].map((age) => engaged('webinar', daysBefore(age)));
    expect(computeLeadScore(decaying, {}, three, t0).score).toBe(26);
  });

  it('rounds half away from zero in both signs', () => {
    expect(roundHalfAwayFromZero(60.5)).toBe(61);
    expect(roundHalfAwayFromZero(-2.5)).toBe(-3);
    expect(roundHalfAwayFromZero(1.005, 2)).toBe(1.01);
    expect(roundHalfAwayFromZero(-1.875, 2)).toBe(-1.88);
    const half: RuleScoring = {
      source: 'rules',
      fit: [{ rule: 'half', field: 'country', points: 60.5, equals: 'de' }],
      engagement: [],
    };
    expect(computeLeadScore(half, idealProfile, [], t0).score).toBe(61);
  });
});

describe('computeLeadScore properties', () => {
  const kinds = ['captured', 'webinar', 'email_click', 'demo_request'] as const;
  const slugs = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 0, maxLength: 8 });
  const points = fc.double({ min: -100, max: 100, noNaN: true });
  const fitRule = (rule: string) =>
    fc.oneof(
      fc.record({
        rule: fc.constant(rule),
        field: fc.constant('country' as const),
        points,
        equals: fc.constantFrom('de', 'us'),
      }),
      fc.record({
        rule: fc.constant(rule),
        field: fc.constant('title' as const),
        points,
        containsAny: fc.array(fc.string(), { minLength: 1 }),
      }),
      fc.record({
        rule: fc.constant(rule),
        field: fc.constant('employees' as const),
        points,
        min: fc.nat(1000),
      }),
      fc.record({
        rule: fc.constant(rule),
        field: fc.constant('employees' as const),
        points,
        max: fc.nat(1000),
      }),
    );
  const engagementRule = (rule: string) =>
    fc.record(
      {
        rule: fc.constant(rule),
        kind: fc.constantFrom(...kinds),
        points,
        max: fc.integer({ min: 1, max: 100 }),
      },
      { requiredKeys: ['rule', 'kind', 'points'] },
    );
  const scoring: fc.Arbitrary<RuleScoring> = slugs.chain((names) => {
    const split = Math.floor(names.length / 2);
    return fc.record(
      {
        source: fc.constant('rules' as const),
        fit: fc.tuple(...names.slice(0, split).map(fitRule)),
        engagement: fc.tuple(...names.slice(split).map(engagementRule)),
        decayHalfLifeDays: fc.double({ min: 0.01, max: 365, noNaN: true }),
      },
      { requiredKeys: ['source', 'fit', 'engagement'] },
    );
  });
  const profile = fc.record({
    title: fc.option(fc.string()),
    country: fc.option(fc.constantFrom('DE', 'US', 'fr')),
    employees: fc.option(fc.integer({ min: 1, max: 2000 })),
  });
  // the same engagements twice, the second time in another order
  const engagementsInTwoOrders = fc
    .array(
      fc.record({
        kind: fc.constantFrom(...kinds),
        occurredAt: fc
          .integer({ min: -60 * 24 * 400, max: 60 })
          .map((minutes) => addMinutes(t0, minutes)),
      }),
      { maxLength: 30 },
    )
    .chain((facts) =>
      fc.tuple(
        fc.constant(facts),
        fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length }),
      ),
    );

  it('is an integer in 0..100, deterministic and independent of engagement order', () => {
    fc.assert(
      fc.property(scoring, profile, engagementsInTwoOrders, (terms, lead, [facts, shuffled]) => {
        const result = computeLeadScore(terms, lead, facts, t0);
        expect(Number.isInteger(result.score)).toBe(true);
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(100);
        expect(computeLeadScore(terms, lead, facts, t0)).toEqual(result);
        const reversed = [...facts].reverse();
        expect(computeLeadScore(terms, lead, shuffled, t0)).toEqual(result);
        expect(computeLeadScore(terms, lead, reversed, t0)).toEqual(result);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
