import Database from 'better-sqlite3';
import { prepareOwnerOnlyFile } from './owner-only-file';
import { chainHash, genesisHash } from './audit-chain';
import { GroupCommit, type Outcome } from './group-commit';
import { WalSync } from './wal-sync';
import { type WalCheckpointer, checkpointOffTheLoop } from './wal-checkpointer';
import { isStorageFailure } from './storage-failure';
import { appendInputError } from './adapter-rules';
import {
  EventStore,
  RevisionConflict,
  type AppendResult,
  type EventLocation,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from './event-store.port';

export type SqliteEventStoreOptions = {
  /** a file path, or ':memory:' */
  path: string;
  /** gives recordedAt; inject a fixed clock in tests */
  clock?: () => Date;
  /** how long to wait for another connection's write lock, in ms */
  busyTimeoutMs?: number;
  /** a reading handle on an existing log (the as-of workers): appends fail */
  readonly?: boolean;
};

// Event ids are unique store-wide; a retry must resend exactly the events it sent before.
export class EventIdConflict extends Error {
  readonly code = 'event_id_conflict';
  constructor(message: string) {
    super(message);
    this.name = 'EventIdConflict';
  }
}

// rows as arrays (`raw()`): no object per row while a projector catches up
type EventRow = [
  position: number,
  streamId: string,
  revision: number,
  type: string,
  data: string,
  metadata: string,
];
type StreamHead = { revision: number; hash: string };
type StoredId = { stream_id: string; revision: number; position: number };

type PendingAppend = { streamId: string; events: NewEvent[]; expected: ExpectedRevision };

const catchUpBatchSize = 500;

const schema = `
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY,
    stream_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    UNIQUE (stream_id, revision)
  );
  CREATE TABLE IF NOT EXISTS streams (
    stream_id TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    hash TEXT NOT NULL
  ) WITHOUT ROWID;
`;

const selectEvent = 'SELECT position, stream_id, revision, type, data, metadata FROM events';

const toRecorded = ([
  position,
  streamId,
  revision,
  type,
  data,
  metadata,
]: EventRow): RecordedEvent => ({
  streamId,
  revision,
  position: BigInt(position),
  type,
  data: JSON.parse(data) as RecordedEvent['data'],
  metadata: JSON.parse(metadata) as RecordedEvent['metadata'],
});

const revisionMatches = (expected: ExpectedRevision, head: StreamHead | undefined): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return head === undefined;
    case 'stream_exists':
      return head !== undefined;
    default:
      return head !== undefined && head.revision === expected;
  }
};

// Reads are synchronous in better-sqlite3; a failure (e.g. a closed store) becomes a rejection.
const promised = <T>(read: () => T): Promise<T> => new Promise<T>((resolve) => resolve(read()));

// By code, not by class: the native addon keeps the first SqliteError class it was given, so
// under jest (a module registry and realm per test file) a later file fails any instanceof check.
const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';

const prepareStatements = (db: Database.Database) => ({
  head: db.prepare<[string], StreamHead>('SELECT revision, hash FROM streams WHERE stream_id = ?'),
  insertEvent: db.prepare<[string, number, string, string, string, string]>(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  ),
  insertStream: db.prepare<[string, number, string]>(
    'INSERT INTO streams (stream_id, revision, hash) VALUES (?, ?, ?)',
  ),
  updateStream: db.prepare<[number, string, string]>(
    'UPDATE streams SET revision = ?, hash = ? WHERE stream_id = ?',
  ),
  storedId: db.prepare<[string], StoredId>(
    'SELECT stream_id, revision, position FROM events WHERE event_id = ?',
  ),
  readStream: db
    .prepare<[string, number], EventRow>(
      `${selectEvent} WHERE stream_id = ? AND revision >= ? ORDER BY revision`,
    )
    .raw(),
  // LIMIT -1 means no limit in SQLite.
  readAll: db
    .prepare<[bigint, number], EventRow>(
      `${selectEvent} WHERE position > ? ORDER BY position LIMIT ?`,
    )
    .raw(),
  readAllPrefix: db
    .prepare<{ after: bigint; prefix: string; limit: number }, EventRow>(
      `${selectEvent} WHERE position > @after AND substr(stream_id, 1, length(@prefix)) = @prefix ORDER BY position LIMIT @limit`,
    )
    .raw(),
  // Subscriptions see only what is on disk (committed and synced), never a commit still syncing.
  readDurable: db
    .prepare<{ after: bigint; upTo: number; prefix: string; limit: number }, EventRow>(
      `${selectEvent} WHERE position > @after AND position <= @upTo AND substr(stream_id, 1, length(@prefix)) = @prefix ORDER BY position LIMIT @limit`,
    )
    .raw(),
  headPosition: db.prepare<[], number>('SELECT coalesce(max(position), 0) FROM events').pluck(),
});

/**
 * The embedded event log. Appends issued in the same tick are committed together in one
 * transaction, each inside its own savepoint, so one append's failure never undoes another's, and
 * no promise resolves before that COMMIT is fsync'd. The fsync runs off the event loop (WalSync),
 * so requests keep being served and batched while the disk works.
 */
export class SqliteEventStore extends EventStore {
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly commits: GroupCommit<PendingAppend, AppendResult>;
  private readonly insertTransaction: (
    append: PendingAppend,
    head: StreamHead | undefined,
  ) => AppendResult;
  private readonly listeners = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();
  /**
   * The first position of each of this store's batches that is committed but not yet synced,
   * oldest first: subscribers see nothing from the oldest on (other processes' commits before it
   * are theirs to sync, as they were before this store's). Batches sync in commit order.
   */
  private readonly syncing: number[] = [];
  private batchStart = 0;
  private closing: Promise<void> | null = null;
  private readonly checkpointer: WalCheckpointer | null;

  constructor(options: SqliteEventStoreOptions) {
    super();
    this.clock = options.clock ?? (() => new Date());
    const readonly = options.readonly ?? false;
    if (!readonly) prepareOwnerOnlyFile(options.path);
    this.db = new Database(options.path, {
      timeout: options.busyTimeoutMs ?? 5_000,
      readonly,
      fileMustExist: readonly,
    });
    if (!readonly) {
      this.db.pragma('journal_mode = WAL');
      // NORMAL + WalSync = FULL's guarantee (an acknowledged append survives power loss) with the
      // fsync on the thread pool instead of inside COMMIT on the event loop.
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(schema);
    }
    // appends commit on the event loop; the checkpoints' fsyncs happen elsewhere (a checkpoint
    // syncs the WAL before it copies, so what WalSync has not synced yet is safe too)
    this.checkpointer =
      readonly || options.path === ':memory:' ? null : checkpointOffTheLoop(this.db, options.path);
    const sync = new WalSync(options.path === ':memory:' ? null : options.path);

    this.statements = prepareStatements(this.db);

    // Nested better-sqlite3 transactions are savepoints: a failing append rolls back only itself.
    this.insertTransaction = this.db.transaction(
      (append: PendingAppend, head: StreamHead | undefined) => this.insertEvents(append, head),
    );
    this.commits = new GroupCommit(
      this.db,
      (batch: PendingAppend[]) => {
        this.batchStart = (this.statements.headPosition.get() ?? 0) + 1;
        return batch.map((append) => this.applyAppend(append));
      },
      sync,
      {
        committed: () => this.syncing.push(this.batchStart),
        synced: () => {
          this.syncing.shift();
          for (const listener of this.listeners) listener();
        },
      },
    );
  }

  override append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (this.closing) return Promise.reject(new Error('the event store is closed'));
    const invalid = appendInputError(streamId, events, expected);
    if (invalid !== null) return Promise.reject(new Error(invalid));
    return this.commits.submit({ streamId, events: [...events], expected });
  }

  override readStream<E extends StoredEvent = StoredEvent>(
    streamId: string,
    { fromRevision = 0 }: ReadStreamOptions = {},
  ): Promise<RecordedEvent<E>[]> {
    return promised(
      () =>
        this.statements.readStream
          .all(streamId, fromRevision)
          .map(toRecorded) as RecordedEvent<E>[],
    );
  }

  override readAll<E extends StoredEvent = StoredEvent>(
    options: ReadAllOptions = {},
  ): Promise<RecordedEvent<E>[]> {
    return promised(() => this.readAllNow(options) as RecordedEvent<E>[]);
  }

  override locateEvent(eventId: string): Promise<EventLocation | null> {
    return promised(() => {
      const stored = this.statements.storedId.get(eventId);
      return stored
        ? {
            streamId: stored.stream_id,
            revision: stored.revision,
            position: BigInt(stored.position),
          }
        : null;
    });
  }

  override headPosition(): Promise<bigint> {
    return promised(() => BigInt(this.statements.headPosition.get() ?? 0));
  }

  override subscribe(options: SubscribeOptions): Subscription {
    if (this.closing) throw new Error('the event store is closed');
    const { streamPrefix, onEvents, onError } = options;
    // The backlog is everything committed now; appends still queued count as live events.
    const backlogEnd = BigInt(
      Math.min(this.statements.headPosition.get() ?? 0, this.visibleUpTo()),
    );
    let after = options.after ?? 0n;
    let stopped = false;
    let changed = false;
    let wake: (() => void) | null = null;
    let markCaughtUp!: () => void;
    let failCaughtUp!: (error: unknown) => void;
    const caughtUp = new Promise<void>((resolve, reject) => {
      markCaughtUp = resolve;
      failCaughtUp = reject;
    });
    // A failure is reported through onError; nobody has to await caughtUp to avoid a crash.
    caughtUp.catch(() => undefined);
    const listener = (): void => {
      changed = true;
      wake?.();
    };
    this.listeners.add(listener);

    const run = async (): Promise<void> => {
      // Never call the handler before subscribe() has returned.
      await Promise.resolve();
      while (!stopped) {
        changed = false;
        const batch = this.statements.readDurable
          .all({
            after,
            upTo: this.visibleUpTo(),
            prefix: streamPrefix ?? '',
            limit: catchUpBatchSize,
          })
          .map(toRecorded);
        if (batch.length > 0) {
          await onEvents(batch);
          after = batch[batch.length - 1].position;
        }
        if (batch.length < catchUpBatchSize || after >= backlogEnd) markCaughtUp();
        if (batch.length < catchUpBatchSize && !changed && !stopped) {
          // Nothing new: sleep until the next commit (or close) wakes us. No polling.
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
      }
    };

    const running = run()
      .catch((error: unknown) => {
        stopped = true;
        failCaughtUp(error);
        onError?.(error);
      })
      .finally(() => {
        this.listeners.delete(listener);
        // Closed before catching up: nothing more will be delivered, so release the waiters.
        markCaughtUp();
      });

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

  override close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    await this.commits.drain();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.checkpointer?.close();
    this.db.close();
  }

  /** the last position a subscriber may see: none of this store's commits still syncing */
  private visibleUpTo(): number {
    return this.syncing.length > 0 ? this.syncing[0] - 1 : Number.MAX_SAFE_INTEGER;
  }

  private readAllNow({ after = 0n, streamPrefix, limit = -1 }: ReadAllOptions): RecordedEvent[] {
    const rows =
      streamPrefix === undefined || streamPrefix === ''
        ? this.statements.readAll.all(after, limit)
        : this.statements.readAllPrefix.all({ after, prefix: streamPrefix, limit });
    return rows.map(toRecorded);
  }

  // Runs inside the flush transaction; only the writes need their own savepoint.
  private applyAppend(append: PendingAppend): Outcome<AppendResult> {
    const { streamId, events, expected } = append;
    try {
      const head = this.statements.head.get(streamId);
      if (!revisionMatches(expected, head)) {
        const original = this.findStored(streamId, events);
        if (original) return { ok: true, result: original };
        throw new RevisionConflict(streamId, expected, head ? head.revision : 'no_stream');
      }
      try {
        // One event: its insert is the first write and fails whole, so it needs no savepoint.
        const result =
          append.events.length === 1
            ? this.insertEvents(append, head)
            : this.insertTransaction(append, head);
        return { ok: true, result };
      } catch (error) {
        // Checked only on failure so the common path does no extra lookups.
        const original = isUniqueViolation(error) ? this.findStored(streamId, events) : undefined;
        if (original) return { ok: true, result: original };
        throw error;
      }
    } catch (error) {
      // SQLite rolls back the whole transaction on a full disk or an I/O error, savepoints and
      // all: fail the batch with that error instead of carrying on outside any transaction
      if (isStorageFailure(error)) throw error;
      return { ok: false, error };
    }
  }

  private insertEvents(
    { streamId, events }: PendingAppend,
    head: StreamHead | undefined,
  ): AppendResult {
    const recordedAt = this.clock().toISOString();
    let revision = head ? head.revision : -1;
    let prevHash = head ? head.hash : genesisHash;
    let position = 0;
    for (const event of events) {
      revision += 1;
      const { metadata: given } = event;
      const hash = chainHash(prevHash, {
        eventId: given.eventId,
        type: event.type,
        data: event.data,
        occurredAt: given.occurredAt,
        actor: given.actor,
      });
      const metadata = { ...given, recordedAt, prevHash, hash };
      const inserted = this.statements.insertEvent.run(
        streamId,
        revision,
        given.eventId,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(metadata),
      );
      position = Number(inserted.lastInsertRowid);
      prevHash = hash;
    }
    if (head) this.statements.updateStream.run(revision, prevHash, streamId);
    else this.statements.insertStream.run(streamId, revision, prevHash);
    return { nextRevision: revision, position: BigInt(position) };
  }

  // A retry: every id already stored in this stream returns the original result.
  private findStored(streamId: string, events: readonly NewEvent[]): AppendResult | undefined {
    let found = 0;
    let last: StoredId | undefined;
    for (const event of events) {
      const stored = this.statements.storedId.get(event.metadata.eventId);
      if (!stored) continue;
      if (stored.stream_id !== streamId) {
        throw new EventIdConflict(
          `event ${event.metadata.eventId} is already stored in stream ${stored.stream_id}, not ${streamId}`,
        );
      }
      found += 1;
      if (!last || stored.position > last.position) last = stored;
    }
    if (!last) return undefined;
    if (found < events.length) {
      throw new EventIdConflict(
        `stream ${streamId}: ${found} of ${events.length} event ids are already stored; a retry must resend exactly the same events`,
      );
    }
    return { nextRevision: last.revision, position: BigInt(last.position) };
  }
}
