import {
  type DisputeStatus,
  asksForRemedy,
  isLiveBreach,
  type LeadEvent,
  type LeadStage,
  type LeadState,
  type RejectionReason,
  type SalesActivityKind,
  type SalesActivityOutcome,
  type SlaPolicy,
  type SlaVerdict,
  type SourcedBy,
  type Touchpoint,
  evolve,
  initialLeadState,
  minutesBetween,
} from '@lead/domain';
import { type RecordedEvent, isEncryptedValue } from '@lead/event-store';
import type { Projection } from '../projection';
import { leadIdOf } from './lead-fact';

export type HandoffCorrection = { verdict: SlaVerdict; reason: string; by: string; at: string };
// What the remedy automation did about a breached handoff (DESIGN §11).
export type HandoffRemedy = {
  kind: 'reassign' | 'return_to_marketing' | 'escalate';
  at: string;
  eventId: string;
};

export type ActivityDoc = {
  at: string;
  kind: SalesActivityKind;
  outcome: SalesActivityOutcome | null;
};

// Marketing's dispute of a rejection and the sales manager's ruling (DESIGN §11).
export type DisputeDoc = {
  status: DisputeStatus;
  reason: string;
  disputedBy: string;
  disputedAt: string;
  ruledBy: string | null;
  ruledAt: string | null;
  note: string | null;
};

export type HandoffDoc = {
  handoffId: string;
  toRep: string;
  handedOffAt: string;
  /** knowledge time: the deadline watcher waits a grace period after it */
  recordedAt: string;
  dueAt: string;
  month: string;
  slaPolicy: SlaPolicy;
  override: { reason: string } | null;
  /** the lead's first handoff counts towards marketing's monthly volume; re-handoffs do not */
  first: boolean;
  speedToLeadMinutes: number;
  response: 'accepted' | 'rejected' | null;
  /** the business time the response claims */
  respondedAt: string | null;
  /** knowledge time: when the response was recorded */
  respondedRecordedAt: string | null;
  /** recorded after the breach alert (stream order): it can no longer make the handoff met */
  respondedAfterAlert: boolean;
  respondedBy: string | null;
  rejectionReason: RejectionReason | null;
  /** claimed business time minus handoff time */
  responseMinutes: number | null;
  breachAlertedAt: string | null;
  /** an admin's audited verdict, which overrides the computed one */
  correction: HandoffCorrection | null;
  /** the breach alert's event id: the remedy automation answers it */
  breachEventId: string | null;
  remedy: HandoffRemedy | null;
  /** set on a reassignment's row: the breached handoff it took over */
  reassignedFrom: { handoffId: string; rep: string } | null;
  /** outreach attempts after the acceptance, in business time, for the follow-up SLA */
  activities: ActivityDoc[];
  dispute: DisputeDoc | null;
  /** the lead's score when it was handed off (or reassigned), for the score-band report */
  scoreAtHandoff: number | null;
};

export type LeadSummaryDoc = {
  _id: string;
  leadId: string;
  stage: LeadState['stage'];
  score: number | null;
  qualified: boolean;
  owner: string | null;
  sourcedBy: SourcedBy;
  source: Touchpoint;
  /**
   * Personal fields only as the log stores them (the `$encrypted` ciphertext; a plain string, as
   * MongoDB treats `$` field names specially), never in the clear: responses resolve them through
   * the vault, so destroying the key erases them here too. Null once erased.
   */
  email: string | null;
  name: string | null;
  /** personal like name: ciphertext only */
  title: string | null;
  company: string | null;
  industry: string | null;
  country: string | null;
  employees: number | null;
  personalDataErased: boolean;
  /** every campaign that touched the lead, for ?campaignId= */
  campaignIds: string[];
  capturedAt: string;
  qualifiedAt: string | null;
  handedOffAt: string | null;
  acceptedAt: string | null;
  convertedAt: string | null;
  lostAt: string | null;
  lostReason: string | null;
  /** the stage the lead was lost from, so the funnel can show where leads drop out */
  lostFrom: LeadStage | null;
  /** when sales qualified it as an opportunity (SQL) */
  sqlAt: string | null;
  /** the estimate given at the SQL stage (minor units and currency) */
  estimate: { amount: number; currency: string } | null;
  amount: number | null;
  currency: string | null;
  opportunityId: string | null;
  handoffs: HandoffDoc[];
  /**
   * From when the SLA automations have work on this lead, so their passes read only the leads due
   * by now (through an index) instead of every handed-off one: the earliest deadline among the
   * handoffs still waiting for a response and for either their breach alert or, on a live breach
   * whose stamped terms ask for one, its remedy (`slaAutomationDueAt`). Null when there is none.
   */
  automationDueAt: string | null;
  revision: number;
  updatedAt: string;
  /**
   * the domain's own state, so stage, score and owner follow the one set of rules in evolve;
   * without the profile's title, which is kept above as ciphertext only
   */
  state: LeadState;
};

const respond = (
  doc: LeadSummaryDoc,
  handoffId: string,
  response: Pick<
    HandoffDoc,
    'response' | 'respondedAt' | 'respondedRecordedAt' | 'respondedBy' | 'rejectionReason'
  >,
): HandoffDoc[] =>
  doc.handoffs.map((handoff) =>
    handoff.handoffId === handoffId && handoff.response === null
      ? {
          ...handoff,
          ...response,
          respondedAfterAlert: handoff.breachAlertedAt !== null,
          responseMinutes: minutesBetween(handoff.handedOffAt, response.respondedAt!),
        }
      : handoff,
  );

// A new SLA clock (a handoff or a reassignment), before any response, alert or remedy.
const newHandoff = (
  opened: Pick<
    HandoffDoc,
    | 'handoffId'
    | 'toRep'
    | 'handedOffAt'
    | 'recordedAt'
    | 'dueAt'
    | 'slaPolicy'
    | 'override'
    | 'first'
    | 'speedToLeadMinutes'
    | 'reassignedFrom'
    | 'scoreAtHandoff'
  >,
): HandoffDoc => ({
  // every field named, in the stored order: a spread followed by fourteen new fields built each
  // row slowly (one of the costliest lines of a catch-up)
  handoffId: opened.handoffId,
  toRep: opened.toRep,
  handedOffAt: opened.handedOffAt,
  recordedAt: opened.recordedAt,
  dueAt: opened.dueAt,
  slaPolicy: opened.slaPolicy,
  override: opened.override,
  first: opened.first,
  speedToLeadMinutes: opened.speedToLeadMinutes,
  reassignedFrom: opened.reassignedFrom,
  scoreAtHandoff: opened.scoreAtHandoff,
  month: opened.handedOffAt.slice(0, 7),
  response: null,
  respondedAt: null,
  respondedRecordedAt: null,
  respondedAfterAlert: false,
  respondedBy: null,
  rejectionReason: null,
  responseMinutes: null,
  breachAlertedAt: null,
  correction: null,
  breachEventId: null,
  remedy: null,
  activities: [],
  dispute: null,
});

const remedied = (doc: LeadSummaryDoc, handoffId: string, remedy: HandoffRemedy): HandoffDoc[] =>
  doc.handoffs.map((handoff) =>
    handoff.handoffId === handoffId ? { ...handoff, remedy } : handoff,
  );

// The ciphertext as stored (storedData, kept by the event store when it decrypted the event).
const sealed = (event: RecordedEvent, field: 'email' | 'name' | 'title'): string | null => {
  const stored = event.storedData?.[field];
  return isEncryptedValue(stored) ? stored.$encrypted : null;
};

// The read store never holds personal data in the clear, so the state it keeps has no title.
const withoutTitle = (state: LeadState): LeadState =>
  state.stage === 'initial' || state.profile.title === null
    ? state
    : { ...state, profile: { ...state.profile, title: null } };

/** A handoff the deadline watcher has yet to alert (once it is due: `isBreachDue`). */
export const awaitsBreachAlert = (handoff: HandoffDoc): boolean =>
  handoff.response === null && handoff.breachAlertedAt === null;

/** A handoff whose live breach asks for a remedy the remedy runner has yet to append. */
export const awaitsRemedy = (
  handoff: HandoffDoc,
): handoff is HandoffDoc & { breachEventId: string } =>
  handoff.response === null &&
  handoff.breachEventId !== null &&
  handoff.remedy === null &&
  asksForRemedy(handoff.slaPolicy) &&
  isLiveBreach(handoff);

// what the passes of the SLA automations check on each handoff of the leads due by then
const awaitsAutomation = (handoff: HandoffDoc): boolean =>
  awaitsBreachAlert(handoff) || awaitsRemedy(handoff);

const slaAutomationDueAt = (doc: Pick<LeadSummaryDoc, 'stage' | 'handoffs'>): string | null => {
  if (doc.stage !== 'handed_off') return null;
  let due: string | null = null;
  for (const handoff of doc.handoffs)
    if (awaitsAutomation(handoff) && (due === null || handoff.dueAt < due)) due = handoff.dueAt;
  return due;
};

const applyEvent = (
  doc: LeadSummaryDoc | null,
  event: RecordedEvent<LeadEvent>,
): LeadSummaryDoc | null => {
  const { occurredAt, eventId, recordedAt } = event.metadata;
  if (event.type === 'LeadCaptured') {
    if (doc) return doc;
    const { leadId, company, source, sourcedBy, priorTouches, personalDataErased } = event.data;
    const { industry, country, employees } = event.data;
    const state = withoutTitle(evolve(initialLeadState, event));
    return {
      _id: leadId,
      leadId,
      stage: state.stage,
      score: null,
      qualified: false,
      owner: null,
      sourcedBy,
      source,
      email: personalDataErased ? null : sealed(event, 'email'),
      name: personalDataErased ? null : sealed(event, 'name'),
      title: personalDataErased ? null : sealed(event, 'title'),
      company: company ?? null,
      industry: industry ?? null,
      country: country ?? null,
      employees: employees ?? null,
      // a replay that reads the capture after the erasure sees it erased already
      personalDataErased: personalDataErased === true,
      campaignIds: [
        ...new Set([...priorTouches.map((touch) => touch.campaignId), source.campaignId]),
      ].sort(),
      capturedAt: occurredAt,
      qualifiedAt: null,
      handedOffAt: null,
      acceptedAt: null,
      convertedAt: null,
      lostAt: null,
      lostReason: null,
      lostFrom: null,
      sqlAt: null,
      estimate: null,
      amount: null,
      currency: null,
      opportunityId: null,
      handoffs: [],
      automationDueAt: null,
      revision: event.revision,
      updatedAt: recordedAt,
      state,
    };
  }
  if (!doc) return null;
  const state = withoutTitle(evolve(doc.state, event));
  // what every event changes; each case spreads doc and this once, so a document (dozens of
  // fields) is copied once per event
  const everyEvent = {
    state,
    stage: state.stage,
    score: state.stage === 'initial' ? null : state.score,
    qualified: state.stage !== 'initial' && state.qualified,
    owner: state.stage === 'initial' ? null : state.owner,
    revision: event.revision,
    updatedAt: recordedAt,
  };
  switch (event.type) {
    case 'LeadEngaged': {
      // campaignIds is kept sorted and distinct, and most touches come from a known campaign
      const { campaignId } = event.data;
      return doc.campaignIds.includes(campaignId)
        ? { ...doc, ...everyEvent }
        : { ...doc, ...everyEvent, campaignIds: [...doc.campaignIds, campaignId].sort() };
    }
    case 'LeadScored':
      return event.data.qualified && !doc.qualifiedAt
        ? { ...doc, ...everyEvent, qualifiedAt: occurredAt }
        : { ...doc, ...everyEvent };
    case 'LeadHandedOff': {
      const { toRep, dueAt, slaPolicy, override } = event.data;
      const handoff = newHandoff({
        handoffId: eventId,
        toRep,
        handedOffAt: occurredAt,
        recordedAt,
        dueAt,
        slaPolicy,
        override: override ?? null,
        first: doc.handoffs.length === 0,
        speedToLeadMinutes: minutesBetween(doc.capturedAt, occurredAt),
        reassignedFrom: null,
        scoreAtHandoff: doc.score,
      });
      return {
        ...doc,
        ...everyEvent,
        handedOffAt: doc.handedOffAt ?? occurredAt,
        handoffs: [...doc.handoffs, handoff],
      };
    }
    // A new row with its own clock; marketing's part (speed to lead) is the breached handoff's.
    case 'LeadReassigned': {
      const { toRep, fromRep, dueAt, slaPolicy, previousHandoffEventId } = event.data;
      const previous = doc.handoffs.find(({ handoffId }) => handoffId === previousHandoffEventId);
      const handoff = newHandoff({
        handoffId: eventId,
        toRep,
        handedOffAt: occurredAt,
        recordedAt,
        dueAt,
        slaPolicy,
        override: null,
        first: false,
        speedToLeadMinutes:
          previous?.speedToLeadMinutes ?? minutesBetween(doc.capturedAt, occurredAt),
        reassignedFrom: { handoffId: previousHandoffEventId, rep: fromRep },
        scoreAtHandoff: doc.score,
      });
      return {
        ...doc,
        ...everyEvent,
        handoffs: [
          ...remedied(doc, previousHandoffEventId, { kind: 'reassign', at: occurredAt, eventId }),
          handoff,
        ],
      };
    }
    case 'LeadReturnedToMarketing':
      return {
        ...doc,
        ...everyEvent,
        handoffs: remedied(doc, event.data.handoffEventId, {
          kind: 'return_to_marketing',
          at: occurredAt,
          eventId,
        }),
      };
    case 'LeadSlaEscalated':
      return {
        ...doc,
        ...everyEvent,
        handoffs: remedied(doc, event.data.handoffEventId, {
          kind: 'escalate',
          at: occurredAt,
          eventId,
        }),
      };
    case 'LeadAccepted':
      return {
        ...doc,
        ...everyEvent,
        acceptedAt: occurredAt,
        handoffs: respond(doc, event.data.handoffEventId, {
          response: 'accepted',
          respondedAt: occurredAt,
          respondedRecordedAt: recordedAt,
          respondedBy: event.data.acceptedBy,
          rejectionReason: null,
        }),
      };
    case 'LeadRejected':
      return {
        ...doc,
        ...everyEvent,
        handoffs: respond(doc, event.data.handoffEventId, {
          response: 'rejected',
          respondedAt: occurredAt,
          respondedRecordedAt: recordedAt,
          respondedBy: event.metadata.actor.id,
          rejectionReason: event.data.reason,
        }),
      };
    case 'LeadHandoffSlaBreached':
      return {
        ...doc,
        ...everyEvent,
        handoffs: doc.handoffs.map((handoff) =>
          handoff.handoffId === event.data.handoffEventId
            ? { ...handoff, breachAlertedAt: occurredAt, breachEventId: eventId }
            : handoff,
        ),
      };
    case 'LeadHandoffSlaCorrected': {
      const { handoffEventId, verdict, reason } = event.data;
      const correction = { verdict, reason, by: event.metadata.actor.id, at: recordedAt };
      return {
        ...doc,
        ...everyEvent,
        handoffs: doc.handoffs.map((handoff) =>
          handoff.handoffId === handoffEventId ? { ...handoff, correction } : handoff,
        ),
      };
    }
    case 'LeadConverted': {
      const { amount, currency, opportunityId } = event.data;
      return {
        ...doc,
        ...everyEvent,
        convertedAt: occurredAt,
        amount,
        currency,
        opportunityId: opportunityId ?? null,
      };
    }
    case 'LeadLost':
      return {
        ...doc,
        ...everyEvent,
        lostAt: occurredAt,
        lostReason: event.data.reason,
        lostFrom: doc.stage,
      };
    case 'LeadQualifiedBySales': {
      const { opportunityId, estimatedAmount, currency } = event.data;
      return {
        ...doc,
        ...everyEvent,
        sqlAt: occurredAt,
        opportunityId,
        estimate:
          estimatedAmount !== undefined && currency !== undefined
            ? { amount: estimatedAmount, currency }
            : null,
      };
    }
    case 'SalesActivityLogged': {
      const { kind, outcome, handoffEventId } = event.data;
      const activity: ActivityDoc = { at: occurredAt, kind, outcome: outcome ?? null };
      return {
        ...doc,
        ...everyEvent,
        handoffs: doc.handoffs.map((handoff) =>
          handoff.handoffId === handoffEventId
            ? { ...handoff, activities: [...handoff.activities, activity] }
            : handoff,
        ),
      };
    }
    case 'LeadRejectionDisputed': {
      const { handoffEventId, reason } = event.data;
      const dispute: DisputeDoc = {
        status: 'open',
        reason,
        disputedBy: event.metadata.actor.id,
        disputedAt: occurredAt,
        ruledBy: null,
        ruledAt: null,
        note: null,
      };
      return {
        ...doc,
        ...everyEvent,
        handoffs: doc.handoffs.map((handoff) =>
          handoff.handoffId === handoffEventId ? { ...handoff, dispute } : handoff,
        ),
      };
    }
    case 'LeadRejectionDisputeResolved': {
      const { handoffEventId, outcome, note } = event.data;
      return {
        ...doc,
        ...everyEvent,
        handoffs: doc.handoffs.map((handoff) =>
          handoff.handoffId === handoffEventId && handoff.dispute
            ? {
                ...handoff,
                dispute: {
                  ...handoff.dispute,
                  status: outcome,
                  ruledBy: event.metadata.actor.id,
                  ruledAt: occurredAt,
                  note: note ?? null,
                },
              }
            : handoff,
        ),
      };
    }
    case 'LeadPersonalDataErased':
      return {
        ...doc,
        ...everyEvent,
        email: null,
        name: null,
        title: null,
        personalDataErased: true,
      };
    case 'LeadProfileUpdated': {
      const { title, company, industry, country, employees, personalDataErased } = event.data;
      return {
        ...doc,
        ...everyEvent,
        ...(title !== undefined && {
          title: personalDataErased ? null : sealed(event, 'title'),
        }),
        ...(company !== undefined && { company }),
        ...(industry !== undefined && { industry }),
        ...(country !== undefined && { country }),
        ...(employees !== undefined && { employees }),
      };
    }
    default:
      return { ...doc, ...everyEvent };
  }
};

export const applyLeadSummary = (
  doc: LeadSummaryDoc | null,
  event: RecordedEvent<LeadEvent>,
): LeadSummaryDoc | null => {
  const next = applyEvent(doc, event);
  // every case but a repeated capture builds a new document, so this sets a field of its own
  if (next !== null && next !== doc) next.automationDueAt = slaAutomationDueAt(next);
  return next;
};

export const leadSummaryProjection: Projection<LeadSummaryDoc, LeadEvent> = {
  name: 'lead-summary',
  // 3: handoffs gained respondedRecordedAt, respondedAfterAlert and correction (issue 10);
  // email and name kept as ciphertext only; 4: the profile (issue 12), title as ciphertext only;
  // 5: breachEventId, remedy and reassignment rows (issue 14); 6: sqlAt, estimate, lostFrom,
  // handoffs gained activities and dispute (issue 14); 7: handoffs gained scoreAtHandoff (issue 14);
  // 8: automationDueAt (issue 13)
  version: 8,
  collection: 'leads',
  // email, name and title as the log stores them (storedData), never in the clear
  personalData: 'sealed',
  documentId: leadIdOf,
  apply: applyLeadSummary,
  // lead lists by stage and owner; the funnel and what-if cohorts by capture time; the SLA
  // automations by when they are due
  indexes: ['stage', 'owner', 'capturedAt', 'automationDueAt'],
};
