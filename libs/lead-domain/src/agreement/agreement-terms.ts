// The terms of an agreement version (DESIGN §10). Stored as data in the log, so every shape here
// is a stored contract: evolve additively.

export type ProfileField =
  'title' | 'company' | 'industry' | 'country' | 'employees' | 'emailDomain';

export type FitPredicate =
  | { equals: string }
  | { in: string[] }
  | { containsAny: string[] }
  | { min: number }
  | { max: number };

export type FitRule = { rule: string; field: ProfileField; points: number } & FitPredicate;

export type EngagementRule = { rule: string; kind: string; points: number; max?: number };

export type ScoringTerms =
  | { source: 'external' }
  | {
      source: 'rules';
      fit: FitRule[];
      engagement: EngagementRule[];
      decayHalfLifeDays?: number;
    };

export type BusinessHours = {
  timeZone: string;
  /** ISO weekdays, 1 = Monday */
  days: number[];
  /** wall-clock "HH:MM" in the zone */
  from: string;
  to: string;
  /** "YYYY-MM-DD" dates in the zone */
  holidays?: string[];
};

export type SalesResponseTerms = { acceptWithinMinutes: number; businessHours?: BusinessHours };
export type SalesFollowUpTerms = { attempts: number; withinHours: number };
export type RemedyTerms = {
  onResponseBreach: 'none' | 'reassign' | 'return_to_marketing' | 'escalate';
  repPool?: string[];
  escalateTo?: string;
};

export type PilotTerms = {
  reps: string[];
  salesResponse?: SalesResponseTerms;
  salesFollowUp?: SalesFollowUpTerms;
  remedy?: RemedyTerms;
};

export type AgreementTerms = {
  qualification: { mqlThreshold: number };
  scoring: ScoringTerms;
  salesResponse: SalesResponseTerms;
  salesFollowUp?: SalesFollowUpTerms;
  marketing: { mqlsPerMonth: number; minAcceptanceRate?: number };
  remedy?: RemedyTerms;
  pilot?: PilotTerms;
};
