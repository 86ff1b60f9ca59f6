import type { LeadFact } from '@lead/domain';
import { SqliteEventStore } from '@lead/event-store';
import {
  at,
  leadAccepted,
  leadCaptured,
  leadConverted,
  leadHandedOff,
  leadScored,
  newEventOf,
} from '@lead/testing';
import type { LeadSummaryDoc } from './lead-projections/lead-summary.projection';
import { type ReplayedView, parseReplayLimit, replayUpTo } from './replay-up-to';

const leadA = '01943a4e-3c00-7000-8000-00000000000a';
const leadB = '01943a4e-3c00-7000-8000-00000000000b';

const handoff = leadHandedOff({ leadId: leadA, occurredAt: at(20) });
// Each event is recorded one hour after the previous one: recordedAt of position n is at(60 n).
const history: LeadFact[] = [
  leadCaptured({ leadId: leadA, occurredAt: at(0) }),
  leadScored({ leadId: leadA, score: 80, occurredAt: at(10) }),
  handoff,
  leadCaptured({ leadId: leadB, occurredAt: at(30) }),
  leadAccepted({ leadId: leadA, handoffEventId: handoff.metadata.eventId, occurredAt: at(40) }),
  leadConverted({ leadId: leadA, amount: 12_500, currency: 'EUR', occurredAt: at(50) }),
];

const storeWithHistory = async (): Promise<SqliteEventStore> => {
  let recorded = 0;
  const store = new SqliteEventStore({
    path: ':memory:',
    clock: () => new Date(at(60 * ++recorded)),
  });
  const revisions = new Map<string, number>();
  for (const fact of history) {
    const streamId = `lead-${fact.data.leadId}`;
    const revision = revisions.get(streamId) ?? -1;
    await store.append(streamId, [newEventOf(fact)], revision < 0 ? 'no_stream' : revision);
    revisions.set(streamId, revision + 1);
  }
  return store;
};

const stages = async ({ store }: ReplayedView): Promise<string[][]> =>
  (await store.collection<LeadSummaryDoc>('leads').find())
    .map((lead) => [lead.leadId, lead.stage])
    .sort();

describe('parseReplayLimit', () => {
  it('reads position:<n> and ISO times (normalised to UTC)', () => {
    expect(parseReplayLimit('position:42')).toEqual({ kind: 'position', position: 42n });
    expect(parseReplayLimit('2026-03-01T10:00:00+02:00')).toEqual({
      kind: 'time',
      time: '2026-03-01T08:00:00.000Z',
    });
    expect(parseReplayLimit('2026-03-01')).toEqual({
      kind: 'time',
      time: '2026-03-01T00:00:00.000Z',
    });
  });

  it.each([
    '',
    'position:',
    'position:-1',
    'position:1x',
    'yesterday',
    '2026-13-45T00:00:00Z',
    '1714000000',
  ])('refuses %j', (text) => expect(parseReplayLimit(text)).toBeNull());
});

describe('replayUpTo', () => {
  let eventStore: SqliteEventStore;
  beforeEach(async () => {
    eventStore = await storeWithHistory();
  });
  afterEach(() => eventStore.close());

  it('up to a position: exactly the events at or before it, judged at the last recordedAt', async () => {
    const view = await replayUpTo(eventStore, { kind: 'position', position: 4n });
    expect(view.asOf).toEqual({ position: '4', recordedAt: at(240) });
    expect(view.now).toBe(at(240));
    expect(view.events).toBe(4);
    expect(await stages(view)).toEqual([
      [leadA, 'handed_off'],
      [leadB, 'captured'],
    ]);
    await view.store.close();
  });

  it('up to a time: what had been recorded by then, judged at that time', async () => {
    const view = await replayUpTo(eventStore, { kind: 'time', time: at(330) });
    expect(view.asOf).toEqual({ position: '5', recordedAt: at(300) });
    expect(view.now).toBe(at(330));
    expect(await stages(view)).toEqual([
      [leadA, 'accepted'],
      [leadB, 'captured'],
    ]);
  });

  it('before the first event: an empty view', async () => {
    const view = await replayUpTo(eventStore, { kind: 'time', time: at(1) });
    expect(view).toMatchObject({
      asOf: { position: '0', recordedAt: null },
      now: at(1),
      events: 0,
    });
    expect(await view.store.collection('leads').count()).toBe(0);
  });

  it('in small batches gives the same documents, reporting progress after each', async () => {
    const batches: [bigint, number][] = [];
    const small = await replayUpTo(
      eventStore,
      { kind: 'position', position: 6n },
      { batchSize: 4, onBatch: (position, events) => batches.push([position, events]) },
    );
    const whole = await replayUpTo(eventStore, { kind: 'position', position: 6n });
    expect(batches).toEqual([
      [4n, 4],
      [6n, 6],
    ]);
    for (const collection of ['leads', 'attribution', 'log_head']) {
      expect(await small.store.collection(collection).find({}, { sort: { _id: 1 } })).toEqual(
        await whole.store.collection(collection).find({}, { sort: { _id: 1 } }),
      );
    }
    expect(await stages(whole)).toEqual([
      [leadA, 'converted'],
      [leadB, 'captured'],
    ]);
  });
});
