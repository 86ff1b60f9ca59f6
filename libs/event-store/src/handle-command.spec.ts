import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  RevisionConflict,
  type NewEvent,
  type RecordedEvent,
  type StoredEvent,
} from './event-store.port';
import {
  derivedEventId,
  handleCommand,
  type CommandOptions,
  type Evolution,
} from './handle-command';
import { SqliteEventStore } from './sqlite-event-store';

// A tiny counter "domain": each command appends Incremented unless the counter is closed.
type Counter = { value: number; closed: boolean };
const counter: Evolution<StoredEvent, Counter> = {
  initialState: { value: 0, closed: false },
  evolve: (state, event) =>
    event.type === 'Closed' ? { ...state, closed: true } : { ...state, value: state.value + 1 },
};
const foldCounter = (events: RecordedEvent[]): Counter =>
  events.reduce(counter.evolve, counter.initialState);
const increment = (state: Counter) => {
  if (state.closed) throw new Error('closed');
  return [{ type: 'Incremented', data: { to: state.value + 1 } }];
};
const options = (overrides: Partial<CommandOptions> = {}): CommandOptions => ({
  actor: { id: 'user-1', role: 'marketing' },
  correlationId: 'corr-1',
  causationId: null,
  occurredAt: '2026-01-05T09:00:00.000Z',
  ...overrides,
});

describe.each([
  ['a fold of the whole stream', foldCounter],
  ['initialState + evolve (state kept between commands)', counter],
])('handleCommand with %s', (_, fold) => {
  let dir: string;
  let store: SqliteEventStore;
  const stream = () => `lead-${uuidv7()}`;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'handle-command-'));
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads, folds, decides and appends with metadata', async () => {
    const id = stream();
    expect(await handleCommand(store, id, fold, increment, options())).toMatchObject({
      revision: 0,
      replayed: false,
    });
    const result = await handleCommand(
      store,
      id,
      fold,
      increment,
      options({ correlationId: 'corr-2' }),
    );
    expect(result.revision).toBe(1);
    const events = await store.readStream(id);
    expect(events.map((e) => e.data)).toEqual([{ to: 1 }, { to: 2 }]);
    expect(events[1].metadata).toMatchObject({
      actor: { id: 'user-1', role: 'marketing' },
      correlationId: 'corr-2',
      causationId: null,
      occurredAt: '2026-01-05T09:00:00.000Z',
      schemaVersion: 1,
    });
  });

  it('an Idempotency-Key retry returns the first result and appends nothing, even after the state moved on', async () => {
    const id = stream();
    const first = await handleCommand(store, id, fold, increment, options({ idempotencyKey: 'k' }));
    await handleCommand(store, id, fold, increment, options());
    const retry = await handleCommand(store, id, fold, increment, options({ idempotencyKey: 'k' }));
    expect(retry).toEqual({ ...first, replayed: true });
    expect(await store.readStream(id)).toHaveLength(2);
    expect((await store.readStream(id))[0].metadata.eventId).toBe(derivedEventId('k', 0));
  });

  it('records onBehalfOf in metadata when given, and leaves it out otherwise', async () => {
    const id = stream();
    const rep = { id: 'rep-ana', role: 'sales' };
    await handleCommand(store, id, fold, increment, options({ onBehalfOf: rep }));
    await handleCommand(store, id, fold, increment, options());
    const [imported, direct] = await store.readStream(id);
    expect(imported.metadata).toMatchObject({ actor: options().actor, onBehalfOf: rep });
    expect(direct.metadata).not.toHaveProperty('onBehalfOf');
  });

  it('a stale expected revision (If-Match) is a conflict and is never retried', async () => {
    const id = stream();
    await handleCommand(store, id, fold, increment, options());
    await expect(
      handleCommand(store, id, fold, increment, options({ expectedRevision: 5 })),
    ).rejects.toBeInstanceOf(RevisionConflict);
    expect(await store.readStream(id)).toHaveLength(1);
  });

  it('concurrent commands on one stream all succeed, one at a time', async () => {
    const id = stream();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => handleCommand(store, id, fold, increment, options())),
    );
    expect(results.map((r) => r.revision).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
    expect((await store.readStream(id)).map((e) => e.data)).toEqual(
      Array.from({ length: 20 }, (_, i) => ({ to: i + 1 })),
    );
  });

  it('conflicts with another process (a second connection) are re-read and re-decided', async () => {
    const other = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    try {
      const id = stream();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          handleCommand(i % 2 ? other : store, id, fold, increment, options()),
        ),
      );
      expect(new Set(results.map((r) => r.revision)).size).toBe(12);
      expect((await store.readStream(id)).map((e) => e.data)).toEqual(
        Array.from({ length: 12 }, (_, i) => ({ to: i + 1 })),
      );
    } finally {
      await other.close();
    }
  });

  it("the decision's refusal reaches the caller and appends nothing", async () => {
    const id = stream();
    await store.append(
      id,
      [
        {
          type: 'Closed',
          data: {},
          metadata: { ...options(), eventId: uuidv7(), schemaVersion: 1 },
        },
      ],
      'no_stream',
    );
    await expect(handleCommand(store, id, fold, increment, options())).rejects.toThrow('closed');
    expect(await store.readStream(id)).toHaveLength(1);
  });

  it('a command that starts its stream (presumeNew) appends without reading it', async () => {
    const id = stream();
    const reads = jest.spyOn(store, 'readStream');

    const result = await handleCommand(store, id, fold, increment, options({ presumeNew: true }));

    expect(result).toMatchObject({ revision: 0, replayed: false });
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
    expect((await store.readStream(id)).map((e) => e.data)).toEqual([{ to: 1 }]);
  });

  it('a stream presumed new that exists is read, and the command decided on what it holds', async () => {
    const id = stream();
    await handleCommand(store, id, fold, increment, options());
    const closedId = stream();
    await store.append(
      closedId,
      [
        {
          type: 'Closed',
          data: {},
          metadata: { ...options(), eventId: uuidv7(), schemaVersion: 1 },
        },
      ],
      'no_stream',
    );

    const result = await handleCommand(
      store,
      id,
      fold,
      increment,
      options({ presumeNew: true, maxAttempts: 1 }),
    );

    expect(result.revision).toBe(1);
    await expect(
      handleCommand(store, closedId, fold, increment, options({ presumeNew: true })),
    ).rejects.toThrow('closed');
    expect((await store.readStream(id)).map((e) => e.data)).toEqual([{ to: 1 }, { to: 2 }]);
    expect(await store.readStream(closedId)).toHaveLength(1);
  });
});

describe('handleCommand keeping states (initialState + evolve)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let other: SqliteEventStore;
  const stream = () => `lead-${uuidv7()}`;
  const closed = (): NewEvent => ({
    type: 'Closed',
    data: {},
    metadata: { ...options(), eventId: uuidv7(), schemaVersion: 1 },
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'handle-command-states-'));
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    // another process writing the same file
    other = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await other.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a stream once, then folds each command’s events into the state it kept', async () => {
    const id = stream();
    const reads = jest.spyOn(store, 'readStream');

    for (let i = 0; i < 3; i++) await handleCommand(store, id, counter, increment, options());

    expect(reads).toHaveBeenCalledTimes(1);
    expect((await store.readStream(id)).map((e) => e.data)).toEqual([
      { to: 1 },
      { to: 2 },
      { to: 3 },
    ]);
  });

  it('finds an Idempotency-Key replay by its derived event ids, without reading the stream', async () => {
    const id = stream();
    const first = await handleCommand(
      store,
      id,
      counter,
      increment,
      options({ idempotencyKey: 'a' }),
    );
    await handleCommand(store, id, counter, increment, options({ idempotencyKey: 'b' }));
    const reads = jest.spyOn(store, 'readStream');

    const retry = await handleCommand(
      store,
      id,
      counter,
      increment,
      options({ idempotencyKey: 'a' }),
    );
    const next = await handleCommand(
      store,
      id,
      counter,
      increment,
      options({ idempotencyKey: 'c' }),
    );

    expect(retry).toEqual({ ...first, replayed: true });
    expect(next).toMatchObject({ revision: 2, replayed: false });
    expect(reads).not.toHaveBeenCalled();
    expect((await store.readStream(id)).map((e) => e.data)).toEqual([
      { to: 1 },
      { to: 2 },
      { to: 3 },
    ]);
  });

  it('replays a key another process used on the stream, though its kept state is stale', async () => {
    const id = stream();
    await handleCommand(store, id, counter, increment, options());
    const first = await handleCommand(
      other,
      id,
      foldCounter,
      increment,
      options({ idempotencyKey: 'k' }),
    );

    const retry = await handleCommand(
      store,
      id,
      counter,
      increment,
      options({ idempotencyKey: 'k' }),
    );

    expect(retry).toEqual({ ...first, replayed: true });
    expect(await store.readStream(id)).toHaveLength(2);
  });

  it('re-reads when another process moved the stream on, without spending an attempt', async () => {
    const id = stream();
    await handleCommand(store, id, counter, increment, options());
    await handleCommand(other, id, foldCounter, increment, options());

    const result = await handleCommand(store, id, counter, increment, options({ maxAttempts: 1 }));

    expect(result.revision).toBe(2);
    expect((await store.readStream(id)).map((e) => e.data)).toEqual([
      { to: 1 },
      { to: 2 },
      { to: 3 },
    ]);
  });

  it('checks If-Match against the stream, not against a stale kept state', async () => {
    const id = stream();
    await handleCommand(store, id, counter, increment, options());
    await handleCommand(other, id, foldCounter, increment, options());

    const result = await handleCommand(
      store,
      id,
      counter,
      increment,
      options({ expectedRevision: 1 }),
    );

    expect(result.revision).toBe(2);
  });

  it('refuses on what the stream holds: a refusal is decided again on a fresh read', async () => {
    const id = stream();
    await handleCommand(store, id, counter, increment, options());
    await other.append(id, [closed()], 0);

    await expect(handleCommand(store, id, counter, increment, options())).rejects.toThrow('closed');
    expect(await store.readStream(id)).toHaveLength(2);
  });

  it('keeps the fresh state a refusal was decided on, so the next command reads nothing', async () => {
    const id = stream();
    await handleCommand(store, id, counter, increment, options());
    const refuse = () => {
      throw new Error('nothing to do');
    };
    await expect(handleCommand(store, id, counter, refuse, options())).rejects.toThrow(
      'nothing to do',
    );
    const reads = jest.spyOn(store, 'readStream');

    expect((await handleCommand(store, id, counter, increment, options())).revision).toBe(1);
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
  });

  it('keeps state per evolution: another fold of the same stream never gets this one', async () => {
    const id = stream();
    await handleCommand(store, id, counter, increment, options());
    // the same events folded into another shape, e.g. a runner that keeps more than the decider
    const tally: Evolution<StoredEvent, { count: number }> = {
      initialState: { count: 0 },
      evolve: (state) => ({ count: state.count + 1 }),
    };
    const seen: unknown[] = [];
    await handleCommand(
      store,
      id,
      tally,
      (state) => {
        seen.push(state);
        return [{ type: 'Incremented', data: { to: state.count + 1 } }];
      },
      options(),
    );
    expect(seen).toEqual([{ count: 1 }]);
    expect((await handleCommand(store, id, counter, increment, options())).revision).toBe(2);
  });

  it('forgets the state of a stream whose append failed', async () => {
    const id = stream();
    await handleCommand(store, id, counter, increment, options());
    const append = jest.spyOn(store, 'append').mockRejectedValueOnce(new Error('disk on fire'));
    await expect(handleCommand(store, id, counter, increment, options())).rejects.toThrow(
      'disk on fire',
    );
    append.mockRestore();
    const reads = jest.spyOn(store, 'readStream');

    expect((await handleCommand(store, id, counter, increment, options())).revision).toBe(1);
    expect(reads).toHaveBeenCalledTimes(1);
  });
});

describe('derivedEventId', () => {
  it('is the UUIDv5 of key#index in the idempotency namespace, for any key', () => {
    const namespace = '6f1c1a52-5d0b-4f43-9a8e-3d1f5b0c2e77';
    for (const key of [
      'k',
      'user-1\nCaptureLead\nlead-1\ncrm-1',
      'é ü 日本 🎉',
      '',
      'x'.repeat(300),
    ])
      for (const index of [0, 1, 7])
        expect(derivedEventId(key, index)).toBe(uuidv5(`${key}#${index}`, namespace));
  });
});
