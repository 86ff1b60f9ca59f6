import { Readable, type ReadableOptions } from 'node:stream';
import {
  ANY,
  AccessDeniedError,
  DeadlineExceededError,
  END,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type EventData,
  type Filter,
  type ReadPosition,
} from '@eventstore/db-client';
import { genesisHash, verifyChain } from './audit-chain';
import {
  EsdbEventStore,
  appendRevision,
  chainEvents,
  findOriginalAppend,
  isStreamNotFound,
  isTransientEsdbError,
  readStart,
  revisionMatches,
  selectsStream,
  subscriptionFilter,
  toEsdbEventData,
  toEsdbExpectedRevision,
  toEsdbPosition,
  toRecordedEvent,
  toRevisionConflict,
  type EsdbClient,
} from './esdb-event-store';
import { redactConnectionString } from './adapter-rules';
import { eventStoreContract } from './event-store.contract';
import { RevisionConflict, type NewEvent, type RecordedEvent } from './event-store.port';
import { EventIdConflict } from './sqlite-event-store';

const eventId = (n: number): string =>
  `01943a4e-3c00-7000-8000-${n.toString(16).padStart(12, '0')}`;

const newEvent = (n: number, data: Record<string, unknown> = { n }): NewEvent => ({
  type: 'LeadEngaged',
  data,
  metadata: {
    eventId: eventId(n),
    occurredAt: '2026-01-05T09:00:00.000Z',
    actor: { id: 'user-1', role: 'marketing' },
    correlationId: 'corr-1',
    causationId: null,
    schemaVersion: 1,
  },
});

// Beyond 2^53: positions must stay exact bigints all the way.
const bigPosition = 9_007_199_254_740_993n;

const resolvedFrom = (
  data: EventData,
  at: { streamId: string; revision: bigint; position: bigint; created: Date },
): AllStreamResolvedEvent => {
  if (data.contentType !== 'application/json')
    throw new Error('the adapter only writes JSON events');
  return {
    event: {
      streamId: at.streamId,
      id: data.id,
      isJson: true,
      revision: at.revision,
      type: data.type,
      created: at.created,
      data: data.data,
      metadata: data.metadata,
      position: toEsdbPosition(at.position),
    },
    commitPosition: at.position,
  };
};

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );

describe('EsdbEventStore mapping', () => {
  describe('expected revision', () => {
    it('maps every port expectation to exactly the client constant or bigint', () => {
      expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
      expect(toEsdbExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
      expect(toEsdbExpectedRevision('any')).toBe(ANY);
      expect(toEsdbExpectedRevision(0)).toBe(0n);
      expect(toEsdbExpectedRevision(41)).toBe(41n);
    });

    it("pins 'any' and 'stream_exists' to the revision read so the audit chain cannot fork", () => {
      const cases: [Parameters<typeof appendRevision>, AppendExpectedRevision][] = [
        [['any', 'no_stream'], NO_STREAM],
        [['any', 4], 4n],
        [['stream_exists', 4], 4n],
        [['no_stream', 'no_stream'], NO_STREAM],
        [[4, 4], 4n],
      ];
      for (const [args, sent] of cases) expect(appendRevision(...args)).toBe(sent);
    });

    it('checks an expectation against the revision read', () => {
      expect(revisionMatches('any', 'no_stream')).toBe(true);
      expect(revisionMatches('any', 3)).toBe(true);
      expect(revisionMatches('no_stream', 'no_stream')).toBe(true);
      expect(revisionMatches('no_stream', 0)).toBe(false);
      expect(revisionMatches('stream_exists', 0)).toBe(true);
      expect(revisionMatches('stream_exists', 'no_stream')).toBe(false);
      expect(revisionMatches(2, 2)).toBe(true);
      expect(revisionMatches(2, 3)).toBe(false);
      expect(revisionMatches(0, 'no_stream')).toBe(false);
    });
  });

  describe('errors', () => {
    it('maps WrongExpectedVersionError to RevisionConflict with the actual revision from the error', () => {
      const error = new WrongExpectedVersionError(undefined, {
        streamName: 'lead-1',
        expected: 1n,
        current: 3n,
      });

      const conflict = toRevisionConflict(error, 'lead-1', 1);

      expect(conflict).toBeInstanceOf(RevisionConflict);
      expect(conflict).toMatchObject({
        streamId: 'lead-1',
        expected: 1,
        actual: 3,
        code: 'revision_conflict',
      });
    });

    it("maps a missing stream in WrongExpectedVersionError to actual 'no_stream'", () => {
      const error = new WrongExpectedVersionError(undefined, {
        streamName: 'lead-1',
        expected: STREAM_EXISTS,
        current: NO_STREAM,
      });

      expect(toRevisionConflict(error, 'lead-1', 'stream_exists')).toMatchObject({
        expected: 'stream_exists',
        actual: 'no_stream',
      });
    });

    it('leaves every other error alone', () => {
      expect(
        toRevisionConflict(new StreamNotFoundError(undefined, 'lead-1'), 'lead-1', 0),
      ).toBeNull();
      expect(toRevisionConflict(new Error('boom'), 'lead-1', 0)).toBeNull();
    });

    it('recognises a missing stream by the client error class', () => {
      expect(isStreamNotFound(new StreamNotFoundError(undefined, 'lead-1'))).toBe(true);
      expect(isStreamNotFound(new UnavailableError())).toBe(false);
    });

    it('re-subscribes only after connection-level errors', () => {
      expect(isTransientEsdbError(new UnavailableError())).toBe(true);
      expect(isTransientEsdbError(new DeadlineExceededError())).toBe(true);
      expect(isTransientEsdbError(new AccessDeniedError())).toBe(false);
      expect(
        isTransientEsdbError(
          new WrongExpectedVersionError(undefined, {
            streamName: 's',
            expected: 0n,
            current: 1n,
          }),
        ),
      ).toBe(false);
      expect(isTransientEsdbError(new Error('handler bug'))).toBe(false);
    });
  });

  describe('events', () => {
    const [chained] = chainEvents([newEvent(1, { leadId: 'l-1', amount: 129_900 })], genesisHash);
    const created = new Date('2026-01-05T09:00:01.234Z');

    it('writes our event id, JSON data and the metadata with the chain hashes', () => {
      const data = toEsdbEventData(chained);

      expect(data).toEqual({
        id: eventId(1),
        contentType: 'application/json',
        type: 'LeadEngaged',
        data: { leadId: 'l-1', amount: 129_900 },
        metadata: { ...newEvent(1).metadata, prevHash: genesisHash, hash: chained.hash },
      });
    });

    it('reads a resolved event back as the port event, recordedAt from the server time', () => {
      const resolved = resolvedFrom(toEsdbEventData(chained), {
        streamId: 'lead-1',
        revision: 0n,
        position: bigPosition,
        created,
      });

      const recorded = toRecordedEvent(resolved);

      expect(recorded).toEqual({
        streamId: 'lead-1',
        revision: 0,
        position: bigPosition,
        type: 'LeadEngaged',
        data: { leadId: 'l-1', amount: 129_900 },
        metadata: {
          ...newEvent(1).metadata,
          recordedAt: '2026-01-05T09:00:01.234Z',
          prevHash: genesisHash,
          hash: chained.hash,
        },
      });
      expect(Object.keys(recorded.metadata).slice(-3)).toEqual(['recordedAt', 'prevHash', 'hash']);
      expect(verifyChain([recorded])).toEqual({ valid: true });
    });

    it('takes the commit position from the resolved event when the record has none', () => {
      const resolved = resolvedFrom(toEsdbEventData(chained), {
        streamId: 'lead-1',
        revision: 0n,
        position: 77n,
        created,
      });
      const { position: _omitted, ...withoutPosition } = resolved.event!;

      expect(toRecordedEvent({ event: { ...withoutPosition }, commitPosition: 77n }).position).toBe(
        77n,
      );
      expect(() => toRecordedEvent({ event: { ...withoutPosition } })).toThrow(/no \$all position/);
    });

    it('refuses events it cannot have written', () => {
      const base = resolvedFrom(toEsdbEventData(chained), {
        streamId: 'x',
        revision: 0n,
        position: 1n,
        created,
      });
      const event = base.event!;

      expect(() =>
        toRecordedEvent({ ...base, event: { ...event, metadata: { eventId: eventId(1) } } }),
      ).toThrow(/not written by EsdbEventStore/);
      expect(() =>
        toRecordedEvent({
          ...base,
          event: { ...event, isJson: false, data: new Uint8Array([1]), metadata: undefined },
        }),
      ).toThrow(/no JSON object data/);
      expect(() => toRecordedEvent({ commitPosition: 1n })).toThrow(/target event is missing/);
    });

    it('chains the events of one append from the stream head', () => {
      const events = [newEvent(1), newEvent(2), newEvent(3)];
      const [first, second, third] = chainEvents(events, 'f'.repeat(64));

      expect(first.prevHash).toBe('f'.repeat(64));
      expect(second.prevHash).toBe(first.hash);
      expect(third.prevHash).toBe(second.hash);
      expect(new Set([first.hash, second.hash, third.hash]).size).toBe(3);
    });
  });

  describe('positions and filters', () => {
    it('reads from the start, or from the exact commit/prepare pair of a position', () => {
      expect(readStart(undefined)).toBe(START);
      expect(readStart(0n)).toBe(START);
      expect(readStart(bigPosition)).toEqual({ commit: bigPosition, prepare: bigPosition });
    });

    it('filters subscriptions on the server by stream prefix, or excludes system streams', () => {
      expect(subscriptionFilter('lead-')).toEqual(streamNameFilter({ prefixes: ['lead-'] }));
      const systemFree = subscriptionFilter(undefined);
      expect(systemFree).toEqual(streamNameFilter({ regex: '^[^$]' }));
      expect(
        'regex' in systemFree && new RegExp(systemFree.regex).test('$stats-127.0.0.1:2113'),
      ).toBe(false);
      expect('regex' in systemFree && new RegExp(systemFree.regex).test('lead-1')).toBe(true);
    });

    it('selects non-system streams with the prefix', () => {
      expect(selectsStream('lead-1', 'lead-')).toBe(true);
      expect(selectsStream('lead-1', undefined)).toBe(true);
      expect(selectsStream('other-1', 'lead-')).toBe(false);
      expect(selectsStream('$$lead-1', undefined)).toBe(false);
      expect(selectsStream('$ce-lead', '$ce-')).toBe(false);
    });
  });

  describe('idempotent retries', () => {
    const stored = (events: NewEvent[], firstRevision: number): RecordedEvent[] =>
      events.map((event, index) => ({
        streamId: 'lead-1',
        revision: firstRevision + index,
        position: 1_000n + BigInt(firstRevision + index),
        type: event.type,
        data: event.data,
        metadata: {
          ...event.metadata,
          recordedAt: '2026-01-05T09:00:00.000Z',
          prevHash: 'p',
          hash: 'h',
        },
      }));

    it('finds nothing for new events', () => {
      expect(findOriginalAppend('lead-1', stored([newEvent(1)], 0), [newEvent(2)])).toBeNull();
    });

    it('returns the original result when every id is stored in order', () => {
      const history = [
        ...stored([newEvent(1)], 0),
        ...stored([newEvent(2), newEvent(3)], 1),
        ...stored([newEvent(4)], 3),
      ];

      expect(findOriginalAppend('lead-1', history, [newEvent(2), newEvent(3)])).toEqual({
        nextRevision: 2,
        position: 1_002n,
      });
    });

    it('refuses a retry that resends only part of the events, or other events with them', () => {
      const history = stored([newEvent(1), newEvent(2)], 0);

      expect(() => findOriginalAppend('lead-1', history, [newEvent(2), newEvent(9)])).toThrow(
        EventIdConflict,
      );
      expect(() => findOriginalAppend('lead-1', history, [newEvent(2), newEvent(1)])).toThrow(
        EventIdConflict,
      );
    });
  });

  it('hides credentials in connection strings it reports', () => {
    expect(redactConnectionString('esdb://admin:changeit@db:2113?tls=true')).toBe(
      'esdb://***@db:2113?tls=true',
    );
    expect(redactConnectionString('esdb://localhost:2113?tls=false')).toBe(
      'esdb://localhost:2113?tls=false',
    );
  });

  it('connect fails fast with a clear message when nothing listens', async () => {
    // Port 1 on loopback refuses connections at once: this exercises the real gRPC client.
    const error = await rejection(
      EsdbEventStore.connect('esdb://admin:secret@127.0.0.1:1?tls=false'),
    );

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^EventStoreDB at esdb:\/\/\*\*\*@127\.0\.0\.1:1\?tls=false did not answer/,
    );
    expect((error as Error).message).not.toContain('secret');
  });
});

/**
 * An in-memory stand-in for the gRPC client with EventStoreDB's documented semantics: optimistic
 * appends that throw the client's own WrongExpectedVersionError, StreamNotFoundError on a missing
 * stream, forward reads from a position inclusive and backward reads exclusive, system events
 * interleaved in `$all`, and catch-up subscriptions that start at their position inclusive and
 * emit `caughtUp` (or only filter checkpoints). It lets the contract suite and the failure paths
 * (another process writing in between, dropped subscriptions) run without a server; the
 * int-spec runs the same contract against a real EventStoreDB.
 */
type LoggedEvent = {
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  position: bigint;
  created: Date;
  json: string;
  metadata: EventData['metadata'];
};

type CaughtUpSignal = 'event' | 'checkpoint';

class FakeEsdbLog {
  readonly entries: LoggedEvent[] = [];
  private readonly subscribers = new Set<() => void>();
  private readonly subscriptions = new Set<FakeSubscription>();
  private ticks = 0;
  appendCalls = 0;
  subscribeCalls = 0;
  /** this many next subscriptions fail at once, as when the server is down */
  failingSubscriptions = 0;

  constructor(readonly signal: CaughtUpSignal = 'event') {}

  client(): EsdbClient {
    const client = {
      appendToStream: (
        streamName: string,
        events: EventData | EventData[],
        options: { expectedRevision?: AppendExpectedRevision } = {},
      ) =>
        this.append(
          streamName,
          Array.isArray(events) ? events : [events],
          options.expectedRevision ?? ANY,
        ),
      readStream: (
        streamName: string,
        options: { fromRevision?: typeof START | bigint; maxCount?: number | bigint } = {},
      ) => this.readStream(streamName, options),
      readAll: (
        options: {
          fromPosition?: ReadPosition;
          direction?: 'forwards' | 'backwards';
          maxCount?: number | bigint;
        } = {},
      ) => this.readAll(options),
      subscribeToAll: (
        options: { fromPosition?: ReadPosition; filter?: Filter } = {},
        readable: ReadableOptions = {},
      ) => this.subscribe(options, readable),
      dispose: () => Promise.resolve(),
    };
    return client;
  }

  /** a write by some other client, e.g. another process */
  foreignAppend(streamId: string, type = '$metadata'): void {
    this.write(streamId, [
      {
        id: eventId(900_000 + this.entries.length),
        contentType: 'application/json',
        type,
        data: {},
        metadata: undefined,
      },
    ]);
  }

  dropSubscriptions(error: Error): void {
    for (const subscription of this.subscriptions) subscription.emit('error', error);
  }

  forget(subscription: FakeSubscription): void {
    this.subscriptions.delete(subscription);
    this.subscribers.delete(subscription.wake);
  }

  private async append(
    streamId: string,
    events: EventData[],
    expected: AppendExpectedRevision,
  ): Promise<EsdbAppendResult> {
    this.appendCalls += 1;
    // a network round trip: other appends may land first
    await new Promise<void>((resolve) => setImmediate(resolve));
    const current = this.revisionOf(streamId);
    const ok =
      expected === ANY ||
      (expected === NO_STREAM && current === NO_STREAM) ||
      (expected === STREAM_EXISTS && current !== NO_STREAM) ||
      (typeof expected === 'bigint' && current === expected);
    if (!ok)
      throw new WrongExpectedVersionError(undefined, { streamName: streamId, expected, current });
    const written = this.write(streamId, events);
    // system traffic after every write, so `$all` never ends on a user event
    this.write('$stats-127.0.0.1:2113', [
      {
        id: eventId(800_000 + this.entries.length),
        contentType: 'application/json',
        type: '$statsCollected',
        data: {},
        metadata: undefined,
      },
    ]);
    // a multi-event write reports its transaction's first position: the adapter must not rely on it
    return {
      success: true,
      nextExpectedRevision: written.at(-1)!.revision,
      position: toEsdbPosition(written[0].position),
    };
  }

  private write(streamId: string, events: EventData[]): LoggedEvent[] {
    const current = this.revisionOf(streamId);
    let revision = current === NO_STREAM ? -1n : current;
    const written = events.map((event) => {
      revision += 1n;
      this.ticks += 1;
      if (event.contentType !== 'application/json') throw new Error('fake: JSON events only');
      const logged: LoggedEvent = {
        streamId,
        id: event.id,
        type: event.type,
        revision,
        position: bigPosition + BigInt(this.entries.length) * 137n,
        created: new Date(Date.UTC(2026, 0, 5, 9, 0, 0, this.ticks)),
        json: JSON.stringify(event.data),
        metadata: event.metadata,
      };
      this.entries.push(logged);
      return logged;
    });
    for (const wake of this.subscribers) wake();
    return written;
  }

  private revisionOf(streamId: string): bigint | typeof NO_STREAM {
    const last = this.entries.filter((entry) => entry.streamId === streamId).at(-1);
    return last ? last.revision : NO_STREAM;
  }

  resolved(entry: LoggedEvent): AllStreamResolvedEvent {
    return {
      event: {
        streamId: entry.streamId,
        id: entry.id,
        isJson: true,
        revision: entry.revision,
        type: entry.type,
        created: entry.created,
        data: JSON.parse(entry.json) as Record<string, unknown>,
        metadata: entry.metadata,
        position: toEsdbPosition(entry.position),
      },
      commitPosition: entry.position,
    };
  }

  private streaming(items: () => AllStreamResolvedEvent[]): Readable & { cancel(): Promise<void> } {
    async function* generate(): AsyncGenerator<AllStreamResolvedEvent> {
      await new Promise<void>((resolve) => setImmediate(resolve));
      yield* items();
    }
    const readable = Readable.from(generate(), { objectMode: true });
    return Object.assign(readable, { cancel: () => Promise.resolve(void readable.destroy()) });
  }

  private readStream(
    streamId: string,
    {
      fromRevision = START,
      maxCount = Number.MAX_SAFE_INTEGER,
    }: { fromRevision?: typeof START | bigint; maxCount?: number | bigint },
  ) {
    return this.streaming(() => {
      const events = this.entries.filter((entry) => entry.streamId === streamId);
      if (events.length === 0) throw new StreamNotFoundError(undefined, streamId);
      const from = fromRevision === START ? 0n : fromRevision;
      return events
        .filter((entry) => entry.revision >= from)
        .slice(0, Number(maxCount))
        .map((entry) => this.resolved(entry));
    });
  }

  private readAll({
    fromPosition,
    direction = 'forwards',
    maxCount = Number.MAX_SAFE_INTEGER,
  }: {
    fromPosition?: ReadPosition;
    direction?: 'forwards' | 'backwards';
    maxCount?: number | bigint;
  }) {
    return this.streaming(() => {
      const take = Number(maxCount);
      if (direction === 'forwards') {
        const from =
          fromPosition === undefined || fromPosition === START
            ? -1n
            : fromPosition === END
              ? null
              : fromPosition.commit;
        if (from === null) return [];
        return this.entries
          .filter((entry) => entry.position >= from)
          .slice(0, take)
          .map((entry) => this.resolved(entry));
      }
      const before =
        fromPosition === undefined || fromPosition === END
          ? null
          : fromPosition === START
            ? -1n
            : fromPosition.commit;
      return this.entries
        .filter((entry) => before === null || entry.position < before)
        .reverse()
        .slice(0, take)
        .map((entry) => this.resolved(entry));
    });
  }

  private subscribe(
    { fromPosition = START, filter }: { fromPosition?: ReadPosition; filter?: Filter },
    readable: ReadableOptions,
  ) {
    const start =
      fromPosition === START
        ? 0
        : fromPosition === END
          ? this.entries.length
          : this.entries.findIndex((entry) => entry.position >= fromPosition.commit);
    const subscription = new FakeSubscription(
      this,
      start === -1 ? this.entries.length : start,
      filter,
      readable,
    );
    this.subscriptions.add(subscription);
    this.subscribers.add(subscription.wake);
    this.subscribeCalls += 1;
    if (this.failingSubscriptions > 0) {
      this.failingSubscriptions -= 1;
      setImmediate(() => subscription.emit('error', new UnavailableError()));
    }
    return subscription;
  }
}

class FakeSubscription extends Readable {
  private wanted = false;
  private signalled = false;

  constructor(
    private readonly log: FakeEsdbLog,
    private cursor: number,
    private readonly streamFilter: Filter | undefined,
    options: ReadableOptions,
  ) {
    super({ ...options, objectMode: true });
  }

  readonly wake = (): void => {
    if (this.wanted) this.pump();
  };

  override _read(): void {
    this.wanted = true;
    this.pump();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.log.forget(this);
    callback(error);
  }

  unsubscribe(): Promise<void> {
    this.log.forget(this);
    return Promise.resolve();
  }

  private pump(): void {
    while (this.cursor < this.log.entries.length) {
      const entry = this.log.entries[this.cursor];
      this.cursor += 1;
      if (!this.matches(entry.streamId)) continue;
      if (!this.push(this.log.resolved(entry))) {
        this.wanted = false;
        return;
      }
    }
    if (this.signalled || this.log.entries.length === 0) return;
    this.signalled = true;
    if (this.log.signal === 'event') this.emit('caughtUp');
    else
      void this.streamFilter?.checkpointReached?.(
        this,
        toEsdbPosition(this.log.entries.at(-1)!.position),
      );
  }

  private matches(streamId: string): boolean {
    const filter = this.streamFilter;
    if (!filter) return true;
    if ('prefixes' in filter) return filter.prefixes.some((prefix) => streamId.startsWith(prefix));
    return new RegExp(filter.regex).test(streamId);
  }
}

eventStoreContract('EsdbEventStore over an in-memory fake of the gRPC client', () =>
  Promise.resolve(new EsdbEventStore(new FakeEsdbLog().client())),
);

describe('EsdbEventStore failure paths (in-memory fake of the gRPC client)', () => {
  const collect = () => {
    const received: RecordedEvent[] = [];
    let waiters: { count: number; resolve: () => void }[] = [];
    return {
      received,
      onEvents: (events: RecordedEvent[]) => {
        received.push(...events);
        for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
        waiters = waiters.filter((w) => received.length < w.count);
      },
      waitFor: (count: number) =>
        new Promise<void>((resolve) =>
          received.length >= count ? resolve() : waiters.push({ count, resolve }),
        ),
    };
  };

  it("keeps one verified chain when two processes append with 'any' to the same stream", async () => {
    const log = new FakeEsdbLog();
    const first = new EsdbEventStore(log.client(), { maxAppendAttempts: 20 });
    const second = new EsdbEventStore(log.client(), { maxAppendAttempts: 20 });

    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        (index % 2 ? first : second).append('lead-1', [newEvent(index + 1)], 'any'),
      ),
    );

    expect(results.map((result) => result.nextRevision).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, index) => index),
    );
    const stored = await first.readStream('lead-1');
    expect(verifyChain(stored)).toEqual({ valid: true });
    // the two processes did collide, and the losers re-read instead of forking the chain
    expect(log.appendCalls).toBeGreaterThan(12);
  });

  it('an exact revision that another process overtook is a RevisionConflict with the real revision', async () => {
    const log = new FakeEsdbLog();
    const store = new EsdbEventStore(log.client());
    const other = new EsdbEventStore(log.client());
    await store.append('lead-1', [newEvent(1)], 'no_stream');

    const [mine, theirs] = await Promise.allSettled([
      store.append('lead-1', [newEvent(2)], 0),
      other.append('lead-1', [newEvent(3)], 0),
    ]);

    expect([mine.status, theirs.status].sort()).toEqual(['fulfilled', 'rejected']);
    const loser =
      mine.status === 'rejected' ? mine.reason : (theirs as PromiseRejectedResult).reason;
    expect(loser).toBeInstanceOf(RevisionConflict);
    expect(loser).toMatchObject({ streamId: 'lead-1', expected: 0, actual: 1 });
  });

  it('re-subscribes after a dropped connection without gaps or duplicates', async () => {
    const log = new FakeEsdbLog();
    const store = new EsdbEventStore(log.client(), {
      resubscribe: { initialDelayMs: 1, maxDelayMs: 1, maxAttempts: 3 },
    });
    await store.append('lead-1', [newEvent(1), newEvent(2)], 'no_stream');
    const got = collect();
    const errors: unknown[] = [];
    const subscription = store.subscribe({
      streamPrefix: 'lead-',
      onEvents: got.onEvents,
      onError: (e) => errors.push(e),
    });
    await subscription.caughtUp;

    log.dropSubscriptions(new UnavailableError());
    await store.append('lead-2', [newEvent(3)], 'no_stream');
    await got.waitFor(3);
    log.dropSubscriptions(new UnavailableError());
    await store.append('lead-1', [newEvent(4)], 1);
    await got.waitFor(4);
    await subscription.close();

    expect(got.received.map((event) => event.metadata.eventId)).toEqual([1, 2, 3, 4].map(eventId));
    expect(errors).toEqual([]);
  });

  it('reports an error it cannot recover from and stops', async () => {
    const log = new FakeEsdbLog();
    const store = new EsdbEventStore(log.client());
    const reported = new Promise<unknown>((resolve) => {
      const subscription = store.subscribe({
        streamPrefix: 'lead-',
        onEvents: () => undefined,
        onError: resolve,
      });
      void subscription.caughtUp.then(() => log.dropSubscriptions(new AccessDeniedError()));
    });

    expect(await reported).toBeInstanceOf(AccessDeniedError);
  });

  it('gives up after the configured number of consecutive drops', async () => {
    const log = new FakeEsdbLog();
    const store = new EsdbEventStore(log.client(), {
      resubscribe: { initialDelayMs: 1, maxDelayMs: 1, maxAttempts: 2 },
    });
    log.failingSubscriptions = 10;

    const reported = await new Promise<unknown>((resolve) =>
      store.subscribe({ onEvents: () => undefined, onError: resolve }),
    );

    expect(reported).toBeInstanceOf(UnavailableError);
    // the first subscription and two re-subscriptions
    expect(log.subscribeCalls).toBe(3);
  });

  it('resolves caughtUp from a filter checkpoint when the server sends no caught-up signal', async () => {
    const log = new FakeEsdbLog('checkpoint');
    const store = new EsdbEventStore(log.client());
    await store.append('lead-1', [newEvent(1)], 'no_stream');
    // the newest user event is outside the prefix, so no delivered event reaches the head
    await store.append('other-1', [newEvent(2)], 'no_stream');
    const got = collect();

    const subscription = store.subscribe({ streamPrefix: 'lead-', onEvents: got.onEvents });
    await subscription.caughtUp;
    await subscription.close();

    expect(got.received.map((event) => event.streamId)).toEqual(['lead-1']);
  });

  it('headPosition and readAll skip system events and other writers', async () => {
    const log = new FakeEsdbLog();
    const store = new EsdbEventStore(log.client());
    expect(await store.headPosition()).toBe(0n);
    const { position } = await store.append('lead-1', [newEvent(1)], 'no_stream');
    log.foreignAppend('$$lead-1');

    expect(await store.headPosition()).toBe(position);
    expect((await store.readAll()).map((event) => event.streamId)).toEqual(['lead-1']);
  });

  it('validates input before touching the server', async () => {
    const log = new FakeEsdbLog();
    const store = new EsdbEventStore(log.client());

    await expect(store.append('lead-1', [], 'any')).rejects.toThrow(/at least one event/);
    await expect(store.append('lead-1', [newEvent(1)], -1)).rejects.toThrow(/non-negative integer/);
    await expect(store.append('lead-1', [newEvent(1), newEvent(1)], 'any')).rejects.toThrow(
      /distinct ids/,
    );
    await expect(store.append('$settings', [newEvent(1)], 'any')).rejects.toThrow(/system streams/);
    expect(log.appendCalls).toBe(0);
  });
});
