import type {
  LeadProfileFields,
  DisputeOutcome,
  PriorTouch,
  SalesActivityKind,
  SalesActivityOutcome,
  SlaPolicy,
  RejectionReason,
  ScoreReason,
  SlaVerdict,
  SourcedBy,
  Touchpoint,
} from './lead-events';

// Every command carries its business time (`occurredAt`) and the wall clock (`now`); the domain
// never reads a clock itself. The policy in force (threshold, SLA) reaches `decide` beside the
// command and is stamped into the events, so replays never depend on today's configuration.
type Timed = { leadId: string; occurredAt: string; now: string };

export type CaptureLead = Timed & {
  type: 'CaptureLead';
  email: string;
  name?: string;
  company?: string;
  title?: string;
  industry?: string;
  country?: string;
  employees?: number;
  source: Touchpoint;
  sourcedBy: SourcedBy;
  priorTouches: PriorTouch[];
};

export type EngageLead = Timed & {
  type: 'EngageLead';
  campaignId: string;
  channel: string;
  kind: string;
};

export type ScoreLead = Timed & {
  type: 'ScoreLead';
  score: number;
  reasons: ScoreReason[];
  model?: string;
  /** set by the system when it applies the agreement's scoring rules */
  computed?: true;
};

export type HandOffLead = Timed & {
  type: 'HandOffLead';
  toRep: string;
  note?: string;
  override?: { reason: string };
};

export type AcceptLead = Timed & { type: 'AcceptLead'; acceptedBy: string };
export type RejectLead = Timed & { type: 'RejectLead'; reason: RejectionReason; note?: string };

export type ConvertLead = Timed & {
  type: 'ConvertLead';
  amount: number;
  currency: string;
  opportunityId?: string;
};

export type LoseLead = Timed & { type: 'LoseLead'; reason: string; note?: string };

export type RecordSlaBreach = Timed & { type: 'RecordSlaBreach'; handoffEventId: string };

export type CorrectHandoffSla = Timed & {
  type: 'CorrectHandoffSla';
  handoffEventId: string;
  verdict: SlaVerdict;
  reason: string;
};

export type EraseLeadPersonalData = Timed & { type: 'EraseLeadPersonalData' };

export type UpdateLeadProfile = Timed & { type: 'UpdateLeadProfile' } & LeadProfileFields;

// The remedy automation names the breach; the remedy itself comes from the terms stamped at the
// breached handoff, so the decider, not the caller, picks it.
export type RemedySlaBreach = Timed & {
  type: 'RemedySlaBreach';
  handoffEventId: string;
  breachEventId: string;
};

export type QualifyLead = Timed & {
  type: 'QualifyLead';
  opportunityId: string;
  estimatedAmount?: number;
  currency?: string;
};

export type LogSalesActivity = Timed & {
  type: 'LogSalesActivity';
  kind: SalesActivityKind;
  outcome?: SalesActivityOutcome;
  note?: string;
};

export type DisputeRejection = Timed & {
  type: 'DisputeRejection';
  handoffEventId: string;
  reason: string;
};

export type ResolveRejectionDispute = Timed & {
  type: 'ResolveRejectionDispute';
  handoffEventId: string;
  outcome: DisputeOutcome;
  note?: string;
};

export type LeadCommand =
  | CaptureLead
  | EngageLead
  | ScoreLead
  | HandOffLead
  | AcceptLead
  | RejectLead
  | ConvertLead
  | LoseLead
  | RecordSlaBreach
  | CorrectHandoffSla
  | EraseLeadPersonalData
  | UpdateLeadProfile
  | RemedySlaBreach
  | QualifyLead
  | LogSalesActivity
  | DisputeRejection
  | ResolveRejectionDispute;

/** The configuration in force when a command is decided (the decider stamps what it used). */
export type LeadPolicy = {
  mqlThreshold: number;
  slaPolicy: SlaPolicy;
  /** who scores leads under the agreement in force: a client (external) or its rules */
  scoreSource?: 'external' | 'rules';
};

// For commands that read no policy (breach alerts, corrections, erasure): the terms that shaped
// them were stamped into the events they answer.
export const noLeadPolicy: LeadPolicy = {
  mqlThreshold: Number.POSITIVE_INFINITY,
  slaPolicy: { id: 'none', acceptWithinMinutes: 0 },
};
