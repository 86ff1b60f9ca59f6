import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedReadStore } from './embedded-read-store';
import { readStoreContract } from './read-store.contract';
import { type Doc, encodePosition } from './read-store.port';

const tempDir = mkdtempSync(join(tmpdir(), 'read-store-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

readStoreContract('embedded (:memory:)', () =>
  Promise.resolve(new EmbeddedReadStore({ path: ':memory:' })),
);
readStoreContract('embedded (SQLite file)', () =>
  Promise.resolve(new EmbeddedReadStore({ path: join(tempDir, 'contract.sqlite') })),
);

type Touch = { campaignId: string; amount: number };
type Row = Doc & { stage: string; touches: Touch[] };

const row = (id: string, stage: string, touches: Touch[] = []): Row => ({
  _id: id,
  stage,
  touches,
});

describe('EmbeddedReadStore (SQLite file)', () => {
  let path: string;
  let fileNumber = 0;
  beforeEach(() => {
    path = join(tempDir, 'nested', `store-${++fileNumber}.sqlite`);
  });

  it('keeps documents and checkpoints across a reopen', async () => {
    const first = new EmbeddedReadStore({ path });
    await first.commit('projections', 3n, [
      {
        collection: 'leads',
        id: 'a',
        doc: row('a', 'mql', [{ campaignId: 'c1', amount: 5 }]),
        position: 1n,
      },
      { collection: 'leads', id: 'b', doc: row('b', 'captured'), position: 2n },
      { collection: 'sla', id: 'a', doc: { _id: 'a', status: 'open' }, position: 3n },
    ]);
    await first.commit('projections', 5n, [
      { collection: 'leads', id: 'b', doc: null, position: 4n },
      { collection: 'leads', id: 'a', doc: row('a', 'handed_off'), position: 5n },
    ]);
    await first.commit('relay', 2n ** 60n, []);
    await first.close();

    const reopened = new EmbeddedReadStore({ path });
    expect(await reopened.collection('leads').find({})).toEqual([
      { ...row('a', 'handed_off'), _position: encodePosition(5n) },
    ]);
    expect(await reopened.collection('sla').count()).toBe(1);
    expect(await reopened.checkpoint('projections')).toBe(5n);
    expect(await reopened.checkpoint('relay')).toBe(2n ** 60n);
    // the position guard survives the reopen too
    await reopened.commit('projections', 5n, [
      { collection: 'leads', id: 'a', doc: row('a', 'stale'), position: 5n },
    ]);
    expect((await reopened.collection<Row>('leads').findOne({ _id: 'a' }))?.stage).toBe(
      'handed_off',
    );

    await reopened.reset('projections', ['leads', 'sla']);
    await reopened.close();
    const afterReset = new EmbeddedReadStore({ path });
    expect(await afterReset.collection('leads').count()).toBe(0);
    expect(await afterReset.collection('sla').count()).toBe(0);
    expect(await afterReset.checkpoint('projections')).toBeNull();
    expect(await afterReset.checkpoint('relay')).toBe(2n ** 60n);
    await afterReset.close();
  });

  it('commits nothing, neither documents nor checkpoint, when one write cannot be stored', async () => {
    const store = new EmbeddedReadStore({ path });
    await store.commit('projections', 1n, [
      { collection: 'leads', id: 'a', doc: row('a', 'mql'), position: 1n },
    ]);
    const unserialisable = { _id: 'c', amount: 10n } as unknown as Doc;
    await expect(
      store.commit('projections', 3n, [
        { collection: 'leads', id: 'b', doc: row('b', 'mql'), position: 2n },
        { collection: 'leads', id: 'c', doc: unserialisable, position: 3n },
      ]),
    ).rejects.toThrow(TypeError);
    expect(await store.collection('leads').count()).toBe(1);
    expect(await store.checkpoint('projections')).toBe(1n);
    await store.close();

    const reopened = new EmbeddedReadStore({ path });
    expect(await reopened.collection('leads').count()).toBe(1);
    expect(await reopened.checkpoint('projections')).toBe(1n);
    await reopened.close();
  });
});

describe('EmbeddedReadStore (SQLite file) read by another connection', () => {
  let path: string;
  let fileNumber = 0;
  beforeEach(() => {
    path = join(tempDir, 'shared', `store-${++fileNumber}.sqlite`);
  });

  // an API replica (BACKGROUND_WORK=false) reads the file the projecting process writes
  it('serves what another connection committed after it opened, never a cached older document', async () => {
    const writer = new EmbeddedReadStore({ path });
    const reader = new EmbeddedReadStore({ path });
    await writer.commit('projections', 1n, [
      { collection: 'leads', id: 'a', doc: row('a', 'captured'), position: 1n },
    ]);
    expect((await reader.collection<Row>('leads').findOne({ _id: 'a' }))?.stage).toBe('captured');

    await writer.commit('projections', 3n, [
      { collection: 'leads', id: 'a', doc: row('a', 'mql'), position: 2n },
      { collection: 'leads', id: 'b', doc: row('b', 'captured'), position: 3n },
    ]);
    expect((await reader.collection<Row>('leads').findOne({ _id: 'a' }))?.stage).toBe('mql');
    expect(await reader.collection('leads').count()).toBe(2);
    expect(await reader.checkpoint('projections')).toBe(3n);

    await writer.commit('projections', 4n, [
      { collection: 'leads', id: 'a', doc: null, position: 4n },
    ]);
    expect(await reader.collection('leads').findOne({ _id: 'a' })).toBeNull();
    await writer.close();
    await reader.close();
  });

  // the store remembers documents it found missing (the runner's load, then the commit's guard)
  it('sees a document another connection created after a lookup found none', async () => {
    const writer = new EmbeddedReadStore({ path });
    const reader = new EmbeddedReadStore({ path });
    expect(await reader.collection('leads').find({ _id: { $in: ['a', 'b'] } })).toEqual([]);

    await writer.commit('projections', 5n, [
      { collection: 'leads', id: 'a', doc: row('a', 'mql'), position: 5n },
    ]);
    expect((await reader.collection<Row>('leads').findOne({ _id: 'a' }))?.stage).toBe('mql');
    // the position guard sees the other connection's write too
    await reader.commit('projections', 5n, [
      { collection: 'leads', id: 'a', doc: row('a', 'stale'), position: 3n },
      { collection: 'leads', id: 'b', doc: row('b', 'captured'), position: 4n },
    ]);
    expect((await writer.collection<Row>('leads').findOne({ _id: 'a' }))?.stage).toBe('mql');
    expect((await writer.collection<Row>('leads').findOne({ _id: 'b' }))?.stage).toBe('captured');

    await reader.commit('projections', 6n, [
      { collection: 'leads', id: 'b', doc: null, position: 6n },
    ]);
    expect(await writer.collection('leads').findOne({ _id: 'b' })).toBeNull();
    expect(await reader.collection('leads').findOne({ _id: 'b' })).toBeNull();
    await writer.close();
    await reader.close();
  });

  it('answers from the file when the cache holds fewer documents than the collection', async () => {
    const store = new EmbeddedReadStore({ path, cacheSize: 2 });
    const ids = ['a', 'b', 'c', 'd', 'e'];
    await store.commit(
      'projections',
      5n,
      ids.map((id, index) => ({
        collection: 'leads',
        id,
        doc: row(id, index % 2 === 0 ? 'mql' : 'lost'),
        position: BigInt(index + 1),
      })),
    );
    const found = await store.collection<Row>('leads').find({ _id: { $in: ids } });
    expect(found.map((doc) => doc._id).sort()).toEqual(ids);
    // the position guard reads stored positions of documents the cache no longer holds
    await store.commit('projections', 5n, [
      { collection: 'leads', id: 'a', doc: row('a', 'stale'), position: 1n },
    ]);
    expect((await store.collection<Row>('leads').findOne({ _id: 'a' }))?.stage).toBe('mql');
    await store.close();
  });

  it('answers a lookup of many ids in their order, from the cache, the file or neither', async () => {
    const writer = new EmbeddedReadStore({ path });
    await writer.commit(
      'projections',
      4n,
      ['a', 'b', 'c', 'd'].map((id, index) => ({
        collection: 'leads',
        id,
        doc: row(id, 'mql'),
        position: BigInt(index + 1),
      })),
    );
    await writer.close();
    const store = new EmbeddedReadStore({ path, cacheSize: 3 });
    await store.collection('leads').find({ _id: { $in: ['b', 'x'] } });
    const found = await store.collection('leads').find({ _id: { $in: ['d', 'x', 'b', 'a', 'y'] } });
    expect(found.map((doc) => doc._id)).toEqual(['d', 'b', 'a']);
    await store.close();
  });

  // keyset paging (listLeads) reads the primary key in order and stops after the page
  it('pages by _id in both directions with further conditions', async () => {
    const store = new EmbeddedReadStore({ path, cacheSize: 0 });
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    await store.commit(
      'projections',
      6n,
      ids.map((id, index) => ({
        collection: 'leads',
        id,
        doc: row(id, index % 2 === 0 ? 'mql' : 'lost'),
        position: BigInt(index + 1),
      })),
    );
    const page = (filter: Record<string, unknown>, direction: 1 | -1) =>
      store
        .collection('leads')
        .find(filter, { sort: { _id: direction }, limit: 2 })
        .then((docs) => docs.map((doc) => doc._id));
    expect(await page({ stage: 'mql', _id: { $gt: 'a' } }, 1)).toEqual(['c', 'e']);
    expect(await page({ stage: 'lost', _id: { $lt: 'f' } }, -1)).toEqual(['d', 'b']);
    expect(await page({ _id: { $gte: 'b', $lte: 'c' } }, 1)).toEqual(['b', 'c']);
    expect(await store.collection('leads').count({ _id: { $gt: 'c' }, stage: 'lost' })).toBe(2);
    await store.close();
  });
});

describe('EmbeddedReadStore (SQLite file) scans narrowed in SQL', () => {
  // the SQL conditions only skip rows that cannot match; mingo still decides, as on MongoDB
  it('keeps every document MongoDB would match: array elements, booleans, numbers, ranges', async () => {
    const store = new EmbeddedReadStore({ path: join(tempDir, 'narrowed.sqlite') });
    const docs: Doc[] = [
      { _id: 'a', tags: ['x', 'y'], done: true, score: 1, at: '2026-01-01' },
      { _id: 'b', tags: 'x', done: false, score: 1.0, at: '2026-02-01' },
      { _id: 'c', tags: ['z'], done: 1, score: '1', at: 5 },
      { _id: 'd', nested: { tags: 'x' } },
    ];
    await store.commit(
      'projections',
      4n,
      docs.map((doc, index) => ({
        collection: 'things',
        id: doc._id,
        doc,
        position: BigInt(index + 1),
      })),
    );
    const ids = async (filter: Record<string, unknown>) =>
      (await store.collection('things').find(filter, { sort: { _id: 1 } })).map((doc) => doc._id);
    expect(await ids({ tags: 'x' })).toEqual(['a', 'b']);
    expect(await ids({ done: true })).toEqual(['a']);
    expect(await ids({ score: 1 })).toEqual(['a', 'b']);
    expect(await ids({ score: { $gte: 1 } })).toEqual(['a', 'b']);
    expect(await ids({ at: { $gte: '2026-01-15', $lt: '2027' } })).toEqual(['b']);
    expect(await ids({ tags: { $gt: 'x' } })).toEqual(['a', 'c']);
    expect(await store.collection('things').count({ done: false })).toBe(1);
    expect(
      await store
        .collection('things')
        .aggregate([{ $match: { tags: 'x', score: 1 } }, { $count: 'n' }]),
    ).toEqual([{ n: 2 }]);
    await store.close();
  });
});

describe('EmbeddedReadStore (SQLite file) rows cut in SQL', () => {
  // nested paths through objects, null, missing fields, arrays and scalars
  const docs = [
    { _id: 'a', n: 1, credits: { linear: [{ key: 'c1', amount: 5 }], other: 'x' }, cur: 'EUR' },
    { _id: 'b', n: 1, credits: null, cur: 'EUR' },
    { _id: 'c', n: 1, cur: null },
    { _id: 'd', n: 1, credits: [{ linear: [{ key: 'c2', amount: 7 }] }], cur: 'USD' },
    { _id: 'e', n: 2, credits: 'flat', cur: 'USD' },
    { _id: 'f', n: 1, credits: { linear: { key: 'c3', amount: 11 } } },
  ];
  const pipelines = [
    [
      { $match: { n: 1 } },
      { $unwind: { path: '$credits.linear', preserveNullAndEmptyArrays: true } },
      {
        $group: {
          _id: { key: '$credits.linear.key', cur: '$cur' },
          total: { $sum: '$credits.linear.amount' },
          ids: { $push: '$_id' },
        },
      },
      { $sort: { '_id.key': 1, '_id.cur': 1 } },
    ],
    [
      { $match: { n: { $gte: 1 } } },
      { $group: { _id: '$cur', ids: { $push: '$_id' }, has: { $push: { $type: '$credits' } } } },
      { $sort: { _id: 1 } },
    ],
    [{ $match: { n: 1, cur: 'EUR' } }, { $count: 'n' }],
  ];

  it('answers every pipeline as the heap does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'embedded-cut-'));
    const file = new EmbeddedReadStore({ path: join(dir, 'read.sqlite') });
    const heap = new EmbeddedReadStore({ path: ':memory:' });
    try {
      for (const store of [file, heap]) {
        await store.commit(
          'projections',
          1n,
          docs.map((doc) => ({ collection: 'things', id: doc._id, doc, position: 1n })),
        );
      }
      for (const pipeline of pipelines) {
        const expected = await heap.collection('things').aggregate(pipeline);
        expect(expected.length).toBeGreaterThan(0);
        expect(await file.collection('things').aggregate(pipeline)).toStrictEqual(expected);
      }
    } finally {
      await Promise.all([file.close(), heap.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('EmbeddedReadStore (:memory:)', () => {
  let store: EmbeddedReadStore;
  const sourced = {
    ...row('a', 'mql', [{ campaignId: 'c1', amount: 100 }]),
    source: { channel: 'email' },
  };
  const original = { ...sourced, _position: encodePosition(1n) };

  beforeEach(async () => {
    store = new EmbeddedReadStore({ path: ':memory:' });
    await store.commit('projections', 2n, [
      { collection: 'leads', id: 'a', doc: sourced, position: 1n },
      { collection: 'leads', id: 'b', doc: row('b', 'lost'), position: 2n },
    ]);
  });
  afterEach(() => store.close());

  // Projections build new documents and never mutate what they handed over, so the store keeps
  // the written document itself (no copy) and freezes it: the caller cannot change it afterwards.
  it('freezes the document passed to commit, so the store cannot be changed through it', async () => {
    const doc = row('c', 'captured', [{ campaignId: 'c9', amount: 1 }]);
    await store.commit('projections', 3n, [{ collection: 'leads', id: 'c', doc, position: 3n }]);
    expect(() => {
      doc.touches[0].amount = 999;
    }).toThrow(TypeError);
    expect(await store.collection('leads').findOne({ _id: 'c' })).toEqual({
      ...row('c', 'captured', [{ campaignId: 'c9', amount: 1 }]),
      _position: encodePosition(3n),
    });
  });

  it('returns aggregation results the caller may change without changing the store', async () => {
    const [group] = await store
      .collection('leads')
      .aggregate<{ docs: Row[] }>([
        { $match: { _id: 'a' } },
        { $group: { _id: null, docs: { $push: '$$ROOT' } } },
      ]);
    group.docs[0].touches[0].amount = 0;
    const [matched] = await store.collection('leads').aggregate<Row>([{ $match: { _id: 'a' } }]);
    matched.touches.length = 0;
    expect(await store.collection('leads').findOne({ _id: 'a' })).toEqual(original);
  });

  it('runs pipelines that rewrite nested fields without touching the stored documents', async () => {
    // mingo edits nested objects of its input in place for these stages
    const rewritten = await store
      .collection('leads')
      .aggregate([
        { $match: { _id: 'a' } },
        { $set: { 'source.channel': 'ads', 'source.campaignId': 'c7' } },
        { $unset: ['stage', 'touches'] },
      ]);
    expect(rewritten).toEqual([
      { _id: 'a', source: { channel: 'ads', campaignId: 'c7' }, _position: encodePosition(1n) },
    ]);
    await store
      .collection('leads')
      .aggregate([{ $project: { 'source.channel': 0, 'touches.campaignId': 0 } }]);
    expect(await store.collection('leads').findOne({ _id: 'a' })).toEqual(original);
  });

  it('sees a collection dropped by reset as empty, and documents returned earlier stay intact', async () => {
    const before = await store.collection('leads').find({}, { sort: { _id: 1 } });
    await store.reset('projections', ['leads']);
    expect(await store.collection('leads').find({})).toEqual([]);
    expect(before.map((doc) => doc._id)).toEqual(['a', 'b']);
  });

  it('refuses to work after close', async () => {
    await store.close();
    await expect(store.collection('leads').find({})).rejects.toThrow('closed');
    await expect(store.commit('projections', 3n, [])).rejects.toThrow('closed');
    await expect(store.checkpoint('projections')).rejects.toThrow('closed');
  });
});

describe('EmbeddedReadStore (SQLite file) pages and declared indexes', () => {
  let path: string;
  let fileNumber = 0;
  beforeEach(() => {
    path = join(tempDir, 'indexed', `store-${++fileNumber}.sqlite`);
  });

  const seeded = async (store: EmbeddedReadStore, stages: string[]) =>
    store.commit(
      'projections',
      BigInt(stages.length),
      stages.map((stage, index) => {
        const id = String.fromCharCode(97 + index);
        return { collection: 'leads', id, doc: row(id, stage), position: BigInt(index + 1) };
      }),
    );

  // A row that SQLite reads (JSON5) but JSON.parse refuses: a query that parsed it would fail.
  const unparseable = (id: string, stage: string) => {
    const db = new Database(path);
    db.prepare('INSERT INTO documents (collection, id, doc) VALUES (?, ?, ?)').run(
      'leads',
      id,
      `{_id: '${id}', stage: '${stage}', _position: '${encodePosition(1n)}'}`,
    );
    db.close();
  };

  // a list page parsed every row of the collection before (mingo's limit filters its input)
  it('a page in id order reads no row after its last document', async () => {
    const store = new EmbeddedReadStore({ path, cacheSize: 0 });
    await seeded(store, ['mql', 'lost', 'mql']);
    unparseable('z', 'mql');
    const page = await store.collection('leads').find({}, { sort: { _id: 1 }, limit: 2 });
    expect(page.map((doc) => doc._id)).toEqual(['a', 'b']);
    const mql = await store
      .collection('leads')
      .find({ stage: 'mql' }, { sort: { _id: 1 }, skip: 1, limit: 1 });
    expect(mql.map((doc) => doc._id)).toEqual(['c']);
    await store.close();
  });

  it('creates one partial expression index per declared field, once, kept across a reopen', async () => {
    const first = new EmbeddedReadStore({ path });
    const specs = [{ collection: 'leads', key: { stage: 1 as const, _id: 1 as const } }];
    await first.ensureIndexes(specs);
    await first.ensureIndexes(specs);
    await first.close();
    const db = new Database(path, { readonly: true });
    const indexes = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'query_%'")
      .pluck()
      .all();
    db.close();
    expect(indexes).toEqual([
      `CREATE INDEX "query_leads_stage" ON documents (json_extract(doc, '$.stage'), id) WHERE collection = 'leads'`,
    ]);

    const reopened = new EmbeddedReadStore({ path });
    await reopened.ensureIndexes(specs);
    await seeded(reopened, ['mql', 'lost', 'mql', 'captured']);
    unparseable('z', 'lost');
    const mql = await reopened.collection('leads').find({ stage: 'mql' });
    expect(mql.map((doc) => doc._id).sort()).toEqual(['a', 'c']);
    expect(await reopened.collection('leads').count({ stage: { $gte: 'm' } })).toBe(2);
    await reopened.close();
  });

  // an indexed field is compared as one value; an array would hide documents matching an element
  it.each([':memory:', 'file'])(
    'refuses a commit that puts an array in a declared field, and changes nothing (%s)',
    async (kind) => {
      const store = new EmbeddedReadStore({ path: kind === 'file' ? path : ':memory:' });
      await store.ensureIndexes([{ collection: 'leads', key: { stage: 1, _id: 1 } }]);
      await seeded(store, ['mql']);
      await expect(
        store.commit('projections', 9n, [
          { collection: 'leads', id: 'b', doc: row('b', 'lost'), position: 8n },
          { collection: 'leads', id: 'a', doc: { _id: 'a', stage: ['mql', 'lost'] }, position: 9n },
        ]),
      ).rejects.toThrow('leads.stage is indexed as one value, not an array');
      expect(await store.checkpoint('projections')).toBe(1n);
      expect(await store.collection('leads').count()).toBe(1);
      await store.close();
    },
  );

  it('refuses an index on a field that is not a plain top-level name', async () => {
    const store = new EmbeddedReadStore({ path });
    await expect(
      store.ensureIndexes([{ collection: 'leads', key: { 'source.channel': 1 } }]),
    ).rejects.toThrow('not a plain name for an index: source.channel');
    await store.close();
  });
});
