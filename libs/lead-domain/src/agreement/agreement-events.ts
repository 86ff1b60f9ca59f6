import type { EventFacts } from '../lead-events';
import type { AgreementTerms } from './agreement-terms';

// One stream holds every version of the agreement, so the next version number and the rules
// between versions are decided against one consistent history.
export const agreementStream = 'agreement';

export type AgreementTeam = 'marketing' | 'sales';

export type AgreementProposed = {
  type: 'AgreementProposed';
  data: { version: number; effectiveFrom: string; terms: AgreementTerms; note?: string };
};

export type AgreementSigned = {
  type: 'AgreementSigned';
  data: { version: number; team: AgreementTeam };
};

export type AgreementWithdrawn = {
  type: 'AgreementWithdrawn';
  data: { version: number; reason: string };
};

export type AgreementEvent = AgreementProposed | AgreementSigned | AgreementWithdrawn;
export type AgreementEventType = AgreementEvent['type'];

const listedEventTypes = {
  AgreementProposed: true,
  AgreementSigned: true,
  AgreementWithdrawn: true,
} as const satisfies Record<AgreementEventType, true>;

export const agreementEventTypes = Object.keys(listedEventTypes) as readonly AgreementEventType[];

// The actor is kept when known, so a version can name who proposed and who signed it.
export type AgreementFact<E extends AgreementEvent = AgreementEvent> = E & {
  metadata: EventFacts & { actor?: { id: string; role: string } };
};
