import { randomUUID } from 'node:crypto';
import {
  type Doc,
  type DocumentWrite,
  type ReadIndexSpec,
  type ReadStore,
  encodePosition,
} from './read-store.port';

type LeadRow = Doc & {
  stage: string;
  score: number;
  owner: string | null;
  touches: { campaignId: string; amount: number }[];
};

const lead = (
  id: string,
  stage: string,
  score: number,
  touches: LeadRow['touches'] = [],
): LeadRow => ({
  _id: id,
  stage,
  score,
  owner: null,
  touches,
});

const write = (collection: string, doc: Doc, position: bigint): DocumentWrite => ({
  collection,
  id: doc._id,
  doc,
  position,
});

const remove = (collection: string, id: string, position: bigint): DocumentWrite => ({
  collection,
  id,
  doc: null,
  position,
});

const ids = (docs: Doc[]): string[] => docs.map((doc) => doc._id);

/**
 * The behaviour every ReadStore adapter must have. It runs against shared servers too, so each
 * test uses collection and checkpoint names of its own and cleans them up afterwards.
 */
export const readStoreContract = (adapterName: string, open: () => Promise<ReadStore>): void => {
  describe(`ReadStore contract: ${adapterName}`, () => {
    let store: ReadStore;
    let leads: string;
    let other: string;
    let checkpointName: string;
    let otherCheckpoint: string;

    beforeEach(async () => {
      store = await open();
      const run = randomUUID().slice(0, 8);
      leads = `contract_leads_${run}`;
      other = `contract_other_${run}`;
      checkpointName = `contract-${run}`;
      otherCheckpoint = `contract-other-${run}`;
    });

    afterEach(async () => {
      await store.reset(checkpointName, [leads, other]);
      await store.reset(otherCheckpoint, []);
      await store.close();
    });

    const seed = async (): Promise<void> => {
      await store.commit(checkpointName, 5n, [
        write(leads, lead('a', 'mql', 70, [{ campaignId: 'c1', amount: 100 }]), 1n),
        write(leads, lead('b', 'captured', 20, [{ campaignId: 'c2', amount: 50 }]), 2n),
        write(
          leads,
          lead('c', 'mql', 90, [
            { campaignId: 'c1', amount: 30 },
            { campaignId: 'c2', amount: 20 },
          ]),
          3n,
        ),
        write(leads, lead('d', 'mql', 60), 4n),
        write(leads, lead('e', 'lost', 10, [{ campaignId: 'c3', amount: 5 }]), 5n),
      ]);
    };

    it('stores committed documents with their _id and encoded _position', async () => {
      await seed();
      expect(await store.collection(leads).findOne({ _id: 'c' })).toEqual({
        ...lead('c', 'mql', 90, [
          { campaignId: 'c1', amount: 30 },
          { campaignId: 'c2', amount: 20 },
        ]),
        _position: encodePosition(3n),
      });
    });

    it('finds with a filter, sort, skip and limit', async () => {
      await seed();
      const collection = store.collection<LeadRow>(leads);
      expect(ids(await collection.find({ stage: 'mql' }, { sort: { score: -1 } }))).toEqual([
        'c',
        'a',
        'd',
      ]);
      expect(
        ids(await collection.find({ stage: 'mql' }, { sort: { score: -1 }, skip: 1, limit: 1 })),
      ).toEqual(['a']);
      expect(
        ids(await collection.find({ score: { $gte: 20, $lt: 70 } }, { sort: { _id: 1 } })),
      ).toEqual(['b', 'd']);
      expect(ids(await collection.find({}, { sort: { _id: -1 }, limit: 2 }))).toEqual(['e', 'd']);
      expect(ids(await collection.find(undefined, { sort: { _id: 1 } }))).toEqual([
        'a',
        'b',
        'c',
        'd',
        'e',
      ]);
      expect(
        ids(await collection.find({ 'touches.campaignId': 'c2' }, { sort: { _id: 1 } })),
      ).toEqual(['b', 'c']);
    });

    it('answers the same on declared indexes: equality, ranges, pages in id order, counts and pipelines', async () => {
      const indexes: ReadIndexSpec[] = [
        { collection: leads, key: { stage: 1, _id: 1 } },
        { collection: leads, key: { score: 1, _id: 1 } },
      ];
      await store.ensureIndexes(indexes);
      await store.ensureIndexes(indexes);
      await seed();
      const collection = store.collection<LeadRow>(leads);
      expect(ids(await collection.find({ stage: 'mql' }, { sort: { _id: 1 } }))).toEqual([
        'a',
        'c',
        'd',
      ]);
      expect(
        ids(await collection.find({ stage: 'mql' }, { sort: { _id: -1 }, skip: 1, limit: 1 })),
      ).toEqual(['c']);
      expect(
        ids(await collection.find({ score: { $gte: 20, $lt: 90 } }, { sort: { _id: 1 } })),
      ).toEqual(['a', 'b', 'd']);
      expect(await collection.count({ stage: 'mql', score: { $gt: 60 } })).toBe(2);
      expect(
        await collection.aggregate([
          { $match: { stage: 'mql', score: { $lte: 70 } } },
          { $group: { _id: '$stage', total: { $sum: '$score' } } },
        ]),
      ).toEqual([{ _id: 'mql', total: 130 }]);
    });

    // how the SLA automations read only the leads due by now (a null field is never due)
    it('a range on a declared index leaves out null; a sort on it pages in its order', async () => {
      await store.ensureIndexes([{ collection: leads, key: { owner: 1, _id: 1 } }]);
      const owned = (id: string, owner: string | null) => ({ ...lead(id, 'mql', 70), owner });
      await store.commit(checkpointName, 4n, [
        write(leads, owned('a', '2026-01-05'), 1n),
        write(leads, owned('b', null), 2n),
        write(leads, owned('c', '2026-01-07'), 3n),
        write(leads, owned('d', '2026-01-06'), 4n),
      ]);
      const collection = store.collection<LeadRow>(leads);
      expect(
        ids(await collection.find({ owner: { $lte: '2026-01-06' } }, { sort: { _id: 1 } })),
      ).toEqual(['a', 'd']);
      expect(
        await collection.aggregate([
          { $match: { owner: { $lte: '2026-01-06' } } },
          { $group: { _id: null, n: { $sum: 1 } } },
        ]),
      ).toEqual([{ _id: null, n: 2 }]);
      // a page in the index's order (null first), how the automations read the earliest first
      expect(
        ids(
          await collection.find(
            { owner: { $lte: '2026-01-07' } },
            { sort: { owner: 1, _id: 1 }, limit: 2 },
          ),
        ),
      ).toEqual(['a', 'd']);
      expect(ids(await collection.find({}, { sort: { owner: 1 } }))).toEqual(['b', 'a', 'd', 'c']);
      expect(ids(await collection.find({}, { sort: { owner: -1, _id: -1 }, limit: 3 }))).toEqual([
        'c',
        'd',
        'a',
      ]);
    });

    it('finds by _id with $in, ignoring ids that do not exist', async () => {
      await seed();
      const found = await store
        .collection(leads)
        .find({ _id: { $in: ['e', 'zz', 'a'] } }, { sort: { _id: 1 } });
      expect(ids(found)).toEqual(['a', 'e']);
      expect(await store.collection(leads).find({ _id: { $in: [] } })).toEqual([]);
    });

    it('finds one document or null', async () => {
      await seed();
      expect((await store.collection(leads).findOne({ stage: 'lost' }))?._id).toBe('e');
      expect(await store.collection(leads).findOne({ _id: 'missing' })).toBeNull();
      expect(await store.collection(leads).findOne({ stage: 'converted' })).toBeNull();
    });

    it('counts with and without a filter; an unknown collection is empty', async () => {
      await seed();
      expect(await store.collection(leads).count()).toBe(5);
      expect(await store.collection(leads).count({ stage: 'mql' })).toBe(3);
      expect(await store.collection(leads).count({ _id: { $in: ['a', 'b', 'nope'] } })).toBe(2);
      expect(await store.collection(other).count()).toBe(0);
      expect(await store.collection(other).find({})).toEqual([]);
      expect(await store.collection(other).aggregate([{ $count: 'n' }])).toEqual([]);
    });

    it('aggregates with $match, $unwind, $group and $sort (sums per key)', async () => {
      await seed();
      const rows = await store.collection(leads).aggregate([
        { $match: { stage: { $ne: 'lost' } } },
        { $unwind: '$touches' },
        {
          $group: {
            _id: '$touches.campaignId',
            amount: { $sum: '$touches.amount' },
            leads: { $sum: 1 },
          },
        },
        { $sort: { _id: 1 } },
      ]);
      expect(rows).toEqual([
        { _id: 'c1', amount: 130, leads: 2 },
        { _id: 'c2', amount: 70, leads: 2 },
      ]);
    });

    it('aggregates with $project, $cond, $addFields, $count and date bucketing', async () => {
      await store.commit(checkpointName, 3n, [
        write(leads, { _id: 'a', handedOffAt: '2026-01-31T23:00:00.000Z', minutes: 30 }, 1n),
        write(leads, { _id: 'b', handedOffAt: '2026-02-01T00:30:00.000Z', minutes: 90 }, 2n),
        write(leads, { _id: 'c', handedOffAt: '2026-02-14T12:00:00.000Z', minutes: 10 }, 3n),
      ]);
      const rows = await store.collection(leads).aggregate([
        {
          $addFields: {
            month: {
              $dateToString: {
                format: '%Y-%m',
                date: { $dateFromString: { dateString: '$handedOffAt' } },
              },
            },
            met: { $cond: [{ $lte: ['$minutes', 60] }, 1, 0] },
          },
        },
        {
          $group: {
            _id: '$month',
            handoffs: { $sum: 1 },
            met: { $sum: '$met' },
            slowest: { $max: '$minutes' },
          },
        },
        { $project: { _id: 0, month: '$_id', handoffs: 1, met: 1, slowest: 1 } },
        { $sort: { month: 1 } },
      ]);
      expect(rows).toEqual([
        { month: '2026-01', handoffs: 1, met: 1, slowest: 30 },
        { month: '2026-02', handoffs: 2, met: 1, slowest: 90 },
      ]);
      expect(
        await store
          .collection(leads)
          .aggregate([{ $match: { minutes: { $gt: 20 } } }, { $count: 'n' }]),
      ).toEqual([{ n: 2 }]);
    });

    it('runs the pipelines of a $facet over one input: per key, per lead first, and totals', async () => {
      await seed();
      const [answer] = await store.collection(leads).aggregate([
        { $match: { stage: { $ne: 'lost' } } },
        {
          $facet: {
            perKey: [
              { $unwind: '$touches' },
              {
                $group: {
                  _id: { lead: '$_id', key: '$touches.campaignId' },
                  amount: { $sum: '$touches.amount' },
                },
              },
              { $group: { _id: '$_id.key', amount: { $sum: '$amount' }, leads: { $sum: 1 } } },
              { $sort: { _id: 1 } },
            ],
            totals: [{ $group: { _id: null, leads: { $sum: 1 }, score: { $sum: '$score' } } }],
          },
        },
      ]);
      expect(answer).toEqual({
        perKey: [
          { _id: 'c1', amount: 130, leads: 2 },
          { _id: 'c2', amount: 70, leads: 2 },
        ],
        totals: [{ _id: null, leads: 4, score: 240 }],
      });
    });

    it('joins another collection with $lookup inside a $facet', async () => {
      await store.commit(checkpointName, 3n, [
        write(leads, { _id: 'a', owner: 'rep-1' }, 1n),
        write(other, { _id: 'rep-1', team: 'north' }, 2n),
      ]);
      const rows = await store.collection(leads).aggregate([
        {
          $facet: {
            teams: [
              { $lookup: { from: other, localField: 'owner', foreignField: '_id', as: 'rep' } },
              { $project: { _id: 1, team: { $first: '$rep.team' } } },
            ],
          },
        },
      ]);
      expect(rows).toEqual([{ teams: [{ _id: 'a', team: 'north' }] }]);
    });

    it('joins another collection with $lookup', async () => {
      await store.commit(checkpointName, 3n, [
        write(leads, { _id: 'a', owner: 'rep-1' }, 1n),
        write(other, { _id: 'rep-1', team: 'north' }, 2n),
      ]);
      const rows = await store
        .collection(leads)
        .aggregate([
          { $lookup: { from: other, localField: 'owner', foreignField: '_id', as: 'rep' } },
          { $project: { _id: 1, team: { $first: '$rep.team' } } },
        ]);
      expect(rows).toEqual([{ _id: 'a', team: 'north' }]);
    });

    it('deletes a document written as null', async () => {
      await seed();
      await store.commit(checkpointName, 6n, [
        remove(leads, 'b', 6n),
        remove(leads, 'never-existed', 6n),
      ]);
      expect(await store.collection(leads).findOne({ _id: 'b' })).toBeNull();
      expect(await store.collection(leads).count()).toBe(4);
    });

    it('returns a null checkpoint before the first commit, then the committed value', async () => {
      expect(await store.checkpoint(checkpointName)).toBeNull();
      await store.commit(checkpointName, 42n, []);
      expect(await store.checkpoint(checkpointName)).toBe(42n);
      expect(await store.checkpoint(otherCheckpoint)).toBeNull();
    });

    it('round-trips checkpoints and positions beyond 2^53', async () => {
      const big = 2n ** 63n + 12_345n;
      await store.commit(checkpointName, big, [write(leads, lead('a', 'mql', 70), big)]);
      expect(await store.checkpoint(checkpointName)).toBe(big);
      expect((await store.collection(leads).findOne({ _id: 'a' }))?._position).toBe(
        encodePosition(big),
      );
      // one more than the stored position must still count as newer
      await store.commit(checkpointName, big + 1n, [
        write(leads, lead('a', 'accepted', 70), big + 1n),
      ]);
      expect((await store.collection(leads).findOne({ _id: 'a' }))?.stage).toBe('accepted');
      expect(await store.checkpoint(checkpointName)).toBe(big + 1n);
    });

    it('never moves a checkpoint backwards (a re-delivered batch)', async () => {
      await store.commit(checkpointName, 10n, []);
      await store.commit(checkpointName, 7n, []);
      expect(await store.checkpoint(checkpointName)).toBe(10n);
    });

    it('skips writes whose position is not newer than the stored document', async () => {
      await store.commit(checkpointName, 10n, [write(leads, lead('a', 'mql', 70), 10n)]);
      const stored = await store.collection(leads).findOne({ _id: 'a' });

      await store.commit(checkpointName, 10n, [write(leads, lead('a', 'captured', 5), 10n)]);
      await store.commit(checkpointName, 9n, [write(leads, lead('a', 'captured', 5), 4n)]);
      await store.commit(checkpointName, 10n, [remove(leads, 'a', 9n)]);
      expect(await store.collection(leads).findOne({ _id: 'a' })).toEqual(stored);

      await store.commit(checkpointName, 11n, [write(leads, lead('a', 'handed_off', 75), 11n)]);
      expect(await store.collection(leads).findOne({ _id: 'a' })).toEqual({
        ...lead('a', 'handed_off', 75),
        _position: encodePosition(11n),
      });
    });

    it('a replace (repair) write also overwrites or deletes the same position, never a newer one', async () => {
      await store.commit(checkpointName, 10n, [
        write(leads, lead('a', 'mql', 70), 10n),
        write(leads, lead('b', 'mql', 60), 10n),
      ]);
      const replace = (doc: DocumentWrite): DocumentWrite => ({ ...doc, replace: true });

      await store.commit(checkpointName, 10n, [
        replace(write(leads, lead('a', 'repaired', 71), 10n)),
      ]);
      await store.commit(checkpointName, 10n, [replace(write(leads, lead('a', 'stale', 0), 9n))]);
      await store.commit(checkpointName, 10n, [replace(remove(leads, 'b', 10n))]);

      expect(await store.collection(leads).find({}, { sort: { _id: 1 } })).toEqual([
        { ...lead('a', 'repaired', 71), _position: encodePosition(10n) },
      ]);
    });

    it('applies several writes to one document within a commit in order, each guarded', async () => {
      await store.commit(checkpointName, 3n, [
        write(leads, lead('a', 'captured', 10), 1n),
        write(leads, lead('a', 'mql', 80), 3n),
        write(leads, lead('a', 'stale', 0), 2n),
      ]);
      expect(await store.collection(leads).findOne({ _id: 'a' })).toEqual({
        ...lead('a', 'mql', 80),
        _position: encodePosition(3n),
      });
    });

    it('reset drops the given collections and checkpoint only', async () => {
      await seed();
      await store.commit(otherCheckpoint, 8n, [write(other, { _id: 'x', kept: true }, 8n)]);
      await store.reset(checkpointName, [leads]);
      expect(await store.checkpoint(checkpointName)).toBeNull();
      expect(await store.collection(leads).count()).toBe(0);
      expect(await store.collection(leads).find({})).toEqual([]);
      expect(await store.checkpoint(otherCheckpoint)).toBe(8n);
      expect(await store.collection(other).findOne({ _id: 'x' })).toEqual({
        _id: 'x',
        kept: true,
        _position: encodePosition(8n),
      });
      // after a reset, earlier positions are accepted again (a rebuild replays from the start)
      await store.commit(checkpointName, 1n, [write(leads, lead('a', 'captured', 1), 1n)]);
      expect((await store.collection(leads).findOne({ _id: 'a' }))?.stage).toBe('captured');
      expect(await store.checkpoint(checkpointName)).toBe(1n);
    });

    it('returns documents the caller may change without changing the store', async () => {
      await seed();
      const found = await store.collection<LeadRow>(leads).findOne({ _id: 'a' });
      found!.stage = 'changed';
      found!.touches[0].amount = 0;
      const [listed] = await store.collection<LeadRow>(leads).find({ _id: 'a' });
      listed.touches.push({ campaignId: 'x', amount: 1 });
      expect(await store.collection(leads).findOne({ _id: 'a' })).toEqual({
        ...lead('a', 'mql', 70, [{ campaignId: 'c1', amount: 100 }]),
        _position: encodePosition(1n),
      });
    });
  });
};
