import { mkdtempSync, promises as fs, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { LeadFact } from '@lead/domain';
import {
  InMemoryPersonalDataVault,
  PersonalDataEventStore,
  SqliteEventStore,
} from '@lead/event-store';
import {
  at,
  leadAccepted,
  leadCaptured,
  leadConverted,
  leadEngaged,
  leadHandedOff,
  leadLost,
  leadPersonalDataErased,
  leadScored,
  newEventOf,
} from '@lead/testing';
import { leadAttributionProjection } from './lead-projections/lead-attribution.projection';
import { leadSummaryProjection } from './lead-projections/lead-summary.projection';
import type { Projection } from './projection';
import { ReplaySnapshots } from './replay-snapshots';
import { type ReplayLimit, type ReplayedView, replayUpTo } from './replay-up-to';

const leadId = (n: number): string => `01943a4e-3c00-7000-8000-${String(n).padStart(12, '0')}`;

// Ten leads whose lives interleave (so a batch and a snapshot cut through several of them): each
// is captured with a prior touch, engages, is scored, handed off and accepted, then converts
// (even leads, in EUR or USD) or is lost.
const lifeOf = (n: number): LeadFact[] => {
  const id = leadId(n);
  const handoff = leadHandedOff({ leadId: id, toRep: `rep-${n % 3}`, occurredAt: at(n + 30) });
  return [
    leadCaptured({
      leadId: id,
      email: `lead-${n}@example.com`,
      name: `Lead ${n}`,
      source: { campaignId: `cmp-${n % 4}`, channel: 'webinar' },
      priorTouches: [{ campaignId: 'cmp-ads', channel: 'paid_search', occurredAt: at(n - 60) }],
      occurredAt: at(n),
    }),
    leadEngaged({ leadId: id, campaignId: `cmp-${n % 5}`, occurredAt: at(n + 10) }),
    leadScored({ leadId: id, score: 60 + n, occurredAt: at(n + 20) }),
    handoff,
    leadAccepted({ leadId: id, handoffEventId: handoff.metadata.eventId, occurredAt: at(n + 40) }),
    n % 2 === 0
      ? leadConverted({
          leadId: id,
          amount: 1_000 * n + 1,
          currency: n % 4 === 0 ? 'EUR' : 'USD',
          occurredAt: at(n + 50),
        })
      : leadLost({ leadId: id, occurredAt: at(n + 50) }),
  ];
};
const lives = Array.from({ length: 10 }, (_, n) => lifeOf(n + 1));
const history = lives[0].flatMap((_, step) => lives.map((life) => life[step]));

const allProjections = undefined;
const attributionOnly = [leadAttributionProjection];
// a question's view, compared whole: every collection in the order unsorted queries see, the
// checkpoint, the point
const everything = async (view: ReplayedView) => ({
  collections: await Promise.all(
    ['leads', 'attribution', 'log_head', 'dead_letters'].map(async (name) => [
      name,
      await view.store.collection(name).find(),
    ]),
  ),
  checkpoint: (await view.store.checkpoint('projections'))?.toString(),
  asOf: view.asOf,
  now: view.now,
  events: view.events,
});

describe('replay snapshots', () => {
  let dir: string;
  let log: SqliteEventStore;
  let vault: InMemoryPersonalDataVault;
  let eventStore: PersonalDataEventStore;
  let recorded: number;

  const append = async (fact: LeadFact): Promise<bigint> => {
    const streamId = `lead-${fact.data.leadId}`;
    const revision = (await eventStore.readStream(streamId)).length - 1;
    const { position } = await eventStore.append(
      streamId,
      [newEventOf(fact)],
      revision < 0 ? 'no_stream' : revision,
    );
    return position;
  };
  const snapshots = (options: { every?: number; keep?: number } = {}) =>
    new ReplaySnapshots({ dir, every: options.every ?? 7, keep: options.keep ?? 100 });
  const replay = async (
    limit: ReplayLimit,
    options: { projections?: readonly Projection[]; snapshots?: ReplaySnapshots } = {},
  ): Promise<ReplayedView> => {
    const view = await replayUpTo(eventStore, limit, { batchSize: 5, ...options });
    await view.snapshotSaved;
    return view;
  };
  const snapshotFiles = () => readdirSync(dir).filter((name) => name.endsWith('.snapshot.json'));
  const storeFile = (header: string) => header.replace(/\.json$/, '.sqlite');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'replay-snapshots-'));
    recorded = 0;
    // event n is recorded at minute 1000 + n, so a time limit picks a position
    log = new SqliteEventStore({ path: ':memory:', clock: () => new Date(at(1000 + ++recorded)) });
    vault = new InMemoryPersonalDataVault();
    eventStore = new PersonalDataEventStore(log, vault);
    for (const fact of history) await append(fact);
  });
  afterEach(async () => {
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['every lead projection', allProjections],
    ['attribution only', attributionOnly],
  ])(
    'give the very view a replay from 0 gives, at every position and at times (%s)',
    async (_name, projections) => {
      const head = BigInt(history.length);
      const store = snapshots();
      // a mixed order: later points find snapshots both behind and ahead of them
      const positions = Array.from({ length: history.length + 1 }, (_, k) => (k * 37) % 61);
      let fromSnapshot = 0;
      for (const position of positions) {
        const limit: ReplayLimit = { kind: 'position', position: BigInt(position) };
        const full = await replay(limit, { projections });
        const quick = await replay(limit, { projections, snapshots: store });
        if (quick.startedAt > 0n) fromSnapshot += 1;
        expect(await everything(quick)).toStrictEqual(await everything(full));
        expect(JSON.stringify(await everything(quick))).toBe(
          JSON.stringify(await everything(full)),
        );
        await Promise.all([full.store.close(), quick.store.close()]);
      }
      for (const minutes of [1000, 1013.5, 1021, 1044.9, 1060, 2000]) {
        const limit: ReplayLimit = { kind: 'time', time: at(minutes) };
        const full = await replay(limit, { projections });
        const quick = await replay(limit, { projections, snapshots: store });
        expect(await everything(quick)).toStrictEqual(await everything(full));
        await Promise.all([full.store.close(), quick.store.close()]);
      }
      expect(head).toBe(60n);
      expect(fromSnapshot).toBeGreaterThan(40);
    },
  );

  it('build in a scratch file that goes when the view is closed, or when its worker is gone', async () => {
    const view = await replay({ kind: 'position', position: 30n }, { snapshots: snapshots() });
    const scratch = () => readdirSync(dir).filter((name) => name.startsWith('scratch-'));
    expect(scratch()).toHaveLength(1);
    expect(statSync(join(dir, scratch()[0])).mode & 0o777).toBe(0o600);
    await view.store.close();
    expect(scratch()).toEqual([]);
    // a worker terminated mid-replay cannot close its store: the pool removes its files
    const left = await replay({ kind: 'position', position: 40n }, { snapshots: snapshots() });
    await ReplaySnapshots.removeScratch(dir, threadId + 1);
    expect(scratch()).toHaveLength(1);
    await ReplaySnapshots.removeScratch(dir, threadId);
    expect(scratch()).toEqual([]);
    await left.store.close();
  });

  it('only ever replay the tail after the newest snapshot at or before the point', async () => {
    const first = await replay({ kind: 'position', position: 30n }, { snapshots: snapshots() });
    expect(first.startedAt).toBe(0n);
    // every snapshot point passed: the 7th, 14th, 21st and 28th events
    expect(snapshotFiles().sort()).toEqual(
      [7, 14, 21, 28].map((n) =>
        expect.stringMatching(new RegExp(`-${String(n).padStart(20, '0')}\\.snapshot\\.json$`)),
      ),
    );
    // like every file in the data dir: owner-only
    for (const name of snapshotFiles()) {
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, storeFile(name))).mode & 0o777).toBe(0o600);
    }
    expect(
      (await replay({ kind: 'position', position: 33n }, { snapshots: snapshots() })).startedAt,
    ).toBe(28n);
    expect(
      (await replay({ kind: 'position', position: 27n }, { snapshots: snapshots() })).startedAt,
    ).toBe(21n);
    expect(
      (await replay({ kind: 'position', position: 6n }, { snapshots: snapshots() })).startedAt,
    ).toBe(0n);
  });

  it('ignore a damaged snapshot, and delete it', async () => {
    const limit: ReplayLimit = { kind: 'position', position: 30n };
    const full = await everything(await replay(limit));
    await replay(limit, { snapshots: snapshots() });
    const [, , at21, at28] = snapshotFiles().sort();
    const bytes = await fs.readFile(join(dir, storeFile(at28)));
    await fs.writeFile(join(dir, storeFile(at28)), bytes.subarray(0, bytes.length - 20));
    const truncated = await replay(limit, { snapshots: snapshots() });
    expect(truncated.startedAt).toBe(21n);
    expect(await everything(truncated)).toStrictEqual(full);

    // (that replay passed the 28th event again and wrote its snapshot afresh)
    // a header that is not JSON; a store file of the right length that is no database
    await fs.writeFile(join(dir, at28), 'not a snapshot at all');
    const size = statSync(join(dir, storeFile(at21))).size;
    await fs.writeFile(join(dir, storeFile(at21)), Buffer.alloc(size, 7));
    const garbage = await replay(limit, { snapshots: snapshots() });
    expect(garbage.startedAt).toBe(14n);
    expect(await everything(garbage)).toStrictEqual(full);
    // the broken ones were deleted, and that replay wrote them afresh
    expect(snapshotFiles()).toHaveLength(4);
    const again = await replay(limit, { snapshots: snapshots() });
    expect(again.startedAt).toBe(28n);
    expect(await everything(again)).toStrictEqual(full);
  });

  it('ignore a snapshot that cannot be read (gone meanwhile, or not a file)', async () => {
    const limit: ReplayLimit = { kind: 'position', position: 30n };
    await replay(limit, { snapshots: snapshots() });
    const [, , at21, at28] = snapshotFiles().sort();
    await fs.rm(join(dir, storeFile(at28)));
    await fs.mkdir(join(dir, storeFile(at28)));
    await fs.rm(join(dir, storeFile(at21)));
    const view = await replay(limit, { snapshots: snapshots() });
    expect(view.startedAt).toBe(14n);
    expect(await everything(view)).toStrictEqual(await everything(await replay(limit)));
  });

  it('ignore snapshots of another projection version', async () => {
    await replay({ kind: 'position', position: 60n }, { snapshots: snapshots() });
    expect(snapshotFiles()).toHaveLength(8);
    const bumped = [{ ...leadSummaryProjection, version: leadSummaryProjection.version + 1 }];
    const view = await replay(
      { kind: 'position', position: 60n },
      { projections: bumped, snapshots: snapshots() },
    );
    expect(view.startedAt).toBe(0n);
  });

  it('keep at most `keep` snapshot files, the least recently used going first', async () => {
    const store = snapshots({ every: 5, keep: 2 });
    for (const position of [12n, 27n, 44n, 58n]) {
      await replay({ kind: 'position', position }, { snapshots: store });
    }
    expect(snapshotFiles().sort()).toEqual([
      expect.stringMatching(/-00000000000000000050\.snapshot\.json$/),
      expect.stringMatching(/-00000000000000000055\.snapshot\.json$/),
    ]);
  });

  it('after an erasure, never answer from a snapshot read before it (a replay from 0 reads the lead as erased)', async () => {
    const limit: ReplayLimit = { kind: 'position', position: 30n };
    const worker = snapshots();
    await replay(limit, { snapshots: worker });
    const erased = leadId(3);
    await eventStore.erasePersonalData(`lead-${erased}`);
    const erasedAt = await append(leadPersonalDataErased({ leadId: erased, occurredAt: at(90) }));

    const full = await replay(limit);
    const lead = await full.store.collection('leads').findOne({ _id: erased });
    expect(lead).toMatchObject({ email: null, name: null, personalDataErased: true });
    // what a stale snapshot would answer: the lead's ciphertext, not marked erased
    const stale = await replay(limit, { snapshots: snapshots() });
    expect(stale.startedAt).toBe(28n);
    expect(await stale.store.collection('leads').findOne({ _id: erased })).toMatchObject({
      personalDataErased: false,
    });

    await ReplaySnapshots.markErasure(dir, erasedAt);
    expect(snapshotFiles()).toEqual([]);
    const after = await replay(limit, { snapshots: worker });
    expect(after.startedAt).toBe(0n);
    expect(await everything(after)).toStrictEqual(await everything(full));
    // snapshots read after the erasure are used again
    const next = await replay(limit, { snapshots: snapshots() });
    expect(next.startedAt).toBe(28n);
    expect(await everything(next)).toStrictEqual(await everything(full));
  });
});
