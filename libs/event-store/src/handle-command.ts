import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import {
  type Actor,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  RevisionConflict,
  type StoredEvent,
} from './event-store.port';

export type CommandOptions = {
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  occurredAt: string;
  /** who did it in another system (bulk import); recorded in metadata only when given */
  onBehalfOf?: Actor;
  /** If-Match: the revision the caller saw; a stale one is a conflict, never retried */
  expectedRevision?: number;
  /** scoped Idempotency-Key: event ids are derived from it, so a retry appends nothing */
  idempotencyKey?: string;
  maxAttempts?: number;
  newEventId?: () => string;
};

export type CommandResult = { revision: number; position: bigint; replayed: boolean };

export const schemaVersion = 1;

// Fixed namespace for ids derived from Idempotency-Keys (UUIDv5 needs one; any constant works).
const idempotencyNamespace = '6f1c1a52-5d0b-4f43-9a8e-3d1f5b0c2e77';
const maxEventsPerCommand = 8;

export const derivedEventId = (idempotencyKey: string, index: number): string =>
  uuidv5(`${idempotencyKey}#${index}`, idempotencyNamespace);

// Read, fold, decide, append with the revision read. Commands on one stream run one at a time
// within a process, so they never conflict with each other; a conflicting append from another
// process is re-read and re-decided (with a short jittered backoff), so concurrent valid commands
// all succeed and an invalid one gets the domain's refusal. With If-Match nothing is retried.
export const handleCommand = <E extends StoredEvent, S>(
  store: EventStore,
  streamId: string,
  fold: (events: RecordedEvent<E>[]) => S,
  decide: (state: S) => E[],
  options: CommandOptions,
): Promise<CommandResult> =>
  oneAtATime(store, streamId, async () => {
    const attempts = options.expectedRevision === undefined ? (options.maxAttempts ?? 10) : 1;
    for (let attempt = 1; ; attempt++) {
      const stored = await store.readStream<E>(streamId);
      const earlier = options.idempotencyKey && findReplay(stored, options.idempotencyKey);
      if (earlier) return earlier;
      const revision = stored.length - 1;
      if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
        throw new RevisionConflict(
          streamId,
          options.expectedRevision,
          revision < 0 ? 'no_stream' : revision,
        );
      }
      const events = decide(fold(stored)).map((event, index) =>
        withMetadata(event, index, options),
      );
      try {
        const expected = revision < 0 ? 'no_stream' : revision;
        const { nextRevision, position } = await store.append(streamId, events, expected);
        return { revision: nextRevision, position, replayed: false };
      } catch (error) {
        if (!(error instanceof RevisionConflict) || attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  });

// Per store and stream, a chain of pending commands; the entry is dropped when the chain drains.
const queues = new WeakMap<EventStore, Map<string, Promise<unknown>>>();

const oneAtATime = <T>(store: EventStore, streamId: string, work: () => Promise<T>): Promise<T> => {
  let streams = queues.get(store);
  if (!streams) queues.set(store, (streams = new Map<string, Promise<unknown>>()));
  const run = (streams.get(streamId) ?? Promise.resolve()).then(work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  streams.set(streamId, settled);
  void settled.then(() => {
    if (streams.get(streamId) === settled) streams.delete(streamId);
  });
  return run;
};

const findReplay = (stored: RecordedEvent[], idempotencyKey: string): CommandResult | null => {
  const ids = new Set(
    Array.from({ length: maxEventsPerCommand }, (_, i) => derivedEventId(idempotencyKey, i)),
  );
  const replayed = stored.filter((event) => ids.has(event.metadata.eventId)).at(-1);
  return replayed
    ? { revision: replayed.revision, position: replayed.position, replayed: true }
    : null;
};

const withMetadata = (event: StoredEvent, index: number, options: CommandOptions): NewEvent => {
  if (index >= maxEventsPerCommand)
    throw new Error(`a command may emit at most ${maxEventsPerCommand} events`);
  const eventId = options.idempotencyKey
    ? derivedEventId(options.idempotencyKey, index)
    : (options.newEventId ?? uuidv7)();
  return {
    type: event.type,
    data: event.data,
    metadata: {
      eventId,
      occurredAt: options.occurredAt,
      actor: options.actor,
      correlationId: options.correlationId,
      causationId: options.causationId,
      schemaVersion,
      // absent rather than undefined, so the audit hash of ordinary events is unchanged
      ...(options.onBehalfOf ? { onBehalfOf: options.onBehalfOf } : {}),
    },
  };
};
