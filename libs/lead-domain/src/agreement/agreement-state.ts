import type { AgreementFact, AgreementTeam } from './agreement-events';
import type { AgreementTerms } from './agreement-terms';

export type AgreementStatus = 'proposed' | 'approved' | 'withdrawn';
export type AgreementSignature = { team: AgreementTeam; actor: string | null; at: string };

export type AgreementVersion = {
  version: number;
  status: AgreementStatus;
  effectiveFrom: string;
  terms: AgreementTerms;
  note?: string;
  proposedAt: string;
  proposer: string | null;
  signatures: AgreementSignature[];
  withdrawal?: { reason: string; at: string };
};

/** versions[i] is version i + 1 */
export type AgreementState = { versions: AgreementVersion[] };

export const initialAgreementState: AgreementState = { versions: [] };

const bothTeams: readonly AgreementTeam[] = ['marketing', 'sales'];

export const evolveAgreement = (state: AgreementState, event: AgreementFact): AgreementState => {
  const { occurredAt, actor } = event.metadata;
  switch (event.type) {
    case 'AgreementProposed': {
      const { version, effectiveFrom, terms, note } = event.data;
      const proposed: AgreementVersion = {
        version,
        status: 'proposed',
        effectiveFrom,
        terms,
        ...(note === undefined ? {} : { note }),
        proposedAt: occurredAt,
        proposer: actor?.id ?? null,
        signatures: [],
      };
      return { versions: [...state.versions, proposed] };
    }
    case 'AgreementSigned':
      return update(state, event.data.version, (version) => {
        const signatures = [
          ...version.signatures,
          { team: event.data.team, actor: actor?.id ?? null, at: occurredAt },
        ];
        const approved = bothTeams.every((team) => signatures.some((s) => s.team === team));
        return { ...version, signatures, status: approved ? 'approved' : version.status };
      });
    case 'AgreementWithdrawn':
      return update(state, event.data.version, (version) => ({
        ...version,
        status: 'withdrawn',
        withdrawal: { reason: event.data.reason, at: occurredAt },
      }));
    default:
      // unknown events are ignored, so old code can read newer streams
      return state;
  }
};

const update = (
  state: AgreementState,
  versionNumber: number,
  change: (version: AgreementVersion) => AgreementVersion,
): AgreementState => ({
  versions: state.versions.map((version) =>
    version.version === versionNumber ? change(version) : version,
  ),
});

export const foldAgreement = (facts: readonly AgreementFact[]): AgreementState =>
  facts.reduce(evolveAgreement, initialAgreementState);

/**
 * The version in force at business time `at`: the approved one with the greatest effectiveFrom
 * not after `at`; on a tie the higher version, being the later decision.
 */
export const agreementInForceAt = (state: AgreementState, at: string): AgreementVersion | null => {
  const time = Date.parse(at);
  let best: AgreementVersion | null = null;
  for (const version of state.versions) {
    if (version.status !== 'approved' || Date.parse(version.effectiveFrom) > time) continue;
    const from = Date.parse(version.effectiveFrom);
    if (
      !best ||
      from > Date.parse(best.effectiveFrom) ||
      (from === Date.parse(best.effectiveFrom) && version.version > best.version)
    ) {
      best = version;
    }
  }
  return best;
};
