import {
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
  type AnyBulkWriteOperation,
  type Db,
  type Filter as MongoFilter,
  type WriteError,
} from 'mongodb';
import { redactConnectionString } from '@lead/event-store';
import { Aggregator } from 'mingo';
import { mongoCompatiblePipeline } from './embedded-read-store';
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

export type MongoReadStoreOptions = {
  /** how long `connect` (and every later operation) waits to find a server, in ms */
  serverSelectionTimeoutMs?: number;
};

export type CollectionBulkOps = { collection: string; operations: AnyBulkWriteOperation<Doc>[] };

export type CheckpointDocument = { _id: string; position: string };

export const checkpointsCollection = 'checkpoints';

const duplicateKey = 11000;
const namespaceNotFound = 26;

/**
 * Matches the stored document only while it is older than `position` (or was never positioned),
 * so a replayed write changes nothing; a `replace` (repair) write also matches the same position.
 */
export const positionGuard = (id: string, position: bigint, replace = false): Doc => ({
  _id: id,
  $or: [
    { [positionField]: { [replace ? '$lte' : '$lt']: encodePosition(position) } },
    { [positionField]: { $exists: false } },
  ],
});

/** The stored form, exactly as the embedded store keeps it: JSON values plus `_id` and `_position`. */
export const storedDocument = (write: DocumentWrite & { doc: Doc }): Doc =>
  JSON.parse(
    JSON.stringify({
      ...write.doc,
      _id: write.id,
      [positionField]: encodePosition(write.position),
    }),
  ) as Doc;

/**
 * One unordered bulk per collection. Several writes to one document in a batch collapse to the
 * newest (the first of equal positions, as the embedded store keeps it): unordered operations
 * may run in any order, and only the newest can survive the guard anyway.
 */
export const buildBulkOps = (writes: readonly DocumentWrite[]): CollectionBulkOps[] => {
  const newest = new Map<string, Map<string, DocumentWrite>>();
  for (const write of writes) {
    let byId = newest.get(write.collection);
    if (!byId) {
      byId = new Map();
      newest.set(write.collection, byId);
    }
    const current = byId.get(write.id);
    // as the embedded store applies them in order: a repair of the same position comes after
    const newer =
      !current ||
      write.position > current.position ||
      (write.replace === true && write.position === current.position);
    if (newer) byId.set(write.id, write);
  }
  return [...newest].map(([collection, byId]) => ({
    collection,
    operations: [...byId.values()].map((write): AnyBulkWriteOperation<Doc> => {
      const filter = positionGuard(write.id, write.position, write.replace) as MongoFilter<Doc>;
      return write.doc === null
        ? { deleteOne: { filter } }
        : {
            replaceOne: {
              filter,
              replacement: storedDocument({ ...write, doc: write.doc }),
              upsert: true,
            },
          };
    }),
  }));
};

const guardOf = (operation: AnyBulkWriteOperation<Doc> | undefined): MongoFilter<Doc> | null =>
  operation !== undefined && 'replaceOne' in operation ? operation.replaceOne.filter : null;

const writeErrorsOf = (error: MongoBulkWriteError): WriteError[] =>
  Array.isArray(error.writeErrors)
    ? [...(error.writeErrors as WriteError[])]
    : [error.writeErrors as WriteError];

// The bulk result keeps only the message of a write error, which names the index.
const isIdConflict = (writeError: WriteError): boolean =>
  writeError.code === duplicateKey && /index: _id_ /.test(writeError.errmsg ?? '');

/**
 * True when every failure of an unordered bulk is a guarded upsert losing to a newer stored
 * document: the filter matched nothing (the stored `_position` is newer), so the upsert tried to
 * insert an `_id` that exists. Anything else (another code, a unique query index, a write concern
 * error) is a real failure.
 */
export const onlyStaleWriteConflicts = (error: unknown): boolean =>
  conflictsToConfirm(error)?.length === 0;

// FerretDB's duplicate-key message names no index ("E11000 duplicate key error collection: db.c"),
// so the message alone cannot tell the guard's conflict from a unique query index there.
const namesNoIndex = (writeError: WriteError): boolean =>
  writeError.code === duplicateKey && !/ index: /.test(writeError.errmsg ?? '');

/**
 * The bulk operations (by index) whose duplicate-key conflict names no index and must be
 * confirmed by reading the stored document; [] when every failure is a stale `_id` conflict; null
 * when any failure is something else.
 */
export const conflictsToConfirm = (error: unknown): number[] | null => {
  if (!(error instanceof MongoBulkWriteError) || error.err !== undefined) return null;
  const writeErrors = writeErrorsOf(error);
  if (writeErrors.length === 0) return null;
  if (!writeErrors.every((writeError) => isIdConflict(writeError) || namesNoIndex(writeError)))
    return null;
  return writeErrors.filter(namesNoIndex).map((writeError) => writeError.index);
};

/** `$max` on the zero-padded string never moves a checkpoint backwards. */
export const checkpointUpdate = (name: string, position: bigint) => ({
  filter: { _id: name },
  update: { $max: { position: encodePosition(position) } },
});

export const decodeCheckpoint = (document: CheckpointDocument | null): bigint | null =>
  document === null ? null : decodePosition(document.position);

export const isNamespaceNotFound = (error: unknown): boolean =>
  error instanceof MongoServerError && error.code === namespaceNotFound;

/** `$lookup` / `$unionWith` sources anywhere in a pipeline (sub-pipelines and facets included) */
export const joinedCollections = (pipeline: Pipeline): string[] => {
  const found = new Set<string>();
  const visit = (stages: Pipeline): void => {
    for (const stage of stages) {
      const lookup = stage.$lookup as { from?: string; pipeline?: Pipeline } | undefined;
      if (lookup?.from) found.add(lookup.from);
      if (lookup?.pipeline) visit(lookup.pipeline);
      const union = stage.$unionWith as string | { coll: string; pipeline?: Pipeline } | undefined;
      if (typeof union === 'string') found.add(union);
      else if (union) {
        found.add(union.coll);
        if (union.pipeline) visit(union.pipeline);
      }
      const facets = stage.$facet as Record<string, Pipeline> | undefined;
      if (facets) Object.values(facets).forEach(visit);
    }
  };
  visit(pipeline);
  return [...found];
};

export type MongoEngine = 'mongodb' | 'ferretdb';

const findOptions = ({ sort, skip, limit }: FindOptions) => ({
  ...(sort ? { sort } : {}),
  ...(skip ? { skip } : {}),
  ...(limit ? { limit } : {}),
});

/**
 * Read models on MongoDB. Queries and pipelines are passed through unchanged (they are MongoDB
 * syntax already). A commit writes the documents first, one unordered bulk per collection, then
 * the checkpoint: after a crash in between, the projection replays from the old checkpoint and
 * the `_position` guard makes the replay harmless.
 */
export class MongoReadStore extends ReadStore {
  private readonly db: Db;

  constructor(
    private readonly client: MongoClient,
    dbName: string,
    readonly engine: MongoEngine = 'mongodb',
  ) {
    super();
    this.db = client.db(dbName);
  }

  /** Connects and pings, so a wrong MONGO_URL stops the app at startup, not at the first query. */
  static async connect(
    url: string,
    dbName: string,
    options: MongoReadStoreOptions = {},
  ): Promise<MongoReadStore> {
    const where = redactConnectionString(url);
    let client: MongoClient;
    let engine: MongoEngine;
    try {
      client = new MongoClient(url, {
        serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5_000,
      });
    } catch (error) {
      throw new Error(
        `MONGO_URL ${where} is not a valid connection string: ${(error as Error).message}`,
        { cause: error },
      );
    }
    try {
      await client.connect();
      await client.db(dbName).command({ ping: 1 });
      const buildInfo = await client.db(dbName).command({ buildInfo: 1 });
      engine = 'ferretdbVersion' in buildInfo ? 'ferretdb' : 'mongodb';
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new Error(
        `MongoDB at ${where} did not answer the startup check: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return new MongoReadStore(client, dbName, engine);
  }

  collection<T extends Doc = Doc>(name: string): ReadCollection<T> {
    const collection = this.db.collection<Doc>(name);
    return {
      find: async (filter = {}, options = {}) =>
        (await collection.find(filter as MongoFilter<Doc>, findOptions(options)).toArray()) as T[],
      findOne: async (filter) => (await collection.findOne(filter as MongoFilter<Doc>)) as T | null,
      count: async (filter: Filter = {}) => collection.countDocuments(filter),
      aggregate: async <R = Record<string, unknown>>(pipeline: Pipeline) =>
        (this.engine === 'ferretdb'
          ? await this.aggregateInProcess(name, pipeline)
          : await collection.aggregate(pipeline).toArray()) as R[],
    };
  }

  async commit(checkpointName: string, checkpoint: bigint, writes: DocumentWrite[]): Promise<void> {
    await Promise.all(
      buildBulkOps(writes).map(async ({ collection, operations }) => {
        try {
          await this.db.collection<Doc>(collection).bulkWrite(operations, { ordered: false });
        } catch (error) {
          const unconfirmed = conflictsToConfirm(error);
          if (unconfirmed === null) throw error;
          const filters = unconfirmed.map((index) => guardOf(operations[index]));
          if (!(await this.allStale(collection, filters))) throw error;
        }
      }),
    );
    // only after every document write succeeded
    const { filter, update } = checkpointUpdate(checkpointName, checkpoint);
    await this.checkpoints().updateOne(filter, update, { upsert: true });
  }

  async checkpoint(name: string): Promise<bigint | null> {
    return decodeCheckpoint(await this.checkpoints().findOne({ _id: name }));
  }

  async reset(checkpointName: string, collections: string[]): Promise<void> {
    for (const name of collections) {
      try {
        await this.db.collection(name).drop();
      } catch (error) {
        // MongoDB before 7.0 refuses to drop a collection that does not exist
        if (!isNamespaceNotFound(error)) throw error;
      }
    }
    await this.checkpoints().deleteOne({ _id: checkpointName });
  }

  /** Creates the query indexes the read side declares (a no-op for ones that exist). */
  async ensureIndexes(specs: readonly ReadIndexSpec[]): Promise<void> {
    // one index per call: FerretDB 1.24 drops the connection when one createIndexes call names
    // several indexes that all exist already (every start after the first)
    for (const { collection, key, name, unique } of specs)
      await this.db
        .collection(collection)
        .createIndexes([{ key, ...(name ? { name } : {}), ...(unique ? { unique } : {}) }]);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * FerretDB 1.24 evaluates only part of the aggregation language, and silently wrongly in
   * places: a `$group` fills only its first accumulator (later ones come back 0), `$project` and
   * `$addFields` return expressions as literal strings, `$cond`, `$addToSet`, `$replaceRoot`,
   * `$facet` and `$lookup` are missing. So there the leading `$match` runs on the server and the
   * rest of the pipeline in-process with mingo, as the embedded store does (README: FerretDB).
   */
  private async aggregateInProcess(name: string, pipeline: Pipeline): Promise<unknown[]> {
    const [first] = pipeline;
    const leadingMatch = first !== undefined && '$match' in first ? (first.$match as Filter) : null;
    const rest = leadingMatch ? pipeline.slice(1) : pipeline;
    const input = await this.db
      .collection<Doc>(name)
      .find(leadingMatch ?? {})
      .toArray();
    const joined = new Map<string, Doc[]>();
    for (const other of joinedCollections(rest)) {
      joined.set(other, await this.db.collection<Doc>(other).find({}).toArray());
    }
    const aggregator = new Aggregator(mongoCompatiblePipeline(rest), {
      collectionResolver: (other: string) => joined.get(other) ?? [],
    });
    return aggregator.run(input);
  }

  /** true when each guarded document exists and its guard fails: a newer version is stored */
  private async allStale(collection: string, filters: (MongoFilter<Doc> | null)[]) {
    const stored = this.db.collection<Doc>(collection);
    for (const filter of filters) {
      if (filter === null) return false;
      const [existing, guarded] = await Promise.all([
        stored.findOne({ _id: filter._id }),
        stored.findOne(filter),
      ]);
      if (existing === null || guarded !== null) return false;
    }
    return true;
  }

  private checkpoints() {
    return this.db.collection<CheckpointDocument>(checkpointsCollection);
  }
}
