import { copyFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import {
  type WalCheckpointer,
  checkpointOffTheLoop,
  prepareOwnerOnlyFile,
} from '@lead/event-store';
import { type Doc, positionField } from './read-store.port';

/** A document as a table hands it out: frozen when shared (the heap table), else a fresh parse. */
export type StoredDoc = Readonly<Doc>;
/** `doc`, `json` and `position` are null for a deletion */
export type PlannedWrite = {
  collection: string;
  id: string;
  doc: StoredDoc | null;
  json: string | null;
  position: string | null;
};

/**
 * A condition on a top-level field (`_id` or a plain name) a table may use to skip rows that
 * cannot match; only a hint, the caller still applies its whole filter.
 */
export type Condition = {
  field: string;
  op: '=' | '>' | '>=' | '<' | '<=';
  value: string | number;
};
/**
 * Documents in the order of `_id`, or of a declared index's field and then `_id` (null and
 * missing first, as MongoDB sorts them); null: any order.
 */
export type ScanOrder = { field: string; direction: 1 | -1 } | null;

/**
 * Where the embedded read store keeps its documents and checkpoints; the store runs mingo over
 * what a table hands it. Documents a table hands out are either frozen (shared, the caller
 * clones them before they leave the store) or fresh objects nobody else holds.
 */
export type DocumentTable = {
  /** picks up commits of other processes; called before every operation */
  sync(): void;
  /** the documents with these ids that exist, in the order of `ids` */
  lookUp(collection: string, ids: readonly string[]): StoredDoc[];
  /** the stored `_position` of a document (the commit guard needs no more) */
  position(collection: string, id: string): string | null;
  /** `work` runs while the scan is open and must consume what it needs synchronously */
  scan<R>(
    collection: string,
    conditions: Condition[],
    order: ScanOrder,
    work: (docs: Iterable<StoredDoc>) => R,
  ): R;
  count(collection: string): number;
  /** `fields` hold one scalar each (the caller checks): conditions on them can use the index */
  index(collection: string, fields: string[], unique: boolean): void;
  checkpoint(name: string): string | null;
  /** documents and checkpoint in one atomic step */
  write(writes: PlannedWrite[], checkpoint: [name: string, position: string]): void;
  drop(checkpointName: string, collections: string[]): void;
  close(): Promise<void> | void;
};

// SQLite's order of the values an index holds: null (and missing), numbers, then strings
const rank = (value: unknown): number =>
  value === null || value === undefined ? 0 : typeof value === 'string' ? 2 : 1;
const compareValues = (a: unknown, b: unknown): number =>
  rank(a) - rank(b) || (a === b || rank(a) === 0 ? 0 : (a as string) < (b as string) ? -1 : 1);

const ordered =
  ({ field, direction }: NonNullable<ScanOrder>) =>
  (a: StoredDoc, b: StoredDoc) =>
    direction *
    ((field === '_id' ? 0 : compareValues(a[field], b[field])) || compareValues(a._id, b._id));

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
  }
  return value;
};

/** Everything in the heap (as-of replays): insertion order, as before. */
export class HeapDocumentTable implements DocumentTable {
  private readonly collections = new Map<string, Map<string, StoredDoc>>();
  private readonly checkpoints = new Map<string, string>();

  sync(): void {}

  lookUp(collection: string, ids: readonly string[]): StoredDoc[] {
    const docs = this.collections.get(collection);
    const found: StoredDoc[] = [];
    for (const id of ids) {
      const doc = docs?.get(id);
      if (doc) found.push(doc);
    }
    return found;
  }

  position(collection: string, id: string): string | null {
    const doc = this.collections.get(collection)?.get(id);
    return (doc?.[positionField] as string | undefined) ?? null;
  }

  scan<R>(
    collection: string,
    _conditions: Condition[],
    order: ScanOrder,
    work: (docs: Iterable<StoredDoc>) => R,
  ): R {
    const docs = this.collections.get(collection)?.values() ?? [];
    return work(order === null ? docs : [...docs].sort(ordered(order)));
  }

  count(collection: string): number {
    return this.collections.get(collection)?.size ?? 0;
  }

  // a scan of the heap costs no parsing, so there is nothing to skip
  index(): void {}

  checkpoint(name: string): string | null {
    return this.checkpoints.get(name) ?? null;
  }

  write(writes: PlannedWrite[], [name, position]: [string, string]): void {
    for (const write of writes) {
      const docs = this.collections.get(write.collection) ?? new Map<string, StoredDoc>();
      if (write.doc === null) docs.delete(write.id);
      // kept as written, without a copy: frozen so the caller cannot change it afterwards
      else this.collections.set(write.collection, docs.set(write.id, deepFreeze(write.doc)));
    }
    this.checkpoints.set(name, position);
  }

  drop(checkpointName: string, collections: string[]): void {
    for (const collection of collections) this.collections.delete(collection);
    this.checkpoints.delete(checkpointName);
  }

  close(): void {
    this.collections.clear();
    this.checkpoints.clear();
  }
}

// The JSON text, not the parsed object: a hit parses a fresh copy the caller may keep, so nothing
// has to be frozen or cloned, and the text's size is what the cache holds. Null: no such document
// (the runner loads a batch's new documents, then the commit's guard asks for their positions).
type Cached = { json: string; position: string } | { json: null; position: null };

/** Stored rows by collection and id, least recently used first out. */
class DocumentCache {
  private readonly docs = new Map<string, Cached>();

  constructor(private readonly capacity: number) {}

  get(key: string): Cached | undefined {
    const doc = this.docs.get(key);
    if (doc !== undefined) {
      this.docs.delete(key);
      this.docs.set(key, doc);
    }
    return doc;
  }

  set(key: string, doc: Cached): void {
    if (this.capacity === 0) return;
    this.docs.delete(key);
    this.docs.set(key, doc);
    if (this.docs.size > this.capacity) this.docs.delete(this.docs.keys().next().value!);
  }

  clear(): void {
    this.docs.clear();
  }
}

const cacheKey = (collection: string, id: string): string => `${collection}\u0000${id}`;

/**
 * Documents in a SQLite file, read on demand: a lookup by id is a primary-key read (through a
 * bounded cache of their JSON), a scan streams the rows of one collection in id order. So
 * memory is bounded by the cache, not by the data, and opening the file loads nothing.
 *
 * Other processes may read the same file (an API replica with BACKGROUND_WORK=false) or write it
 * (the CLI): `sync` compares SQLite's data_version, which changes when another connection
 * commits, and drops the cache then, so no process serves a document another one replaced.
 */
export class SqliteDocumentTable implements DocumentTable {
  private readonly db: Database.Database;
  private readonly cache: DocumentCache;
  private dataVersion: number;
  private readonly statements;
  // one prepared statement per shape of scan (the shapes come from the queries in the code)
  private readonly scans = new Map<string, Database.Statement<unknown[], string>>();
  // fields of declared indexes, which hold no arrays, so a condition on one is the index's
  private readonly scalarFields = new Map<string, Set<string>>();
  // per collection, an index by its first field
  private readonly indexes = new Map<string, Map<string, string>>();
  private readonly writeBatch: (writes: PlannedWrite[], checkpoint: [string, string]) => void;
  private readonly dropAll: (checkpointName: string, collections: string[]) => void;

  private readonly checkpointer: WalCheckpointer | null = null;

  /** `scratch`: see EmbeddedReadStoreOptions */
  constructor(
    private readonly path: string,
    cacheSize: number,
    private readonly scratch = false,
  ) {
    prepareOwnerOnlyFile(path);
    const db = new Database(path);
    this.db = db;
    if (scratch) {
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
      this.checkpointer = checkpointOffTheLoop(db, path);
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
    this.statements = {
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      get: db
        .prepare<[string, string], [string, string]>(
          'SELECT id, doc FROM documents WHERE collection = ? AND id = ?',
        )
        .raw(),
      // the ids as a JSON array
      getMany: db
        .prepare<[string, string], [string, string]>(
          'SELECT id, doc FROM documents WHERE collection = ? AND id IN (SELECT value FROM json_each(?))',
        )
        .raw(),
      position: db
        .prepare<[string, string], string>(
          `SELECT json_extract(doc, '$.${positionField}') FROM documents WHERE collection = ? AND id = ?`,
        )
        .pluck(),
      count: db
        .prepare<[string], number>('SELECT count(*) FROM documents WHERE collection = ?')
        .pluck(),
      checkpoint: db
        .prepare<[string], string>('SELECT position FROM checkpoints WHERE name = ?')
        .pluck(),
      upsert: db.prepare<[string, string, string]>(
        'INSERT INTO documents (collection, id, doc) VALUES (?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET doc = excluded.doc',
      ),
      delete: db.prepare<[string, string]>('DELETE FROM documents WHERE collection = ? AND id = ?'),
      deleteCollection: db.prepare<[string]>('DELETE FROM documents WHERE collection = ?'),
      upsertCheckpoint: db.prepare<[string, string]>(
        'INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
      ),
      deleteCheckpoint: db.prepare<[string]>('DELETE FROM checkpoints WHERE name = ?'),
    };
    const statements = this.statements;
    this.writeBatch = db.transaction(
      (writes: PlannedWrite[], [name, position]: [string, string]) => {
        for (const write of writes) {
          if (write.json === null) statements.delete.run(write.collection, write.id);
          else statements.upsert.run(write.collection, write.id, write.json);
        }
        statements.upsertCheckpoint.run(name, position);
      },
    );
    this.dropAll = db.transaction((checkpointName: string, collections: string[]) => {
      for (const collection of collections) statements.deleteCollection.run(collection);
      statements.deleteCheckpoint.run(checkpointName);
    });
    this.cache = new DocumentCache(cacheSize);
    this.dataVersion = this.statements.dataVersion.get()!;
  }

  sync(): void {
    const dataVersion = this.statements.dataVersion.get()!;
    if (dataVersion !== this.dataVersion) {
      this.dataVersion = dataVersion;
      this.cache.clear();
    }
  }

  // The ids the cache does not hold are read in one query (the runner loads a batch's documents
  // this way: one statement per id cost twice as much).
  lookUp(collection: string, ids: readonly string[]): StoredDoc[] {
    const jsons = new Map<string, string | null>();
    const missing: string[] = [];
    for (const id of ids) {
      const cached = this.cache.get(cacheKey(collection, id));
      if (cached === undefined) missing.push(id);
      else jsons.set(id, cached.json);
    }
    const rows =
      missing.length === 0
        ? []
        : missing.length === 1
          ? this.statements.get.all(collection, missing[0])
          : this.statements.getMany.all(collection, JSON.stringify(missing));
    for (const [id, json] of rows) jsons.set(id, json);
    const found: StoredDoc[] = [];
    for (const id of ids) {
      const json = jsons.get(id) ?? null;
      if (json === null) {
        this.cache.set(cacheKey(collection, id), { json: null, position: null });
        continue;
      }
      const doc = JSON.parse(json) as Doc;
      this.cache.set(cacheKey(collection, id), { json, position: doc[positionField] as string });
      found.push(doc);
    }
    return found;
  }

  // without parsing the document when it is not cached
  position(collection: string, id: string): string | null {
    const cached = this.cache.get(cacheKey(collection, id));
    if (cached !== undefined) return cached.position;
    return this.statements.position.get(collection, id) ?? null;
  }

  scan<R>(
    collection: string,
    conditions: Condition[],
    order: ScanOrder,
    work: (docs: Iterable<StoredDoc>) => R,
  ): R {
    const scalars = this.scalarFields.get(collection);
    const where = conditions.map(({ field, op }) =>
      field === '_id'
        ? ` AND id ${op} ?`
        : scalars?.has(field)
          ? ` AND ${fieldValue(field)} ${op} ?`
          : // an array may match by one of its elements: left to the caller
            ` AND (${fieldValue(field)} ${op} ? OR json_type(doc, '$.${field}') = 'array')`,
    );
    // Without statistics the planner prefers the primary key (collection = ...) to a range on
    // an expression index; an index on a condition's field skips the rows that cannot match.
    // An order by an indexed field reads that index in order, so a page stops after its last
    // row; an equality on an indexed field narrows more, and then the matches are sorted.
    const indexed = this.indexes.get(collection);
    const byIndex =
      conditions.find(({ field, op }) => op === '=' && indexed?.has(field)) ??
      (order && indexed?.has(order.field) ? order : null) ??
      conditions.find(({ field }) => indexed?.has(field));
    const indexedBy = byIndex ? ` INDEXED BY "${indexed!.get(byIndex.field)}"` : '';
    const direction = order?.direction === -1 ? 'DESC' : 'ASC';
    const orderBy =
      order === null
        ? ''
        : order.field === '_id'
          ? ` ORDER BY id ${direction}`
          : ` ORDER BY ${fieldValue(order.field)} ${direction}, id ${direction}`;
    // the collection as a literal: only then can the planner use the collection's partial indexes
    const sql = `SELECT doc FROM documents${indexedBy} WHERE collection = ${literal(collection)}${where.join('')}${orderBy}`;
    let statement = this.scans.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], string>(sql).pluck();
      this.scans.set(sql, statement);
    }
    const rows = statement.iterate(...conditions.map(({ value }) => value));
    // an unfinished iterator keeps the connection busy: always end it
    try {
      return work(parsed(rows));
    } finally {
      rows.return?.();
    }
  }

  // Partial (one collection's rows) expression indexes, with `id` last unless unique: equal
  // values come in id order. Created once; later opens find them.
  index(collection: string, fields: string[], unique: boolean): void {
    const columns = [...fields.map(fieldValue), ...(unique ? [] : ['id'])].join(', ');
    const name = `query_${collection}_${fields.join('_')}${unique ? '_unique' : ''}`;
    this.db.exec(
      `CREATE ${unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS "${name}" ON documents (${columns}) WHERE collection = ${literal(collection)}`,
    );
    const scalars = this.scalarFields.get(collection) ?? new Set<string>();
    this.scalarFields.set(collection, scalars);
    for (const field of fields) scalars.add(field);
    const indexes = this.indexes.get(collection) ?? new Map<string, string>();
    this.indexes.set(collection, indexes);
    if (!indexes.has(fields[0])) indexes.set(fields[0], name);
  }

  count(collection: string): number {
    return this.statements.count.get(collection) ?? 0;
  }

  checkpoint(name: string): string | null {
    return this.statements.checkpoint.get(name) ?? null;
  }

  write(writes: PlannedWrite[], checkpoint: [string, string]): void {
    this.writeBatch(writes, checkpoint);
    for (const write of writes) {
      const key = cacheKey(write.collection, write.id);
      if (write.json === null) this.cache.set(key, { json: null, position: null });
      else this.cache.set(key, { json: write.json, position: write.position! });
    }
  }

  drop(checkpointName: string, collections: string[]): void {
    this.dropAll(checkpointName, collections);
    // the dropped documents' old pages leave the write-ahead log too
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.cache.clear();
  }

  /** A scratch table's file as it stands between commits, copied to `target`. */
  copyTo(target: string): void {
    if (!this.scratch) throw new Error('only a scratch read store is copied');
    copyFileSync(this.path, target);
  }

  async close(): Promise<void> {
    await this.checkpointer?.close();
    this.db.close();
    this.cache.clear();
    if (this.scratch) rmSync(this.path, { force: true });
  }
}

// The one spelling of a field's value in SQL: an expression index serves only this expression.
const fieldValue = (field: string): string => `json_extract(doc, '$.${field}')`;
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

function* parsed(rows: Iterable<string>): Generator<StoredDoc> {
  for (const json of rows) yield JSON.parse(json) as Doc;
}
