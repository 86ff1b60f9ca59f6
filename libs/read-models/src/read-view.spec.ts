import { type NewEvent, SqliteEventStore } from '@lead/event-store';
import { at, leadCaptured, testActor } from '@lead/testing';
import { EmbeddedReadStore } from './embedded-read-store';
import { logHeadProjection } from './lead-projections/log-head.projection';
import { replayInto } from './projection-runner';
import { openReadView, resolveAsOf } from './read-view';

const capture = leadCaptured({ occurredAt: at(0) });
const newEvent: NewEvent = {
  type: capture.type,
  data: { ...capture.data },
  metadata: {
    ...capture.metadata,
    actor: testActor,
    correlationId: capture.metadata.eventId,
    causationId: null,
    schemaVersion: 1,
  },
};

describe('read views', () => {
  let eventStore: SqliteEventStore;
  beforeEach(async () => {
    eventStore = new SqliteEventStore({ path: ':memory:', clock: () => new Date(at(60)) });
    await eventStore.append(`lead-${capture.data.leadId}`, [newEvent], 'no_stream');
  });
  afterEach(() => eventStore.close());

  it('resolveAsOf accepts a written position and a past or present time', async () => {
    expect(await resolveAsOf(eventStore, 'position:1', new Date(at(90)))).toEqual({
      kind: 'position',
      position: 1n,
    });
    expect(await resolveAsOf(eventStore, at(90), new Date(at(90)))).toEqual({
      kind: 'time',
      time: at(90),
    });
  });

  it('resolveAsOf refuses a malformed point, a position not written yet and a future time', async () => {
    const now = new Date(at(90));
    expect(await resolveAsOf(eventStore, 'yesterday', now)).toEqual({ refused: 'malformed' });
    expect(await resolveAsOf(eventStore, 'position:2', now)).toEqual({
      refused: 'beyond_head',
      position: 2n,
      head: 1n,
    });
    expect(await resolveAsOf(eventStore, at(91), now)).toEqual({ refused: 'in_future' });
  });

  it('opens the same view of the log now (projected) and as of its head (replayed)', async () => {
    const readStore = new EmbeddedReadStore({ path: ':memory:' });
    await replayInto(readStore, await eventStore.readAll(), [logHeadProjection]);
    const projected = await openReadView({ readStore, now: new Date(at(90)) });
    const replayed = await openReadView({
      eventStore,
      limit: { kind: 'position', position: 1n },
      replay: { projections: [logHeadProjection] },
    });
    expect(projected.asOf).toEqual({ position: '1', recordedAt: at(60) });
    expect(projected.now).toBe(at(90));
    expect(replayed.asOf).toEqual(projected.asOf);
    expect(replayed.now).toBe(at(60));
    await Promise.all([readStore.close(), replayed.store.close()]);
  });
});
