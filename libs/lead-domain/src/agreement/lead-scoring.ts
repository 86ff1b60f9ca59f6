import type { FitRule, ScoringTerms } from './agreement-terms';

export type RuleScoring = Extract<ScoringTerms, { source: 'rules' }>;

/** What the fit rules look at; emailDomain is derived from the email. */
export type ScoringProfile = {
  email?: string | null;
  title?: string | null;
  company?: string | null;
  industry?: string | null;
  country?: string | null;
  employees?: number | null;
};

/** An engagement as the scorer sees it; the capture itself is kind `captured`. */
export type ScoringEngagement = { kind: string; occurredAt: string };

export type RuleScore = { rule: string; kind: 'fit' | 'engagement'; points: number };
export type LeadScore = { score: number; reasons: RuleScore[] };

const dayMs = 24 * 60 * 60_000;

// Half away from zero at any number of decimals; the epsilon keeps 1.005 from reading as 1.00499…
export const roundHalfAwayFromZero = (value: number, decimals = 0): number => {
  const scale = 10 ** decimals;
  const rounded = Math.round(Math.abs(value) * scale * (1 + Number.EPSILON)) / scale;
  return value < 0 ? -rounded : rounded;
};

const normalised = (value: string): string => value.trim().toLowerCase();

const profileValue = (profile: ScoringProfile, field: FitRule['field']): string | number | null => {
  if (field === 'emailDomain') {
    const email = profile.email;
    const at = email ? email.lastIndexOf('@') : -1;
    return email && at >= 0 ? email.slice(at + 1).toLowerCase() : null;
  }
  return profile[field] ?? null;
};

// Literal comparisons only: a string in the terms is never interpreted as a pattern.
const holds = (rule: FitRule, profile: ScoringProfile): boolean => {
  const value = profileValue(profile, rule.field);
  if (value === null) return false;
  if ('min' in rule) return typeof value === 'number' && value >= rule.min;
  if ('max' in rule) return typeof value === 'number' && value <= rule.max;
  const text = normalised(String(value));
  if ('equals' in rule) return text === normalised(rule.equals);
  if ('in' in rule) return rule.in.some((candidate) => text === normalised(candidate));
  return rule.containsAny.some((part) => text.includes(normalised(part)));
};

/**
 * The score of a lead at business time `at` under rule-based terms (DESIGN §10): fit points once
 * per holding rule, engagement points decayed by age and capped per rule, the sum rounded half
 * away from zero and clamped to 0..100. Engagements after `at` do not count.
 */
export const computeLeadScore = (
  terms: RuleScoring,
  profile: ScoringProfile,
  engagements: readonly ScoringEngagement[],
  at: string,
): LeadScore => {
  const now = Date.parse(at);
  const halfLifeMs = terms.decayHalfLifeDays === undefined ? null : terms.decayHalfLifeDays * dayMs;
  // Summed oldest first whatever the input order, so float addition gives one answer.
  const counted = engagements
    .map(({ kind, occurredAt }) => ({ kind, time: Date.parse(occurredAt) }))
    .filter(({ time }) => time <= now)
    .sort((a, b) => a.time - b.time || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));

  const fit = terms.fit
    .filter((rule) => holds(rule, profile))
    .map((rule) => ({ rule: rule.rule, kind: 'fit' as const, points: rule.points }));

  const engagement = terms.engagement.flatMap((rule) => {
    const matching = counted.filter(({ kind }) => kind === rule.kind);
    if (matching.length === 0) return [];
    const total = matching.reduce(
      (sum, { time }) =>
        sum + rule.points * (halfLifeMs === null ? 1 : 2 ** (-(now - time) / halfLifeMs)),
      0,
    );
    const capped =
      rule.max === undefined ? total : Math.sign(total) * Math.min(Math.abs(total), rule.max);
    return [{ rule: rule.rule, kind: 'engagement' as const, points: capped }];
  });

  const contributions = [...fit, ...engagement];
  const sum = contributions.reduce((total, { points }) => total + points, 0);
  return {
    score: Math.min(100, Math.max(0, roundHalfAwayFromZero(sum))),
    reasons: contributions.map((reason) => ({
      ...reason,
      points: roundHalfAwayFromZero(reason.points, 2),
    })),
  };
};
