import {
  decideAgreement,
  DomainError,
  foldAgreement,
  type AgreementEvent,
  type AgreementFact,
  type AgreementProposed,
  type AgreementSigned,
  type AgreementTeam,
  type AgreementTerms,
  type AgreementWithdrawn,
  type DomainErrorCode,
  type EventFacts,
  type ProposeAgreement,
  type SignAgreement,
  type WithdrawAgreement,
  type AgreementCommand,
} from '@lead/domain';
import { nextEventId, t0 } from './lead-builders';

/** Today's defaults as terms: what the founding version is written from. */
export const foundingTerms = (): AgreementTerms => ({
  qualification: { mqlThreshold: 60 },
  scoring: { source: 'external' },
  salesResponse: { acceptWithinMinutes: 1440 },
  marketing: { mqlsPerMonth: 100 },
});

type Facts = Partial<EventFacts> & { actor?: { id: string; role: string } };

const agreementFact = <E extends AgreementEvent>(event: E, facts: Facts): AgreementFact<E> => ({
  ...event,
  metadata: {
    eventId: facts.eventId ?? nextEventId(),
    occurredAt: facts.occurredAt ?? t0,
    ...(facts.actor ? { actor: facts.actor } : {}),
  },
});

export const agreementProposed = (
  overrides: Partial<AgreementProposed['data']> & Facts = {},
): AgreementFact<AgreementProposed> => {
  const { eventId, occurredAt, actor, ...data } = overrides;
  return agreementFact<AgreementProposed>(
    {
      type: 'AgreementProposed',
      data: { version: 1, effectiveFrom: t0, terms: foundingTerms(), ...data },
    },
    { eventId, occurredAt, actor },
  );
};

export const agreementSigned = (
  overrides: Partial<AgreementSigned['data']> & Facts = {},
): AgreementFact<AgreementSigned> => {
  const { eventId, occurredAt, actor, ...data } = overrides;
  return agreementFact<AgreementSigned>(
    { type: 'AgreementSigned', data: { version: 1, team: 'marketing', ...data } },
    { eventId, occurredAt, actor },
  );
};

export const agreementWithdrawn = (
  overrides: Partial<AgreementWithdrawn['data']> & Facts = {},
): AgreementFact<AgreementWithdrawn> => {
  const { eventId, occurredAt, actor, ...data } = overrides;
  return agreementFact<AgreementWithdrawn>(
    { type: 'AgreementWithdrawn', data: { version: 1, reason: 'superseded', ...data } },
    { eventId, occurredAt, actor },
  );
};

/** A version proposed and signed by both teams. */
export const agreementApproved = (
  overrides: Partial<AgreementProposed['data']> & Facts = {},
): AgreementFact[] => {
  const { version = 1, occurredAt } = overrides;
  return [
    agreementProposed(overrides),
    ...(['marketing', 'sales'] as AgreementTeam[]).map((team) =>
      agreementSigned({ version, team, occurredAt }),
    ),
  ];
};

type CommandOverrides<C> = Partial<Omit<C, 'type'>>;

export const proposeAgreement = (
  overrides: CommandOverrides<ProposeAgreement> = {},
): ProposeAgreement => ({
  type: 'ProposeAgreement',
  effectiveFrom: t0,
  terms: foundingTerms(),
  occurredAt: t0,
  now: t0,
  ...overrides,
});

export const signAgreement = (overrides: CommandOverrides<SignAgreement> = {}): SignAgreement => ({
  type: 'SignAgreement',
  version: 1,
  team: 'marketing',
  occurredAt: t0,
  now: t0,
  ...overrides,
});

export const withdrawAgreement = (
  overrides: CommandOverrides<WithdrawAgreement> = {},
): WithdrawAgreement => ({
  type: 'WithdrawAgreement',
  version: 1,
  reason: 'superseded',
  occurredAt: t0,
  now: t0,
  ...overrides,
});

export type AgreementScenario = {
  then(...expected: AgreementEvent[]): AgreementEvent[];
  thenThrows(code: DomainErrorCode): DomainError;
};

const decided = ({ type, data }: AgreementEvent) => ({ type, data });

export const givenAgreement = (...history: AgreementFact[]) => ({
  when: (command: AgreementCommand): AgreementScenario => ({
    then: (...expected) => {
      const events = decideAgreement(command, foldAgreement(history));
      expect(events.map(decided)).toStrictEqual(expected.map(decided));
      return events;
    },
    thenThrows: (code) => {
      let events: AgreementEvent[];
      try {
        events = decideAgreement(command, foldAgreement(history));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        expect(error.code).toBe(code);
        expect(error.message).not.toBe('');
        return error;
      }
      throw new Error(
        `expected ${command.type} to be refused with ${code}, but it decided ${JSON.stringify(events)}`,
      );
    },
  }),
});
