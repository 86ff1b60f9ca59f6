import type { LeadFact } from './lead-events';

type Known = { leadId: string; score: number | null; qualified: boolean };
export type PendingHandoff = { eventId: string; toRep: string; dueAt: string; breached: boolean };

// A union that narrows on `stage`: a handoff exists only while handed off, an owner only once
// accepted, so impossible combinations cannot be written.
export type LeadState =
  | { stage: 'initial' }
  | (Known & { stage: 'captured' | 'mql' | 'nurturing'; owner: string | null })
  | (Known & { stage: 'handed_off'; owner: string; handoff: PendingHandoff })
  | (Known & { stage: 'accepted'; owner: string })
  | (Known & { stage: 'converted' | 'lost'; owner: string | null });

export type LeadStage = LeadState['stage'];
export const initialLeadState: LeadState = { stage: 'initial' };

export const evolve = (state: LeadState, event: LeadFact): LeadState => {
  if (event.type === 'LeadCaptured') {
    return { stage: 'captured', leadId: event.data.leadId, score: null, qualified: false, owner: null };
  }
  if (state.stage === 'initial') return state;
  switch (event.type) {
    case 'LeadScored': {
      const { score, qualified } = event.data;
      if (state.stage === 'captured' || state.stage === 'mql') {
        return { ...state, score, qualified, stage: qualified ? 'mql' : 'captured' };
      }
      return { ...state, score, qualified };
    }
    case 'LeadHandedOff': {
      const { toRep, dueAt } = event.data;
      const handoff = { eventId: event.metadata.eventId, toRep, dueAt, breached: false };
      return { ...state, stage: 'handed_off', owner: toRep, handoff };
    }
    case 'LeadHandoffSlaBreached':
      return state.stage === 'handed_off' && state.handoff.eventId === event.data.handoffEventId
        ? { ...state, handoff: { ...state.handoff, breached: true } }
        : state;
    case 'LeadAccepted':
      return { ...stripHandoff(state), stage: 'accepted', owner: event.data.acceptedBy };
    case 'LeadRejected':
      return { ...stripHandoff(state), stage: 'nurturing', owner: null };
    case 'LeadConverted':
      return { ...stripHandoff(state), stage: 'converted' };
    case 'LeadLost':
      return { ...stripHandoff(state), stage: 'lost' };
    default:
      // Engagements and erasure change no decision state; unknown events are ignored so that
      // old streams stay readable.
      return state;
  }
};

const stripHandoff = (state: Exclude<LeadState, { stage: 'initial' }>) => {
  const { leadId, score, qualified, owner } = state;
  return { leadId, score, qualified, owner };
};

export const foldLead = (events: readonly LeadFact[]): LeadState =>
  events.reduce(evolve, initialLeadState);
