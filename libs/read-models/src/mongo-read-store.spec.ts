import { Aggregator, Query } from 'mingo';
import {
  MongoBulkWriteError,
  MongoServerError,
  type AnyBulkWriteOperation,
  type BulkWriteResult,
  type MongoClient,
  type WriteError,
} from 'mongodb';
import {
  MongoReadStore,
  buildBulkOps,
  checkpointUpdate,
  checkpointsCollection,
  decodeCheckpoint,
  isNamespaceNotFound,
  onlyStaleWriteConflicts,
  conflictsToConfirm,
  joinedCollections,
  positionGuard,
  storedDocument,
} from './mongo-read-store';
import { InMemoryPersonalDataVault, redactConnectionString } from '@lead/event-store';
import { leadCaptured, leadHistory, leadPersonalDataErased, revealedLog } from '@lead/testing';
import { leadProjections } from './lead-projections/lead-projections';
import { findLead } from './lead-queries/lead-queries';
import { replayInto } from './projection-runner';
import { readStoreContract } from './read-store.contract';
import { encodePosition, type Doc, type DocumentWrite } from './read-store.port';

// The driver builds bulk errors from these two classes, which its package entry does not export.
type RawBulkResult = {
  ok: number;
  writeErrors: WriteError[];
  writeConcernErrors: unknown[];
  insertedIds: { index: number; _id: unknown }[];
  nInserted: number;
  nUpserted: number;
  nMatched: number;
  nModified: number;
  nRemoved: number;
  upserted: { index: number; _id: unknown }[];
};
type WriteErrorFields = {
  index: number;
  code: number;
  errmsg: string;
  errInfo: Record<string, unknown>;
  op: Record<string, unknown>;
};
const driverBulk = jest.requireActual<{
  WriteError: new (fields: WriteErrorFields) => WriteError;
  BulkWriteResult: new (raw: RawBulkResult, isOrdered: boolean) => BulkWriteResult;
}>('mongodb/lib/bulk/common');

const duplicateIdError = (index: number, id: string, collection = 'leads'): WriteError =>
  new driverBulk.WriteError({
    index,
    code: 11000,
    errmsg: `E11000 duplicate key error collection: test.${collection} index: _id_ dup key: { _id: "${id}" }`,
    errInfo: {},
    op: { _id: id },
  });

// As the driver's unordered bulk does after all operations ran (UnorderedBulkOperation.handleWriteError).
const bulkError = (writeErrors: WriteError[], nMatched = 0): MongoBulkWriteError =>
  new MongoBulkWriteError(
    {
      message: writeErrors[0]?.errmsg ?? 'write operation failed',
      code: writeErrors[0]?.code ?? 0,
      writeErrors,
    },
    new driverBulk.BulkWriteResult(
      {
        ok: 1,
        writeErrors,
        writeConcernErrors: [],
        insertedIds: [],
        nInserted: 0,
        nUpserted: 0,
        nMatched,
        nModified: nMatched,
        nRemoved: 0,
        upserted: [],
      },
      false,
    ),
  );

const write = (
  collection: string,
  id: string,
  doc: Record<string, unknown> | null,
  position: bigint,
): DocumentWrite => ({
  collection,
  id,
  doc: doc === null ? null : { _id: id, ...doc },
  position,
});

describe('MongoReadStore building blocks', () => {
  describe('buildBulkOps', () => {
    it('builds one guarded upsert or delete per document, grouped by collection', () => {
      const ops = buildBulkOps([
        write('leads', 'a', { stage: 'mql' }, 5n),
        write('sla', 'h-1', { status: 'open' }, 6n),
        write('leads', 'b', null, 7n),
      ]);

      expect(ops).toEqual([
        {
          collection: 'leads',
          operations: [
            {
              replaceOne: {
                filter: {
                  _id: 'a',
                  $or: [
                    { _position: { $lt: '00000000000000000005' } },
                    { _position: { $exists: false } },
                  ],
                },
                replacement: { _id: 'a', stage: 'mql', _position: '00000000000000000005' },
                upsert: true,
              },
            },
            {
              deleteOne: {
                filter: {
                  _id: 'b',
                  $or: [
                    { _position: { $lt: '00000000000000000007' } },
                    { _position: { $exists: false } },
                  ],
                },
              },
            },
          ],
        },
        {
          collection: 'sla',
          operations: [
            {
              replaceOne: {
                filter: {
                  _id: 'h-1',
                  $or: [
                    { _position: { $lt: '00000000000000000006' } },
                    { _position: { $exists: false } },
                  ],
                },
                replacement: { _id: 'h-1', status: 'open', _position: '00000000000000000006' },
                upsert: true,
              },
            },
          ],
        },
      ]);
    });

    it('keeps only the newest write per document (the first of equal positions)', () => {
      const [{ operations }] = buildBulkOps([
        write('leads', 'a', { stage: 'captured' }, 1n),
        write('leads', 'a', { stage: 'mql' }, 3n),
        write('leads', 'a', { stage: 'stale' }, 2n),
        write('leads', 'a', { stage: 'same position' }, 3n),
      ]);

      expect(operations).toHaveLength(1);
      expect(operations[0]).toMatchObject({ replaceOne: { replacement: { stage: 'mql' } } });
    });

    it('is empty for an empty batch (a checkpoint-only commit)', () => {
      expect(buildBulkOps([])).toEqual([]);
    });
  });

  describe('positionGuard (evaluated by mingo, the same query language)', () => {
    const matches = (doc: Doc, position: bigint): boolean =>
      new Query(positionGuard(doc._id, position)).test(doc);

    it('matches a stored document only while it is older than the write', () => {
      expect(matches({ _id: 'a', _position: encodePosition(4n) }, 5n)).toBe(true);
      expect(matches({ _id: 'a' }, 5n)).toBe(true);
      expect(matches({ _id: 'a', _position: encodePosition(5n) }, 5n)).toBe(false);
      expect(matches({ _id: 'a', _position: encodePosition(6n) }, 5n)).toBe(false);
      // zero padding keeps string order equal to number order, beyond 2^53 too
      expect(matches({ _id: 'a', _position: encodePosition(2n ** 63n) }, 2n ** 63n + 1n)).toBe(
        true,
      );
      expect(matches({ _id: 'a', _position: encodePosition(9n) }, 10n)).toBe(true);
    });

    it('a replace (repair) also matches the same position, never a newer one', () => {
      const replaces = (doc: Doc, position: bigint): boolean =>
        new Query(positionGuard(doc._id, position, true)).test(doc);
      expect(replaces({ _id: 'a', _position: encodePosition(5n) }, 5n)).toBe(true);
      expect(replaces({ _id: 'a', _position: encodePosition(4n) }, 5n)).toBe(true);
      expect(replaces({ _id: 'a', _position: encodePosition(6n) }, 5n)).toBe(false);
    });
  });

  describe('storedDocument', () => {
    it('stores JSON values exactly as the embedded store does', () => {
      const stored = storedDocument({
        collection: 'leads',
        id: 'a',
        doc: {
          _id: 'ignored',
          at: new Date('2026-01-05T09:00:00.000Z'),
          gone: undefined,
          n: 1,
        },
        position: 42n,
      });

      expect(stored).toEqual({
        _id: 'a',
        at: '2026-01-05T09:00:00.000Z',
        n: 1,
        _position: encodePosition(42n),
      });
      expect('gone' in stored).toBe(false);
    });
  });

  describe('conflictsToConfirm', () => {
    // FerretDB 1.24 names no index in its duplicate-key message
    const unnamed = (index: number): WriteError =>
      new driverBulk.WriteError({
        index,
        code: 11000,
        errmsg: 'E11000 duplicate key error collection: test.leads',
        errInfo: {},
        op: {},
      });

    it('names the conflicts without an index name, to be confirmed against the stored documents', () => {
      expect(conflictsToConfirm(bulkError([duplicateIdError(0, 'a'), unnamed(2)]))).toEqual([2]);
      expect(conflictsToConfirm(bulkError([duplicateIdError(0, 'a')]))).toEqual([]);
      expect(onlyStaleWriteConflicts(bulkError([unnamed(1)]))).toBe(false);
    });

    it('is null when any failure is neither', () => {
      const validation = new driverBulk.WriteError({
        index: 1,
        code: 121,
        errmsg: 'Document failed validation',
        errInfo: {},
        op: {},
      });
      expect(conflictsToConfirm(bulkError([unnamed(0), validation]))).toBeNull();
      expect(conflictsToConfirm(new Error('E11000'))).toBeNull();
    });
  });

  describe('onlyStaleWriteConflicts', () => {
    it('ignores duplicate _id errors: guarded upserts that lost to a newer document', () => {
      expect(
        onlyStaleWriteConflicts(bulkError([duplicateIdError(0, 'a'), duplicateIdError(2, 'c')], 1)),
      ).toBe(true);
    });

    it('rethrows when any failure is something else', () => {
      const validation = new driverBulk.WriteError({
        index: 1,
        code: 121,
        errmsg: 'Document failed validation',
        errInfo: {},
        op: {},
      });
      const uniqueQueryIndex = new driverBulk.WriteError({
        index: 0,
        code: 11000,
        errmsg:
          'E11000 duplicate key error collection: test.leads index: email_1 dup key: { email: "x" }',
        errInfo: {},
        op: {},
      });

      expect(onlyStaleWriteConflicts(bulkError([duplicateIdError(0, 'a'), validation]))).toBe(
        false,
      );
      expect(onlyStaleWriteConflicts(bulkError([uniqueQueryIndex]))).toBe(false);
      expect(onlyStaleWriteConflicts(bulkError([]))).toBe(false);
      expect(
        onlyStaleWriteConflicts(
          new MongoServerError({ message: 'E11000 index: _id_ ', code: 11000 }),
        ),
      ).toBe(false);
      expect(onlyStaleWriteConflicts(new Error('E11000'))).toBe(false);
    });
  });

  describe('joinedCollections (what the in-process pipeline on FerretDB must load)', () => {
    it('finds $lookup and $unionWith sources in sub-pipelines and facets', () => {
      expect(
        joinedCollections([
          { $match: { stage: 'mql' } },
          { $lookup: { from: 'reps', localField: 'owner', foreignField: '_id', as: 'rep' } },
          {
            $facet: {
              a: [{ $unionWith: 'archive' }],
              b: [
                {
                  $unionWith: {
                    coll: 'old',
                    pipeline: [{ $lookup: { from: 'teams', pipeline: [], as: 't' } }],
                  },
                },
              ],
            },
          },
        ]).sort(),
      ).toEqual(['archive', 'old', 'reps', 'teams']);
      expect(joinedCollections([{ $match: {} }])).toEqual([]);
    });
  });

  describe('checkpoints', () => {
    it('upserts the encoded position with $max so it never moves backwards', () => {
      expect(checkpointUpdate('lead-projections', 42n)).toEqual({
        filter: { _id: 'lead-projections' },
        update: { $max: { position: '00000000000000000042' } },
      });
    });

    it('decodes the stored checkpoint, beyond 2^53 too', () => {
      expect(decodeCheckpoint(null)).toBeNull();
      expect(decodeCheckpoint({ _id: 'p', position: encodePosition(2n ** 63n + 7n) })).toBe(
        2n ** 63n + 7n,
      );
    });
  });

  it('recognises "ns not found" from dropping a missing collection', () => {
    expect(isNamespaceNotFound(new MongoServerError({ message: 'ns not found', code: 26 }))).toBe(
      true,
    );
    expect(isNamespaceNotFound(new MongoServerError({ message: 'unauthorized', code: 13 }))).toBe(
      false,
    );
  });

  it('hides credentials in connection strings it reports', () => {
    expect(redactConnectionString('mongodb://reader:s3cret@db:27017/?replicaSet=rs0')).toBe(
      'mongodb://***@db:27017/?replicaSet=rs0',
    );
  });

  it('connect fails fast with a clear message when nothing listens', async () => {
    // Loopback port 1 refuses connections; server selection gives up after the short timeout.
    const error = await MongoReadStore.connect(
      'mongodb://reader:s3cret@127.0.0.1:1/?directConnection=true',
      'test',
      {
        serverSelectionTimeoutMs: 300,
      },
    ).then(
      () => new Error('expected a rejection'),
      (rejected: unknown) => rejected,
    );

    expect((error as Error).message).toMatch(
      /^MongoDB at mongodb:\/\/\*\*\*@127\.0\.0\.1:1\/\?directConnection=true did not answer/,
    );
    expect((error as Error).message).not.toContain('s3cret');
  });
});

// Runs synchronous fake work as an async driver call: a throw becomes a rejection.
const settle = <T>(work: () => T): Promise<T> => new Promise<T>((resolve) => resolve(work()));

// MongoDB answers no document for `$count` over no input (mingo answers { n: 0 }); MongoDB
// defines `$count` as this $group + $project.
const asMongoDbDoes = (stage: Record<string, unknown>): Record<string, unknown>[] =>
  typeof stage.$count === 'string'
    ? [{ $group: { _id: null, [stage.$count]: { $sum: 1 } } }, { $project: { _id: 0 } }]
    : [stage];

/**
 * A MongoDB stand-in for the few collection methods the adapter calls, evaluating filters and
 * pipelines with mingo and failing unordered bulks the way the driver does (every operation
 * runs, then one MongoBulkWriteError lists the write errors). It runs the read-store contract
 * through the adapter's own code without a server; the int-spec runs it against MongoDB.
 */
class FakeMongo {
  private readonly collections = new Map<string, Map<string, Doc>>();
  /** the next bulk write fails with this error on its first operation, e.g. a validation error */
  failNextBulk: WriteError | null = null;

  client(): MongoClient {
    const client = {
      db: () => ({ collection: (name: string) => this.collection(name) }),
      close: () => Promise.resolve(),
    };
    return client as unknown as MongoClient;
  }

  private docs(name: string): Map<string, Doc> {
    let docs = this.collections.get(name);
    if (!docs) {
      docs = new Map();
      this.collections.set(name, docs);
    }
    return docs;
  }

  private collection(name: string) {
    const all = (): Doc[] => [...this.docs(name).values()].map((doc) => structuredClone(doc));
    const first = (filter: Doc): Doc | undefined =>
      all().find((doc) => new Query(filter).test(doc));
    return {
      find: (
        filter: Doc,
        options: { sort?: Record<string, 1 | -1>; skip?: number; limit?: number },
      ) => ({
        toArray: () =>
          settle(() => {
            const cursor = new Query(filter).find<Doc>(all());
            if (options.sort) cursor.sort(options.sort);
            if (options.skip) cursor.skip(options.skip);
            if (options.limit) cursor.limit(options.limit);
            return cursor.all();
          }),
      }),
      findOne: (filter: Doc) => Promise.resolve(first(filter) ?? null),
      createIndexes: (specs: unknown[]) =>
        Promise.resolve(specs.map((_, index) => `index_${index}`)),
      countDocuments: (filter: Doc) =>
        settle(() => all().filter((doc) => new Query(filter).test(doc)).length),
      aggregate: (pipeline: Record<string, unknown>[]) => ({
        toArray: () =>
          settle(() =>
            new Aggregator(pipeline.flatMap(asMongoDbDoes), {
              collectionResolver: (other: string) => [...this.docs(other).values()],
            }).run(all()),
          ),
      }),
      bulkWrite: (operations: AnyBulkWriteOperation<Doc>[], options: { ordered?: boolean }) =>
        settle(() => {
          if (options.ordered !== false) throw new Error('fake: the adapter must write unordered');
          const writeErrors: WriteError[] = this.failNextBulk ? [this.failNextBulk] : [];
          const skip = this.failNextBulk ? 0 : -1;
          this.failNextBulk = null;
          operations.forEach((operation, index) => {
            if (index === skip) return;
            if ('replaceOne' in operation) {
              const { filter, replacement, upsert } = operation.replaceOne;
              const target = first(filter as Doc);
              const id = (filter as Doc)._id;
              if (target) this.docs(name).set(target._id, { ...replacement, _id: target._id });
              else if (!upsert) return;
              else if (this.docs(name).has(id)) writeErrors.push(duplicateIdError(index, id, name));
              else this.docs(name).set(id, { ...replacement, _id: id });
            } else if ('deleteOne' in operation) {
              const target = first(operation.deleteOne.filter as Doc);
              if (target) this.docs(name).delete(target._id);
            } else {
              throw new Error('fake: unexpected bulk operation');
            }
          });
          if (writeErrors.length > 0) throw bulkError(writeErrors);
        }),
      updateOne: (
        filter: { _id: string },
        update: { $max: Record<string, string> },
        options: { upsert?: boolean },
      ) =>
        settle(() => {
          const current = this.docs(name).get(filter._id);
          if (!current && !options.upsert) return;
          const next: Doc = { ...(current ?? { _id: filter._id }) };
          for (const [field, value] of Object.entries(update.$max)) {
            const stored = next[field];
            if (typeof stored !== 'string' || value > stored) next[field] = value;
          }
          this.docs(name).set(filter._id, next);
        }),
      deleteOne: (filter: { _id: string }) =>
        Promise.resolve(void this.docs(name).delete(filter._id)),
      drop: () =>
        settle(() => {
          if (!this.collections.delete(name))
            throw new MongoServerError({ message: 'ns not found', code: 26 });
          return true;
        }),
    };
  }

  /** every stored document of every collection */
  allDocs(): Doc[] {
    return [...this.collections.values()].flatMap((docs) => [...docs.values()]);
  }

  checkpointDocs(): Doc[] {
    return [...this.docs(checkpointsCollection).values()];
  }
}

describe('MongoReadStore (mingo-backed fake of the driver)', () => {
  const shared = new FakeMongo();
  readStoreContract('MongoReadStore over a mingo-backed fake of the driver', () =>
    Promise.resolve(new MongoReadStore(shared.client(), 'test')),
  );

  it('stores no personal plaintext: email and name only as ciphertext, gone after an erasure', async () => {
    const fake = new FakeMongo();
    const store = new MongoReadStore(fake.client(), 'test');
    const vault = new InMemoryPersonalDataVault();
    const [erased, kept] = [
      '01943a4e-3c00-7000-8000-0000000000e1',
      '01943a4e-3c00-7000-8000-0000000000e2',
    ];
    const log = await revealedLog(
      vault,
      ...leadHistory('converted', erased),
      leadCaptured({ leadId: kept, email: 'kim.kept@example.com', name: 'Kim Kept' }),
      leadPersonalDataErased({ leadId: erased }),
    );
    await replayInto(store, log.slice(0, -1), leadProjections);
    const stored = (): string => JSON.stringify(fake.allDocs());
    expect(stored()).not.toMatch(/ada@example\.com|Ada Lovelace|kim\.kept@example\.com|Kim Kept/);
    expect(await findLead(store, kept, vault)).toMatchObject({
      email: 'kim.kept@example.com',
      name: 'Kim Kept',
    });

    await vault.destroyKeys(erased, []);
    await replayInto(store, log.slice(-1), leadProjections);
    expect(await findLead(store, erased, vault)).toMatchObject({
      email: null,
      name: null,
      personalDataErased: true,
    });
    expect((await store.collection('leads').findOne({ _id: erased }))?.email).toBeNull();
    expect(stored()).not.toMatch(/ada@example\.com|Ada Lovelace/);
  });

  it('writes the checkpoint document only after the document writes succeeded', async () => {
    const fake = new FakeMongo();
    const store = new MongoReadStore(fake.client(), 'test');
    await store.commit('projections', 5n, [write('leads', 'a', { stage: 'mql' }, 5n)]);
    fake.failNextBulk = new driverBulk.WriteError({
      index: 0,
      code: 121,
      errmsg: 'Document failed validation',
      errInfo: {},
      op: {},
    });

    await expect(
      store.commit('projections', 6n, [write('leads', 'b', { stage: 'x' }, 6n)]),
    ).rejects.toBeInstanceOf(MongoBulkWriteError);

    expect(fake.checkpointDocs()).toEqual([{ _id: 'projections', position: encodePosition(5n) }]);
    expect(await store.checkpoint('projections')).toBe(5n);
  });

  it('treats a replayed batch as a no-op instead of a duplicate-key failure', async () => {
    const store = new MongoReadStore(new FakeMongo().client(), 'test');
    const batch = [
      write('leads', 'a', { stage: 'mql' }, 5n),
      write('leads', 'b', { stage: 'lost' }, 6n),
    ];
    await store.commit('projections', 6n, batch);
    await store.commit('projections', 7n, [write('leads', 'a', { stage: 'accepted' }, 7n)]);

    await store.commit('projections', 6n, batch);

    expect(await store.collection('leads').find({}, { sort: { _id: 1 } })).toEqual([
      { _id: 'a', stage: 'accepted', _position: encodePosition(7n) },
      { _id: 'b', stage: 'lost', _position: encodePosition(6n) },
    ]);
    expect(await store.checkpoint('projections')).toBe(7n);
  });
});
