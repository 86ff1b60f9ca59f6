import {
  leadStream,
  type AcceptLead,
  type CaptureLead,
  type ConvertLead,
  type CorrectHandoffSla,
  type DisputeRejection,
  type EngageLead,
  type EraseLeadPersonalData,
  type EventFacts,
  type HandOffLead,
  type LeadAccepted,
  type LeadCaptured,
  type LeadConverted,
  type LeadEngaged,
  type LeadEvent,
  type LeadFact,
  type LeadHandedOff,
  type LeadHandoffSlaBreached,
  type LeadHandoffSlaCorrected,
  type LeadLost,
  type LeadPersonalDataErased,
  type LeadProfileUpdated,
  type LeadRejected,
  type LeadScored,
  type LeadPolicy,
  type LeadStage,
  type LeadQualifiedBySales,
  type LeadRejectionDisputeResolved,
  type LeadRejectionDisputed,
  type LogSalesActivity,
  type LoseLead,
  type QualifyLead,
  type RecordSlaBreach,
  type RejectLead,
  type ResolveRejectionDispute,
  type SalesActivityLogged,
  type ScoreLead,
  type ScoreReason,
  type SlaPolicy,
  type UpdateLeadProfile,
} from '@lead/domain';
import {
  type Actor,
  type NewEvent,
  type PersonalDataVault,
  type RecordedEvent,
  encryptValue,
  leadPersonalDataPolicy,
  personalFieldContext,
} from '@lead/event-store';

// A fixed clock and fixed ids: the same test builds the same objects on every run.
export const t0 = '2026-01-05T09:00:00.000Z';
export const addMinutes = (iso: string, minutes: number): string =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString();
export const at = (minutes: number): string => addMinutes(t0, minutes);

export const testLeadId = '01943a4e-3c00-7000-8000-00000000001e';
export const defaultMqlThreshold = 60;
export const defaultSlaPolicy: SlaPolicy = { id: 'default', acceptWithinMinutes: 1440 };
export const defaultLeadPolicy: LeadPolicy = {
  mqlThreshold: defaultMqlThreshold,
  slaPolicy: defaultSlaPolicy,
};
export const testActor: Actor = { id: 'user-1', role: 'marketing' };

export const eventIdFor = (n: number): string =>
  `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

// Jest gives every test file a fresh module registry, so ids restart at 1 per file and follow the
// order in which the file builds its facts. Tests refer to `fact.metadata.eventId`, never to a literal.
let eventCounter = 0;
export const nextEventId = (): string => eventIdFor(++eventCounter);
export const resetEventIds = (): void => {
  eventCounter = 0;
};

// Score reasons follow the score by default, so `scoreLead({ score: 40 })` and
// `leadScored({ score: 40 })` describe the same decision without repeating the reasons.
const reasonsFor = (score: number): ScoreReason[] => [{ rule: 'fit', points: score }];

// Event builders: data overrides and the two metadata facts (eventId, occurredAt) side by side.
// Undefined values are dropped, so `leadCaptured({ name: undefined })` is a capture without a name,
// exactly as the decider must emit it.
export type FactOverrides<E extends LeadEvent> = Partial<E['data']> & Partial<EventFacts>;

const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

// A type and its data name one member of the union; TypeScript cannot see that for a generic E.
const fact = <E extends LeadEvent>(
  type: E['type'],
  data: E['data'],
  facts: Partial<EventFacts>,
): LeadFact<E> => ({
  ...({ type, data: defined(data) } as LeadEvent as E),
  metadata: { eventId: facts.eventId ?? nextEventId(), occurredAt: facts.occurredAt ?? t0 },
});

export const leadCaptured = (
  overrides: FactOverrides<LeadCaptured> = {},
): LeadFact<LeadCaptured> => {
  const { eventId, occurredAt, ...data } = overrides;
  return fact<LeadCaptured>(
    'LeadCaptured',
    {
      leadId: testLeadId,
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      company: 'Analytical Engines Ltd',
      source: { campaignId: 'cmp-spring', channel: 'paid_search' },
      sourcedBy: 'marketing',
      priorTouches: [],
      ...data,
    },
    { eventId, occurredAt },
  );
};

export const leadEngaged = (overrides: FactOverrides<LeadEngaged> = {}): LeadFact<LeadEngaged> => {
  const { eventId, occurredAt, ...data } = overrides;
  return fact<LeadEngaged>(
    'LeadEngaged',
    { leadId: testLeadId, campaignId: 'cmp-webinar', channel: 'webinar', kind: 'webinar', ...data },
    { eventId, occurredAt },
  );
};

export const leadScored = (overrides: FactOverrides<LeadScored> = {}): LeadFact<LeadScored> => {
  const { eventId, occurredAt, ...data } = overrides;
  const score = data.score ?? 80;
  return fact<LeadScored>(
    'LeadScored',
    {
      leadId: testLeadId,
      score,
      previousScore: null,
      qualified: score >= defaultMqlThreshold,
      reasons: reasonsFor(score),
      ...data,
    },
    { eventId, occurredAt },
  );
};

export const leadHandedOff = (
  overrides: FactOverrides<LeadHandedOff> = {},
): LeadFact<LeadHandedOff> => {
  const { eventId, occurredAt, ...data } = overrides;
  const slaPolicy = data.slaPolicy ?? defaultSlaPolicy;
  return fact<LeadHandedOff>(
    'LeadHandedOff',
    {
      leadId: testLeadId,
      toRep: 'rep-1',
      fromTeam: 'marketing',
      slaPolicy,
      // The deadline follows the handoff's business time unless a test pins it.
      dueAt: addMinutes(occurredAt ?? t0, slaPolicy.acceptWithinMinutes),
      ...data,
    },
    { eventId, occurredAt },
  );
};

// A response names the handoff it answers; there is no sensible default, so it is required.
type Answering<E extends LeadEvent> = FactOverrides<E> & { handoffEventId: string };

export const leadAccepted = (overrides: Answering<LeadAccepted>): LeadFact<LeadAccepted> => {
  const { eventId, occurredAt, ...data } = overrides;
  return fact<LeadAccepted>(
    'LeadAccepted',
    { leadId: testLeadId, acceptedBy: 'rep-1', ...data },
    { eventId, occurredAt },
  );
};

export const leadRejected = (overrides: Answering<LeadRejected>): LeadFact<LeadRejected> => {
  const { eventId, occurredAt, ...data } = overrides;
  return fact<LeadRejected>(
    'LeadRejected',
    { leadId: testLeadId, reason: 'not_ready', ...data },
    { eventId, occurredAt },
  );
};

export const leadConverted = (
  overrides: FactOverrides<LeadConverted> = {},
): LeadFact<LeadConverted> => {
  const { eventId, occurredAt, ...data } = overrides;
  return fact<LeadConverted>(
    'LeadConverted',
    { leadId: testLeadId, amount: 250_000, currency: 'EUR', ...data },
    { eventId, occurredAt },
  );
};

export const leadLost = (overrides: FactOverrides<LeadLost> = {}): LeadFact<LeadLost> => {
  const { eventId, occurredAt, ...data } = overrides;
  return fact<LeadLost>(
    'LeadLost',
    { leadId: testLeadId, reason: 'no_budget', ...data },
    { eventId, occurredAt },
  );
};

export const leadHandoffSlaBreached = (
  overrides: Answering<LeadHandoffSlaBreached>,
): LeadFact<LeadHandoffSlaBreached> => {
  const { eventId, occurredAt, ...data } = overrides;
  return fact<LeadHandoffSlaBreached>(
    'LeadHandoffSlaBreached',
    { leadId: testLeadId, dueAt: addMinutes(t0, defaultSlaPolicy.acceptWithinMinutes), ...data },
    { eventId, occurredAt },
  );
};

export const leadHandoffSlaCorrected = (
  overrides: Answering<LeadHandoffSlaCorrected>,
): LeadFact<LeadHandoffSlaCorrected> => {
  const { eventId, occurredAt, ...data } = overrides;
  return fact<LeadHandoffSlaCorrected>(
    'LeadHandoffSlaCorrected',
    { leadId: testLeadId, verdict: 'met', reason: 'CRM outage that day', ...data },
    { eventId, occurredAt },
  );
};

export const leadPersonalDataErased = (
  overrides: FactOverrides<LeadPersonalDataErased> = {},
): LeadFact<LeadPersonalDataErased> => {
  const { eventId, occurredAt, ...data } = overrides;
  return fact<LeadPersonalDataErased>(
    'LeadPersonalDataErased',
    { leadId: testLeadId, ...data },
    { eventId, occurredAt },
  );
};

export const leadProfileUpdated = (
  overrides: FactOverrides<LeadProfileUpdated> = {},
): LeadFact<LeadProfileUpdated> => {
  const { eventId, occurredAt, ...data } = overrides;
  return fact<LeadProfileUpdated>(
    'LeadProfileUpdated',
    { leadId: testLeadId, ...data },
    { eventId, occurredAt },
  );
};

export const leadQualifiedBySales = (
  overrides: FactOverrides<LeadQualifiedBySales> = {},
): LeadFact<LeadQualifiedBySales> => {
  const { eventId, occurredAt, ...data } = overrides;
  return fact<LeadQualifiedBySales>(
    'LeadQualifiedBySales',
    { leadId: testLeadId, opportunityId: 'opp-1', ...data },
    { eventId, occurredAt },
  );
};

export const salesActivityLogged = (
  overrides: Answering<SalesActivityLogged>,
): LeadFact<SalesActivityLogged> => {
  const { eventId, occurredAt, ...data } = overrides;
  return fact<SalesActivityLogged>(
    'SalesActivityLogged',
    { leadId: testLeadId, kind: 'call', ...data },
    { eventId, occurredAt },
  );
};

export const leadRejectionDisputed = (
  overrides: Answering<LeadRejectionDisputed>,
): LeadFact<LeadRejectionDisputed> => {
  const { eventId, occurredAt, ...data } = overrides;
  return fact<LeadRejectionDisputed>(
    'LeadRejectionDisputed',
    { leadId: testLeadId, reason: 'the contact answered our webinar poll', ...data },
    { eventId, occurredAt },
  );
};

export const leadRejectionDisputeResolved = (
  overrides: Answering<LeadRejectionDisputeResolved>,
): LeadFact<LeadRejectionDisputeResolved> => {
  const { eventId, occurredAt, ...data } = overrides;
  return fact<LeadRejectionDisputeResolved>(
    'LeadRejectionDisputeResolved',
    { leadId: testLeadId, outcome: 'overturned', ...data },
    { eventId, occurredAt },
  );
};

// Command builders. Unlike event builders they keep explicit undefined values, because that is what
// a controller passes for an absent optional field and the decider must omit it from the event.
// Time: `occurredAt` defaults to `now` and `now` to `occurredAt` (both to t0), so a command sent
// "at(30)" is neither in the future nor backfilled unless the test says so.
type CommandOverrides<C> = Partial<Omit<C, 'type'>>;
type TimeOverrides = { leadId?: string; occurredAt?: string; now?: string };

const timed = ({ leadId, occurredAt, now }: TimeOverrides) => {
  const businessTime = occurredAt ?? now ?? t0;
  return { leadId: leadId ?? testLeadId, occurredAt: businessTime, now: now ?? businessTime };
};

export const captureLead = (overrides: CommandOverrides<CaptureLead> = {}): CaptureLead => ({
  type: 'CaptureLead',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  company: 'Analytical Engines Ltd',
  source: { campaignId: 'cmp-spring', channel: 'paid_search' },
  sourcedBy: 'marketing',
  priorTouches: [],
  ...overrides,
  ...timed(overrides),
});

export const engageLead = (overrides: CommandOverrides<EngageLead> = {}): EngageLead => ({
  type: 'EngageLead',
  campaignId: 'cmp-webinar',
  channel: 'webinar',
  kind: 'webinar',
  ...overrides,
  ...timed(overrides),
});

export const scoreLead = (overrides: CommandOverrides<ScoreLead> = {}): ScoreLead => {
  const score = overrides.score ?? 80;
  return {
    type: 'ScoreLead',
    score,
    reasons: reasonsFor(score),
    ...overrides,
    ...timed(overrides),
  };
};

export const handOffLead = (overrides: CommandOverrides<HandOffLead> = {}): HandOffLead => ({
  type: 'HandOffLead',
  toRep: 'rep-1',
  ...overrides,
  ...timed(overrides),
});

export const acceptLead = (overrides: CommandOverrides<AcceptLead> = {}): AcceptLead => ({
  type: 'AcceptLead',
  acceptedBy: 'rep-1',
  ...overrides,
  ...timed(overrides),
});

export const rejectLead = (overrides: CommandOverrides<RejectLead> = {}): RejectLead => ({
  type: 'RejectLead',
  reason: 'not_ready',
  ...overrides,
  ...timed(overrides),
});

export const convertLead = (overrides: CommandOverrides<ConvertLead> = {}): ConvertLead => ({
  type: 'ConvertLead',
  amount: 250_000,
  currency: 'EUR',
  ...overrides,
  ...timed(overrides),
});

export const loseLead = (overrides: CommandOverrides<LoseLead> = {}): LoseLead => ({
  type: 'LoseLead',
  reason: 'no_budget',
  ...overrides,
  ...timed(overrides),
});

export const recordSlaBreach = (
  overrides: CommandOverrides<RecordSlaBreach> & { handoffEventId: string },
): RecordSlaBreach => ({
  type: 'RecordSlaBreach',
  ...overrides,
  ...timed(overrides),
});

export const correctHandoffSla = (
  overrides: CommandOverrides<CorrectHandoffSla> & { handoffEventId: string },
): CorrectHandoffSla => ({
  type: 'CorrectHandoffSla',
  verdict: 'met',
  reason: 'CRM outage that day',
  ...overrides,
  ...timed(overrides),
});

export const eraseLeadPersonalData = (
  overrides: CommandOverrides<EraseLeadPersonalData> = {},
): EraseLeadPersonalData => ({
  type: 'EraseLeadPersonalData',
  ...overrides,
  ...timed(overrides),
});

export const updateLeadProfile = (
  overrides: CommandOverrides<UpdateLeadProfile> = {},
): UpdateLeadProfile => ({
  type: 'UpdateLeadProfile',
  ...overrides,
  ...timed(overrides),
});

export const qualifyLead = (overrides: CommandOverrides<QualifyLead> = {}): QualifyLead => ({
  type: 'QualifyLead',
  opportunityId: 'opp-1',
  ...overrides,
  ...timed(overrides),
});

export const logSalesActivity = (
  overrides: CommandOverrides<LogSalesActivity> = {},
): LogSalesActivity => ({
  type: 'LogSalesActivity',
  kind: 'call',
  ...overrides,
  ...timed(overrides),
});

export const disputeRejection = (
  overrides: CommandOverrides<DisputeRejection> & { handoffEventId: string },
): DisputeRejection => ({
  type: 'DisputeRejection',
  reason: 'the contact answered our webinar poll',
  ...overrides,
  ...timed(overrides),
});

export const resolveRejectionDispute = (
  overrides: CommandOverrides<ResolveRejectionDispute> & { handoffEventId: string },
): ResolveRejectionDispute => ({
  type: 'ResolveRejectionDispute',
  outcome: 'overturned',
  ...overrides,
  ...timed(overrides),
});

// A lead's history up to a stage along the usual path, with distinct business times:
// captured t0, scored at(10), handed off at(20) (due at(1460)), responded at(60), qualified by
// sales at(90), closed at(120).
export const leadHistory = (stage: LeadStage, leadId: string = testLeadId): LeadFact[] => {
  const captured = [leadCaptured({ leadId, occurredAt: t0 })];
  const mql = [...captured, leadScored({ leadId, score: 80, occurredAt: at(10) })];
  const handoff = leadHandedOff({ leadId, occurredAt: at(20) });
  const handedOff = [...mql, handoff];
  const handoffEventId = handoff.metadata.eventId;
  const accepted = [...handedOff, leadAccepted({ leadId, handoffEventId, occurredAt: at(60) })];
  switch (stage) {
    case 'initial':
      return [];
    case 'captured':
      return captured;
    case 'mql':
      return mql;
    case 'handed_off':
      return handedOff;
    case 'accepted':
      return accepted;
    case 'sql':
      return [...accepted, leadQualifiedBySales({ leadId, occurredAt: at(90) })];
    case 'nurturing':
      return [...handedOff, leadRejected({ leadId, handoffEventId, occurredAt: at(60) })];
    case 'converted':
      return [...accepted, leadConverted({ leadId, occurredAt: at(120) })];
    case 'lost':
      return [...mql, leadLost({ leadId, occurredAt: at(120) })];
    default: {
      const unknown: never = stage;
      throw new Error(`unknown stage ${String(unknown)}`);
    }
  }
};

// Stored form, for read-side tests: what an EventStore would return for this fact.
export type RecordOptions = {
  position: bigint | number;
  revision: number;
  actor?: Actor;
  correlationId?: string;
  causationId?: string | null;
  recordedAt?: string;
};

export const recorded = <E extends LeadEvent>(
  event: LeadFact<E>,
  options: RecordOptions,
): RecordedEvent<E> => ({
  // a copy, so a test that edits the recorded event leaves its fact alone
  ...structuredClone(event),
  streamId: leadStream(event.data.leadId),
  revision: options.revision,
  position: BigInt(options.position),
  metadata: {
    eventId: event.metadata.eventId,
    occurredAt: event.metadata.occurredAt,
    actor: options.actor ?? testActor,
    correlationId: options.correlationId ?? event.metadata.eventId,
    causationId: options.causationId === undefined ? null : options.causationId,
    schemaVersion: 1,
    recordedAt: options.recordedAt ?? event.metadata.occurredAt,
    prevHash: '',
    hash: '',
  },
});

// A log as the store would hand it out: positions 1, 2, … in the given order, revisions per stream.
export const recordedLog = (...events: LeadFact[]): RecordedEvent<LeadEvent>[] => {
  const revisions = new Map<string, number>();
  return events.map((event, index) => {
    const streamId = leadStream(event.data.leadId);
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    return recorded(event, { position: index + 1, revision });
  });
};

/**
 * The log as the crypto-shredding event store hands it out: personal fields in the clear in
 * `data`, their ciphertext (with keys from `vault`) in `storedData`.
 */
export const revealedLog = async (
  vault: PersonalDataVault,
  ...events: LeadFact[]
): Promise<RecordedEvent<LeadEvent>[]> =>
  Promise.all(
    recordedLog(...events).map(async (event) => {
      const data: Record<string, unknown> = event.data;
      const fields = (leadPersonalDataPolicy.fields[event.type] ?? []).filter(
        (field) => data[field] !== undefined,
      );
      if (fields.length === 0) return event;
      const leadId = event.data.leadId;
      const key = await vault.keyFor(leadId);
      const storedData = { ...data };
      for (const field of fields)
        storedData[field] = encryptValue(key, data[field], personalFieldContext(leadId, field));
      return { ...event, storedData };
    }),
  );

/** A fact as an append takes it (the test actor, correlated with itself). */
export const newEventOf = (fact: LeadFact): NewEvent => ({
  type: fact.type,
  data: { ...fact.data },
  metadata: {
    ...fact.metadata,
    actor: testActor,
    correlationId: fact.metadata.eventId,
    causationId: null,
    schemaVersion: 1,
  },
});
