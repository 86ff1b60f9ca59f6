import type { BusinessHours, RemedyTerms, SalesFollowUpTerms } from './agreement/agreement-terms';

// Event type strings and data shapes are a stored and published contract: never rename a type,
// evolve data additively (DESIGN §3).

export type SourcedBy = 'marketing' | 'sales' | 'partner';
export type RejectionReason = 'not_icp' | 'bad_contact' | 'duplicate' | 'not_ready' | 'other';

export type Touchpoint = { campaignId: string; channel: string };
export type PriorTouch = Touchpoint & { occurredAt: string };
export type ScoreReason = { rule: string; points: number };
// The response terms a handoff was made under. Handoffs before the agreement (§10) carry only id
// and acceptWithinMinutes; later ones name the agreement version and its other response terms.
export type SlaPolicy = {
  id: string;
  acceptWithinMinutes: number;
  agreementVersion?: number;
  businessHours?: BusinessHours;
  followUp?: SalesFollowUpTerms;
  remedy?: RemedyTerms;
};

export type LeadCaptured = {
  type: 'LeadCaptured';
  data: {
    leadId: string;
    // Stored encrypted; once the lead's key is destroyed both read as null and
    // personalDataErased is set (typed as written, since commands never carry null).
    email: string;
    name?: string;
    company?: string;
    /** personal data like name: encrypted at rest, erased with the lead's key */
    title?: string;
    industry?: string;
    /** ISO 3166-1 alpha-2, upper-case */
    country?: string;
    employees?: number;
    source: Touchpoint;
    sourcedBy: SourcedBy;
    priorTouches: PriorTouch[];
    /** set by the event store on read once email and name can no longer be decrypted */
    personalDataErased?: true;
  };
};

export type LeadEngaged = {
  type: 'LeadEngaged';
  data: { leadId: string; campaignId: string; channel: string; kind: string };
};

export type LeadScored = {
  type: 'LeadScored';
  data: {
    leadId: string;
    score: number;
    previousScore: number | null;
    qualified: boolean;
    reasons: ScoreReason[];
    model?: string;
  };
};

export type LeadHandedOff = {
  type: 'LeadHandedOff';
  data: {
    leadId: string;
    toRep: string;
    fromTeam: 'marketing';
    note?: string;
    override?: { reason: string };
    slaPolicy: SlaPolicy;
    dueAt: string;
  };
};

// handoffEventId (additive to DESIGN §3) names the handoff this response answers, so every
// handoff's response can be traced and projected without re-deriving the lead's state.
export type LeadAccepted = {
  type: 'LeadAccepted';
  data: { leadId: string; acceptedBy: string; handoffEventId: string };
};

export type LeadRejected = {
  type: 'LeadRejected';
  data: { leadId: string; reason: RejectionReason; note?: string; handoffEventId: string };
};

export type LeadConverted = {
  type: 'LeadConverted';
  data: { leadId: string; amount: number; currency: string; opportunityId?: string };
};

export type LeadLost = {
  type: 'LeadLost';
  data: { leadId: string; reason: string; note?: string };
};

export type LeadHandoffSlaBreached = {
  type: 'LeadHandoffSlaBreached';
  data: { leadId: string; handoffEventId: string; dueAt: string };
};

export type SlaVerdict = 'met' | 'breached';

// An admin's audited ruling on a handoff's response SLA; it overrides the computed verdict.
export type LeadHandoffSlaCorrected = {
  type: 'LeadHandoffSlaCorrected';
  data: { leadId: string; handoffEventId: string; verdict: SlaVerdict; reason: string };
};

export type LeadPersonalDataErased = { type: 'LeadPersonalDataErased'; data: { leadId: string } };

/** The profile fields a fit rule can read (DESIGN §10); absent when unknown. */
export type LeadProfileFields = {
  title?: string;
  company?: string;
  industry?: string;
  country?: string;
  employees?: number;
};

// Only the fields that changed; `title` is personal data, encrypted like the capture's name.
export type LeadProfileUpdated = {
  type: 'LeadProfileUpdated';
  data: { leadId: string } & LeadProfileFields & { personalDataErased?: true };
};

// Remedies on a response breach (DESIGN §11), appended by the remedy automation (actor system).
// A reassignment is a new handoff: its event id is what the next response answers.
export type LeadReassigned = {
  type: 'LeadReassigned';
  data: {
    leadId: string;
    fromRep: string;
    toRep: string;
    previousHandoffEventId: string;
    breachEventId: string;
    slaPolicy: SlaPolicy;
    dueAt: string;
  };
};

export type LeadReturnedToMarketing = {
  type: 'LeadReturnedToMarketing';
  data: { leadId: string; handoffEventId: string; breachEventId: string };
};

export type LeadSlaEscalated = {
  type: 'LeadSlaEscalated';
  data: { leadId: string; handoffEventId: string; breachEventId: string; to: string };
};

// Sales qualified the accepted lead as an opportunity (SQL, DESIGN §11). The estimate is integer
// minor units like a conversion, and comes with its currency.
export type LeadQualifiedBySales = {
  type: 'LeadQualifiedBySales';
  data: { leadId: string; opportunityId: string; estimatedAmount?: number; currency?: string };
};

export const salesActivityKinds = ['call', 'email', 'meeting', 'social', 'other'] as const;
export type SalesActivityKind = (typeof salesActivityKinds)[number];
export const salesActivityOutcomes = [
  'connected',
  'no_answer',
  'left_message',
  'replied',
  'bounced',
  'other',
] as const;
export type SalesActivityOutcome = (typeof salesActivityOutcomes)[number];

// handoffEventId (additive to DESIGN §11) names the accepted handoff whose follow-up SLA the
// attempt counts towards, as LeadAccepted names the handoff it answers.
export type SalesActivityLogged = {
  type: 'SalesActivityLogged';
  data: {
    leadId: string;
    kind: SalesActivityKind;
    outcome?: SalesActivityOutcome;
    note?: string;
    handoffEventId: string;
  };
};

export const disputeOutcomes = ['upheld', 'overturned'] as const;
export type DisputeOutcome = (typeof disputeOutcomes)[number];

export type LeadRejectionDisputed = {
  type: 'LeadRejectionDisputed';
  data: { leadId: string; handoffEventId: string; reason: string };
};

export type LeadRejectionDisputeResolved = {
  type: 'LeadRejectionDisputeResolved';
  data: { leadId: string; handoffEventId: string; outcome: DisputeOutcome; note?: string };
};

export type LeadEvent =
  | LeadCaptured
  | LeadEngaged
  | LeadScored
  | LeadHandedOff
  | LeadAccepted
  | LeadRejected
  | LeadConverted
  | LeadLost
  | LeadHandoffSlaBreached
  | LeadHandoffSlaCorrected
  | LeadPersonalDataErased
  | LeadProfileUpdated
  | LeadReassigned
  | LeadReturnedToMarketing
  | LeadSlaEscalated
  | LeadQualifiedBySales
  | SalesActivityLogged
  | LeadRejectionDisputed
  | LeadRejectionDisputeResolved;

export type LeadEventType = LeadEvent['type'];

// What the domain needs to know of a stored event besides its data: its id (a handoff is
// identified by its event id) and its business time.
export type EventFacts = { eventId: string; occurredAt: string };
export type LeadFact<E extends LeadEvent = LeadEvent> = E & { metadata: EventFacts };

// Keyed by type, so an event added to LeadEvent without being listed here fails to compile.
const listedEventTypes = {
  LeadCaptured: true,
  LeadEngaged: true,
  LeadScored: true,
  LeadHandedOff: true,
  LeadAccepted: true,
  LeadRejected: true,
  LeadConverted: true,
  LeadLost: true,
  LeadHandoffSlaBreached: true,
  LeadHandoffSlaCorrected: true,
  LeadPersonalDataErased: true,
  LeadProfileUpdated: true,
  LeadReassigned: true,
  LeadReturnedToMarketing: true,
  LeadSlaEscalated: true,
  LeadQualifiedBySales: true,
  SalesActivityLogged: true,
  LeadRejectionDisputed: true,
  LeadRejectionDisputeResolved: true,
} as const satisfies Record<LeadEventType, true>;

export const leadEventTypes = Object.keys(listedEventTypes) as readonly LeadEventType[];

export const leadStreamPrefix = 'lead-';
export const leadStream = (leadId: string): string => `${leadStreamPrefix}${leadId}`;
