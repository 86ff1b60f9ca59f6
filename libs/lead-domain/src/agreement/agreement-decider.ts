import { DomainError } from '../lead-errors';
import { maxClockSkewMs } from '../lead-decider';
import type {
  AgreementCommand,
  FoundAgreement,
  ProposeAgreement,
  SignAgreement,
  WithdrawAgreement,
} from './agreement-commands';
import type { AgreementEvent, AgreementTeam } from './agreement-events';
import {
  type AgreementState,
  type AgreementVersion,
  evolveAgreement,
  initialAgreementState,
} from './agreement-state';
import { validateAgreementTerms } from './agreement-terms-validation';

// The founding version is effective since the epoch, so every existing fact falls under it.
export const foundingEffectiveFrom = '1970-01-01T00:00:00.000Z';

export const decideAgreement = (
  command: AgreementCommand,
  state: AgreementState,
): AgreementEvent[] => {
  if (Date.parse(command.occurredAt) > Date.parse(command.now) + maxClockSkewMs) {
    throw new DomainError(
      'occurred_at_in_future',
      `occurredAt ${command.occurredAt} is in the future`,
    );
  }
  switch (command.type) {
    case 'FoundAgreement':
      return found(command, state);
    case 'ProposeAgreement':
      return [propose(command, state)];
    case 'SignAgreement':
      return sign(command, state);
    case 'WithdrawAgreement':
      return withdraw(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
};

// Idempotent: only the very first start of the system founds the agreement.
const found = ({ terms }: FoundAgreement, state: AgreementState): AgreementEvent[] => {
  if (state.versions.length > 0) return [];
  const version = 1;
  return [
    { type: 'AgreementProposed', data: { version, effectiveFrom: foundingEffectiveFrom, terms } },
    { type: 'AgreementSigned', data: { version, team: 'marketing' } },
    { type: 'AgreementSigned', data: { version, team: 'sales' } },
  ];
};

const propose = (command: ProposeAgreement, state: AgreementState): AgreementEvent => {
  const errors = validateAgreementTerms(command.terms);
  const effectiveFrom = Date.parse(command.effectiveFrom);
  if (Number.isNaN(effectiveFrom)) {
    errors.unshift({ field: 'effectiveFrom', message: 'must be an ISO-8601 date-time' });
  }
  if (errors.length > 0) {
    throw new DomainError('agreement_terms_invalid', 'the proposed agreement is invalid', errors);
  }
  // No retroactive agreements: the past was decided under the terms then in force.
  if (effectiveFrom < Date.parse(command.occurredAt) - maxClockSkewMs) {
    throw new DomainError(
      'agreement_retroactive',
      `effectiveFrom ${command.effectiveFrom} is before the proposal (${command.occurredAt}); agreements never apply retroactively`,
    );
  }
  const { note } = command;
  return {
    type: 'AgreementProposed',
    data: {
      version: state.versions.length + 1,
      effectiveFrom: new Date(effectiveFrom).toISOString(),
      terms: command.terms as AgreementVersion['terms'],
      ...(note === undefined ? {} : { note }),
    },
  };
};

const find = (state: AgreementState, version: number): AgreementVersion => {
  const found = state.versions.find((candidate) => candidate.version === version);
  if (!found) {
    throw new DomainError(
      'agreement_version_not_found',
      `agreement version ${version} does not exist`,
    );
  }
  return found;
};

const sign = (command: SignAgreement, state: AgreementState): AgreementEvent[] => {
  const version = find(state, command.version);
  if (version.status === 'withdrawn') {
    throw new DomainError(
      'agreement_withdrawn',
      `agreement version ${version.version} was withdrawn; it can no longer be signed`,
    );
  }
  if (version.signatures.some(({ team }) => team === command.team)) return [];
  const otherTeam: AgreementTeam = command.team === 'marketing' ? 'sales' : 'marketing';
  const completes = version.signatures.some(({ team }) => team === otherTeam);
  // Approval after effectiveFrom would put the version in force over a past already decided.
  if (
    completes &&
    Date.parse(version.effectiveFrom) < Date.parse(command.occurredAt) - maxClockSkewMs
  ) {
    throw new DomainError(
      'agreement_effective_from_passed',
      `agreement version ${version.version} was to take effect at ${version.effectiveFrom}, before this signature; propose a new version`,
    );
  }
  return [{ type: 'AgreementSigned', data: { version: version.version, team: command.team } }];
};

const withdraw = (command: WithdrawAgreement, state: AgreementState): AgreementEvent[] => {
  const version = find(state, command.version);
  if (version.status === 'approved') {
    throw new DomainError(
      'agreement_approved',
      `agreement version ${version.version} is approved by both teams; propose a new version instead`,
    );
  }
  if (version.status === 'withdrawn') return [];
  return [
    { type: 'AgreementWithdrawn', data: { version: version.version, reason: command.reason } },
  ];
};

/** The agreement aggregate as one value: what a command handler needs to read, fold and decide. */
export const agreementDecider = {
  decide: decideAgreement,
  evolve: evolveAgreement,
  initialState: initialAgreementState,
};
