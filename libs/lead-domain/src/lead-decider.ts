import type {
  AcceptLead,
  CaptureLead,
  ConvertLead,
  CorrectHandoffSla,
  DisputeRejection,
  EngageLead,
  EraseLeadPersonalData,
  HandOffLead,
  LeadCommand,
  LeadPolicy,
  LogSalesActivity,
  LoseLead,
  QualifyLead,
  RecordSlaBreach,
  RejectLead,
  RemedySlaBreach,
  ResolveRejectionDispute,
  ScoreLead,
  UpdateLeadProfile,
} from './lead-commands';
import { handoffDueAt } from './sla/handoff-due-at';
import { DomainError, leadNotFound } from './lead-errors';
import type { LeadEvent, LeadProfileFields } from './lead-events';
import {
  type HandoffRecord,
  type LeadStage,
  type LeadState,
  evolve,
  initialLeadState,
} from './lead-state';

// Business times may run slightly ahead of our clock (client clock skew), never more.
export const maxClockSkewMs = 2 * 60_000;

type Existing = Exclude<LeadState, { stage: 'initial' }>;
type Closed = Extract<Existing, { stage: 'converted' | 'lost' }>;
type Open = Exclude<Existing, Closed>;

// A type guard, because comparing `stage` does not narrow a member whose stage is itself a union.
const isClosed = (lead: Existing): lead is Closed =>
  lead.stage === 'converted' || lead.stage === 'lost';

export const decide = (command: LeadCommand, state: LeadState, policy: LeadPolicy): LeadEvent[] => {
  if (Date.parse(command.occurredAt) > Date.parse(command.now) + maxClockSkewMs) {
    throw new DomainError(
      'occurred_at_in_future',
      `occurredAt ${command.occurredAt} is in the future`,
    );
  }
  switch (command.type) {
    case 'CaptureLead':
      return [capture(command, state)];
    case 'EngageLead':
      return [engage(command, sinceCapture(open(state, command), command))];
    case 'ScoreLead':
      return [score(command, sinceCapture(open(state, command), command), policy)];
    case 'HandOffLead':
      return [handOff(command, sinceCapture(open(state, command), command), policy)];
    case 'AcceptLead':
      return [accept(command, sinceCapture(open(state, command), command))];
    case 'RejectLead':
      return [reject(command, sinceCapture(open(state, command), command))];
    case 'ConvertLead':
      return [convert(command, sinceCapture(open(state, command), command))];
    case 'LoseLead':
      return [lose(command, sinceCapture(open(state, command), command))];
    case 'RecordSlaBreach':
      return [recordSlaBreach(command, open(state, command))];
    case 'CorrectHandoffSla':
      return [correctHandoffSla(command, existing(state, command))];
    case 'EraseLeadPersonalData':
      return erase(command, existing(state, command));
    case 'UpdateLeadProfile':
      return updateProfile(command, sinceCapture(open(state, command), command));
    case 'RemedySlaBreach':
      return remedySlaBreach(command, open(state, command));
    case 'QualifyLead':
      return [qualify(command, sinceCapture(open(state, command), command))];
    case 'LogSalesActivity':
      return [logActivity(command, sinceCapture(open(state, command), command))];
    case 'DisputeRejection':
      return [disputeRejection(command, existing(state, command))];
    case 'ResolveRejectionDispute':
      return [resolveDispute(command, existing(state, command))];
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
};

const existing = (state: LeadState, command: LeadCommand): Existing => {
  if (state.stage === 'initial') {
    throw leadNotFound(command.leadId);
  }
  return state;
};

const open = (state: LeadState, command: LeadCommand): Open => {
  const lead = existing(state, command);
  if (isClosed(lead)) {
    throw new DomainError(
      'lead_closed',
      `lead ${command.leadId} is ${lead.stage}; it accepts no further changes`,
    );
  }
  return lead;
};

const actions: Record<LeadCommand['type'], string> = {
  CaptureLead: 'capture',
  EngageLead: 'engagement',
  ScoreLead: 'score',
  HandOffLead: 'handoff',
  AcceptLead: 'accept',
  RejectLead: 'reject',
  ConvertLead: 'convert',
  LoseLead: 'lose',
  RecordSlaBreach: 'breach alert',
  CorrectHandoffSla: 'correction',
  EraseLeadPersonalData: 'erasure',
  UpdateLeadProfile: 'profile update',
  RemedySlaBreach: 'remedy',
  QualifyLead: 'qualification',
  LogSalesActivity: 'activity',
  DisputeRejection: 'dispute',
  ResolveRejectionDispute: 'ruling',
};

// The milestones of one lead are causally ordered in business time: a step may not be dated
// before what it depends on (a response before its handoff would rewrite its SLA verdict).
// Equal instants are allowed, so a backfill may give a handoff and its response one timestamp.
const notBefore = (command: LeadCommand, prerequisite: string, at: string): void => {
  if (Date.parse(command.occurredAt) < Date.parse(at)) {
    throw new DomainError(
      'occurred_before_prerequisite',
      `${actions[command.type]} at ${command.occurredAt} is before its ${prerequisite} at ${at}`,
    );
  }
};

// Lifecycle commands only: erasure and corrections are administrative acts dated now, not history.
const sinceCapture = <S extends Open>(state: S, command: LeadCommand): S => {
  notBefore(command, 'capture', state.capturedAt);
  return state;
};

const refuse = (state: Open, allowed: readonly LeadStage[], action: string): never => {
  throw new DomainError(
    'invalid_transition',
    `cannot ${action} a lead in stage ${state.stage} (allowed in: ${allowed.join(', ')})`,
  );
};

const requireStage = (state: Open, allowed: readonly LeadStage[], action: string): void => {
  if (!allowed.includes(state.stage)) refuse(state, allowed, action);
};

const capture = (command: CaptureLead, state: LeadState): LeadEvent => {
  if (state.stage !== 'initial') {
    throw new DomainError('lead_already_exists', `lead ${command.leadId} already exists`);
  }
  const { leadId, email, name, company, source, sourcedBy, priorTouches } = command;
  const { title, industry, country, employees } = command;
  return {
    type: 'LeadCaptured',
    data: {
      leadId,
      email,
      ...optional({ name, company, title, industry, country, employees }),
      source,
      sourcedBy,
      priorTouches,
    },
  };
};

const engage = ({ leadId, campaignId, channel, kind }: EngageLead, _state: Open): LeadEvent => ({
  type: 'LeadEngaged',
  data: { leadId, campaignId, channel, kind },
});

const score = (command: ScoreLead, state: Open, policy: LeadPolicy): LeadEvent => {
  if (policy.scoreSource === 'rules' && !command.computed) {
    throw new DomainError(
      'score_is_computed',
      `the agreement in force at ${command.occurredAt} scores leads by its rules; a score cannot be set`,
    );
  }
  return scored(command, state, policy);
};

const scored = (command: ScoreLead, state: Open, policy: LeadPolicy): LeadEvent => ({
  type: 'LeadScored',
  data: {
    leadId: command.leadId,
    score: command.score,
    previousScore: state.score,
    qualified: command.score >= policy.mqlThreshold,
    reasons: command.reasons,
    ...optional({ model: command.model }),
  },
});

const handOff = (command: HandOffLead, state: Open, { slaPolicy }: LeadPolicy): LeadEvent => {
  requireStage(state, ['captured', 'mql', 'nurturing'], 'hand off');
  if (!state.qualified && !command.override) {
    throw new DomainError(
      'lead_not_qualified',
      `lead ${command.leadId} has score ${state.score ?? 'none'}, below the MQL threshold; hand it off with an override reason`,
    );
  }
  // after the capture and, for a re-handoff, after the rejection of the previous one
  notBefore(command, state.lastMilestone.kind, state.lastMilestone.at);
  const { leadId, toRep, note, override, occurredAt } = command;
  const dueAt = handoffDueAt(occurredAt, slaPolicy);
  return {
    type: 'LeadHandedOff',
    data: {
      leadId,
      toRep,
      fromTeam: 'marketing',
      ...optional({ note, override }),
      slaPolicy,
      dueAt,
    },
  };
};

const accept = (command: AcceptLead, state: Open): LeadEvent => {
  if (state.stage !== 'handed_off') return refuse(state, ['handed_off'], 'accept');
  notBefore(command, 'handoff', state.handoff.handedOffAt);
  const { leadId, acceptedBy } = command;
  return {
    type: 'LeadAccepted',
    data: { leadId, acceptedBy, handoffEventId: state.handoff.eventId },
  };
};

const reject = (command: RejectLead, state: Open): LeadEvent => {
  if (state.stage !== 'handed_off') return refuse(state, ['handed_off'], 'reject');
  notBefore(command, 'handoff', state.handoff.handedOffAt);
  const { leadId, reason, note } = command;
  const handoffEventId = state.handoff.eventId;
  return { type: 'LeadRejected', data: { leadId, reason, ...optional({ note }), handoffEventId } };
};

const convert = (command: ConvertLead, state: Open): LeadEvent => {
  if (state.stage !== 'accepted' && state.stage !== 'sql') {
    return refuse(state, ['accepted', 'sql'], 'convert');
  }
  // so the capture touch, at least, is always credited (DESIGN §9: credits sum to the amount)
  notBefore(command, 'acceptance', state.acceptedAt);
  if (state.stage === 'sql') notBefore(command, 'qualification', state.qualifiedBySalesAt);
  const { leadId, amount, currency, opportunityId } = command;
  return {
    type: 'LeadConverted',
    data: { leadId, amount, currency, ...optional({ opportunityId }) },
  };
};

const lose = (command: LoseLead, state: Open): LeadEvent => {
  notBefore(command, state.lastMilestone.kind, state.lastMilestone.at);
  const { leadId, reason, note } = command;
  return { type: 'LeadLost', data: { leadId, reason, ...optional({ note }) } };
};

const recordSlaBreach = (command: RecordSlaBreach, state: Open): LeadEvent => {
  if (
    state.stage !== 'handed_off' ||
    state.handoff.eventId !== command.handoffEventId ||
    state.handoff.breached
  ) {
    throw new DomainError(
      'handoff_not_pending',
      `handoff ${command.handoffEventId} is not awaiting a response`,
    );
  }
  if (Date.parse(command.now) < Date.parse(state.handoff.dueAt)) {
    throw new DomainError(
      'handoff_not_pending',
      `handoff ${command.handoffEventId} is not due until ${state.handoff.dueAt}`,
    );
  }
  return {
    type: 'LeadHandoffSlaBreached',
    data: {
      leadId: command.leadId,
      handoffEventId: command.handoffEventId,
      dueAt: state.handoff.dueAt,
    },
  };
};

// A handoff has a verdict once answered or past its deadline; an open one has nothing to correct.
const correctHandoffSla = (command: CorrectHandoffSla, state: Existing): LeadEvent => {
  const { leadId, handoffEventId, verdict, reason } = command;
  const handoff = state.handoffs.find(({ eventId }) => eventId === handoffEventId);
  if (!handoff) {
    throw new DomainError('handoff_not_found', `lead ${leadId} has no handoff ${handoffEventId}`);
  }
  if (!handoff.responded && Date.parse(command.now) <= Date.parse(handoff.dueAt)) {
    throw new DomainError(
      'handoff_not_decided',
      `handoff ${handoffEventId} is unanswered and not due until ${handoff.dueAt}: it has no verdict to correct yet`,
    );
  }
  return { type: 'LeadHandoffSlaCorrected', data: { leadId, handoffEventId, verdict, reason } };
};

const profileFields = ['title', 'company', 'industry', 'country', 'employees'] as const;

// Only what differs from the profile as it stands; no difference decides nothing (no event).
const updateProfile = (command: UpdateLeadProfile, state: Open): LeadEvent[] => {
  if (command.title !== undefined && state.personalDataErased) {
    throw new DomainError(
      'personal_data_erased',
      `lead ${command.leadId}'s personal data was erased; a title cannot be recorded for it`,
    );
  }
  const changed: LeadProfileFields = {};
  for (const field of profileFields) {
    const value = command[field];
    if (value !== undefined && value !== state.profile?.[field])
      Object.assign(changed, { [field]: value });
  }
  if (Object.keys(changed).length === 0) return [];
  return [{ type: 'LeadProfileUpdated', data: { leadId: command.leadId, ...changed } }];
};

const qualify = (command: QualifyLead, state: Open): LeadEvent => {
  if (state.stage === 'sql') {
    throw new DomainError(
      'lead_already_sql',
      `lead ${command.leadId} was already qualified by sales as opportunity ${state.opportunityId}`,
    );
  }
  if (state.stage !== 'accepted') return refuse(state, ['accepted'], 'qualify');
  notBefore(command, 'acceptance', state.acceptedAt);
  const { leadId, opportunityId, estimatedAmount, currency } = command;
  return {
    type: 'LeadQualifiedBySales',
    data: { leadId, opportunityId, ...optional({ estimatedAmount, currency }) },
  };
};

// An outreach attempt counts towards the follow-up SLA of the handoff sales accepted, which is
// the lead's last one: a lead is accepted once and never handed off again.
const logActivity = (command: LogSalesActivity, state: Open): LeadEvent => {
  if (state.stage !== 'accepted' && state.stage !== 'sql') {
    return refuse(state, ['accepted', 'sql'], 'log an activity on');
  }
  notBefore(command, 'acceptance', state.acceptedAt);
  const { leadId, kind, outcome, note } = command;
  const handoffEventId = state.handoffs[state.handoffs.length - 1].eventId;
  return {
    type: 'SalesActivityLogged',
    data: { leadId, kind, ...optional({ outcome, note }), handoffEventId },
  };
};

const handoffOf = (
  command: DisputeRejection | ResolveRejectionDispute,
  state: Existing,
): HandoffRecord => {
  const handoff = state.handoffs.find(({ eventId }) => eventId === command.handoffEventId);
  if (!handoff) {
    throw new DomainError(
      'handoff_not_found',
      `lead ${command.leadId} has no handoff ${command.handoffEventId}`,
    );
  }
  return handoff;
};

// Disputes are administrative acts on a past rejection, so also allowed on a closed lead.
const disputeRejection = (command: DisputeRejection, state: Existing): LeadEvent => {
  const handoff = handoffOf(command, state);
  if (handoff.rejectedAt === undefined) {
    throw new DomainError(
      'handoff_not_rejected',
      `handoff ${command.handoffEventId} was not rejected; only a rejection can be disputed`,
    );
  }
  if (handoff.dispute) {
    throw new DomainError(
      'rejection_already_disputed',
      `the rejection of handoff ${command.handoffEventId} was already disputed (${handoff.dispute.status})`,
    );
  }
  notBefore(command, 'rejection', handoff.rejectedAt);
  const { leadId, handoffEventId, reason } = command;
  return { type: 'LeadRejectionDisputed', data: { leadId, handoffEventId, reason } };
};

const resolveDispute = (command: ResolveRejectionDispute, state: Existing): LeadEvent => {
  const handoff = handoffOf(command, state);
  if (!handoff.dispute) {
    throw new DomainError(
      'rejection_not_disputed',
      `the rejection of handoff ${command.handoffEventId} is not disputed; there is nothing to rule on`,
    );
  }
  if (handoff.dispute.status !== 'open') {
    throw new DomainError(
      'rejection_dispute_already_resolved',
      `the dispute over handoff ${command.handoffEventId} was already ruled ${handoff.dispute.status}`,
    );
  }
  notBefore(command, 'dispute', handoff.dispute.at);
  const { leadId, handoffEventId, outcome, note } = command;
  return {
    type: 'LeadRejectionDisputeResolved',
    data: { leadId, handoffEventId, outcome, ...optional({ note }) },
  };
};

// Erasing again decides nothing: the first erasure stands and is the answer.
const erase = ({ leadId }: EraseLeadPersonalData, lead: Existing): LeadEvent[] =>
  lead.personalDataErased ? [] : [{ type: 'LeadPersonalDataErased', data: { leadId } }];

// Where an escalation goes when the terms name no one.
export const defaultEscalationTarget = 'sales_manager';

// The next rep of the pool after the one who breached, cyclically; the first when that rep is not
// in the pool.
export const nextRepInPool = (pool: readonly string[], fromRep: string): string =>
  pool[(pool.indexOf(fromRep) + 1) % pool.length];

// The remedy the terms stamped at the breached handoff ask for, once per breach and only while the
// lead still waits on that handoff. A reassignment keeps those terms (same agreement version, and
// pilot terms stay with the handoff they were stamped at, whoever the pool names next), so one
// breach chain runs under one set of terms and a replay never needs the agreement; its clock
// starts at the remedy.
const remedySlaBreach = (command: RemedySlaBreach, state: Open): LeadEvent[] => {
  const { leadId, handoffEventId, breachEventId, occurredAt } = command;
  if (
    state.stage !== 'handed_off' ||
    state.handoff.eventId !== handoffEventId ||
    state.handoff.remedied
  ) {
    throw new DomainError(
      'handoff_not_pending',
      `lead ${leadId} is no longer waiting on handoff ${handoffEventId}: nothing to remedy`,
    );
  }
  const { handoff } = state;
  if (handoff.breachEventId !== breachEventId) {
    throw new DomainError(
      'handoff_not_pending',
      `breach ${breachEventId} is not the latest breach of handoff ${handoffEventId}`,
    );
  }
  const remedy = handoff.slaPolicy.remedy;
  if (!remedy) return [];
  switch (remedy.onResponseBreach) {
    case 'none':
      return [];
    case 'reassign': {
      const pool = remedy.repPool ?? [];
      if (pool.length === 0) return [];
      return [
        {
          type: 'LeadReassigned',
          data: {
            leadId,
            fromRep: handoff.toRep,
            toRep: nextRepInPool(pool, handoff.toRep),
            previousHandoffEventId: handoffEventId,
            breachEventId,
            slaPolicy: handoff.slaPolicy,
            dueAt: handoffDueAt(occurredAt, handoff.slaPolicy),
          },
        },
      ];
    }
    case 'return_to_marketing':
      return [{ type: 'LeadReturnedToMarketing', data: { leadId, handoffEventId, breachEventId } }];
    case 'escalate':
      return [
        {
          type: 'LeadSlaEscalated',
          data: {
            leadId,
            handoffEventId,
            breachEventId,
            to: remedy.escalateTo ?? defaultEscalationTarget,
          },
        },
      ];
    default: {
      const unknown: never = remedy.onResponseBreach;
      throw new Error(`unknown remedy ${String(unknown)}`);
    }
  }
};

// Optional fields are omitted, not stored as undefined, so stored JSON and hashes stay canonical.
const optional = <T extends Record<string, unknown>>(fields: T): Partial<T> =>
  Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;

/** The lead aggregate as one value: what a command handler needs to read, fold and decide. */
export const leadDecider = { decide, evolve, initialState: initialLeadState };
