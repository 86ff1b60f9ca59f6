import { type NewEvent, type RecordedEvent, SqliteEventStore } from '@lead/event-store';
import { type DeadLetterDoc, deadLettersCollection } from './dead-letters';
import { EmbeddedReadStore } from './embedded-read-store';
import type { Projection } from './projection';
import { ProjectionRunner, projectionsCheckpoint, rebuild, replayInto } from './projection-runner';
import { type Doc, type DocumentWrite, type ReadStore, encodePosition } from './read-store.port';
import { retryParked, retryParkedCheckpoint } from './retry-parked';

type Timeline = Doc & { types: string[] };
type Seen = Doc & { events: number };

const leadIdOf = (event: RecordedEvent): string | null =>
  typeof event.data.leadId === 'string' ? event.data.leadId : null;

// A bug to fix: the timeline cannot read "poison" events (apply throws, or routing throws).
// The timeline is order-sensitive, so re-applying a parked event at the end would be visible.
let bug: 'apply' | 'route' | null = 'apply';
const isPoison = (event: RecordedEvent): boolean => event.data.poison === true;
const timeline: Projection<Timeline> = {
  name: 'timeline',
  version: 1,
  collection: 'test_timeline',
  documentId: (event) => {
    if (bug === 'route' && isPoison(event)) throw new Error(`no lead in ${event.type}`);
    return leadIdOf(event);
  },
  apply: (doc, event) => {
    if (bug === 'apply' && isPoison(event)) throw new Error(`cannot read ${event.type}`);
    return { _id: leadIdOf(event)!, types: [...(doc?.types ?? []), event.type] };
  },
};
// Healthy: it must keep applying every event, the poison ones included.
const seen: Projection<Seen> = {
  name: 'seen',
  version: 1,
  collection: 'test_seen',
  documentId: leadIdOf,
  apply: (doc, event) => ({ _id: leadIdOf(event)!, events: (doc?.events ?? 0) + 1 }),
};
const projections = [timeline, seen];

const parkedAt = '2026-01-05T10:00:00.000Z';
const retriedAt = '2026-01-06T10:00:00.000Z';
let eventNumber = 0;
const newEvent = (type: string, leadId: string, poison = false): NewEvent => {
  eventNumber += 1;
  return {
    type,
    data: poison ? { leadId, poison } : { leadId },
    metadata: {
      eventId: `00000000-0000-7000-8000-${eventNumber.toString(16).padStart(12, '0')}`,
      occurredAt: '2026-01-05T09:00:00.000Z',
      actor: { id: 'user-1', role: 'marketing' },
      correlationId: `correlation-${eventNumber}`,
      causationId: null,
      schemaVersion: 1,
    },
  };
};

const snapshot = async (store: ReadStore): Promise<Record<string, Doc[]>> => ({
  timeline: await store.collection(timeline.collection).find({}, { sort: { _id: 1 } }),
  seen: await store.collection(seen.collection).find({}, { sort: { _id: 1 } }),
});
const parked = (store: ReadStore): Promise<DeadLetterDoc[]> =>
  store.collection<DeadLetterDoc>(deadLettersCollection).find({}, { sort: { _position: 1 } });

describe('poison events: parked, then retried after a fix', () => {
  let events: SqliteEventStore;
  let reads: EmbeddedReadStore;
  let runner: ProjectionRunner;
  let parkedReports: DeadLetterDoc[];

  // lead b: its second event is poison, two more follow; lead c: its last event is poison
  const appendHistory = async (): Promise<void> => {
    await events.append('lead-a', [newEvent('LeadCaptured', 'a')], 'no_stream');
    await events.append(
      'lead-b',
      [newEvent('LeadCaptured', 'b'), newEvent('LeadScored', 'b', true)],
      'no_stream',
    );
    await events.append('lead-a', [newEvent('LeadEngaged', 'a')], 0);
    await events.append(
      'lead-b',
      [newEvent('LeadEngaged', 'b'), newEvent('LeadHandedOff', 'b')],
      1,
    );
    await events.append(
      'lead-c',
      [newEvent('LeadCaptured', 'c'), newEvent('LeadEngaged', 'c', true)],
      'no_stream',
    );
  };
  const startRunner = async (): Promise<void> => {
    runner = new ProjectionRunner({
      readStore: reads,
      eventStore: events,
      projections,
      now: () => new Date(parkedAt),
      onParked: (letter) => parkedReports.push(letter),
    });
    await runner.start();
  };
  const cleanRebuild = async (): Promise<Record<string, Doc[]>> => {
    const fresh = new EmbeddedReadStore({ path: ':memory:' });
    await rebuild(fresh, events, projections);
    const docs = await snapshot(fresh);
    await fresh.close();
    return docs;
  };

  beforeEach(() => {
    bug = 'apply';
    eventNumber = 0;
    parkedReports = [];
    events = new SqliteEventStore({ path: ':memory:', clock: () => new Date(parkedAt) });
    reads = new EmbeddedReadStore({ path: ':memory:' });
  });

  afterEach(async () => {
    await runner?.stop();
    await events.close();
    await reads.close();
  });

  it('parks the event with its error and moves on: other projections and later events still apply', async () => {
    await appendHistory();
    await startRunner();

    const head = await events.headPosition();
    expect(runner.position()).toBe(head);
    const [b, c] = await events.readAll().then((all) => all.filter(isPoison));
    expect(await parked(reads)).toEqual([
      {
        _id: `timeline@${b.position}`,
        _position: encodePosition(b.position),
        projection: 'timeline',
        collection: 'test_timeline',
        documentId: 'b',
        position: b.position.toString(),
        streamId: 'lead-b',
        revision: 1,
        eventId: b.metadata.eventId,
        type: 'LeadScored',
        error: 'Error: cannot read LeadScored',
        parkedAt,
        lastAttemptAt: parkedAt,
        attempts: 1,
      },
      expect.objectContaining({ documentId: 'c', streamId: 'lead-c', eventId: c.metadata.eventId }),
    ]);
    expect(await reads.collection(deadLettersCollection).count()).toBe(2);
    expect(parkedReports.map((letter) => letter.eventId)).toEqual([
      b.metadata.eventId,
      c.metadata.eventId,
    ]);
    // the failing projection's documents skip only the poison events
    expect(await snapshot(reads)).toEqual({
      timeline: [
        { _id: 'a', types: ['LeadCaptured', 'LeadEngaged'], _position: expect.any(String) },
        {
          _id: 'b',
          types: ['LeadCaptured', 'LeadEngaged', 'LeadHandedOff'],
          _position: encodePosition(head - 2n),
        },
        { _id: 'c', types: ['LeadCaptured'], _position: encodePosition(head - 1n) },
      ],
      seen: [
        { _id: 'a', events: 2, _position: expect.any(String) },
        { _id: 'b', events: 4, _position: encodePosition(head - 2n) },
        { _id: 'c', events: 2, _position: encodePosition(head) },
      ],
    });

    // live events too: a poison event arriving while running is parked, the runner keeps going
    await events.append('lead-a', [newEvent('LeadLost', 'a', true)], 1);
    const last = await events.append('lead-a', [newEvent('LeadCaptured', 'a')], 2);
    expect(await runner.waitFor(last.position, 10_000)).toBe(true);
    expect(await reads.collection(deadLettersCollection).count()).toBe(3);
    expect(
      (await reads.collection<Timeline>(timeline.collection).findOne({ _id: 'a' }))?.types,
    ).toEqual(['LeadCaptured', 'LeadEngaged', 'LeadCaptured']);
  });

  it('a re-delivered batch parks nothing twice', async () => {
    await appendHistory();
    await startRunner();
    await runner.stop();
    const before = { docs: await snapshot(reads), parked: await parked(reads) };

    const all = await events.readAll({ streamPrefix: 'lead-' });
    await replayInto(reads, all, projections, { now: () => new Date(retriedAt) });
    await replayInto(reads, all.slice(2), projections, { now: () => new Date(retriedAt) });

    expect({ docs: await snapshot(reads), parked: await parked(reads) }).toEqual(before);
  });

  it('after the fix, retryParked rebuilds the documents exactly as a clean rebuild and empties dead_letters', async () => {
    await appendHistory();
    await startRunner();
    await runner.stop();
    const checkpoint = await reads.checkpoint(projectionsCheckpoint);

    bug = null;
    const result = await retryParked(reads, events, projections, {
      now: () => new Date(retriedAt),
    });

    expect(result).toEqual({ parked: 2, resolved: 2, failed: 0, rebuilt: 2, superseded: 0 });
    expect(await parked(reads)).toEqual([]);
    expect(await snapshot(reads)).toEqual(await cleanRebuild());
    // in the lead's order, not appended at the end
    expect(
      (await reads.collection<Timeline>(timeline.collection).findOne({ _id: 'b' }))?.types,
    ).toEqual(['LeadCaptured', 'LeadScored', 'LeadEngaged', 'LeadHandedOff']);
    // the projector's checkpoint is its own; it resumes as before
    expect(await reads.checkpoint(projectionsCheckpoint)).toBe(checkpoint);
    expect(await reads.checkpoint(retryParkedCheckpoint)).toBe(await events.headPosition());
    await startRunner();
    const live = await events.append('lead-c', [newEvent('LeadLost', 'c')], 1);
    expect(await runner.waitFor(live.position, 10_000)).toBe(true);
    expect(await snapshot(reads)).toEqual(await cleanRebuild());

    // nothing parked: nothing to do
    expect(await retryParked(reads, events, projections)).toEqual({
      parked: 0,
      resolved: 0,
      failed: 0,
      rebuilt: 0,
      superseded: 0,
    });
  });

  it('a retry that fails again keeps the events parked, counts the attempt and changes no document', async () => {
    await appendHistory();
    await startRunner();
    await runner.stop();
    const before = { docs: await snapshot(reads), parked: await parked(reads) };

    const result = await retryParked(reads, events, projections, {
      now: () => new Date(retriedAt),
    });

    expect(result).toEqual({ parked: 2, resolved: 0, failed: 2, rebuilt: 2, superseded: 0 });
    expect(await snapshot(reads)).toEqual(before.docs);
    expect(await parked(reads)).toEqual(
      before.parked.map((letter) => ({ ...letter, attempts: 2, lastAttemptAt: retriedAt })),
    );
  });

  it('parks an event whose routing throws (no document yet); a retry after the fix resolves it', async () => {
    bug = 'route';
    await appendHistory();
    await startRunner();
    await runner.stop();
    expect((await parked(reads)).map((letter) => [letter.documentId, letter.error])).toEqual([
      [null, 'Error: no lead in LeadScored'],
      [null, 'Error: no lead in LeadEngaged'],
    ]);

    bug = null;
    expect(await retryParked(reads, events, projections)).toMatchObject({ resolved: 2, failed: 0 });
    expect(await parked(reads)).toEqual([]);
    expect(await snapshot(reads)).toEqual(await cleanRebuild());
  });

  it('a rebuild drops the parked events of its projections and parks what still fails', async () => {
    await appendHistory();
    await startRunner();
    await runner.stop();
    const before = await parked(reads);

    await rebuild(reads, events, projections, { now: () => new Date(retriedAt) });
    expect(await parked(reads)).toEqual(
      before.map((letter) => ({ ...letter, parkedAt: retriedAt, lastAttemptAt: retriedAt })),
    );

    bug = null;
    await rebuild(reads, events, projections);
    expect(await parked(reads)).toEqual([]);
    expect(await snapshot(reads)).toEqual(await cleanRebuild());
  });

  it('leaves the events parked when a newer event reaches the document during the retry', async () => {
    await appendHistory();
    await startRunner();
    await runner.stop();
    bug = null;
    // a projector still running would commit lead b's next event right after the retry read the log
    let raced = false;
    const racing = Object.assign(Object.create(reads) as EmbeddedReadStore, {
      commit: async (name: string, checkpoint: bigint, writes: DocumentWrite[]) => {
        if (name === retryParkedCheckpoint && !raced) {
          raced = true;
          await reads.commit(projectionsCheckpoint, checkpoint + 1n, [
            {
              collection: timeline.collection,
              id: 'b',
              doc: { _id: 'b', types: ['newer'] },
              position: checkpoint + 1n,
            },
          ]);
        }
        return reads.commit(name, checkpoint, writes);
      },
    });

    const result = await retryParked(racing, events, projections);

    expect(result).toMatchObject({ resolved: 1, superseded: 1 });
    expect((await parked(reads)).map((letter) => letter.documentId)).toEqual(['b']);
  });

  it('refuses a projection that would write the dead_letters collection', () => {
    expect(
      () =>
        new ProjectionRunner({
          readStore: reads,
          eventStore: events,
          projections: [{ ...seen, collection: deadLettersCollection }],
        }),
    ).toThrow('parked events');
  });
});
