import { createHash } from 'node:crypto';
import { leadStreamPrefix } from '@lead/domain';
import {
  type EventStore,
  type RecordedEvent,
  type Subscription,
  describeFailure,
  isStorageFailure,
  readAllBatches,
} from '@lead/event-store';
import { type DeadLetterDoc, deadLettersCollection, parkedEventWrite } from './dead-letters';
import { type Projection, personalDataFor } from './projection';
import {
  type Doc,
  type DocumentWrite,
  type ReadStore,
  decodePosition,
  positionField,
} from './read-store.port';

/** The checkpoint the projector runs under (plus `projections.versions`, see `versionsCheckpoint`). */
export const projectionsCheckpoint = 'projections';

// Holds a fingerprint of the projections' names, versions and collections (not a position), so a
// runner can tell that the read models were built by other code and must be rebuilt.
export const versionsCheckpoint = (checkpointName: string): string => `${checkpointName}.versions`;

export const projectionsFingerprint = (projections: readonly Projection[]): bigint => {
  const description = projections
    .map((projection) => `${projection.name}@${projection.version}:${projection.collection}`)
    .sort()
    .join('\n');
  // 56 bits: plenty to tell versions apart, and stored like any position
  return BigInt(`0x${createHash('sha256').update(description).digest('hex').slice(0, 14)}`);
};

export type ProjectOptions = {
  /** default 'projections' */
  checkpointName?: string;
  /** default 'lead-' */
  streamPrefix?: string;
  /** stamps parked events (`parkedAt`); default the system clock */
  now?: () => Date;
};

/**
 * A document while events are folded into it: as loaded (null: none), the position of the last
 * event it has seen (-1n: none), whether it was stored before and whether an event changed it.
 */
export type DocumentSlot = { doc: Doc | null; position: bigint; stored: boolean; changed: boolean };
export type DocumentSlots = Map<Projection, Map<string, DocumentSlot>>;
/** An event a projection could not route (`documentId` null) or apply. */
export type ParkEvent = (
  projection: Projection,
  documentId: string | null,
  event: RecordedEvent,
  error: unknown,
) => void;

export const emptySlot = (): DocumentSlot => ({
  doc: null,
  position: -1n,
  stored: false,
  changed: false,
});

const assertDistinct = (projections: readonly Projection[]): void => {
  const names = new Set(projections.map((projection) => projection.name));
  const collections = new Set(projections.map((projection) => projection.collection));
  if (names.size !== projections.length) throw new Error('projection names must be distinct');
  // two projections writing one collection would overwrite each other's documents
  if (collections.size !== projections.length)
    throw new Error('each projection needs its own collection');
  if (collections.has(deadLettersCollection))
    throw new Error(
      `the ${deadLettersCollection} collection holds parked events, not a projection`,
    );
};

/**
 * The one fold from events to documents, shared by the projector, rebuild, as-of replays and
 * retryParked: routes each event (`documentId`), asks `documents` for the slots of the documents
 * the batch touches, then applies the events in order, skipping every event a document has already
 * seen (position <= its position) and every document `documents` did not provide. A projection
 * that throws parks the event (`park`) and leaves the document as it was before that event; the
 * document's later events still apply, and other projections apply the event as usual.
 */
export const foldEvents = async (
  projections: readonly Projection[],
  events: readonly RecordedEvent[],
  documents: (touched: Map<Projection, Set<string>>) => Promise<DocumentSlots> | DocumentSlots,
  park: ParkEvent,
): Promise<DocumentSlots> => {
  // Plain loops over one flat array (event-major, null: not routed): this runs for every event
  // of a catch-up, where per-event arrays and closures showed up in the profile.
  const count = projections.length;
  const routes: (string | null)[] = new Array<string | null>(events.length * count).fill(null);
  const touched = new Map<Projection, Set<string>>();
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index];
    for (let which = 0; which < count; which += 1) {
      const projection = projections[which];
      let id: string | null;
      try {
        id = projection.documentId(event);
      } catch (error) {
        park(projection, null, event, error);
        continue;
      }
      if (id === null) continue;
      routes[index * count + which] = id;
      const ids = touched.get(projection);
      if (ids) ids.add(id);
      else touched.set(projection, new Set([id]));
    }
  }
  const slots = await documents(touched);
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index];
    for (let which = 0; which < count; which += 1) {
      const id = routes[index * count + which];
      if (id === null) continue;
      const projection = projections[which];
      const slot = slots.get(projection)?.get(id);
      if (!slot || event.position <= slot.position) continue;
      let next: Doc | null;
      try {
        next = projection.apply(slot.doc, event);
      } catch (error) {
        park(projection, id, event, error);
        continue;
      }
      // a document that already carries its id needs no copy: the spread would keep every key
      // where it is, so the stored JSON is the same
      slot.doc = next === null || next._id === id ? next : { ...next, _id: id };
      slot.position = event.position;
      slot.changed = true;
    }
  }
  return slots;
};

/**
 * The projector's step: folds a batch into the documents it touches, loaded from the read store
 * (one `$in` query per collection), and returns the writes, so a re-delivered batch changes
 * nothing. A parked event becomes a write to `dead_letters` in the same batch; `retryParked`
 * repairs the documents after a fix.
 */
export const projectEvents = async (
  readStore: ReadStore,
  projections: readonly Projection[],
  events: readonly RecordedEvent[],
  options: Pick<ProjectOptions, 'now'> = {},
): Promise<DocumentWrite[]> => {
  const parked: DocumentWrite[] = [];
  let parkedAt: string | null = null;
  const park: ParkEvent = (projection, id, event, error) => {
    parkedAt ??= (options.now ?? (() => new Date()))().toISOString();
    parked.push(parkedEventWrite(projection, id, event, error, parkedAt));
  };
  const load = async (touched: Map<Projection, Set<string>>): Promise<DocumentSlots> => {
    const slots: DocumentSlots = new Map();
    for (const [projection, ids] of touched) {
      const loaded = await readStore
        .collection(projection.collection)
        .find({ _id: { $in: [...ids] } });
      const byId = new Map<string, DocumentSlot>([...ids].map((id) => [id, emptySlot()]));
      for (const { [positionField]: position, ...doc } of loaded) {
        byId.set(doc._id, {
          doc,
          position: decodePosition(position as string),
          stored: true,
          changed: false,
        });
      }
      slots.set(projection, byId);
    }
    return slots;
  };
  const slots = await foldEvents(projections, events, load, park);

  const writes: DocumentWrite[] = [];
  for (const [projection, byId] of slots) {
    for (const [id, slot] of byId) {
      // a document created and deleted within the batch never reaches the store
      if (!slot.changed || (slot.doc === null && !slot.stored)) continue;
      writes.push({
        collection: projection.collection,
        id,
        doc: slot.doc,
        position: slot.position,
      });
    }
  }
  return [...writes, ...parked];
};

/**
 * Projects a finite list of events (e.g. the log up to an as-of point, into an in-memory store)
 * through the same code as the live runner, and commits them with the last event's position.
 */
export const replayInto = async (
  readStore: ReadStore,
  events: readonly RecordedEvent[],
  projections: readonly Projection[],
  options: Pick<ProjectOptions, 'checkpointName' | 'now'> = {},
): Promise<void> => {
  assertDistinct(projections);
  const last = events.at(-1);
  if (!last) return;
  const writes = await projectEvents(readStore, projections, events, options);
  await readStore.commit(options.checkpointName ?? projectionsCheckpoint, last.position, writes);
};

// Drops the collections and checkpoint, then records which projection versions own the store.
// Their parked events go too: replaying the log parks whatever still fails.
const resetProjections = async (
  readStore: ReadStore,
  projections: readonly Projection[],
  checkpointName: string,
): Promise<void> => {
  await readStore.reset(
    checkpointName,
    projections.map((projection) => projection.collection),
  );
  await readStore.reset(versionsCheckpoint(checkpointName), []);
  const parked = await readStore
    .collection<DeadLetterDoc>(deadLettersCollection)
    .find({ projection: { $in: projections.map((projection) => projection.name) } });
  await readStore.commit(
    versionsCheckpoint(checkpointName),
    projectionsFingerprint(projections),
    parked.map((letter) => ({
      collection: deadLettersCollection,
      id: letter._id,
      doc: null,
      position: decodePosition(letter[positionField] as string),
      replace: true,
    })),
  );
};

/**
 * Rebuilds the read models from scratch: resets the collections and checkpoint, then replays the
 * log up to its head. Run it with the projector stopped (the CLI's rebuild command).
 * Returns the position of the last event projected (0n for an empty log).
 */
export const rebuild = async (
  readStore: ReadStore,
  eventStore: EventStore,
  projections: readonly Projection[],
  options: ProjectOptions & {
    batchSize?: number;
    /** after each committed batch: its last position and the events projected so far (progress) */
    onBatch?: (position: bigint, events: number) => void;
  } = {},
): Promise<bigint> => {
  assertDistinct(projections);
  const checkpointName = options.checkpointName ?? projectionsCheckpoint;
  const streamPrefix = options.streamPrefix ?? leadStreamPrefix;
  const batchSize = options.batchSize ?? 1_000;
  await resetProjections(readStore, projections, checkpointName);
  let after = 0n;
  let projected = 0;
  const personalData = personalDataFor(projections);
  for await (const events of readAllBatches(eventStore, {
    streamPrefix,
    batchSize,
    personalData,
  })) {
    const writes = await projectEvents(readStore, projections, events, options);
    after = events.at(-1)!.position;
    await readStore.commit(checkpointName, after, writes);
    projected += events.length;
    options.onBatch?.(after, projected);
  }
  return after;
};

export type ProjectionRunnerOptions = ProjectOptions & {
  readStore: ReadStore;
  eventStore: EventStore;
  projections: readonly Projection[];
  /**
   * A batch the read store cannot store for now (a storage failure: full disk, I/O error, server
   * gone) is retried after firstDelayMs, doubling up to maxDelayMs; default 100 ms → 30 s.
   */
  retry?: { firstDelayMs?: number; maxDelayMs?: number };
  /** the backoff timer; default setTimeout (tests pass their own) */
  wait?: (ms: number) => Promise<void>;
  /** each failed attempt at storing a batch, before its backoff */
  onRetry?: (error: unknown, attempts: number, delayMs: number) => void;
  /** any other failure stops the runner; the host decides what to do (log, health check, exit) */
  onError?: (error: unknown) => void;
  /** an event parked in dead_letters (the runner moved on); default: a console warning */
  onParked?: (parked: DeadLetterDoc) => void;
};

type Waiter = { position: bigint; settle: (reached: boolean) => void };

/** Whether the projector is retrying a batch the read store refused, since when and why. */
export type ProjectorHealth =
  { failing: false } | { failing: true; since: string; error: string; attempts: number };

const unrefTimer = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * The projector: a catch-up subscription on the lead streams from the stored checkpoint. Each
 * delivered batch becomes one `commit` (documents + checkpoint), so after a crash the runner
 * resumes from the checkpoint and the position guard absorbs anything delivered twice.
 *
 * All projections of one runner share one checkpoint (`projections` by default) and one
 * versions fingerprint (`projections.versions`); when the fingerprint differs at start (a
 * projection was added, removed or got a new version), the runner rebuilds their collections.
 */
export class ProjectionRunner {
  private readonly checkpointName: string;
  private readonly streamPrefix: string;
  private subscription: Subscription | null = null;
  private committed = 0n;
  private failure: { error: unknown } | null = null;
  private failing: Extract<ProjectorHealth, { failing: true }> | null = null;
  private failedWrites = 0;
  private stopping = false;
  // ends the current backoff early (stop) or lets start() resolve while retrying
  private interruptBackoff: (() => void) | null = null;
  private stalled: (() => void) | null = null;
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly options: ProjectionRunnerOptions) {
    assertDistinct(options.projections);
    this.checkpointName = options.checkpointName ?? projectionsCheckpoint;
    this.streamPrefix = options.streamPrefix ?? leadStreamPrefix;
  }

  /**
   * Subscribes from the checkpoint; resolves once the backlog has been projected, or as soon as
   * the read store refuses a batch (the runner keeps retrying; `health()` says why), so a full
   * read store never keeps the service from starting.
   */
  async start(): Promise<void> {
    if (this.subscription) throw new Error('the projection runner is already running');
    const { readStore, eventStore, projections } = this.options;
    this.failure = null;
    this.stopping = false;
    const fingerprint = await readStore.checkpoint(versionsCheckpoint(this.checkpointName));
    if (fingerprint !== projectionsFingerprint(projections)) {
      await resetProjections(readStore, projections, this.checkpointName);
    }
    const checkpoint = await readStore.checkpoint(this.checkpointName);
    this.committed = checkpoint ?? 0n;
    this.subscription = eventStore.subscribe({
      after: checkpoint ?? undefined,
      streamPrefix: this.streamPrefix,
      personalData: personalDataFor(projections),
      onEvents: (events) => this.project(events),
      onError: (error) => this.fail(error),
    });
    await Promise.race([
      this.subscription.caughtUp,
      new Promise<void>((resolve) => (this.stalled = resolve)),
    ]);
    this.stalled = null;
    // set by the subscription's onError while we awaited (TypeScript cannot see that)
    const failure = this.failure as { error: unknown } | null;
    if (failure) {
      await this.stop();
      throw failure.error;
    }
  }

  health(): ProjectorHealth {
    return this.failing ?? { failing: false };
  }

  /** failed attempts at storing a batch since the runner was created (a counter) */
  writeFailures(): number {
    return this.failedWrites;
  }

  /** The position of the last committed batch (the checkpoint). */
  position(): bigint {
    return this.committed;
  }

  /**
   * Resolves true as soon as the runner has committed `position` or later (for
   * `consistentWith`), false after `timeoutMs` or when the runner stops or fails first.
   */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.committed >= position) return Promise.resolve(true);
    if (this.failure) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => waiter.settle(false), timeoutMs);
      const waiter: Waiter = {
        position,
        settle: (reached) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      this.waiters.add(waiter);
    });
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    this.stopping = true;
    this.interruptBackoff?.();
    await subscription?.close();
    for (const waiter of [...this.waiters]) waiter.settle(false);
  }

  // The subscription waits while a batch is retried, so the runner resumes from its checkpoint
  // with nothing skipped; the batch is projected afresh each time (nothing of it was stored).
  private async project(events: RecordedEvent[]): Promise<void> {
    const last = events.at(-1);
    if (!last) return;
    for (let attempts = 1; ; attempts += 1) {
      try {
        await this.store(events, last.position);
        return;
      } catch (error) {
        if (!isStorageFailure(error) || this.stopping) throw error;
        await this.backOff(error, attempts);
        if (this.stopping) return;
      }
    }
  }

  private async backOff(error: unknown, attempts: number): Promise<void> {
    const { retry = {}, wait = unrefTimer, onRetry, now = () => new Date() } = this.options;
    const firstDelayMs = retry.firstDelayMs ?? 100;
    const delayMs = Math.min(firstDelayMs * 2 ** (attempts - 1), retry.maxDelayMs ?? 30_000);
    this.failedWrites += 1;
    this.failing = {
      failing: true,
      since: this.failing?.since ?? now().toISOString(),
      error: describeFailure(error),
      attempts,
    };
    onRetry?.(error, attempts, delayMs);
    this.stalled?.();
    await new Promise<void>((resolve) => {
      this.interruptBackoff = resolve;
      void wait(delayMs).then(resolve);
    });
    this.interruptBackoff = null;
  }

  private async store(events: RecordedEvent[], position: bigint): Promise<void> {
    const { readStore, projections, now, onParked } = this.options;
    const writes = await projectEvents(readStore, projections, events, { now });
    await readStore.commit(this.checkpointName, position, writes);
    this.failing = null;
    for (const write of writes) {
      if (write.collection !== deadLettersCollection || write.doc === null) continue;
      const parked = write.doc as DeadLetterDoc;
      if (onParked) onParked(parked);
      else
        console.warn(
          `projection ${parked.projection} parked event ${parked.eventId} at position ${parked.position}: ${parked.error}`,
        );
    }
    if (position > this.committed) this.committed = position;
    for (const waiter of [...this.waiters])
      if (waiter.position <= this.committed) waiter.settle(true);
  }

  private fail(error: unknown): void {
    this.failure = { error };
    for (const waiter of [...this.waiters]) waiter.settle(false);
    if (this.options.onError) this.options.onError(error);
    // never fail silently: without a handler the error at least reaches the log
    else console.error('projection runner stopped', error);
  }
}
