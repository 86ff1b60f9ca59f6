// A MongoDB-subset API: filters, sorts and aggregation pipelines are MongoDB's own syntax, so
// the same query code runs on the embedded adapter (mingo) and on MongoDB.
export type Doc = { _id: string; [field: string]: unknown };
export type Filter = Record<string, unknown>;
export type Sort = Record<string, 1 | -1>;
export type Pipeline = Record<string, unknown>[];
export type FindOptions = { sort?: Sort; limit?: number; skip?: number };

export type ReadCollection<T extends Doc = Doc> = {
  find(filter?: Filter, options?: FindOptions): Promise<T[]>;
  findOne(filter: Filter): Promise<T | null>;
  count(filter?: Filter): Promise<number>;
  aggregate<R = Record<string, unknown>>(pipeline: Pipeline): Promise<R[]>;
};

// `_position` on every stored document is the global position of the last event applied to it,
// as a 20-digit zero-padded decimal string (sorts like the number, fits MongoDB, exceeds 2^53).
export const positionField = '_position';
export const encodePosition = (position: bigint): string => position.toString().padStart(20, '0');
export const decodePosition = (encoded: string): bigint => BigInt(encoded);

/**
 * `doc: null` deletes the document. `replace` is for repairs (re-projecting a document after a
 * parked event was fixed): it also overwrites a stored document of the same position, while a
 * newer stored document still wins.
 */
export type DocumentWrite = {
  collection: string;
  id: string;
  doc: Doc | null;
  position: bigint;
  replace?: boolean;
};

/**
 * A query index the read side declares (`projectionIndexes` derives them from the projections).
 * A key field other than `_id` is a top-level field holding a string, number, boolean or null,
 * never an array: the embedded store indexes and compares it as one value.
 */
export type ReadIndexSpec = {
  collection: string;
  key: Record<string, 1 | -1>;
  name?: string;
  unique?: boolean;
};

export abstract class ReadStore {
  abstract collection<T extends Doc = Doc>(name: string): ReadCollection<T>;
  /**
   * Writes a projection batch and its checkpoint. A write whose position is not greater than the
   * stored document's `_position` changes nothing, so re-applying a batch is harmless. The
   * embedded adapter commits documents and checkpoint in one transaction; MongoDB writes the
   * checkpoint after the documents.
   */
  abstract commit(
    checkpointName: string,
    checkpoint: bigint,
    writes: DocumentWrite[],
  ): Promise<void>;
  /** null when the projection (or relay) has never committed */
  abstract checkpoint(name: string): Promise<bigint | null>;
  /** creates the declared query indexes (a no-op for ones that exist) */
  abstract ensureIndexes(specs: readonly ReadIndexSpec[]): Promise<void>;
  /** drops the collections and the checkpoint (rebuild) */
  abstract reset(checkpointName: string, collections: string[]): Promise<void>;
  abstract close(): Promise<void>;
}
