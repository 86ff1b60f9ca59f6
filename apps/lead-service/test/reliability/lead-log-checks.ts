import stableStringify from 'fast-json-stable-stringify';
import {
  type LeadCommand,
  type LeadFact,
  type LeadPolicy,
  type LeadState,
  decide,
  evolve,
  initialLeadState,
} from '@lead/domain';
import { type ChainVerdict, type RecordedEvent, verifyChain } from '@lead/event-store';

export type LogVerdict = { problems: string[]; state: LeadState };

// The command that, decided against the state before an event, must yield exactly that event.
// Time comes from the event itself (business time; the recording time as the wall clock).
const commandFor = (fact: LeadFact, recordedAt: string): LeadCommand => {
  const base = {
    leadId: fact.data.leadId,
    occurredAt: fact.metadata.occurredAt,
    now: recordedAt,
  };
  switch (fact.type) {
    case 'LeadCaptured': {
      const { email, name, company, source, sourcedBy, priorTouches } = fact.data;
      const { title, industry, country, employees } = fact.data;
      return {
        ...base,
        type: 'CaptureLead',
        email,
        name,
        company,
        title,
        industry,
        country,
        employees,
        source,
        sourcedBy,
        priorTouches,
      };
    }
    case 'LeadEngaged': {
      const { campaignId, channel, kind } = fact.data;
      return { ...base, type: 'EngageLead', campaignId, channel, kind };
    }
    case 'LeadScored': {
      const { score, reasons, model } = fact.data;
      return { ...base, type: 'ScoreLead', score, reasons, model };
    }
    case 'LeadHandedOff': {
      const { toRep, note, override } = fact.data;
      return { ...base, type: 'HandOffLead', toRep, note, override };
    }
    case 'LeadAccepted':
      return { ...base, type: 'AcceptLead', acceptedBy: fact.data.acceptedBy };
    case 'LeadRejected':
      return { ...base, type: 'RejectLead', reason: fact.data.reason, note: fact.data.note };
    case 'LeadConverted': {
      const { amount, currency, opportunityId } = fact.data;
      return { ...base, type: 'ConvertLead', amount, currency, opportunityId };
    }
    case 'LeadLost':
      return { ...base, type: 'LoseLead', reason: fact.data.reason, note: fact.data.note };
    case 'LeadHandoffSlaBreached':
      return { ...base, type: 'RecordSlaBreach', handoffEventId: fact.data.handoffEventId };
    case 'LeadHandoffSlaCorrected': {
      const { handoffEventId, verdict, reason } = fact.data;
      return { ...base, type: 'CorrectHandoffSla', handoffEventId, verdict, reason };
    }
    case 'LeadPersonalDataErased':
      return { ...base, type: 'EraseLeadPersonalData' };
    case 'LeadProfileUpdated': {
      const { leadId: _leadId, personalDataErased: _erased, ...fields } = fact.data;
      return { ...base, type: 'UpdateLeadProfile', ...fields };
    }
    case 'LeadReassigned': {
      const { previousHandoffEventId, breachEventId } = fact.data;
      return {
        ...base,
        type: 'RemedySlaBreach',
        handoffEventId: previousHandoffEventId,
        breachEventId,
      };
    }
    case 'LeadReturnedToMarketing':
    case 'LeadSlaEscalated': {
      const { handoffEventId, breachEventId } = fact.data;
      return { ...base, type: 'RemedySlaBreach', handoffEventId, breachEventId };
    }
    case 'LeadQualifiedBySales': {
      const { opportunityId, estimatedAmount, currency } = fact.data;
      return { ...base, type: 'QualifyLead', opportunityId, estimatedAmount, currency };
    }
    case 'SalesActivityLogged': {
      const { kind, outcome, note } = fact.data;
      return { ...base, type: 'LogSalesActivity', kind, outcome, note };
    }
    case 'LeadRejectionDisputed': {
      const { handoffEventId, reason } = fact.data;
      return { ...base, type: 'DisputeRejection', handoffEventId, reason };
    }
    case 'LeadRejectionDisputeResolved': {
      const { handoffEventId, outcome, note } = fact.data;
      return { ...base, type: 'ResolveRejectionDispute', handoffEventId, outcome, note };
    }
    default: {
      const unknown: never = fact;
      throw new Error(`unknown event type ${(unknown as { type: string }).type}`);
    }
  }
};

// The policy in force: the configured threshold, and the SLA policy a handoff stamped (a
// placeholder for the other events, which do not read it).
const policyFor = (fact: LeadFact, mqlThreshold: number): LeadPolicy => ({
  mqlThreshold,
  slaPolicy:
    fact.type === 'LeadHandedOff' ? fact.data.slaPolicy : { id: 'unused', acceptWithinMinutes: 0 },
});

/**
 * Checks one lead stream as the domain sees it: revisions 0..n-1, an intact hash chain, and every
 * event is what `decide` produces for the equivalent command in the state folded so far (so each
 * transition was legal when it was appended, and its derived fields such as previousScore,
 * dueAt and handoffEventId are right).
 */
export const checkLeadLog = (
  events: readonly RecordedEvent[],
  options: {
    mqlThreshold: number;
    /**
     * The history endpoint's verdict, for events read through it: it shows personal fields
     * decrypted, while the chain covers them as stored, so only the server can recompute it.
     */
    chain?: ChainVerdict;
  },
): LogVerdict => {
  const problems: string[] = [];
  const chain = options.chain ?? verifyChain(events);
  if (!chain.valid) problems.push(`chain broken: ${JSON.stringify(chain.brokenAt)}`);
  let state: LeadState = initialLeadState;
  for (const [index, event] of events.entries()) {
    const where = `${event.streamId}@${index} ${event.type}`;
    if (event.revision !== index) problems.push(`${where}: revision ${event.revision}`);
    const fact = event as unknown as LeadFact;
    try {
      const produced = decide(
        commandFor(fact, event.metadata.recordedAt),
        state,
        policyFor(fact, options.mqlThreshold),
      );
      const expected = produced.map(({ type, data }) => stableStringify({ type, data }));
      const actual = stableStringify({ type: event.type, data: event.data });
      if (expected.length !== 1 || expected[0] !== actual) {
        problems.push(`${where}: the domain would have produced ${expected.join(', ')}`);
      }
    } catch (error) {
      problems.push(`${where}: not a legal transition from ${state.stage}: ${String(error)}`);
    }
    state = evolve(state, fact);
  }
  return { problems, state };
};
