import { v7 as uuidv7 } from 'uuid';
import { genesisHash, verifyChain } from './audit-chain';
import {
  RevisionConflict,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  type Subscription,
} from './event-store.port';

type EventOverrides = {
  type?: string;
  data?: Record<string, unknown>;
  metadata?: Partial<EventMetadata>;
};

type Collector = {
  received: RecordedEvent[];
  onEvents: (events: RecordedEvent[]) => void;
  /** fails pending waits, so a broken subscription fails the test instead of timing out */
  onError: (error: unknown) => void;
  /** resolves once at least `count` events were received */
  waitFor: (count: number) => Promise<void>;
};

const occurredAt = '2026-01-15T09:30:00.000Z';

const collector = (): Collector => {
  const received: RecordedEvent[] = [];
  let waiters: { count: number; resolve: () => void; reject: (error: Error) => void }[] = [];
  let failure: Error | null = null;
  return {
    received,
    onError: (error) => {
      failure = error instanceof Error ? error : new Error(String(error));
      for (const waiter of waiters) waiter.reject(failure);
      waiters = [];
    },
    onEvents: (events) => {
      received.push(...events);
      const ready = waiters.filter((waiter) => received.length >= waiter.count);
      waiters = waiters.filter((waiter) => received.length < waiter.count);
      for (const waiter of ready) waiter.resolve();
    },
    waitFor: (count) =>
      new Promise<void>((resolve, reject) => {
        if (received.length >= count) resolve();
        else if (failure) reject(failure);
        else waiters.push({ count, resolve, reject });
      }),
  };
};

const settle = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => new Error('expected the promise to reject'),
    (error: unknown) => error,
  );

const conflictOf = async (promise: Promise<unknown>): Promise<RevisionConflict> => {
  const error = await settle(promise);
  expect(error).toBeInstanceOf(RevisionConflict);
  return error as RevisionConflict;
};

const ids = (events: readonly { metadata: { eventId: string } }[]): string[] =>
  events.map((event) => event.metadata.eventId);

const positions = (events: readonly RecordedEvent[]): bigint[] =>
  events.map((event) => event.position);

const expectStrictlyIncreasing = (values: readonly bigint[]): void => {
  for (let index = 1; index < values.length; index += 1) {
    expect(values[index] > values[index - 1]).toBe(true);
  }
};

/**
 * The behaviour every EventStore adapter must have. Written to run against a shared server:
 * each test owns a random stream-id prefix, filters reads by it and compares positions only
 * relative to each other.
 */
export const eventStoreContract = (adapterName: string, open: () => Promise<EventStore>): void => {
  describe(`${adapterName} satisfies the EventStore contract`, () => {
    const run = uuidv7().replace(/-/g, '').slice(-12);
    let testNumber = 0;
    let eventNumber = 0;
    let prefix = '';
    let store: EventStore;

    const stream = (name: string): string => `${prefix}${name}`;
    const newEvent = (overrides: EventOverrides = {}): NewEvent => {
      eventNumber += 1;
      return {
        type: overrides.type ?? 'ContractEventRecorded',
        data: overrides.data ?? { n: eventNumber },
        metadata: {
          eventId: uuidv7(),
          occurredAt,
          actor: { id: 'contract-user', role: 'admin' },
          correlationId: `correlation-${run}`,
          causationId: null,
          schemaVersion: 1,
          ...overrides.metadata,
        },
      };
    };
    const newEvents = (count: number): NewEvent[] =>
      Array.from({ length: count }, () => newEvent());

    beforeEach(async () => {
      testNumber += 1;
      prefix = `contract-${run}-${testNumber}-`;
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('expected revision', () => {
      it("'no_stream' creates a stream and nextRevision is the last appended revision", async () => {
        const result = await store.append(stream('a'), newEvents(3), 'no_stream');

        expect(result.nextRevision).toBe(2);
        expect(typeof result.position).toBe('bigint');
        const stored = await store.readStream(stream('a'));
        expect(stored.map((event) => event.revision)).toEqual([0, 1, 2]);
        expect(result.position).toBe(stored[2].position);
      });

      it("'no_stream' conflicts when the stream exists", async () => {
        await store.append(stream('a'), newEvents(2), 'no_stream');

        const conflict = await conflictOf(store.append(stream('a'), [newEvent()], 'no_stream'));

        expect(conflict).toMatchObject({ streamId: stream('a'), expected: 'no_stream', actual: 1 });
        expect(conflict.code).toBe('revision_conflict');
      });

      it("'stream_exists' appends to an existing stream and conflicts on a missing one", async () => {
        await store.append(stream('a'), [newEvent()], 'no_stream');

        const result = await store.append(stream('a'), [newEvent()], 'stream_exists');
        const conflict = await conflictOf(
          store.append(stream('missing'), [newEvent()], 'stream_exists'),
        );

        expect(result.nextRevision).toBe(1);
        expect(conflict).toMatchObject({
          streamId: stream('missing'),
          expected: 'stream_exists',
          actual: 'no_stream',
        });
        expect(await store.readStream(stream('missing'))).toEqual([]);
      });

      it("'any' appends whether or not the stream exists", async () => {
        const created = await store.append(stream('a'), [newEvent()], 'any');
        const appended = await store.append(stream('a'), newEvents(2), 'any');

        expect(created.nextRevision).toBe(0);
        expect(appended.nextRevision).toBe(2);
      });

      it('an exact revision appends only when it is the current revision', async () => {
        await store.append(stream('a'), newEvents(2), 'no_stream');

        const result = await store.append(stream('a'), [newEvent()], 1);
        const stale = await conflictOf(store.append(stream('a'), [newEvent()], 1));
        const ahead = await conflictOf(store.append(stream('a'), [newEvent()], 7));
        const missing = await conflictOf(store.append(stream('missing'), [newEvent()], 0));

        expect(result.nextRevision).toBe(2);
        expect(stale).toMatchObject({ streamId: stream('a'), expected: 1, actual: 2 });
        expect(ahead).toMatchObject({ streamId: stream('a'), expected: 7, actual: 2 });
        expect(missing).toMatchObject({
          streamId: stream('missing'),
          expected: 0,
          actual: 'no_stream',
        });
      });

      it('a rejected append writes nothing and the stream stays writable at its real revision', async () => {
        const original = newEvents(2);
        await store.append(stream('a'), original, 'no_stream');
        const rejected = newEvents(2);
        await conflictOf(store.append(stream('a'), rejected, 0));

        const next = newEvent();
        const result = await store.append(stream('a'), [next], 1);

        expect(result.nextRevision).toBe(2);
        const stored = await store.readStream(stream('a'));
        expect(ids(stored)).toEqual(ids([...original, next]));
        const recent = ids(await store.readAll({ streamPrefix: prefix }));
        for (const id of ids(rejected)) expect(recent).not.toContain(id);
      });
    });

    describe('idempotent retries', () => {
      it('re-appending the same event ids returns the original result and appends nothing', async () => {
        const events = newEvents(2);
        const first = await store.append(stream('a'), events, 'no_stream');

        const sameExpectation = await store.append(stream('a'), events, 'no_stream');
        const anyExpectation = await store.append(stream('a'), events, 'any');

        expect(sameExpectation).toEqual(first);
        expect(anyExpectation).toEqual(first);
        expect(await store.readStream(stream('a'))).toHaveLength(2);
      });

      it('a retry after the stream moved on still returns the original result', async () => {
        const events = [newEvent()];
        const first = await store.append(stream('a'), events, 'no_stream');
        await store.append(stream('a'), newEvents(2), 0);

        const retry = await store.append(stream('a'), events, 'no_stream');

        expect(retry).toEqual(first);
        expect(await store.readStream(stream('a'))).toHaveLength(3);
      });
    });

    describe('reading', () => {
      it('readStream returns a stream in revision order with its data', async () => {
        const data = {
          text: 'Grüße, 東京 ✓',
          amount: 129_900,
          ok: true,
          none: null,
          list: [1, { x: 'y' }],
        };
        const first = newEvent({ type: 'FirstHappened', data });
        const rest = newEvents(2);
        await store.append(stream('a'), [first], 'no_stream');
        await store.append(stream('a'), rest, 0);

        const stored = await store.readStream(stream('a'));

        expect(stored.map((event) => [event.streamId, event.revision])).toEqual([
          [stream('a'), 0],
          [stream('a'), 1],
          [stream('a'), 2],
        ]);
        expect(ids(stored)).toEqual(ids([first, ...rest]));
        expect(stored[0].type).toBe('FirstHappened');
        expect(stored[0].data).toEqual(data);
        expect(stored[1].data).toEqual(rest[0].data);
        expectStrictlyIncreasing(positions(stored));
      });

      it('readStream from a revision returns that revision and the ones after it', async () => {
        const events = newEvents(3);
        await store.append(stream('a'), events, 'no_stream');

        const tail = await store.readStream(stream('a'), { fromRevision: 1 });

        expect(tail.map((event) => event.revision)).toEqual([1, 2]);
        expect(ids(tail)).toEqual(ids(events.slice(1)));
        expect(await store.readStream(stream('a'), { fromRevision: 3 })).toEqual([]);
        expect(await store.readStream(stream('never-written'), { fromRevision: 2 })).toEqual([]);
        expect(await store.readStream(stream('a'), { fromRevision: 0 })).toEqual(
          await store.readStream(stream('a')),
        );
      });

      it('readStream of a missing stream is empty', async () => {
        expect(await store.readStream(stream('never-written'))).toEqual([]);
      });

      it('global positions strictly increase across streams in append order', async () => {
        const results = [];
        for (const name of ['a', 'b', 'a', 'c', 'b']) {
          results.push(await store.append(stream(name), newEvents(2), 'any'));
        }

        expectStrictlyIncreasing(results.map((result) => result.position));
        const all = await store.readAll({ streamPrefix: prefix });
        expect(all).toHaveLength(10);
        expectStrictlyIncreasing(positions(all));
        expect(all[1].position).toBe(results[0].position);
        expect(all[9].position).toBe(results[4].position);
      });

      it('headPosition is at least the position of the last append', async () => {
        const result = await store.append(stream('a'), [newEvent()], 'no_stream');

        const head = await store.headPosition();

        expect(typeof head).toBe('bigint');
        expect(head >= result.position).toBe(true);
      });

      it('readAll filters by stream prefix, treats `after` as exclusive and honours `limit`', async () => {
        for (const name of ['a-1', 'b-1', 'a-2', 'a-1', 'b-2']) {
          await store.append(stream(name), newEvents(2), 'any');
        }

        const all = await store.readAll({ streamPrefix: prefix });
        const onlyA = await store.readAll({ streamPrefix: stream('a-') });
        const afterSecond = await store.readAll({ streamPrefix: prefix, after: all[1].position });
        const firstThree = await store.readAll({ streamPrefix: prefix, limit: 3 });
        const window = await store.readAll({
          streamPrefix: prefix,
          after: all[3].position,
          limit: 2,
        });

        expect(all).toHaveLength(10);
        expectStrictlyIncreasing(positions(all));
        expect(ids(onlyA)).toEqual(
          ids(all.filter((event) => event.streamId.startsWith(stream('a-')))),
        );
        expect(onlyA).toHaveLength(6);
        expect(ids(afterSecond)).toEqual(ids(all.slice(2)));
        expect(ids(firstThree)).toEqual(ids(all.slice(0, 3)));
        expect(ids(window)).toEqual(ids(all.slice(4, 6)));
        expect(await store.readAll({ streamPrefix: prefix, after: all[9].position })).toEqual([]);
      });
    });

    describe('metadata and the audit chain', () => {
      it('round-trips metadata and adds recordedAt', async () => {
        const metadata: EventMetadata = {
          eventId: uuidv7(),
          occurredAt: '2025-12-31T23:59:59.999Z',
          actor: { id: 'rep-7', role: 'sales' },
          correlationId: `correlation-${run}-x`,
          causationId: 'cause-1',
          schemaVersion: 3,
        };
        await store.append(stream('a'), [newEvent({ metadata })], 'no_stream');

        const [stored] = await store.readStream(stream('a'));

        expect(stored.metadata).toMatchObject(metadata);
        expect(stored.metadata.recordedAt).toMatch(
          /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
        );
        expect(stored.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
      });

      it('chains each stream from the genesis hash and the chain verifies', async () => {
        await store.append(stream('a'), [newEvent()], 'no_stream');
        await store.append(stream('b'), newEvents(2), 'no_stream');
        await store.append(stream('a'), newEvents(2), 0);
        await store.append(stream('a'), [newEvent()], 2);

        const stored = await store.readStream(stream('a'));

        expect(stored).toHaveLength(4);
        expect(stored[0].metadata.prevHash).toBe(genesisHash);
        for (let index = 1; index < stored.length; index += 1) {
          expect(stored[index].metadata.prevHash).toBe(stored[index - 1].metadata.hash);
        }
        expect(verifyChain(stored)).toEqual({ valid: true });
        expect(verifyChain(await store.readStream(stream('b')))).toEqual({ valid: true });
      });
    });

    describe('subscriptions', () => {
      let subscriptions: Subscription[] = [];
      const subscribe = (options: Parameters<EventStore['subscribe']>[0]): Subscription => {
        const subscription = store.subscribe(options);
        subscriptions.push(subscription);
        return subscription;
      };

      afterEach(async () => {
        await Promise.all(subscriptions.map((subscription) => subscription.close()));
        subscriptions = [];
      });

      it('delivers the backlog, resolves caughtUp, then delivers live events in order', async () => {
        const start = await store.headPosition();
        await store.append(stream('a'), newEvents(3), 'no_stream');
        await store.append(stream('b'), newEvents(2), 'no_stream');
        const got = collector();

        const subscription = subscribe({
          after: start,
          streamPrefix: prefix,
          onEvents: got.onEvents,
          onError: got.onError,
        });
        await subscription.caughtUp;
        const backlog = await store.readAll({ streamPrefix: prefix });
        expect(ids(got.received)).toEqual(ids(backlog));

        await store.append(stream('a'), newEvents(2), 2);
        await Promise.all([
          store.append(stream('c'), [newEvent()], 'no_stream'),
          store.append(stream('b'), [newEvent()], 1),
        ]);
        await got.waitFor(9);

        const all = await store.readAll({ streamPrefix: prefix });
        expect(ids(got.received)).toEqual(ids(all));
        expectStrictlyIncreasing(positions(got.received));
      });

      it('starts from the beginning of the log when `after` is omitted', async () => {
        await store.append(stream('a'), newEvents(2), 'no_stream');
        const got = collector();

        const subscription = subscribe({
          streamPrefix: prefix,
          onEvents: got.onEvents,
          onError: got.onError,
        });
        await subscription.caughtUp;

        expect(ids(got.received)).toEqual(ids(await store.readStream(stream('a'))));
      });

      it('delivers a backlog larger than one batch completely and in order', async () => {
        const start = await store.headPosition();
        for (let chunk = 0; chunk < 12; chunk += 1) {
          await store.append(stream(`s${chunk % 3}`), newEvents(100), 'any');
        }
        const got = collector();

        const subscription = subscribe({
          after: start,
          streamPrefix: prefix,
          onEvents: got.onEvents,
          onError: got.onError,
        });
        await subscription.caughtUp;

        expect(got.received).toHaveLength(1200);
        expect(ids(got.received)).toEqual(ids(await store.readAll({ streamPrefix: prefix })));
      });

      it('excludes `after` itself and streams outside the prefix', async () => {
        await store.append(stream('in-1'), newEvents(3), 'no_stream');
        await store.append(stream('out-1'), newEvents(2), 'no_stream');
        const [first] = await store.readStream(stream('in-1'));
        const got = collector();

        const subscription = subscribe({
          after: first.position,
          streamPrefix: stream('in-'),
          onEvents: got.onEvents,
          onError: got.onError,
        });
        await subscription.caughtUp;
        await store.append(stream('out-1'), [newEvent()], 1);
        await store.append(stream('in-2'), [newEvent()], 'no_stream');
        await got.waitFor(3);

        const expected = await store.readAll({
          streamPrefix: stream('in-'),
          after: first.position,
        });
        expect(ids(got.received)).toEqual(ids(expected));
        expect(got.received.every((event) => event.streamId.startsWith(stream('in-')))).toBe(true);
      });

      it('waits for each batch handler before delivering the next (back-pressure)', async () => {
        const start = await store.headPosition();
        const received: RecordedEvent[] = [];
        let inFlight = 0;
        let maxInFlight = 0;
        const done = collector();
        const subscription = subscribe({
          after: start,
          streamPrefix: prefix,
          onEvents: async (events) => {
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            // Yield to the event loop so further commits can land while this batch is in flight.
            await new Promise<void>((resolve) => setImmediate(resolve));
            await new Promise<void>((resolve) => setImmediate(resolve));
            received.push(...events);
            inFlight -= 1;
            done.onEvents(events);
          },
          onError: done.onError,
        });
        await subscription.caughtUp;

        for (let index = 0; index < 8; index += 1) {
          await store.append(stream('a'), [newEvent()], 'any');
        }
        await done.waitFor(8);

        expect(maxInFlight).toBe(1);
        expect(ids(received)).toEqual(ids(await store.readStream(stream('a'))));
      });

      it('close() stops delivery', async () => {
        const start = await store.headPosition();
        const first = collector();
        const closed = subscribe({
          after: start,
          streamPrefix: prefix,
          onEvents: first.onEvents,
          onError: first.onError,
        });
        await store.append(stream('a'), [newEvent()], 'no_stream');
        await first.waitFor(1);

        await closed.close();
        const second = collector();
        subscribe({
          after: start,
          streamPrefix: prefix,
          onEvents: second.onEvents,
          onError: second.onError,
        });
        await store.append(stream('a'), newEvents(2), 0);
        await second.waitFor(3);

        expect(first.received).toHaveLength(1);
      });

      it('a throwing handler stops the subscription and reports the error', async () => {
        const start = await store.headPosition();
        let calls = 0;
        let reportError!: (error: unknown) => void;
        const failed = new Promise<unknown>((resolve) => (reportError = resolve));
        const failing = subscribe({
          after: start,
          streamPrefix: prefix,
          onEvents: () => {
            calls += 1;
            throw new Error('projection failed');
          },
          onError: reportError,
        });
        await store.append(stream('a'), [newEvent()], 'no_stream');

        const error = await failed;
        const witness = collector();
        subscribe({
          after: start,
          streamPrefix: prefix,
          onEvents: witness.onEvents,
          onError: witness.onError,
        });
        await store.append(stream('a'), [newEvent()], 0);
        await witness.waitFor(2);

        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).toBe('projection failed');
        expect(calls).toBe(1);
        await failing.close();
      });
    });

    describe('concurrency', () => {
      it('takes 50 appends in flight on 50 distinct streams', async () => {
        const names = Array.from({ length: 50 }, (_, index) => stream(`s${index}`));

        const results = await Promise.all(
          names.map((name) => store.append(name, [newEvent()], 'no_stream')),
        );

        expect(results.every((result) => result.nextRevision === 0)).toBe(true);
        expect(new Set(results.map((result) => result.position)).size).toBe(50);
        const all = await store.readAll({ streamPrefix: prefix });
        expect(all.map((event) => event.streamId).sort()).toEqual([...names].sort());
      });

      it('lets exactly one of 20 concurrent appends with the same expected revision win', async () => {
        await store.append(stream('a'), [newEvent()], 'no_stream');
        const attempts = Array.from({ length: 20 }, () => newEvents(2));

        const outcomes = await Promise.allSettled(
          attempts.map((events) => store.append(stream('a'), events, 0)),
        );

        const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const losers = outcomes.flatMap((outcome) =>
          outcome.status === 'rejected' ? [outcome.reason] : [],
        );
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(19);
        for (const loser of losers) {
          expect(loser).toBeInstanceOf(RevisionConflict);
          expect(loser).toMatchObject({ streamId: stream('a'), expected: 0, actual: 2 });
        }
        const stored = await store.readStream(stream('a'));
        expect(stored.map((event) => event.revision)).toEqual([0, 1, 2]);
        const winner = attempts[outcomes.findIndex((outcome) => outcome.status === 'fulfilled')];
        expect(ids(stored.slice(1))).toEqual(ids(winner));
        expect(verifyChain(stored)).toEqual({ valid: true });
      });

      it("keeps revisions contiguous under 30 concurrent 'any' appends to one stream", async () => {
        const results = await Promise.all(
          Array.from({ length: 30 }, () => store.append(stream('a'), [newEvent()], 'any')),
        );

        expect(results.map((result) => result.nextRevision).sort((x, y) => x - y)).toEqual(
          Array.from({ length: 30 }, (_, index) => index),
        );
        const stored = await store.readStream(stream('a'));
        expect(stored).toHaveLength(30);
        expect(verifyChain(stored)).toEqual({ valid: true });
      });

      it('a failing append among concurrent ones does not undo the others', async () => {
        await store.append(stream('existing'), [newEvent()], 'no_stream');
        const good = Array.from({ length: 10 }, (_, index) => ({
          streamId: stream(`s${index}`),
          event: newEvent(),
        }));
        const bad = newEvent();

        const appendGood = ({ streamId, event }: (typeof good)[number]) =>
          store.append(streamId, [event], 'no_stream');
        const outcomes = await Promise.allSettled([
          ...good.slice(0, 5).map(appendGood),
          store.append(stream('existing'), [bad], 'no_stream'),
          ...good.slice(5).map(appendGood),
        ]);

        expect(outcomes.map((outcome) => outcome.status)).toEqual([
          ...Array.from({ length: 5 }, () => 'fulfilled'),
          'rejected',
          ...Array.from({ length: 5 }, () => 'fulfilled'),
        ]);
        expect(outcomes[5]).toMatchObject({ reason: expect.any(RevisionConflict) });
        for (const { streamId, event } of good) {
          expect(ids(await store.readStream(streamId))).toEqual([event.metadata.eventId]);
        }
        expect(ids(await store.readStream(stream('existing')))).not.toContain(bad.metadata.eventId);
        expect((await store.append(stream('existing'), [newEvent()], 0)).nextRevision).toBe(1);
      });
    });
  });
};
