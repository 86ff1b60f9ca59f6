import { randomUUID } from 'node:crypto';
import { redactConnectionString } from '@lead/event-store';
import { MongoReadStore } from './mongo-read-store';
import { readStoreContract } from './read-store.contract';
import { encodePosition } from './read-store.port';

// Needs a MongoDB-protocol server: `npm test` starts FerretDB (npm run infra); MongoDB itself via
// docker/docker-compose.yml, e.g.
// MONGO_URL='mongodb://localhost:27017/?replicaSet=rs0' MONGO_DB=lead_test npm run test:integration
const url = process.env.MONGO_URL ?? '';
// a database of its own per run, so suites and runs never see each other's documents
const dbName = process.env.MONGO_DB ?? `lead_read_models_test_${randomUUID().slice(0, 8)}`;
const describeIfMongo = url ? describe : describe.skip;

describeIfMongo(
  url
    ? `MongoReadStore against ${redactConnectionString(url)} (database ${dbName})`
    : 'MongoReadStore (skipped: MONGO_URL is not set, so there is no MongoDB to run against)',
  () => {
    readStoreContract('MongoReadStore', () => MongoReadStore.connect(url, dbName));

    it('creates declared query indexes idempotently and ignores a replayed batch', async () => {
      const store = await MongoReadStore.connect(url, dbName);
      const collection = `int_leads_${Date.now().toString(36)}`;
      const checkpoint = `int-${collection}`;
      try {
        const indexes = [{ collection, key: { stage: 1 as const, score: -1 as const } }];
        await store.ensureIndexes(indexes);
        await store.ensureIndexes(indexes);
        const batch = [
          { collection, id: 'a', doc: { _id: 'a', stage: 'mql', score: 70 }, position: 5n },
          { collection, id: 'b', doc: { _id: 'b', stage: 'lost', score: 10 }, position: 6n },
        ];
        await store.commit(checkpoint, 6n, batch);
        await store.commit(checkpoint, 7n, [
          { collection, id: 'a', doc: { _id: 'a', stage: 'accepted', score: 70 }, position: 7n },
        ]);

        // every upsert of the replay loses to a newer document: duplicate keys, all ignored
        await store.commit(checkpoint, 6n, batch);

        expect(await store.collection(collection).find({}, { sort: { _id: 1 } })).toEqual([
          { _id: 'a', stage: 'accepted', score: 70, _position: encodePosition(7n) },
          { _id: 'b', stage: 'lost', score: 10, _position: encodePosition(6n) },
        ]);
        expect(await store.checkpoint(checkpoint)).toBe(7n);
      } finally {
        await store.reset(checkpoint, [collection]);
        await store.close();
      }
    });

    // FerretDB names no index in a duplicate-key error: the adapter must still tell a unique
    // query index apart from a stale upsert, by reading the stored document
    it('a unique query index conflict fails the commit; a stale upsert does not', async () => {
      const store = await MongoReadStore.connect(url, dbName);
      const collection = `int_unique_${Date.now().toString(36)}`;
      const checkpoint = `int-${collection}`;
      try {
        await store.ensureIndexes([{ collection, key: { email: 1 }, unique: true }]);
        await store.commit(checkpoint, 2n, [
          { collection, id: 'a', doc: { _id: 'a', email: 'x@example.com' }, position: 2n },
        ]);

        await expect(
          store.commit(checkpoint, 3n, [
            { collection, id: 'b', doc: { _id: 'b', email: 'x@example.com' }, position: 3n },
          ]),
        ).rejects.toThrow(/E11000/);
        await store.commit(checkpoint, 3n, [
          { collection, id: 'a', doc: { _id: 'a', email: 'old@example.com' }, position: 1n },
        ]);

        expect(await store.collection(collection).find({})).toEqual([
          { _id: 'a', email: 'x@example.com', _position: encodePosition(2n) },
        ]);
        expect(await store.checkpoint(checkpoint)).toBe(3n);
      } finally {
        await store.reset(checkpoint, [collection]);
        await store.close();
      }
    });
  },
);
