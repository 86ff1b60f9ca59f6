import type { DisputeOutcome, LeadFact } from './lead-events';

// A lifecycle milestone in business time; later milestones may not be dated before it.
export type Milestone = { kind: 'capture' | 'handoff' | 'acceptance' | 'rejection'; at: string };
// Every handoff of the lead, so an admin correction can name any of them, answered or not.
export type HandoffRecord = {
  eventId: string;
  dueAt: string;
  responded: boolean;
  /** a rejected handoff may be disputed by marketing once, and that dispute ruled on once */
  rejectedAt?: string;
  dispute?: { status: DisputeStatus; at: string };
};
export type DisputeStatus = 'open' | DisputeOutcome;

type Known = {
  leadId: string;
  score: number | null;
  qualified: boolean;
  capturedAt: string;
  lastMilestone: Milestone;
  handoffs: HandoffRecord[];
  /** once erased, erasing again records nothing (the first erasure stands) */
  personalDataErased: boolean;
};
export type PendingHandoff = {
  eventId: string;
  toRep: string;
  handedOffAt: string;
  dueAt: string;
  breached: boolean;
};

// A union that narrows on `stage`: a handoff exists only while handed off, an owner only once
// accepted, so impossible combinations cannot be written.
export type LeadState =
  | { stage: 'initial' }
  | (Known & { stage: 'captured' | 'mql' | 'nurturing'; owner: string | null })
  | (Known & { stage: 'handed_off'; owner: string; handoff: PendingHandoff })
  | (Known & { stage: 'accepted'; owner: string; acceptedAt: string })
  | (Known & {
      stage: 'sql';
      owner: string;
      acceptedAt: string;
      qualifiedBySalesAt: string;
      opportunityId: string;
    })
  | (Known & { stage: 'converted' | 'lost'; owner: string | null });

export type LeadStage = LeadState['stage'];
export const initialLeadState: LeadState = { stage: 'initial' };

export const evolve = (state: LeadState, event: LeadFact): LeadState => {
  const { occurredAt } = event.metadata;
  if (event.type === 'LeadCaptured') {
    return {
      stage: 'captured',
      leadId: event.data.leadId,
      score: null,
      qualified: false,
      owner: null,
      capturedAt: occurredAt,
      lastMilestone: { kind: 'capture', at: occurredAt },
      handoffs: [],
      personalDataErased: false,
    };
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
      const { eventId } = event.metadata;
      const handoff = { eventId, toRep, handedOffAt: occurredAt, dueAt, breached: false };
      return {
        ...state,
        stage: 'handed_off',
        owner: toRep,
        handoff,
        lastMilestone: latest(state.lastMilestone, { kind: 'handoff', at: occurredAt }),
        handoffs: [...state.handoffs, { eventId, dueAt, responded: false }],
      };
    }
    case 'LeadHandoffSlaBreached':
      return state.stage === 'handed_off' && state.handoff.eventId === event.data.handoffEventId
        ? { ...state, handoff: { ...state.handoff, breached: true } }
        : state;
    case 'LeadAccepted':
      return {
        ...answered(state, event.data.handoffEventId, { kind: 'acceptance', at: occurredAt }),
        stage: 'accepted',
        owner: event.data.acceptedBy,
        acceptedAt: occurredAt,
      };
    case 'LeadRejected': {
      const lead = answered(state, event.data.handoffEventId, {
        kind: 'rejection',
        at: occurredAt,
      });
      return {
        ...lead,
        handoffs: withHandoff(lead.handoffs, event.data.handoffEventId, { rejectedAt: occurredAt }),
        stage: 'nurturing',
        owner: null,
      };
    }
    case 'LeadQualifiedBySales':
      return state.stage === 'accepted'
        ? {
            ...state,
            stage: 'sql',
            qualifiedBySalesAt: occurredAt,
            opportunityId: event.data.opportunityId,
          }
        : state;
    case 'LeadRejectionDisputed':
      return {
        ...state,
        handoffs: withHandoff(state.handoffs, event.data.handoffEventId, {
          dispute: { status: 'open', at: occurredAt },
        }),
      };
    case 'LeadRejectionDisputeResolved':
      return {
        ...state,
        handoffs: withHandoff(state.handoffs, event.data.handoffEventId, {
          dispute: { status: event.data.outcome, at: occurredAt },
        }),
      };
    case 'LeadConverted':
      return { ...known(state), owner: state.owner, stage: 'converted' };
    case 'LeadLost':
      return { ...known(state), owner: state.owner, stage: 'lost' };
    case 'LeadPersonalDataErased':
      return { ...state, personalDataErased: true };
    default:
      // Engagements and corrections change no decision state; unknown events are
      // ignored so that old streams stay readable.
      return state;
  }
};

// The later of two milestones: streams written before the ordering rule may be out of order.
const latest = (current: Milestone, next: Milestone): Milestone =>
  Date.parse(next.at) >= Date.parse(current.at) ? next : current;

// What every existing stage carries, without the stage-specific fields.
const known = (state: Exclude<LeadState, { stage: 'initial' }>): Known => {
  const { leadId, score, qualified, capturedAt, lastMilestone, handoffs, personalDataErased } =
    state;
  return { leadId, score, qualified, capturedAt, lastMilestone, handoffs, personalDataErased };
};

const answered = (
  state: Exclude<LeadState, { stage: 'initial' }>,
  handoffEventId: string,
  milestone: Milestone,
): Known => ({
  ...known(state),
  lastMilestone: latest(state.lastMilestone, milestone),
  handoffs: state.handoffs.map((handoff) =>
    handoff.eventId === handoffEventId ? { ...handoff, responded: true } : handoff,
  ),
});

const withHandoff = (
  handoffs: HandoffRecord[],
  eventId: string,
  change: Partial<HandoffRecord>,
): HandoffRecord[] =>
  handoffs.map((handoff) => (handoff.eventId === eventId ? { ...handoff, ...change } : handoff));

export const foldLead = (events: readonly LeadFact[]): LeadState =>
  events.reduce(evolve, initialLeadState);
