import type { AgreementTeam } from './agreement-events';
import type { AgreementTerms } from './agreement-terms';

type Timed = { occurredAt: string; now: string };

export type ProposeAgreement = Timed & {
  type: 'ProposeAgreement';
  effectiveFrom: string;
  /** unvalidated: the decider refuses invalid terms with field errors */
  terms: unknown;
  note?: string;
};

export type SignAgreement = Timed & { type: 'SignAgreement'; version: number; team: AgreementTeam };

export type WithdrawAgreement = Timed & {
  type: 'WithdrawAgreement';
  version: number;
  reason: string;
};

/** Version 1 from the configuration, effective since 1970 and signed by both teams. */
export type FoundAgreement = Timed & { type: 'FoundAgreement'; terms: AgreementTerms };

export type AgreementCommand =
  ProposeAgreement | SignAgreement | WithdrawAgreement | FoundAgreement;
