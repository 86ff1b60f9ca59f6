import { type AgreementState, agreementInForceAt } from './agreement-state';

/** What marketing owes under the version in force at a moment (a month's start). */
export type MarketingTarget = {
  agreementVersion: number;
  mqlsPerMonth: number;
  minAcceptanceRate: number | null;
};

export const marketingTargetAt = (state: AgreementState, at: string): MarketingTarget | null => {
  const version = agreementInForceAt(state, at);
  if (!version) return null;
  const { mqlsPerMonth, minAcceptanceRate } = version.terms.marketing;
  return {
    agreementVersion: version.version,
    mqlsPerMonth,
    minAcceptanceRate: minAcceptanceRate ?? null,
  };
};
