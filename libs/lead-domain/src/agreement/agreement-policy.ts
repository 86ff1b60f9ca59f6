import type { LeadPolicy } from '../lead-commands';
import type { AgreementVersion } from './agreement-state';
import type { AgreementTerms } from './agreement-terms';

/** The founding terms (version 1) from today's configuration, so nothing changes on upgrade. */
export const termsFromConfiguration = (config: {
  mqlThreshold: number;
  slaAcceptWithinMinutes: number;
  mqlTargetPerMonth: number;
}): AgreementTerms => ({
  qualification: { mqlThreshold: config.mqlThreshold },
  scoring: { source: 'external' },
  salesResponse: { acceptWithinMinutes: config.slaAcceptWithinMinutes },
  marketing: { mqlsPerMonth: config.mqlTargetPerMonth },
});

/**
 * What a lead command is decided under while `agreement` is in force; for a handoff to a pilot
 * rep, each pilot section replaces the main one. Stamped into the handoff, so a later agreement
 * never changes an earlier deadline.
 */
export const leadPolicyUnder = (agreement: AgreementVersion, toRep?: string): LeadPolicy => {
  const { terms, version } = agreement;
  const pilot = toRep !== undefined && terms.pilot?.reps.includes(toRep) ? terms.pilot : undefined;
  const salesResponse = pilot?.salesResponse ?? terms.salesResponse;
  const followUp = pilot?.salesFollowUp ?? terms.salesFollowUp;
  const remedy = pilot?.remedy ?? terms.remedy;
  return {
    mqlThreshold: terms.qualification.mqlThreshold,
    scoreSource: terms.scoring.source,
    slaPolicy: {
      id: `agreement@${version}`,
      agreementVersion: version,
      acceptWithinMinutes: salesResponse.acceptWithinMinutes,
      ...(salesResponse.businessHours ? { businessHours: salesResponse.businessHours } : {}),
      ...(followUp ? { followUp } : {}),
      ...(remedy ? { remedy } : {}),
    },
  };
};
