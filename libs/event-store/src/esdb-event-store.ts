import {
  ANY,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  NotLeaderError,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type CurrentRevision,
  type EventData,
  type Filter,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import { appendInputError, redactConnectionString } from './adapter-rules';
import { chainHash, genesisHash } from './audit-chain';
import {
  EventStore,
  RevisionConflict,
  type AppendResult,
  type EventMetadata,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from './event-store.port';
import { EventIdConflict } from './sqlite-event-store';

/** The part of the client this adapter uses (a narrower type lets tests drive it without a server). */
export type EsdbClient = Pick<
  EventStoreDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

export type EsdbEventStoreOptions = {
  /** how long `connect` waits for its startup read before giving up, in ms */
  connectTimeoutMs?: number;
  /** rounds of read-then-append when another process moves the stream in between */
  maxAppendAttempts?: number;
  /** events handed to one `onEvents` call at most */
  maxBatchSize?: number;
  /** re-subscription after a dropped connection: exponential backoff, then `onError` */
  resubscribe?: { initialDelayMs: number; maxDelayMs: number; maxAttempts: number };
};

type StoredMetadata = EventMetadata & { prevHash: string; hash: string };
type ChainedEvent = { event: NewEvent; prevHash: string; hash: string };

const defaults = {
  connectTimeoutMs: 5_000,
  maxAppendAttempts: 10,
  maxBatchSize: 500,
  resubscribe: { initialDelayMs: 250, maxDelayMs: 30_000, maxAttempts: 10 },
} satisfies Required<EsdbEventStoreOptions>;

/** The port's expectation in the client's terms, one to one (never widened to ANY). */
export const toEsdbExpectedRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return BigInt(expected);
  }
};

export const fromEsdbRevision = (revision: CurrentRevision): number | 'no_stream' =>
  revision === NO_STREAM ? 'no_stream' : Number(revision);

export const revisionMatches = (
  expected: ExpectedRevision,
  actual: number | 'no_stream',
): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    default:
      return actual === expected;
  }
};

/**
 * What the write actually sends, given the expectation (already checked) and the revision read.
 * 'any' and 'stream_exists' are pinned to the exact revision read: the new events' prevHash
 * comes from that head, so letting the server accept them at another revision would fork the
 * audit chain.
 */
export const appendRevision = (
  expected: ExpectedRevision,
  actual: number | 'no_stream',
): AppendExpectedRevision => {
  if (expected === 'any' || expected === 'stream_exists') {
    return actual === 'no_stream' ? NO_STREAM : BigInt(actual);
  }
  return toEsdbExpectedRevision(expected);
};

/** A `WrongExpectedVersionError` as the port's conflict; null for any other error. */
export const toRevisionConflict = (
  error: unknown,
  streamId: string,
  expected: ExpectedRevision,
): RevisionConflict | null =>
  error instanceof WrongExpectedVersionError
    ? new RevisionConflict(streamId, expected, fromEsdbRevision(error.actualVersion))
    : null;

export const isStreamNotFound = (error: unknown): boolean => error instanceof StreamNotFoundError;

/** Errors after which a dropped subscription is worth re-opening. */
export const isTransientEsdbError = (error: unknown): boolean =>
  error instanceof UnavailableError ||
  error instanceof CancelledError ||
  error instanceof DeadlineExceededError ||
  error instanceof TimeoutError ||
  error instanceof NotLeaderError ||
  error instanceof UnknownError ||
  error instanceof SubscriptionEnded;

/** System streams (`$stats-…`, `$$…` metadata, projection links) are not part of the lead log. */
export const isSystemStream = (streamId: string): boolean => streamId.startsWith('$');

export const selectsStream = (streamId: string, streamPrefix: string | undefined): boolean =>
  !isSystemStream(streamId) && (streamPrefix === undefined || streamId.startsWith(streamPrefix));

/**
 * The port's positions are `$all` commit positions. Every gRPC append is an implicit
 * transaction whose events each get commit = prepare = their own log position, so the pair is
 * recovered from one number.
 */
export const toEsdbPosition = (position: bigint): Position => ({
  commit: position,
  prepare: position,
});

/** Where a forward read or subscription starts; the server includes that position, callers skip it. */
export const readStart = (after: bigint | undefined): ReadPosition =>
  after === undefined || after <= 0n ? START : toEsdbPosition(after);

/** Server-side stream filter: the prefix, or at least no system streams. */
export const subscriptionFilter = (streamPrefix: string | undefined): Filter =>
  streamPrefix
    ? streamNameFilter({ prefixes: [streamPrefix] })
    : streamNameFilter({ regex: '^[^$]' });

export const chainEvents = (events: readonly NewEvent[], prevHash: string): ChainedEvent[] => {
  const chained: ChainedEvent[] = [];
  for (const event of events) {
    const link = chained.at(-1)?.hash ?? prevHash;
    chained.push({
      event,
      prevHash: link,
      hash: chainHash(link, { ...event.metadata, type: event.type, data: event.data }),
    });
  }
  return chained;
};

/** The ESDB event: our event id, JSON data, and the metadata (hashes included) as JSON metadata. */
export const toEsdbEventData = ({ event, prevHash, hash }: ChainedEvent): EventData => {
  const metadata: StoredMetadata = { ...event.metadata, prevHash, hash };
  return jsonEvent({ id: event.metadata.eventId, type: event.type, data: event.data, metadata });
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  !(value instanceof Uint8Array);

const isStoredMetadata = (value: unknown): value is StoredMetadata =>
  isRecord(value) &&
  typeof value.eventId === 'string' &&
  typeof value.prevHash === 'string' &&
  typeof value.hash === 'string';

/** A resolved ESDB event as the port's event; recordedAt is the server's `created` time. */
export const toRecordedEvent = (
  resolved: ResolvedEvent | AllStreamResolvedEvent,
): RecordedEvent => {
  const { event } = resolved;
  if (!event) throw new Error('cannot map a link whose target event is missing');
  const where = `event ${event.id} in ${event.streamId}@${event.revision}`;
  if (!event.isJson || !isRecord(event.data)) throw new Error(`${where} has no JSON object data`);
  if (!isStoredMetadata(event.metadata)) {
    throw new Error(`${where} was not written by EsdbEventStore (its metadata has no audit hash)`);
  }
  const position = event.position?.commit ?? resolved.commitPosition;
  if (position === undefined)
    throw new Error(`${where} has no $all position (EventStoreDB 22.6 or later is required)`);
  const { prevHash, hash, ...metadata } = event.metadata;
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position,
    type: event.type,
    data: event.data,
    metadata: { ...metadata, recordedAt: event.created.toISOString(), prevHash, hash },
  };
};

/**
 * A retry resends events that are already stored: every id found (in this stream, in the same
 * order, contiguous) returns the original result; a partial match is a misuse of the ids.
 */
export const findOriginalAppend = (
  streamId: string,
  stored: readonly RecordedEvent[],
  events: readonly NewEvent[],
): AppendResult | null => {
  const wanted = new Set(events.map((event) => event.metadata.eventId));
  const found = stored.filter((event) => wanted.has(event.metadata.eventId));
  if (found.length === 0) return null;
  const contiguous = found.every(
    (event, index) =>
      event.metadata.eventId === events[index]?.metadata.eventId &&
      event.revision === found[0].revision + index,
  );
  if (found.length !== events.length || !contiguous) {
    throw new EventIdConflict(
      `stream ${streamId}: ${found.length} of ${events.length} event ids are already stored; a retry must resend exactly the same events`,
    );
  }
  const last = found[found.length - 1];
  return { nextRevision: last.revision, position: last.position };
};

// A clean end of a subscription we did not close: the server dropped it, so re-subscribe.
class SubscriptionEnded extends Error {
  constructor() {
    super('the EventStoreDB subscription ended unexpectedly');
    this.name = 'SubscriptionEnded';
  }
}

// Wraps a handler failure so the loop reports it instead of re-subscribing.
class HandlerFailure extends Error {
  constructor(cause: unknown) {
    super('the subscription handler failed', { cause });
    this.name = 'HandlerFailure';
  }
}

// Reads lazily and cancels the gRPC call as soon as `take` returns false, so a bounded read
// (head position, limit) never pulls the whole log.
const drain = async <E>(read: StreamingRead<E>, take: (item: E) => boolean): Promise<void> => {
  try {
    for await (const item of read) if (!take(item)) break;
  } finally {
    await read.cancel().catch(() => undefined);
  }
};

const withTimeout = async <T>(promise: Promise<T>, ms: number, message: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * The event log on EventStoreDB (gRPC client 6, server 22.6+ for positions on stream reads).
 *
 * Costs worth knowing: every append first reads its whole stream (to find the head hash for the
 * audit chain and to recognise a retried append by its event ids), so an append costs one
 * stream read plus the write — fine for per-lead streams of tens of events. `readAll` with a
 * prefix filters client-side (this client's `$all` reads have no server filter); subscriptions
 * filter on the server. Appends to one stream are serialised inside this process, and another
 * process's interleaving write is caught by the exact expected revision and retried. Unlike
 * the SQLite store, an event id reused in another stream is not detected (that would need a
 * store-wide id index, which EventStoreDB does not offer).
 */
export class EsdbEventStore extends EventStore {
  private readonly settings: Required<EsdbEventStoreOptions>;
  private readonly streamLocks = new Map<string, Promise<void>>();
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(
    private readonly client: EsdbClient,
    options: EsdbEventStoreOptions = {},
  ) {
    super();
    this.settings = { ...defaults, ...options };
  }

  /** Connects and proves the server answers (one `$all` read) before the app starts serving. */
  static async connect(url: string, options: EsdbEventStoreOptions = {}): Promise<EsdbEventStore> {
    const timeoutMs = options.connectTimeoutMs ?? defaults.connectTimeoutMs;
    const where = redactConnectionString(url);
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(url);
    } catch (error) {
      throw new Error(
        `EVENTSTORE_URL ${where} is not a valid connection string: ${(error as Error).message}`,
        { cause: error },
      );
    }
    try {
      await withTimeout(
        drain(
          client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }),
          () => false,
        ),
        timeoutMs,
        `no answer within ${timeoutMs} ms`,
      );
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw new Error(
        `EventStoreDB at ${where} did not answer the startup check: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return new EsdbEventStore(client, options);
  }

  override append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('the event store is closed'));
    const invalid = appendInputError(streamId, events, expected, isSystemStream);
    if (invalid !== null) return Promise.reject(new Error(invalid));
    return this.serialised(streamId, () => this.appendChained(streamId, [...events], expected));
  }

  override async readStream<E extends StoredEvent = StoredEvent>(
    streamId: string,
    { fromRevision }: ReadStreamOptions = {},
  ): Promise<RecordedEvent<E>[]> {
    const events: RecordedEvent<E>[] = [];
    const from = fromRevision === undefined ? START : BigInt(fromRevision);
    try {
      await drain(
        this.client.readStream(streamId, { direction: FORWARDS, fromRevision: from }),
        (resolved) => {
          events.push(toRecordedEvent(resolved) as RecordedEvent<E>);
          return true;
        },
      );
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return events;
  }

  override async readAll<E extends StoredEvent = StoredEvent>({
    after,
    streamPrefix,
    limit,
  }: ReadAllOptions = {}): Promise<RecordedEvent<E>[]> {
    const events: RecordedEvent<E>[] = [];
    if (limit !== undefined && limit <= 0) return events;
    const floor = after ?? -1n;
    await drain(
      this.client.readAll({ direction: FORWARDS, fromPosition: readStart(after) }),
      (resolved) => {
        const { event } = resolved;
        if (!event || !selectsStream(event.streamId, streamPrefix)) return true;
        const recorded = toRecordedEvent(resolved);
        if (recorded.position <= floor) return true;
        events.push(recorded as RecordedEvent<E>);
        return limit === undefined || events.length < limit;
      },
    );
    return events;
  }

  override headPosition(): Promise<bigint> {
    return this.lastPosition();
  }

  override subscribe(options: SubscribeOptions): Subscription {
    if (this.closed) throw new Error('the event store is closed');
    const { streamPrefix, onEvents, onError } = options;
    const { maxBatchSize, resubscribe } = this.settings;
    let last = options.after ?? 0n;
    let stopped = false;
    let wake: (() => void) | null = null;
    let markCaughtUp!: () => void;
    const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));

    // Sleeps until `wake` (data, error, end, close) or the delay, whichever comes first.
    const pause = (delayMs?: number): Promise<void> =>
      new Promise<void>((resolve) => {
        const timer = delayMs === undefined ? undefined : setTimeout(resolve, delayMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }).finally(() => (wake = null));

    // One subscription until it fails, ends, or close() stops it.
    const follow = async (head: bigint): Promise<void> => {
      // set by stream callbacks, read by the loop
      const seen = { serverCaughtUp: false, failure: null as Error | null, ended: false };
      const filter: Filter = {
        ...subscriptionFilter(streamPrefix),
        checkpointReached: (_subscription, position) => {
          if (position.commit >= head) seen.serverCaughtUp = true;
        },
      };
      const subscription: AllStreamSubscription = this.client.subscribeToAll(
        { fromPosition: readStart(last), filter },
        { highWaterMark: maxBatchSize },
      );
      subscription.on('caughtUp', () => (seen.serverCaughtUp = true));
      subscription.on('readable', () => wake?.());
      subscription.on('error', (error: Error) => {
        seen.failure ??= error;
        wake?.();
      });
      subscription.on('end', () => {
        seen.ended = true;
        wake?.();
      });
      try {
        while (!stopped) {
          const { consumed, events } = this.takeBuffered(
            subscription,
            last,
            streamPrefix,
            maxBatchSize,
          );
          if (events.length > 0) {
            try {
              await onEvents(events);
            } catch (error) {
              throw new HandlerFailure(error);
            }
            last = events[events.length - 1].position;
            if (last >= head) markCaughtUp();
          }
          if (consumed > 0) continue;
          // Everything the server sent before its signal has been delivered by now.
          if (seen.serverCaughtUp) markCaughtUp();
          if (seen.failure !== null) throw seen.failure;
          if (seen.ended) throw new SubscriptionEnded();
          await pause();
        }
      } finally {
        subscription.removeAllListeners('readable');
        subscription.on('error', () => undefined);
        await subscription.unsubscribe().catch(() => undefined);
        subscription.destroy();
      }
    };

    const run = async (): Promise<void> => {
      // The backlog ends at the log's head as of now. Besides delivering an event at or beyond
      // it, the server's caught-up signal or a filter checkpoint beyond it proves the backlog
      // was delivered when the head event itself is filtered out.
      let head: bigint | null = null;
      let failures = 0;
      while (!stopped) {
        const delivered = last;
        try {
          head ??= await this.lastPosition();
          if (last >= head) markCaughtUp();
          await follow(head);
        } catch (error) {
          if (stopped) return;
          if (error instanceof HandlerFailure) throw error.cause;
          failures = last > delivered ? 1 : failures + 1;
          if (!isTransientEsdbError(error) || failures > resubscribe.maxAttempts) throw error;
          await pause(
            Math.min(resubscribe.maxDelayMs, resubscribe.initialDelayMs * 2 ** (failures - 1)),
          );
        }
      }
    };

    const running = Promise.resolve()
      .then(run)
      .catch((error: unknown) => {
        stopped = true;
        onError?.(error);
      })
      .finally(() => markCaughtUp());

    const subscription: Subscription = {
      caughtUp,
      close: async () => {
        stopped = true;
        wake?.();
        await running;
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await Promise.allSettled([...this.streamLocks.values()]);
    await this.client.dispose();
  }

  private async appendChained(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.readStream(streamId);
      const original = findOriginalAppend(streamId, stored, events);
      if (original) return original;
      const head = stored.at(-1);
      const actual = head ? head.revision : 'no_stream';
      if (!revisionMatches(expected, actual))
        throw new RevisionConflict(streamId, expected, actual);
      const chained = chainEvents(events, head ? head.metadata.hash : genesisHash);
      try {
        const result = await this.client.appendToStream(streamId, chained.map(toEsdbEventData), {
          expectedRevision: appendRevision(expected, actual),
        });
        return await this.appendResult(streamId, events.length, result);
      } catch (error) {
        const conflict = toRevisionConflict(error, streamId, expected);
        if (conflict === null) throw error;
        // Another process wrote in between: the next round re-reads, so it either finds our
        // own earlier write (a concurrent retry), reports the real revision, or re-chains.
        if (attempt >= this.settings.maxAppendAttempts) throw conflict;
      }
    }
  }

  // A single-event append's position is that event's position. For several events (and for an
  // append the server de-duplicated, which may carry no position) read the last one back.
  private async appendResult(
    streamId: string,
    count: number,
    result: EsdbAppendResult,
  ): Promise<AppendResult> {
    const nextRevision = Number(result.nextExpectedRevision);
    if (count === 1 && result.position !== undefined)
      return { nextRevision, position: result.position.commit };
    let position: bigint | undefined;
    await drain(
      this.client.readStream(streamId, { fromRevision: result.nextExpectedRevision, maxCount: 1 }),
      (resolved) => {
        position = toRecordedEvent(resolved).position;
        return false;
      },
    );
    if (position === undefined)
      throw new Error(
        `stream ${streamId}: revision ${nextRevision} was not found after the append`,
      );
    return { nextRevision, position };
  }

  // The newest non-system event in `$all` (0n when there is none), reading backwards lazily.
  private async lastPosition(): Promise<bigint> {
    let position = 0n;
    await drain(this.client.readAll({ direction: BACKWARDS, fromPosition: END }), (resolved) => {
      if (!resolved.event || isSystemStream(resolved.event.streamId)) return true;
      position = toRecordedEvent(resolved).position;
      return false;
    });
    return position;
  }

  private takeBuffered(
    subscription: AllStreamSubscription,
    after: bigint,
    streamPrefix: string | undefined,
    max: number,
  ): { consumed: number; events: RecordedEvent[] } {
    const events: RecordedEvent[] = [];
    let consumed = 0;
    while (events.length < max) {
      const resolved = subscription.read() as AllStreamResolvedEvent | null;
      if (resolved === null) break;
      consumed += 1;
      if (!resolved.event || !selectsStream(resolved.event.streamId, streamPrefix)) continue;
      const recorded = toRecordedEvent(resolved);
      // positions only move forward: a re-subscription may repeat the event it started from
      if (recorded.position <= (events.at(-1)?.position ?? after)) continue;
      events.push(recorded);
    }
    return { consumed, events };
  }

  private serialised<T>(streamId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.streamLocks.get(streamId) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.streamLocks.set(streamId, tail);
    void tail.then(() => {
      if (this.streamLocks.get(streamId) === tail) this.streamLocks.delete(streamId);
    });
    return result;
  }
}
