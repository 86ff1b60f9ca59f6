import { Aggregator, ProcessingMode, Query } from 'mingo';
import {
  type DocumentTable,
  HeapDocumentTable,
  type Condition,
  type ScanOrder,
  type PlannedWrite,
  type StoredDoc,
  SqliteDocumentTable,
} from './embedded-document-table';
import {
  type Doc,
  type DocumentWrite,
  type Filter,
  type FindOptions,
  type Pipeline,
  type ReadCollection,
  type ReadIndexSpec,
  ReadStore,
  decodePosition,
  encodePosition,
  positionField,
} from './read-store.port';
import { pick, pipelinePaths } from './pipeline-fields';

export type EmbeddedReadStoreOptions = {
  /** ':memory:' keeps everything in memory; otherwise a SQLite file */
  path: string;
  /**
   * A working copy (an as-of replay in a file): nothing is synced or journalled, since a crash
   * loses nothing of value, and the file is deleted when the store is closed.
   */
  scratch?: boolean;
  /** parsed documents a file-backed store keeps for lookups by id (default 10,000) */
  cacheSize?: number;
};

const defaultCacheSize = 10_000;

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

const onlyReads = (pipeline: Pipeline): boolean =>
  pipeline.every((stage) =>
    Object.entries(stage).every(
      ([operator, spec]) =>
        readOnlyStages.has(operator) ||
        (operator === '$facet' &&
          Object.values(spec as Record<string, Pipeline>).every((facet) => onlyReads(facet))),
    ),
  );

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

// Stored (frozen) documents are shared with the cache and other readers, so they are copied
// before they leave the store; a row parsed for this one read belongs to the caller already.
const owned = <T>(doc: T): T => (Object.isFrozen(doc) ? cloneValue(doc) : doc);

// Stages that read other collections: their input is collected before they run, because a
// SQLite connection cannot read another collection while a scan is open.
const joiningStages = new Set(['$lookup', '$unionWith', '$graphLookup']);
const joins = (pipeline: Pipeline): boolean =>
  pipeline.some((stage) =>
    Object.entries(stage).some(
      ([operator, spec]) =>
        joiningStages.has(operator) ||
        (operator === '$facet' &&
          Object.values(spec as Record<string, Pipeline>).some((facet) => joins(facet))),
    ),
  );

const comparisons = { $eq: '=', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;
// only names that can sit in a JSON path literal unquoted
const plainField = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Selection =
  /** these ids and no others can match */
  | { ids: string[]; exact: boolean }
  /** a scan of the rows that meet `conditions`; `exact`: all of them match */
  | { conditions: Condition[]; exact: boolean };

const scalar = (value: unknown): string | number | null =>
  typeof value === 'string' || typeof value === 'number'
    ? value
    : typeof value === 'boolean'
      ? Number(value)
      : null;

// Top-level equality and ranges on strings, numbers and booleans, which a SQLite table turns
// into conditions on the stored JSON so it parses only the rows that can match.
const conditionsOf = (filter: Filter): Condition[] =>
  Object.entries(filter).flatMap(([field, condition]): Condition[] => {
    if (!plainField.test(field)) return [];
    const operators =
      condition !== null && typeof condition === 'object' && !Array.isArray(condition)
        ? Object.entries(condition)
        : [['$eq', condition] as const];
    return operators.flatMap(([operator, operand]): Condition[] => {
      const op = comparisons[operator as keyof typeof comparisons];
      const value = scalar(operand);
      return op && value !== null ? [{ field, op, value }] : [];
    });
  });

// `_id` equality or `$in` (how the runner loads a batch) becomes lookups by id; anything else is
// a scan narrowed by `conditionsOf`. `exact` says the filter needs no further evaluation.
const select = (filter: Filter): Selection => {
  const exact = Object.keys(filter).length <= 1;
  const id = filter._id;
  if (typeof id === 'string') return { ids: [id], exact };
  const ids = id !== null && typeof id === 'object' ? (id as Record<string, unknown>).$in : null;
  if (
    Object.keys(id ?? {}).length === 1 &&
    Array.isArray(ids) &&
    ids.every((value): value is string => typeof value === 'string')
  )
    return { ids: [...new Set(ids)], exact };
  return { conditions: conditionsOf(filter), exact: Object.keys(filter).length === 0 };
};

// A sort on `_id` alone, or on a declared index's field (then `_id`, the same way) is the order
// of an index: the scan delivers it, so a page stops reading after its last document instead of
// sorting the collection.
const scanOrder = (sort: FindOptions['sort'], indexed: ReadonlySet<string>): ScanOrder => {
  const [first, second, ...more] = Object.entries(sort ?? {});
  if (!first || more.length > 0) return null;
  const [field, direction] = first;
  if (field === '_id') return second ? null : { field, direction };
  const thenById = !second || (second[0] === '_id' && second[1] === direction);
  return indexed.has(field) && thenById ? { field, direction } : null;
};

function* filtered<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
}

function* mapped<T, R>(items: Iterable<T>, map: (item: T) => R): Generator<R> {
  for (const item of items) yield map(item);
}

/**
 * Read models without a server, queried with mingo, so filters and pipelines are MongoDB syntax.
 * With a file path the documents and checkpoints live in SQLite and are read on demand (lookups
 * by id through a bounded cache, everything else as a stream of rows), so neither memory nor the
 * time to open grows with the data; a commit writes the changed rows and the checkpoint in one
 * transaction. ':memory:' keeps them in the heap.
 */
export class EmbeddedReadStore extends ReadStore {
  private readonly table: DocumentTable;
  // per collection, the fields declared indexed: one value each, never an array
  private readonly scalarFields = new Map<string, Set<string>>();
  private closed = false;

  constructor(options: EmbeddedReadStoreOptions) {
    super();
    this.table =
      options.path === ':memory:'
        ? new HeapDocumentTable()
        : new SqliteDocumentTable(
            options.path,
            options.cacheSize ?? defaultCacheSize,
            options.scratch,
          );
  }

  collection<T extends Doc = Doc>(name: string): ReadCollection<T> {
    return {
      find: (filter = {}, options = {}) => this.run(() => this.find(name, filter, options) as T[]),
      findOne: (filter) =>
        this.run(() => (this.find(name, filter, { limit: 1 })[0] as T | undefined) ?? null),
      count: (filter = {}) => this.run(() => this.count(name, filter)),
      aggregate: <R = Record<string, unknown>>(pipeline: Pipeline) =>
        this.run(() => this.aggregate(name, pipeline) as R[]),
    };
  }

  commit(checkpointName: string, checkpoint: bigint, writes: DocumentWrite[]): Promise<void> {
    return this.run(() => {
      const planned = this.plan(writes);
      const encodedCheckpoint = encodePosition(checkpoint);
      const stored = this.table.checkpoint(checkpointName);
      // a re-delivered batch never moves the checkpoint backwards
      const next = stored !== null && stored > encodedCheckpoint ? stored : encodedCheckpoint;
      this.table.write(planned, [checkpointName, next]);
    });
  }

  checkpoint(name: string): Promise<bigint | null> {
    return this.run(() => {
      const stored = this.table.checkpoint(name);
      return stored === null ? null : decodePosition(stored);
    });
  }

  ensureIndexes(specs: readonly ReadIndexSpec[]): Promise<void> {
    return this.run(() => {
      for (const { collection, key, unique } of specs) {
        // `id` is the primary key and ends every other index already
        const fields = Object.keys(key).filter((field) => field !== '_id');
        for (const name of [collection, ...fields])
          if (!plainField.test(name)) throw new Error(`not a plain name for an index: ${name}`);
        if (fields.length === 0) continue;
        this.table.index(collection, fields, unique === true && !('_id' in key));
        const scalars = this.scalarFields.get(collection) ?? new Set<string>();
        this.scalarFields.set(collection, scalars);
        for (const field of fields) scalars.add(field);
      }
    });
  }

  reset(checkpointName: string, collections: string[]): Promise<void> {
    return this.run(() => this.table.drop(checkpointName, collections));
  }

  /**
   * Copies a scratch store's file as it stands (between commits) to `path`: the read models at
   * this checkpoint, for a later store to start from (an as-of snapshot).
   */
  copyTo(path: string): void {
    if (this.closed) throw new Error('EmbeddedReadStore is closed');
    if (!(this.table instanceof SqliteDocumentTable))
      throw new Error('only a scratch EmbeddedReadStore is copied');
    this.table.copyTo(path);
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.table.close();
    }
  }

  // The work is synchronous; a promise executor turns a throw into a rejection, as callers expect.
  private run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve) => {
      if (this.closed) throw new Error('EmbeddedReadStore is closed');
      this.table.sync();
      resolve(work());
    });
  }

  // Applies the position guard against the stored positions and earlier writes of the same
  // batch; serialising here also makes a non-JSON document fail the whole commit before
  // anything changes.
  private plan(writes: DocumentWrite[]): PlannedWrite[] {
    const planned = new Map<string, PlannedWrite>();
    for (const write of writes) {
      const key = `${write.collection}\u0000${write.id}`;
      const earlier = planned.get(key);
      const stored = earlier ? earlier.position : this.table.position(write.collection, write.id);
      const position = encodePosition(write.position);
      if (stored !== null && (write.replace ? stored > position : stored >= position)) continue;
      if (write.doc === null) {
        // deleting leaves no tombstone: an older write arriving after a delete recreates the doc
        if (stored !== null) {
          const { collection, id } = write;
          planned.set(key, { collection, id, doc: null, json: null, position: null });
        }
        continue;
      }
      const doc: Doc = { ...write.doc, _id: write.id, [positionField]: position };
      for (const field of this.scalarFields.get(write.collection) ?? [])
        if (Array.isArray(doc[field]))
          throw new Error(`${write.collection}.${field} is indexed as one value, not an array`);
      // stringify both validates (a bigint fails the commit) and is what a file store persists;
      const json = JSON.stringify(doc);
      planned.set(key, {
        collection: write.collection,
        id: write.id,
        doc,
        json,
        position,
      });
    }
    return [...planned.values()];
  }

  private find(name: string, filter: Filter, options: FindOptions): Doc[] {
    const selection = select(filter);
    const order = scanOrder(options.sort, this.scalarFields.get(name) ?? new Set());
    const page = (docs: Iterable<StoredDoc>, sorted: boolean): Doc[] => {
      if (options.sort && !sorted) {
        const cursor = new Query(selection.exact ? {} : filter, {}).find<Doc>(docs);
        cursor.sort(options.sort);
        if (options.skip) cursor.skip(options.skip);
        if (options.limit) cursor.limit(options.limit);
        return cursor.all().map(owned);
      }
      // mingo's limit filters its whole input; a page in scan order stops reading instead
      const query = selection.exact ? null : new Query(filter, {});
      const found: Doc[] = [];
      let skip = options.skip ?? 0;
      for (const doc of docs) {
        if (query && !query.test(doc)) continue;
        if (skip > 0) skip--;
        else if (found.push(owned(doc)) === options.limit) break;
      }
      return found;
    };
    if ('ids' in selection) return page(this.table.lookUp(name, selection.ids), false);
    return this.table.scan(name, selection.conditions, order, (docs) => page(docs, order !== null));
  }

  private count(name: string, filter: Filter): number {
    const selection = select(filter);
    if (Object.keys(filter).length === 0) return this.table.count(name);
    const counted = (docs: Iterable<StoredDoc>): number => {
      const query = new Query(selection.exact ? {} : filter, {});
      let matches = 0;
      for (const doc of docs) if (query.test(doc)) matches++;
      return matches;
    };
    if ('ids' in selection) return counted(this.table.lookUp(name, selection.ids));
    return this.table.scan(name, selection.conditions, null, counted);
  }

  private aggregate(name: string, pipeline: Pipeline): unknown[] {
    // judged before the rewrite: $count becomes $group + $project over fresh group documents
    const readOnly = onlyReads(pipeline);
    const joining = joins(pipeline);
    // a $facet runs each of its pipelines over the whole input: that input is collected (cut to
    // the fields they read), within the scan unless a facet joins another collection
    const collecting = joining || pipeline.some((stage) => '$facet' in stage);
    pipeline = mongoCompatiblePipeline(pipeline);
    // the leading $match selects the stored documents, so only matches are cloned (if at all)
    const first = pipeline[0];
    const leadingMatch = first !== undefined && '$match' in first ? (first.$match as Filter) : null;
    const selection = select(leadingMatch ?? {});
    const rest = leadingMatch ? pipeline.slice(1) : pipeline;
    const aggregator = new Aggregator(rest, {
      processingMode: ProcessingMode.CLONE_OFF,
      // $lookup / $unionWith read the other collections of this store, as on MongoDB (copies,
      // because the joined documents flow on into stages that may write to them)
      collectionResolver: (other: string) =>
        this.table.scan(other, [], null, (docs) => Array.from(docs, cloneValue)),
    });
    // mingo's $group holds all its input: documents cut to the fields the pipeline reads keep
    // that small when they are streamed from the file
    const paths = pipelinePaths(rest);
    const prepared = (doc: StoredDoc): Doc => {
      if (!paths) return readOnly ? doc : owned(doc);
      const picked = pick(doc, paths);
      return readOnly || !Object.isFrozen(doc) ? picked : cloneValue(picked);
    };
    const run = (docs: Iterable<StoredDoc>): unknown[] => {
      const query = leadingMatch && !selection.exact ? new Query(leadingMatch, {}) : null;
      const matched = query ? filtered(docs, (doc) => query.test(doc)) : docs;
      const input = readOnly && !paths ? matched : mapped(matched, prepared);
      return aggregator.run(collecting ? Array.from(input) : input).map(cloneValue);
    };
    if ('ids' in selection) return run(this.table.lookUp(name, selection.ids));
    if (!joining) return this.table.scan(name, selection.conditions, null, run);
    return run(this.table.scan(name, selection.conditions, null, (docs) => Array.from(docs)));
  }
}
