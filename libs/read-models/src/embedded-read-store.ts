import { copyFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Aggregator, ProcessingMode, Query } from 'mingo';
import {
  type WalCheckpointer,
  checkpointOffTheLoop,
  prepareOwnerOnlyFile,
} from '@lead/event-store';
import {
  type Doc,
  type DocumentWrite,
  type Filter,
  type FindOptions,
  type Pipeline,
  type ReadCollection,
  ReadStore,
  decodePosition,
  encodePosition,
  positionField,
} from './read-store.port';

export type EmbeddedReadStoreOptions = {
  /** ':memory:' keeps everything in memory; otherwise a SQLite file */
  path: string;
  /**
   * A working copy (an as-of replay in a file): nothing is synced or journalled, since a crash
   * loses nothing of value, and the file is deleted when the store is closed.
   */
  scratch?: boolean;
};

type StoredDoc = Readonly<Doc>;

type PlannedWrite = { collection: string; id: string; doc: StoredDoc | null; json: string | null };

// Stages that only read their input documents. Any other stage ($set on a dotted path, $unset,
// $project exclusions, ...) makes mingo mutate nested objects in place, so those pipelines get
// cloned inputs instead of the stored (frozen) documents.
const readOnlyStages = new Set([
  '$match',
  '$group',
  '$sort',
  '$limit',
  '$skip',
  '$count',
  '$sortByCount',
  '$unwind',
]);

// mingo's $count answers [{ n: 0 }] for no input where MongoDB answers no document; MongoDB
// defines $count as this $group + $project, which behaves the same on both.
const mongoCount = (stage: Pipeline[number]): Pipeline[number] | Pipeline[number][] => {
  if (typeof stage.$count === 'string') {
    return [{ $group: { _id: null, [stage.$count]: { $sum: 1 } } }, { $project: { _id: 0 } }];
  }
  if (stage.$facet !== null && typeof stage.$facet === 'object') {
    const facets = Object.entries(stage.$facet as Record<string, Pipeline>);
    return {
      $facet: Object.fromEntries(
        facets.map(([name, facet]) => [name, mongoCompatiblePipeline(facet)]),
      ),
    };
  }
  return stage;
};

/** Rewrites the stages where mingo differs from MongoDB (also for a mingo-backed driver fake). */
export const mongoCompatiblePipeline = (pipeline: Pipeline): Pipeline =>
  pipeline.flatMap<Pipeline[number]>(mongoCount);

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
  }
  return value;
};

// Stored documents are JSON values; aggregation results may also hold Dates ($toDate).
const cloneValue = <T>(value: T): T => {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)
    return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) copy[key] = cloneValue(field);
  return copy as T;
};

// The work is synchronous; a promise executor turns a throw into a rejection, as callers expect.
const settle = <T>(work: () => T): Promise<T> => new Promise<T>((resolve) => resolve(work()));

/**
 * Read models without a server. Every collection lives in memory (Map id -> frozen document) and
 * is queried with mingo, so filters and pipelines are MongoDB syntax. With a file path, documents
 * and checkpoints are also persisted in SQLite and loaded on open; a commit writes the changed rows
 * and the checkpoint in one transaction before the in-memory state changes.
 */
export class EmbeddedReadStore extends ReadStore {
  private readonly collections = new Map<string, Map<string, StoredDoc>>();
  private readonly checkpoints = new Map<string, string>();
  private readonly db: Database.Database | null;
  private readonly persist: ((writes: PlannedWrite[], checkpoint: [string, string]) => void) | null;
  private readonly drop: ((checkpointName: string, collections: string[]) => void) | null;
  private readonly checkpointer: WalCheckpointer | null = null;
  private closed = false;
  private readonly scratchPath: string | null;

  constructor(options: EmbeddedReadStoreOptions) {
    super();
    this.scratchPath = options.scratch ? options.path : null;
    if (options.path === ':memory:') {
      this.db = null;
      this.persist = null;
      this.drop = null;
      return;
    }
    prepareOwnerOnlyFile(options.path);
    const db = new Database(options.path);
    this.db = db;
    if (options.scratch) {
      // every commit lands in the file itself, so a copy between commits is whole (copyTo)
      db.pragma('journal_mode = MEMORY');
      db.pragma('synchronous = OFF');
    } else {
      db.pragma('journal_mode = WAL');
      // overwritten and deleted documents (e.g. after a rebuild) leave no old bytes behind
      db.pragma('secure_delete = ON');
      // Read models are derived and rebuildable; NORMAL keeps each commit atomic, which is what
      // matters (documents and checkpoint together).
      db.pragma('synchronous = NORMAL');
      // the projector commits on the event loop; the checkpoints' fsyncs happen elsewhere
      this.checkpointer = checkpointOffTheLoop(db, options.path);
    }
    db.exec(`
      CREATE TABLE IF NOT EXISTS documents (
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (collection, id)
      );
      CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL);
    `);
    const upsertDoc = db.prepare(
      'INSERT INTO documents (collection, id, doc) VALUES (?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET doc = excluded.doc',
    );
    const deleteDoc = db.prepare('DELETE FROM documents WHERE collection = ? AND id = ?');
    const deleteCollection = db.prepare('DELETE FROM documents WHERE collection = ?');
    const upsertCheckpoint = db.prepare(
      'INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
    );
    const deleteCheckpoint = db.prepare('DELETE FROM checkpoints WHERE name = ?');
    this.persist = db.transaction((writes: PlannedWrite[], [name, position]: [string, string]) => {
      for (const write of writes) {
        if (write.json === null) deleteDoc.run(write.collection, write.id);
        else upsertDoc.run(write.collection, write.id, write.json);
      }
      upsertCheckpoint.run(name, position);
    });
    this.drop = db.transaction((checkpointName: string, collections: string[]) => {
      for (const collection of collections) deleteCollection.run(collection);
      deleteCheckpoint.run(checkpointName);
    });

    // rowid order keeps the in-memory insertion order close to the one before the restart
    const rows = db.prepare('SELECT collection, id, doc FROM documents ORDER BY rowid').all() as {
      collection: string;
      id: string;
      doc: string;
    }[];
    for (const row of rows)
      this.docs(row.collection).set(row.id, deepFreeze(JSON.parse(row.doc) as Doc));
    const checkpoints = db.prepare('SELECT name, position FROM checkpoints').all() as {
      name: string;
      position: string;
    }[];
    for (const row of checkpoints) this.checkpoints.set(row.name, row.position);
  }

  collection<T extends Doc = Doc>(name: string): ReadCollection<T> {
    return {
      find: (filter = {}, options = {}) => settle(() => this.find(name, filter, options) as T[]),
      findOne: (filter) =>
        settle(() => (this.find(name, filter, { limit: 1 })[0] as T | undefined) ?? null),
      count: (filter = {}) => settle(() => this.count(name, filter)),
      aggregate: <R = Record<string, unknown>>(pipeline: Pipeline) =>
        settle(() => this.aggregate(name, pipeline) as R[]),
    };
  }

  commit(checkpointName: string, checkpoint: bigint, writes: DocumentWrite[]): Promise<void> {
    return settle(() => this.commitNow(checkpointName, checkpoint, writes));
  }

  checkpoint(name: string): Promise<bigint | null> {
    return settle(() => {
      this.assertOpen();
      const stored = this.checkpoints.get(name);
      return stored === undefined ? null : decodePosition(stored);
    });
  }

  reset(checkpointName: string, collections: string[]): Promise<void> {
    return settle(() => {
      this.assertOpen();
      this.drop?.(checkpointName, collections);
      // the dropped documents' old pages leave the write-ahead log too
      this.db?.pragma('wal_checkpoint(TRUNCATE)');
      for (const collection of collections) this.collections.delete(collection);
      this.checkpoints.delete(checkpointName);
    });
  }

  /**
   * Copies a scratch store's file as it stands (between commits) to `path`: the read models at
   * this checkpoint, for a later store to start from (an as-of snapshot).
   */
  copyTo(path: string): void {
    this.assertOpen();
    if (!this.db || !this.scratchPath)
      throw new Error('only a scratch EmbeddedReadStore is copied');
    copyFileSync(this.scratchPath, path);
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.checkpointer?.close();
      this.db?.close();
      if (this.scratchPath) rmSync(this.scratchPath, { force: true });
      this.collections.clear();
      this.checkpoints.clear();
    }
  }

  private commitNow(checkpointName: string, checkpoint: bigint, writes: DocumentWrite[]): void {
    this.assertOpen();
    const planned = this.plan(writes);
    const encodedCheckpoint = encodePosition(checkpoint);
    const stored = this.checkpoints.get(checkpointName);
    // a re-delivered batch never moves the checkpoint backwards
    const nextCheckpoint =
      stored !== undefined && stored > encodedCheckpoint ? stored : encodedCheckpoint;
    this.persist?.(planned, [checkpointName, nextCheckpoint]);
    for (const write of planned) {
      if (write.doc === null) this.collections.get(write.collection)?.delete(write.id);
      else this.docs(write.collection).set(write.id, write.doc);
    }
    this.checkpoints.set(checkpointName, nextCheckpoint);
  }

  // Applies the position guard against the current state and earlier writes of the same batch;
  // serialising here also makes a non-JSON document fail the whole commit before anything changes.
  private plan(writes: DocumentWrite[]): PlannedWrite[] {
    const planned = new Map<string, PlannedWrite>();
    for (const write of writes) {
      const key = `${write.collection}\u0000${write.id}`;
      const current = planned.has(key)
        ? planned.get(key)!.doc
        : (this.collections.get(write.collection)?.get(write.id) ?? null);
      const position = encodePosition(write.position);
      const stored = current === null ? null : (current[positionField] as string);
      if (stored !== null && (write.replace ? stored > position : stored >= position)) continue;
      if (write.doc === null) {
        // deleting leaves no tombstone: an older write arriving after a delete recreates the doc
        if (current !== null)
          planned.set(key, { collection: write.collection, id: write.id, doc: null, json: null });
        continue;
      }
      const doc: Doc = { ...write.doc, _id: write.id, [positionField]: position };
      // stringify both validates (a bigint fails the commit) and is what a file store persists;
      // the document itself is kept as written, frozen, without a parse round trip
      const json = JSON.stringify(doc);
      planned.set(key, { collection: write.collection, id: write.id, doc: deepFreeze(doc), json });
    }
    return [...planned.values()];
  }

  private find(name: string, filter: Filter, options: FindOptions): Doc[] {
    this.assertOpen();
    const { docs, exact } = this.candidates(name, filter);
    const cursor = new Query(exact ? {} : filter, {}).find<Doc>(docs);
    if (options.sort) cursor.sort(options.sort);
    if (options.skip) cursor.skip(options.skip);
    if (options.limit) cursor.limit(options.limit);
    return cursor.all().map(cloneValue);
  }

  private count(name: string, filter: Filter): number {
    this.assertOpen();
    if (Object.keys(filter).length === 0) return this.collections.get(name)?.size ?? 0;
    const { docs, exact } = this.candidates(name, filter);
    const query = new Query(exact ? {} : filter, {});
    let matches = 0;
    for (const doc of docs) if (query.test(doc)) matches++;
    return matches;
  }

  private aggregate(name: string, pipeline: Pipeline): unknown[] {
    this.assertOpen();
    // judged before the rewrite: $count becomes $group + $project over fresh group documents
    const readOnly = pipeline.every((stage) =>
      Object.keys(stage).every((operator) => readOnlyStages.has(operator)),
    );
    pipeline = mongoCompatiblePipeline(pipeline);
    // the leading $match runs on the stored documents so only matches are cloned (if at all)
    const first = pipeline[0];
    const leadingMatch = first !== undefined && '$match' in first ? (first.$match as Filter) : null;
    const { docs, exact } = this.candidates(name, leadingMatch ?? {});
    const source =
      leadingMatch && !exact ? new Query(leadingMatch, {}).find<Doc>(docs).all() : docs;
    const rest = leadingMatch ? pipeline.slice(1) : pipeline;
    const aggregator = new Aggregator(rest, {
      processingMode: ProcessingMode.CLONE_OFF,
      // $lookup / $unionWith read the other collections of this store, as on MongoDB (copies,
      // because the joined documents flow on into stages that may write to them)
      collectionResolver: (other: string) =>
        [...(this.collections.get(other)?.values() ?? [])].map(cloneValue),
    });
    const input = readOnly ? source : Array.from(source, cloneValue);
    return aggregator.run(input).map(cloneValue);
  }

  // `_id` equality or `$in` (how the runner loads a batch) is answered from the Map directly;
  // `exact` says the filter needs no further evaluation (mingo's $in is a linear scan per doc).
  private candidates(name: string, filter: Filter): { docs: Iterable<Doc>; exact: boolean } {
    const docs = this.collections.get(name);
    if (!docs) return { docs: [], exact: true };
    const exact = Object.keys(filter).length === 1;
    const id = filter._id;
    if (typeof id === 'string') {
      const doc = docs.get(id);
      return { docs: doc ? [doc] : [], exact };
    }
    if (
      id !== null &&
      typeof id === 'object' &&
      !Array.isArray(id) &&
      Object.keys(id).length === 1
    ) {
      const ids = (id as Record<string, unknown>).$in;
      if (Array.isArray(ids) && ids.every((value): value is string => typeof value === 'string')) {
        const found: Doc[] = [];
        for (const value of new Set(ids)) {
          const doc = docs.get(value);
          if (doc) found.push(doc);
        }
        return { docs: found, exact };
      }
    }
    return { docs: docs.values(), exact: Object.keys(filter).length === 0 };
  }

  private docs(name: string): Map<string, StoredDoc> {
    let docs = this.collections.get(name);
    if (!docs) {
      docs = new Map();
      this.collections.set(name, docs);
    }
    return docs;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('EmbeddedReadStore is closed');
  }
}
