import type {
  DisputeOutcome,
  LeadCaptured,
  LeadFact,
  LeadProfileFields,
  SlaPolicy,
} from './lead-events';

// A lifecycle milestone in business time; later milestones may not be dated before it.
export type Milestone = {
  kind: 'capture' | 'handoff' | 'acceptance' | 'rejection' | 'return to marketing';
  at: string;
};
/**
 * The lead's profile as it stands (stream order), so a profile update records changed fields
 * only. `title` is personal data: null once erased, and never persisted by a read model.
 */
export type LeadProfile = { [K in keyof Required<LeadProfileFields>]: LeadProfileFields[K] | null };

const capturedProfile = ({ data }: LeadCaptured): LeadProfile => ({
  title: data.title ?? null,
  company: data.company ?? null,
  industry: data.industry ?? null,
  country: data.country ?? null,
  employees: data.employees ?? null,
});

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
  profile: LeadProfile;
};
export type PendingHandoff = {
  eventId: string;
  toRep: string;
  handedOffAt: string;
  dueAt: string;
  breached: boolean;
  /** the terms stamped at the handoff: a remedy on its breach follows them */
  slaPolicy: SlaPolicy;
  /** the breach alert a remedy answers, and whether one did (a remedy runs once per breach) */
  breachEventId?: string;
  remedied?: true;
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
      profile: capturedProfile(event),
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
      const { toRep, dueAt, slaPolicy } = event.data;
      const { eventId } = event.metadata;
      const handoff = {
        eventId,
        toRep,
        handedOffAt: occurredAt,
        dueAt,
        breached: false,
        slaPolicy,
      };
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
        ? {
            ...state,
            handoff: { ...state.handoff, breached: true, breachEventId: event.metadata.eventId },
          }
        : state;
    // A reassignment is a new handoff with its own clock; the breached one stays unanswered.
    case 'LeadReassigned': {
      if (state.stage !== 'handed_off') return state;
      const { toRep, dueAt, slaPolicy } = event.data;
      const { eventId } = event.metadata;
      return {
        ...state,
        owner: toRep,
        handoff: { eventId, toRep, handedOffAt: occurredAt, dueAt, breached: false, slaPolicy },
        lastMilestone: latest(state.lastMilestone, { kind: 'handoff', at: occurredAt }),
        handoffs: [...state.handoffs, { eventId, dueAt, responded: false }],
      };
    }
    case 'LeadReturnedToMarketing':
      return state.stage === 'handed_off'
        ? {
            ...known(state),
            stage: 'nurturing',
            owner: null,
            lastMilestone: latest(state.lastMilestone, {
              kind: 'return to marketing',
              at: occurredAt,
            }),
          }
        : state;
    case 'LeadSlaEscalated':
      return state.stage === 'handed_off'
        ? { ...state, handoff: { ...state.handoff, remedied: true } }
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
      return { ...state, personalDataErased: true, profile: { ...state.profile, title: null } };
    case 'LeadProfileUpdated': {
      const { leadId: _leadId, personalDataErased: _erased, ...changed } = event.data;
      return { ...state, profile: { ...state.profile, ...changed } };
    }
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
  return {
    leadId,
    score,
    qualified,
    capturedAt,
    lastMilestone,
    handoffs,
    personalDataErased,
    profile: state.profile,
  };
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
