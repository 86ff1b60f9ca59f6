import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { isStorageFailure } from './storage-failure';
import {
  type Actor,
  type EventLocation,
  type EventMetadata,
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
  /**
   * The command starts its stream (a capture): with no state kept, the stream is presumed empty
   * instead of read. If it exists after all, the append conflicts and the stream is read.
   */
  presumeNew?: boolean;
};

export type CommandResult = { revision: number; position: bigint; replayed: boolean };

/**
 * A fold given as its parts (e.g. a decider's `initialState` and `evolve`): handleCommand then
 * keeps each stream's state after its commands and folds only the new events into it, instead of
 * re-reading the stream for every command.
 */
export type Evolution<E extends StoredEvent, S> = {
  initialState: S;
  evolve: (state: S, event: E & { metadata: EventMetadata }) => S;
};

export const schemaVersion = 1;

// Fixed namespace for ids derived from Idempotency-Keys (UUIDv5 needs one; any constant works).
const idempotencyNamespace = '6f1c1a52-5d0b-4f43-9a8e-3d1f5b0c2e77';
const maxEventsPerCommand = 8;

const namespaceBytes = Buffer.from(idempotencyNamespace.replaceAll('-', ''), 'hex');

// UUIDv5 (RFC 9562 §5.5) computed here rather than by uuid's v5, which converts the name one
// character at a time: a bulk import derives several ids per line.
export const derivedEventId = (idempotencyKey: string, index: number): string => {
  const hash = createHash('sha1')
    .update(namespaceBytes)
    .update(`${idempotencyKey}#${index}`, 'utf8')
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

// Read, fold, decide, append with the revision read. Commands on one stream run one at a time
// within a process, so they never conflict with each other; a conflicting append from another
// process is re-read and re-decided (with a short jittered backoff), so concurrent valid commands
// all succeed and an invalid one gets the domain's refusal. With If-Match nothing is retried.
// Given an Evolution, the state known after the last command is reused; it is only a guess about
// other processes, so any conflict, failure or refusal based on it is checked against a fresh read.
export const handleCommand = <E extends StoredEvent, S>(
  store: EventStore,
  streamId: string,
  fold: ((events: RecordedEvent<E>[]) => S) | Evolution<E, S>,
  decide: (state: S) => E[],
  options: CommandOptions,
): Promise<CommandResult> =>
  oneAtATime(store, streamId, async () => {
    const attempts = options.expectedRevision === undefined ? (options.maxAttempts ?? 10) : 1;
    const states = typeof fold === 'function' ? null : statesOf<S>(store, fold);
    let presumeNew = options.presumeNew === true;
    for (let attempt = 1; ;) {
      // An earlier answer to the Idempotency-Key is found by its derived event ids: in the
      // store's index of ids when it keeps one, else among the stream's events.
      const replay = options.idempotencyKey
        ? await locateReplay(store, streamId, options.idempotencyKey)
        : null;
      if (replay && replay !== 'unindexed') return replay;
      let known = replay === 'unindexed' ? undefined : states?.take(streamId);
      // presumed once: a conflict, refusal or refused append on the presumption is checked
      // against a read (an erased lead's stream, for one, fails in the vault before the log)
      const presumed = !known && presumeNew && replay !== 'unindexed';
      if (presumed) {
        known = {
          revision: -1,
          state: typeof fold === 'function' ? fold([]) : fold.initialState,
        };
      }
      presumeNew = false;
      if (
        known &&
        options.expectedRevision !== undefined &&
        options.expectedRevision !== known.revision
      ) {
        known = undefined;
      }
      const fromCache = known !== undefined;
      if (!known) {
        const stored = await store.readStream<E>(streamId);
        const earlier =
          replay === 'unindexed' && options.idempotencyKey
            ? findReplay(stored, options.idempotencyKey)
            : null;
        if (earlier) return earlier;
        const state =
          typeof fold === 'function' ? fold(stored) : stored.reduce(fold.evolve, fold.initialState);
        known = { revision: stored.length - 1, state };
      }
      const { revision, state } = known;
      if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
        throw new RevisionConflict(
          streamId,
          options.expectedRevision,
          revision < 0 ? 'no_stream' : revision,
        );
      }
      let events: NewEvent[];
      try {
        events = decide(state).map((event, index) => withMetadata(event, index, options));
      } catch (error) {
        if (fromCache) continue; // refused on a remembered state: decide again on a fresh read
        // refused on a fresh read: that state is still the best guess for the next command
        states?.keep(streamId, known);
        throw error;
      }
      try {
        const expected = revision < 0 ? 'no_stream' : revision;
        const { nextRevision, position } = await store.append(streamId, events, expected);
        if (states && typeof fold !== 'function' && nextRevision === revision + events.length) {
          const evolve = fold.evolve as (state: S, event: NewEvent) => S;
          states.keep(streamId, { revision: nextRevision, state: events.reduce(evolve, state) });
        }
        return { revision: nextRevision, position, replayed: false };
      } catch (error) {
        // a full disk fails the read's append alike: only the presumption is checked again
        if (presumed && !isStorageFailure(error)) continue;
        if (!(error instanceof RevisionConflict)) throw error;
        // a remembered state that was stale costs a re-read, not an attempt
        if (!fromCache && ++attempt > attempts) throw error;
        if (!fromCache)
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt - 1)));
      }
    }
  });

type KnownState<S> = { revision: number; state: S };

// Streams whose state is remembered per store and evolution (two folds of one stream keep
// different shapes); least recently used first.
const maxKnownStreams = 10_000;
const knownStates = new WeakMap<EventStore, WeakMap<object, Map<string, KnownState<unknown>>>>();

// take() removes the entry: a command that fails leaves nothing behind, and only a successful
// append (or a refusal decided on a fresh read) puts a state back (most recently used).
const statesOf = <S>(store: EventStore, evolution: object) => {
  let byEvolution = knownStates.get(store);
  if (!byEvolution) knownStates.set(store, (byEvolution = new WeakMap()));
  let states = byEvolution.get(evolution);
  if (!states) byEvolution.set(evolution, (states = new Map<string, KnownState<unknown>>()));
  const known = states as Map<string, KnownState<S>>;
  return {
    take: (streamId: string): KnownState<S> | undefined => {
      const entry = known.get(streamId);
      known.delete(streamId);
      return entry;
    },
    keep: (streamId: string, entry: KnownState<S>): void => {
      known.set(streamId, entry);
      if (known.size > maxKnownStreams) known.delete(known.keys().next().value!);
    },
  };
};

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

// A command's events are appended together with ids derived from index 0 on, so they are found
// one after the other; an id stored in another stream is not this command's (its append conflicts).
const locateReplay = async (
  store: EventStore,
  streamId: string,
  idempotencyKey: string,
): Promise<CommandResult | null | 'unindexed'> => {
  let last: EventLocation | null = null;
  for (let index = 0; index < maxEventsPerCommand; index++) {
    const found = await store.locateEvent(derivedEventId(idempotencyKey, index));
    if (found === 'unindexed') return 'unindexed';
    if (found === null || found.streamId !== streamId) break;
    last = found;
  }
  return last && { revision: last.revision, position: last.position, replayed: true };
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
