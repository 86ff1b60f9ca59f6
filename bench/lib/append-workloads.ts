import { v7 as uuidv7 } from 'uuid';

export type AppendWorkload = {
  id: string;
  eventsPerAppend: number;
  /** appends in flight at once: 1 = sequential (await each), 64 = concurrent writers */
  inFlight: number;
  appends: number;
};

export const streamCount = 1_000;

export type PlainEvent = {
  type: string;
  data: Record<string, unknown>;
  metadata: {
    eventId: string;
    occurredAt: string;
    actor: { id: string; role: string };
    correlationId: string;
    causationId: string | null;
    schemaVersion: number;
  };
};

/** A LeadScored event like the app appends (about 400 bytes stored), with a fresh UUIDv7. */
export const scoredEvent = (leadId: string, score: number): PlainEvent => {
  const eventId = uuidv7();
  return {
    type: 'LeadScored',
    data: {
      leadId,
      score,
      previousScore: score - 5,
      qualified: score >= 60,
      reasons: [
        { rule: 'fit', points: Math.round(score * 0.6) },
        { rule: 'engagement', points: score - Math.round(score * 0.6) },
      ],
      model: 'rules@1',
    },
    metadata: {
      eventId,
      occurredAt: new Date().toISOString(),
      actor: { id: 'marketing-dev', role: 'marketing' },
      correlationId: eventId,
      causationId: null,
      schemaVersion: 1,
    },
  };
};

export const leadIds = Array.from({ length: streamCount }, () => uuidv7());

/** The append number `index` of a workload: which stream, which events. */
export const appendAt = (index: number, eventsPerAppend: number) => {
  const stream = index % streamCount;
  const leadId = leadIds[stream];
  return {
    stream,
    streamId: `lead-${leadId}`,
    events: Array.from({ length: eventsPerAppend }, (_, i) => scoredEvent(leadId, 40 + ((index + i) % 60))),
  };
};

/** Runs `count` tasks with at most `inFlight` of them pending at once. */
export const runPool = async (count: number, inFlight: number, task: (index: number) => Promise<unknown>): Promise<void> => {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
};
