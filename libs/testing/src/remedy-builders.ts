import type {
  EventFacts,
  LeadFact,
  LeadReassigned,
  LeadReturnedToMarketing,
  LeadSlaEscalated,
  RemedySlaBreach,
} from '@lead/domain';
import { addMinutes, defaultSlaPolicy, nextEventId, t0, testLeadId } from './lead-builders';

// Builders for the remedies on a response breach (DESIGN §11). A remedy names the handoff and the
// breach it answers; there is no sensible default for either, so both are required.
type Remedying<E extends LeadReassigned | LeadReturnedToMarketing | LeadSlaEscalated> = Partial<
  E['data']
> &
  Partial<EventFacts> & { breachEventId: string };

const facts = ({ eventId, occurredAt }: Partial<EventFacts>): EventFacts => ({
  eventId: eventId ?? nextEventId(),
  occurredAt: occurredAt ?? t0,
});

export const leadReassigned = (
  overrides: Remedying<LeadReassigned> & { previousHandoffEventId: string },
): LeadFact<LeadReassigned> => {
  const { eventId, occurredAt, ...data } = overrides;
  const slaPolicy = data.slaPolicy ?? defaultSlaPolicy;
  return {
    type: 'LeadReassigned',
    data: {
      leadId: testLeadId,
      fromRep: 'rep-1',
      toRep: 'rep-2',
      slaPolicy,
      dueAt: addMinutes(occurredAt ?? t0, slaPolicy.acceptWithinMinutes),
      ...data,
    },
    metadata: facts({ eventId, occurredAt }),
  };
};

export const leadReturnedToMarketing = (
  overrides: Remedying<LeadReturnedToMarketing> & { handoffEventId: string },
): LeadFact<LeadReturnedToMarketing> => {
  const { eventId, occurredAt, ...data } = overrides;
  return {
    type: 'LeadReturnedToMarketing',
    data: { leadId: testLeadId, ...data },
    metadata: facts({ eventId, occurredAt }),
  };
};

export const leadSlaEscalated = (
  overrides: Remedying<LeadSlaEscalated> & { handoffEventId: string },
): LeadFact<LeadSlaEscalated> => {
  const { eventId, occurredAt, ...data } = overrides;
  return {
    type: 'LeadSlaEscalated',
    data: { leadId: testLeadId, to: 'sales_manager', ...data },
    metadata: facts({ eventId, occurredAt }),
  };
};

export const remedySlaBreach = (
  overrides: Partial<Omit<RemedySlaBreach, 'type'>> & {
    handoffEventId: string;
    breachEventId: string;
  },
): RemedySlaBreach => {
  const occurredAt = overrides.occurredAt ?? overrides.now ?? t0;
  return {
    type: 'RemedySlaBreach',
    ...overrides,
    leadId: overrides.leadId ?? testLeadId,
    occurredAt,
    now: overrides.now ?? occurredAt,
  };
};
