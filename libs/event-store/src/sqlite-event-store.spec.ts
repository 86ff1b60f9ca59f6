import Database from 'better-sqlite3';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChain } from './audit-chain';
import { eventStoreContract } from './event-store.contract';
import type { NewEvent, RecordedEvent } from './event-store.port';
import { EventIdConflict, SqliteEventStore } from './sqlite-event-store';

eventStoreContract('SqliteEventStore (:memory:)', () =>
  Promise.resolve(new SqliteEventStore({ path: ':memory:' })),
);

describe('SqliteEventStore on a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'event-store-contract-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Every test reopens the same file, so the suite also exercises reopening a used WAL store.
  eventStoreContract('SqliteEventStore (file, WAL)', () =>
    Promise.resolve(new SqliteEventStore({ path: join(dir, 'events.db') })),
  );
});

describe('SqliteEventStore', () => {
  const fixedNow = new Date('2026-03-01T10:00:00.000Z');
  let eventNumber = 0;
  let dir: string;
  let path: string;
  let store: SqliteEventStore | undefined;

  const eventId = (n: number): string => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  const newEvent = (data: Record<string, unknown> = {}): NewEvent => {
    eventNumber += 1;
    return {
      type: 'LeadEngaged',
      data: { leadId: 'lead-1', n: eventNumber, ...data },
      metadata: {
        eventId: eventId(eventNumber),
        occurredAt: '2026-02-01T08:00:00.000Z',
        actor: { id: 'user-1', role: 'marketing' },
        correlationId: 'correlation-1',
        causationId: null,
        schemaVersion: 1,
      },
    };
  };
  const newEvents = (count: number): NewEvent[] => Array.from({ length: count }, () => newEvent());
  const openStore = (options: { clock?: () => Date; path?: string } = {}): SqliteEventStore => {
    store = new SqliteEventStore({
      path: options.path ?? path,
      clock: options.clock ?? (() => fixedNow),
    });
    return store;
  };
  const rawCount = (streamId: string): number => {
    const raw = new Database(path, { readonly: true });
    try {
      return raw
        .prepare('SELECT count(*) FROM events WHERE stream_id = ?')
        .pluck()
        .get(streamId) as number;
    } finally {
      raw.close();
    }
  };
  const editRaw = (sql: string, ...params: unknown[]): void => {
    const raw = new Database(path);
    try {
      expect(raw.prepare(sql).run(...params).changes).toBe(1);
    } finally {
      raw.close();
    }
  };

  beforeEach(() => {
    eventNumber = 0;
    dir = mkdtempSync(join(tmpdir(), 'sqlite-event-store-'));
    path = join(dir, 'events.db');
  });

  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts empty: head position 0, first position 1, readAll without options reads everything', async () => {
    const events = openStore({ path: ':memory:' });
    expect(await events.headPosition()).toBe(0n);
    expect(await events.readAll()).toEqual([]);

    const first = await events.append('lead-a', [newEvent()], 'no_stream');
    await events.append('lead-b', newEvents(2), 'no_stream');

    expect(first.position).toBe(1n);
    expect(await events.headPosition()).toBe(3n);
    expect((await events.readAll()).map((event) => [event.streamId, event.position])).toEqual([
      ['lead-a', 1n],
      ['lead-b', 2n],
      ['lead-b', 3n],
    ]);
  });

  it('locates a stored event by its id, through the index of ids', async () => {
    const events = openStore({ path: ':memory:' });
    await events.append('lead-a', [newEvent()], 'no_stream');
    const [, second] = newEvents(2);
    await events.append('lead-b', [newEvent(), second], 'no_stream');

    expect(await events.locateEvent(second.metadata.eventId)).toEqual({
      streamId: 'lead-b',
      revision: 1,
      position: 3n,
    });
    expect(await events.locateEvent(eventId(999))).toBeNull();
  });

  it('takes recordedAt from the injected clock, once per append', async () => {
    let tick = 0;
    const events = openStore({ clock: () => new Date(Date.UTC(2026, 2, 1, 10, 0, tick++)) });

    await events.append('lead-a', newEvents(2), 'no_stream');
    await events.append('lead-a', [newEvent()], 1);

    const stored = await events.readStream('lead-a');
    expect(stored.map((event) => event.metadata.recordedAt)).toEqual([
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T10:00:01.000Z',
    ]);
  });

  it('keeps its data across close and reopen, and continues the stream and its chain', async () => {
    const first = openStore();
    await first.append('lead-a', newEvents(2), 'no_stream');
    const before = await first.readStream('lead-a');
    await first.close();

    const reopened = openStore();
    expect(await reopened.readStream('lead-a')).toEqual(before);
    const next = await reopened.append('lead-a', [newEvent()], 1);

    expect(next).toEqual({ nextRevision: 2, position: 3n });
    expect(verifyChain(await reopened.readStream('lead-a'))).toEqual({ valid: true });
  });

  it('uses a WAL journal on a file', () => {
    openStore();
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('acknowledges an append only once another connection can read it', async () => {
    const events = openStore();

    const pending = events.append('lead-a', [newEvent()], 'no_stream');
    expect(rawCount('lead-a')).toBe(0);
    await pending;

    expect(rawCount('lead-a')).toBe(1);
  });

  it("acknowledges an append only after its write-ahead log is fsync'd, off the event loop", async () => {
    const events = openStore();
    const steps: string[] = [];
    const open = fs.open.bind(fs);
    jest.spyOn(fs, 'open').mockImplementation(async (file, ...rest) => {
      const handle = await open(file, ...rest);
      const datasync = handle.datasync.bind(handle);
      handle.datasync = async () => {
        await datasync();
        steps.push(`synced ${String(file).endsWith('-wal') ? 'the log' : 'its directory'}`);
      };
      return handle;
    });

    await events.append('lead-a', [newEvent()], 'no_stream').then(() => steps.push('acknowledged'));
    jest.restoreAllMocks();

    expect(steps).toEqual(['synced its directory', 'synced the log', 'acknowledged']);
  });

  it('lets subscribers see an append only once it is on disk', async () => {
    const events = openStore();
    await events.append('lead-a', [newEvent()], 'no_stream');
    let releaseSync!: () => void;
    const syncHeld = new Promise<void>((resolve) => (releaseSync = resolve));
    const open = fs.open.bind(fs);
    jest.spyOn(fs, 'open').mockImplementation(async (...args) => {
      await syncHeld;
      return open(...args);
    });

    const appended = events.append('lead-a', [newEvent()], 0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(rawCount('lead-a')).toBe(2); // committed, not yet synced
    const received: RecordedEvent[] = [];
    let deliveredBoth!: () => void;
    const bothDelivered = new Promise<void>((resolve) => (deliveredBoth = resolve));
    const subscription = events.subscribe({
      onEvents: (batch) => {
        received.push(...batch);
        if (received.length === 2) deliveredBoth();
      },
    });
    await subscription.caughtUp;
    expect(received.map((event) => event.revision)).toEqual([0]);

    releaseSync();
    await appended;
    jest.restoreAllMocks();
    await bothDelivered;
    await subscription.close();
    expect(received.map((event) => event.revision)).toEqual([0, 1]);
  });

  it("delivers what another process appended, though this store's own appends wait for their sync", async () => {
    const events = openStore();
    const other = new SqliteEventStore({ path, clock: () => fixedNow });
    await other.append('lead-b', [newEvent()], 'no_stream');
    await other.close();

    const received: RecordedEvent[] = [];
    const subscription = events.subscribe({ onEvents: (batch) => void received.push(...batch) });
    await subscription.caughtUp;
    await subscription.close();

    expect(received.map((event) => event.streamId)).toEqual(['lead-b']);
  });

  it('flushes queued appends on close', async () => {
    const events = openStore();
    const pending = events.append('lead-a', newEvents(2), 'no_stream');

    await events.close();

    await expect(pending).resolves.toEqual({ nextRevision: 1, position: 2n });
    expect(rawCount('lead-a')).toBe(2);
    await expect(events.append('lead-a', [newEvent()], 1)).rejects.toThrow('closed');
  });

  it('commits appends issued in the same tick together: a live subscriber gets them as one batch', async () => {
    const events = openStore({ path: ':memory:' });
    const batches: RecordedEvent[][] = [];
    let delivered!: () => void;
    const done = new Promise<void>((resolve) => (delivered = resolve));
    const subscription = events.subscribe({
      onEvents: (batch) => {
        batches.push(batch);
        delivered();
      },
    });
    await subscription.caughtUp;

    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        events.append(`lead-${index}`, [newEvent()], 'no_stream'),
      ),
    );
    await done;

    expect(batches.map((batch) => batch.length)).toEqual([10]);
    await subscription.close();
  });

  it('rolls back only the append that fails half way through its writes', async () => {
    const events = openStore({ path: ':memory:' });
    const elsewhere = newEvent();
    await events.append('lead-other', [elsewhere], 'no_stream');
    const [before, after] = newEvents(2);

    // The bad append's first insert succeeds, its second hits the unique event id.
    const outcomes = await Promise.allSettled([
      events.append('lead-a', [before], 'no_stream'),
      events.append('lead-bad', [newEvent(), elsewhere], 'no_stream'),
      events.append('lead-b', [after], 'no_stream'),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(outcomes[1]).toMatchObject({ reason: expect.any(EventIdConflict) });
    expect(await events.readStream('lead-bad')).toEqual([]);
    expect((await events.readAll()).map((event) => event.streamId)).toEqual([
      'lead-other',
      'lead-a',
      'lead-b',
    ]);
    expect((await events.append('lead-bad', [newEvent()], 'no_stream')).nextRevision).toBe(0);
  });

  it('rejects every append of a batch that cannot commit, and recovers afterwards', async () => {
    store = new SqliteEventStore({ path, clock: () => fixedNow, busyTimeoutMs: 1 });
    const events = store;
    const blocker = new Database(path);
    blocker.exec('BEGIN IMMEDIATE');

    const outcomes = await Promise.allSettled([
      events.append('lead-a', [newEvent()], 'no_stream'),
      events.append('lead-b', [newEvent()], 'no_stream'),
    ]);
    blocker.exec('ROLLBACK');
    blocker.close();

    expect(outcomes).toMatchObject([
      { status: 'rejected', reason: { code: 'SQLITE_BUSY' } },
      { status: 'rejected', reason: { code: 'SQLITE_BUSY' } },
    ]);
    expect(await events.readAll()).toEqual([]);
    expect((await events.append('lead-a', [newEvent()], 'no_stream')).position).toBe(1n);
  });

  it('rejects caughtUp when the handler fails during catch-up', async () => {
    const events = openStore({ path: ':memory:' });
    await events.append('lead-a', newEvents(2), 'no_stream');
    const onError = jest.fn();

    const subscription = events.subscribe({
      onEvents: () => Promise.reject(new Error('projection failed')),
      onError,
    });

    await expect(subscription.caughtUp).rejects.toThrow('projection failed');
    expect(onError).toHaveBeenCalledTimes(1);
    await subscription.close();
  });

  it('closes live subscriptions when the store closes', async () => {
    const events = openStore({ path: ':memory:' });
    const onError = jest.fn();
    const subscription = events.subscribe({ onEvents: () => undefined, onError });
    await subscription.caughtUp;

    await events.close();

    await expect(subscription.close()).resolves.toBeUndefined();
    expect(onError).not.toHaveBeenCalled();
  });

  describe('event ids', () => {
    it('rejects a retry that resends only some of the stored events, and appends nothing', async () => {
      const events = openStore({ path: ':memory:' });
      const [stored, fresh] = newEvents(2);
      await events.append('lead-a', [stored], 'no_stream');

      const error = await events
        .append('lead-a', [stored, fresh], 'any')
        .catch((reason: unknown) => reason);

      expect(error).toBeInstanceOf(EventIdConflict);
      expect((error as EventIdConflict).message).toContain('1 of 2 event ids are already stored');
      expect(await events.readStream('lead-a')).toHaveLength(1);
      expect((await events.append('lead-a', [fresh], 0)).nextRevision).toBe(1);
    });

    it('rejects event ids already stored in another stream', async () => {
      const events = openStore({ path: ':memory:' });
      const event = newEvent();
      await events.append('lead-a', [event], 'no_stream');

      const error = await events
        .append('lead-b', [event], 'no_stream')
        .catch((reason: unknown) => reason);

      expect(error).toBeInstanceOf(EventIdConflict);
      expect((error as Error).message).toBe(
        `event ${event.metadata.eventId} is already stored in stream lead-a, not lead-b`,
      );
      expect(await events.readStream('lead-b')).toEqual([]);
    });

    it('rejects duplicate ids within one append', async () => {
      const events = openStore({ path: ':memory:' });
      const event = newEvent();

      await expect(events.append('lead-a', [event, event], 'no_stream')).rejects.toThrow(
        'distinct ids',
      );
      expect(await events.readStream('lead-a')).toEqual([]);
    });

    it('rejects an empty append and a negative expected revision', async () => {
      const events = openStore({ path: ':memory:' });

      await expect(events.append('lead-a', [], 'any')).rejects.toThrow('at least one event');
      await expect(events.append('lead-a', [newEvent()], -1)).rejects.toThrow(
        'non-negative integer',
      );
    });
  });

  describe('tampering', () => {
    const seed = async (): Promise<RecordedEvent[]> => {
      const events = openStore();
      await events.append('lead-a', newEvents(3), 'no_stream');
      await events.append('lead-b', [newEvent()], 'no_stream');
      const stored = await events.readStream('lead-a');
      await events.close();
      return stored;
    };

    it('an edited event breaks the chain at its revision', async () => {
      const stored = await seed();
      editRaw(
        `UPDATE events SET data = json_set(data, '$.campaignId', 'forged') WHERE stream_id = ? AND revision = 1`,
        'lead-a',
      );

      const events = openStore();
      const edited = await events.readStream('lead-a');

      expect(edited[1].data).toMatchObject({ campaignId: 'forged' });
      expect(verifyChain(edited)).toEqual({
        valid: false,
        brokenAt: {
          revision: 1,
          eventId: stored[1].metadata.eventId,
          reason: 'hash does not match the event content',
        },
      });
      expect(verifyChain(await events.readStream('lead-b'))).toEqual({ valid: true });
    });

    it('a deleted middle event is reported as a gap', async () => {
      const stored = await seed();
      editRaw('DELETE FROM events WHERE stream_id = ? AND revision = 1', 'lead-a');

      const events = openStore();

      expect(verifyChain(await events.readStream('lead-a'))).toEqual({
        valid: false,
        brokenAt: {
          revision: 1,
          eventId: stored[2].metadata.eventId,
          reason: 'revision 1 is missing',
        },
      });
    });
  });
});
