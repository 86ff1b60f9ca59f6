import {
  addMinutes,
  agreementApproved,
  agreementProposed,
  agreementSigned,
  agreementWithdrawn,
  at,
  foundingTerms,
  givenAgreement,
  proposeAgreement,
  signAgreement,
  t0,
  withdrawAgreement,
} from '@lead/testing';
import { maxClockSkewMs } from '../lead-decider';
import { foundingEffectiveFrom } from './agreement-decider';
import { agreementInForceAt, foldAgreement } from './agreement-state';
import type { AgreementTerms } from './agreement-terms';

const stricter: AgreementTerms = { ...foundingTerms(), qualification: { mqlThreshold: 70 } };

describe('FoundAgreement', () => {
  it('writes version 1 from the configuration, effective since 1970 and signed by both teams', () => {
    givenAgreement()
      .when({ type: 'FoundAgreement', terms: foundingTerms(), occurredAt: t0, now: t0 })
      .then(
        agreementProposed({ version: 1, effectiveFrom: foundingEffectiveFrom }),
        agreementSigned({ version: 1, team: 'marketing' }),
        agreementSigned({ version: 1, team: 'sales' }),
      );
  });

  it('writes nothing once the agreement exists, so every later start leaves it alone', () => {
    givenAgreement(...agreementApproved({ effectiveFrom: foundingEffectiveFrom }))
      .when({ type: 'FoundAgreement', terms: stricter, occurredAt: at(60), now: at(60) })
      .then();
  });
});

describe('ProposeAgreement', () => {
  it('proposes the next version number', () => {
    givenAgreement(...agreementApproved({ effectiveFrom: foundingEffectiveFrom }))
      .when(proposeAgreement({ effectiveFrom: at(60), terms: stricter, note: 'tighter MQL' }))
      .then(
        agreementProposed({
          version: 2,
          effectiveFrom: at(60),
          terms: stricter,
          note: 'tighter MQL',
        }),
      );
  });

  it('numbers a proposal after a withdrawn one without reusing its number', () => {
    givenAgreement(
      ...agreementApproved(),
      agreementProposed({ version: 2 }),
      agreementWithdrawn({ version: 2 }),
    )
      .when(proposeAgreement())
      .then(agreementProposed({ version: 3 }));
  });

  it('stores effectiveFrom normalised to UTC', () => {
    givenAgreement()
      .when(proposeAgreement({ effectiveFrom: '2026-01-05T10:00:00+01:00' }))
      .then(agreementProposed({ version: 1, effectiveFrom: t0 }));
  });

  it('refuses an effectiveFrom before the proposal (no retroactive agreements)', () => {
    givenAgreement()
      .when(proposeAgreement({ effectiveFrom: at(-60) }))
      .thenThrows('agreement_retroactive');
  });

  it('tolerates the clock skew, and no more', () => {
    givenAgreement()
      .when(proposeAgreement({ effectiveFrom: addMinutes(t0, -maxClockSkewMs / 60_000) }))
      .then(agreementProposed({ effectiveFrom: addMinutes(t0, -maxClockSkewMs / 60_000) }));
    givenAgreement()
      .when(
        proposeAgreement({
          effectiveFrom: new Date(Date.parse(t0) - maxClockSkewMs - 1).toISOString(),
        }),
      )
      .thenThrows('agreement_retroactive');
  });

  it('refuses invalid terms with field errors', () => {
    const error = givenAgreement()
      .when(proposeAgreement({ terms: { ...foundingTerms(), qualification: { mqlThreshold: 0 } } }))
      .thenThrows('agreement_terms_invalid');
    expect(error.errors).toEqual([
      {
        field: 'terms.qualification.mqlThreshold',
        message: 'must be an integer at least 1 and at most 100',
      },
    ]);
  });

  it('refuses an effectiveFrom that is not a date', () => {
    const error = givenAgreement()
      .when(proposeAgreement({ effectiveFrom: 'next monday' }))
      .thenThrows('agreement_terms_invalid');
    expect(error.errors).toEqual([
      { field: 'effectiveFrom', message: 'must be an ISO-8601 date-time' },
    ]);
  });

  it('refuses a proposal dated in the future beyond the skew', () => {
    givenAgreement()
      .when(proposeAgreement({ occurredAt: at(60), effectiveFrom: at(60), now: t0 }))
      .thenThrows('occurred_at_in_future');
  });
});

describe('SignAgreement', () => {
  it('records the first team’s signature', () => {
    givenAgreement(agreementProposed())
      .when(signAgreement({ team: 'sales' }))
      .then(agreementSigned({ team: 'sales' }));
  });

  it('records the second team’s signature, which approves the version', () => {
    const history = [agreementProposed(), agreementSigned({ team: 'marketing' })];
    givenAgreement(...history)
      .when(signAgreement({ team: 'sales' }))
      .then(agreementSigned({ team: 'sales' }));
    const state = foldAgreement([...history, agreementSigned({ team: 'sales' })]);
    expect(state.versions[0].status).toBe('approved');
  });

  it('appends nothing when the same team signs again', () => {
    givenAgreement(agreementProposed(), agreementSigned({ team: 'marketing' }))
      .when(signAgreement({ team: 'marketing' }))
      .then();
    givenAgreement(...agreementApproved())
      .when(signAgreement({ team: 'sales' }))
      .then();
  });

  it('refuses to sign a withdrawn version', () => {
    givenAgreement(agreementProposed(), agreementWithdrawn())
      .when(signAgreement())
      .thenThrows('agreement_withdrawn');
  });

  it('refuses an unknown version', () => {
    givenAgreement(agreementProposed())
      .when(signAgreement({ version: 7 }))
      .thenThrows('agreement_version_not_found');
  });

  it('refuses the approving signature once effectiveFrom has passed, which would rewrite the past', () => {
    givenAgreement(
      agreementProposed({ effectiveFrom: at(60) }),
      agreementSigned({ team: 'marketing' }),
    )
      .when(signAgreement({ team: 'sales', occurredAt: at(120), now: at(120) }))
      .thenThrows('agreement_effective_from_passed');
  });

  it('accepts a first signature after effectiveFrom: the version is not in force until approved', () => {
    givenAgreement(agreementProposed({ effectiveFrom: at(60) }))
      .when(signAgreement({ team: 'sales', occurredAt: at(120), now: at(120) }))
      .then(agreementSigned({ team: 'sales' }));
  });
});

describe('WithdrawAgreement', () => {
  it('withdraws a proposed version, signed by one team or none', () => {
    givenAgreement(agreementProposed())
      .when(withdrawAgreement({ reason: 'typo in terms' }))
      .then(agreementWithdrawn({ reason: 'typo in terms' }));
    givenAgreement(agreementProposed(), agreementSigned())
      .when(withdrawAgreement())
      .then(agreementWithdrawn());
  });

  it('refuses to withdraw an approved version', () => {
    givenAgreement(...agreementApproved())
      .when(withdrawAgreement())
      .thenThrows('agreement_approved');
  });

  it('appends nothing when the version is already withdrawn', () => {
    givenAgreement(agreementProposed(), agreementWithdrawn()).when(withdrawAgreement()).then();
  });

  it('refuses an unknown version', () => {
    givenAgreement()
      .when(withdrawAgreement({ version: 2 }))
      .thenThrows('agreement_version_not_found');
  });
});

describe('agreementInForceAt', () => {
  const history = [
    ...agreementApproved({ version: 1, effectiveFrom: foundingEffectiveFrom }),
    ...agreementApproved({ version: 2, effectiveFrom: at(60), terms: stricter }),
    agreementProposed({ version: 3, effectiveFrom: at(120) }),
    agreementSigned({ version: 3, team: 'marketing' }),
    ...agreementApproved({ version: 4, effectiveFrom: at(60) }),
    agreementProposed({ version: 5, effectiveFrom: at(30) }),
    agreementWithdrawn({ version: 5 }),
  ];
  const state = foldAgreement(history);
  const versionAt = (time: string) => agreementInForceAt(state, time)?.version ?? null;

  it('is the founding version before any later one takes effect', () => {
    expect(versionAt(t0)).toBe(1);
    expect(versionAt('1970-01-01T00:00:00.000Z')).toBe(1);
  });

  it('is nothing before the founding effectiveFrom', () => {
    expect(versionAt('1969-12-31T23:59:59.999Z')).toBeNull();
  });

  it('skips proposed and withdrawn versions', () => {
    expect(versionAt(at(45))).toBe(1);
    expect(versionAt(at(600))).toBe(4);
  });

  it('takes the higher version when two approved ones take effect at the same time', () => {
    expect(versionAt(at(60))).toBe(4);
  });

  it('records proposer, signatures and status for the read side', () => {
    const folded = foldAgreement([
      agreementProposed({ actor: { id: 'mm-1', role: 'marketing_manager' } }),
      agreementSigned({
        team: 'sales',
        occurredAt: at(5),
        actor: { id: 'sm-1', role: 'sales_manager' },
      }),
    ]);
    expect(folded.versions[0]).toMatchObject({
      status: 'proposed',
      proposer: 'mm-1',
      signatures: [{ team: 'sales', actor: 'sm-1', at: at(5) }],
    });
  });
});
