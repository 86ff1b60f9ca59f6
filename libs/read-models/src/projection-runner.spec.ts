import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NewEvent, type RecordedEvent, SqliteEventStore } from '@lead/event-store';
import { EmbeddedReadStore } from './embedded-read-store';
import type { Projection } from './projection';
import {
  ProjectionRunner,
  projectEvents,
  projectionsCheckpoint,
  projectionsFingerprint,
  rebuild,
  replayInto,
  versionsCheckpoint,
} from './projection-runner';
import { type Doc, type DocumentWrite, type ReadStore, encodePosition } from './read-store.port';

type LeadActivity = Doc & { events: number; types: string[] };
type OpenLead = Doc & { openedBy: string };

const leadIdOf = (event: RecordedEvent): string | null =>
  typeof event.data.leadId === 'string' ? event.data.leadId : null;

// Counts every event per lead: a double-applied event shows up as a wrong count.
const activity: Projection<LeadActivity> = {
  name: 'lead-activity',
  version: 1,
  collection: 'test_lead_activity',
  documentId: leadIdOf,
  apply: (doc, event) => ({
    _id: leadIdOf(event)!,
    events: (doc?.events ?? 0) + 1,
    types: [...(doc?.types ?? []), event.type],
  }),
};

// Only captures and losses matter here; a lost lead's document is deleted.
const openLeads: Projection<OpenLead> = {
  name: 'open-leads',
  version: 1,
  collection: 'test_open_leads',
  documentId: (event) =>
    event.type === 'LeadCaptured' || event.type === 'LeadLost' ? leadIdOf(event) : null,
  apply: (_doc, event) =>
    event.type === 'LeadLost' ? null : { _id: leadIdOf(event)!, openedBy: event.metadata.actor.id },
};

const projections = [activity, openLeads];

let eventNumber = 0;
const newEvent = (type: string, leadId: string): NewEvent => {
  eventNumber += 1;
  return {
    type,
    data: { leadId },
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

const fixedClock = (): Date => new Date('2026-01-05T09:00:00.000Z');

const snapshot = async (store: ReadStore): Promise<Record<string, Doc[]>> => ({
  activity: await store.collection(activity.collection).find({}, { sort: { _id: 1 } }),
  open: await store.collection(openLeads.collection).find({}, { sort: { _id: 1 } }),
});

const counts = async (store: ReadStore): Promise<Record<string, number>> =>
  Object.fromEntries(
    (await store.collection<LeadActivity>(activity.collection).find({})).map((doc) => [
      doc._id,
      doc.events,
    ]),
  );

describe('ProjectionRunner', () => {
  let events: SqliteEventStore;
  let reads: EmbeddedReadStore;
  let runner: ProjectionRunner;
  const tempDir = mkdtempSync(join(tmpdir(), 'projection-runner-'));

  // lead a: captured, engaged, engaged; lead b: captured, lost; plus a stream projections ignore
  const appendHistory = async (): Promise<bigint> => {
    await events.append(
      'lead-a',
      [newEvent('LeadCaptured', 'a'), newEvent('LeadEngaged', 'a')],
      'no_stream',
    );
    await events.append('lead-b', [newEvent('LeadCaptured', 'b')], 'no_stream');
    await events.append('deadline-watcher', [newEvent('LeadCaptured', 'ghost')], 'any');
    await events.append('lead-a', [newEvent('LeadEngaged', 'a')], 1);
    return (await events.append('lead-b', [newEvent('LeadLost', 'b')], 0)).position;
  };

  beforeEach(() => {
    eventNumber = 0;
    events = new SqliteEventStore({ path: ':memory:', clock: fixedClock });
    reads = new EmbeddedReadStore({ path: ':memory:' });
    runner = new ProjectionRunner({ readStore: reads, eventStore: events, projections });
  });

  afterEach(async () => {
    await runner.stop();
    await events.close();
    await reads.close();
  });

  afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

  it('catches up with the backlog, then projects live events', async () => {
    const backlogEnd = await appendHistory();
    await runner.start();

    expect(runner.position()).toBe(backlogEnd);
    expect(await reads.checkpoint(projectionsCheckpoint)).toBe(backlogEnd);
    expect(await counts(reads)).toEqual({ a: 3, b: 2 });
    expect(await reads.collection(openLeads.collection).find({})).toEqual([
      { _id: 'a', openedBy: 'user-1', _position: encodePosition(1n) },
    ]);

    const live = await events.append('lead-c', [newEvent('LeadCaptured', 'c')], 'no_stream');
    expect(await runner.waitFor(live.position, 10_000)).toBe(true);
    expect(await counts(reads)).toEqual({ a: 3, b: 2, c: 1 });
    expect(
      (await reads.collection<LeadActivity>(activity.collection).findOne({ _id: 'a' }))?.types,
    ).toEqual(['LeadCaptured', 'LeadEngaged', 'LeadEngaged']);
    expect(await reads.checkpoint(projectionsCheckpoint)).toBe(live.position);
  });

  it('resumes from its checkpoint after a restart without counting anything twice', async () => {
    const path = join(tempDir, 'restart.sqlite');
    await reads.close();
    reads = new EmbeddedReadStore({ path });
    runner = new ProjectionRunner({ readStore: reads, eventStore: events, projections });
    await appendHistory();
    await runner.start();
    await runner.stop();
    await reads.close();

    const later = await events.append('lead-a', [newEvent('LeadEngaged', 'a')], 2);
    reads = new EmbeddedReadStore({ path });
    const applied: string[] = [];
    runner = new ProjectionRunner({
      readStore: reads,
      eventStore: events,
      projections: [
        {
          ...activity,
          apply: (doc, event) => {
            applied.push(`${event.streamId}@${event.revision}`);
            return activity.apply(doc as LeadActivity | null, event);
          },
        },
        openLeads,
      ],
    });
    await runner.start();

    expect(applied).toEqual(['lead-a@3']);
    expect(await counts(reads)).toEqual({ a: 4, b: 2 });
    expect(runner.position()).toBe(later.position);
  });

  it('rebuild gives the same documents and checkpoint as incremental projection', async () => {
    await events.append('lead-z', [newEvent('LeadCaptured', 'z')], 'no_stream');
    await runner.start();
    await appendHistory();
    await events.append(
      'lead-d',
      [newEvent('LeadCaptured', 'd'), newEvent('LeadEngaged', 'd')],
      'no_stream',
    );
    const head = await events.headPosition();
    expect(await runner.waitFor(head, 10_000)).toBe(true);
    await runner.stop();
    const incremental = await snapshot(reads);

    const fresh = new EmbeddedReadStore({ path: ':memory:' });
    expect(await rebuild(fresh, events, projections)).toBe(head);
    expect(await snapshot(fresh)).toEqual(incremental);
    expect(await fresh.checkpoint(projectionsCheckpoint)).toBe(head);
    await fresh.close();

    // in place, over existing documents, with small batches, reporting progress after each
    const progress: number[] = [];
    const onBatch = (position: bigint, projected: number) => {
      expect(position <= head).toBe(true);
      progress.push(projected);
    };
    expect(await rebuild(reads, events, projections, { batchSize: 2, onBatch })).toBe(head);
    expect(await snapshot(reads)).toEqual(incremental);
    const total = (await events.readAll({ streamPrefix: 'lead-' })).length;
    expect(progress).toEqual(progress.map((_, index) => Math.min(2 * (index + 1), total)));
    expect(progress.at(-1)).toBe(total);
    expect(await reads.checkpoint(projectionsCheckpoint)).toBe(head);
  });

  it('changes nothing when older events are delivered again', async () => {
    await appendHistory();
    await runner.start();
    const before = await snapshot(reads);
    const checkpoint = await reads.checkpoint(projectionsCheckpoint);
    const all = await events.readAll({ streamPrefix: 'lead-' });

    expect(await projectEvents(reads, projections, all)).toEqual([]);
    await replayInto(reads, all.slice(0, 2), projections);
    await replayInto(reads, all.slice(1), projections);
    await replayInto(reads, all, projections);

    expect(await snapshot(reads)).toEqual(before);
    expect(await reads.checkpoint(projectionsCheckpoint)).toBe(checkpoint);
  });

  it('projects a finite list into an in-memory store exactly like the runner (as-of replays)', async () => {
    await appendHistory();
    await runner.start();
    const all = await events.readAll({ streamPrefix: 'lead-' });

    const replayed = new EmbeddedReadStore({ path: ':memory:' });
    await replayInto(replayed, all, projections);
    expect(await snapshot(replayed)).toEqual(await snapshot(reads));
    expect(await replayed.checkpoint(projectionsCheckpoint)).toBe(all.at(-1)!.position);
    await replayed.close();

    // up to the third event only: lead b is still open then
    const asOf = new EmbeddedReadStore({ path: ':memory:' });
    await replayInto(asOf, all.slice(0, 3), projections);
    expect(await counts(asOf)).toEqual({ a: 2, b: 1 });
    expect(
      (await asOf.collection(openLeads.collection).find({}, { sort: { _id: 1 } })).map(
        (doc) => doc._id,
      ),
    ).toEqual(['a', 'b']);
    await asOf.close();
  });

  it('waitFor resolves true once the position is committed, false on timeout or stop', async () => {
    await runner.start();
    expect(await runner.waitFor(0n, 0)).toBe(true);

    const pending = runner.waitFor(1n, 10_000);
    await events.append('lead-a', [newEvent('LeadCaptured', 'a')], 'no_stream');
    expect(await pending).toBe(true);
    expect(await runner.waitFor(1n, 0)).toBe(true);

    expect(await runner.waitFor(1_000n, 1)).toBe(false);
    const cutShort = runner.waitFor(1_000n, 60_000);
    await runner.stop();
    expect(await cutShort).toBe(false);
  });

  it('rebuilds its collections when a projection version changes', async () => {
    await appendHistory();
    await runner.start();
    await runner.stop();
    expect(await reads.checkpoint(versionsCheckpoint(projectionsCheckpoint))).toBe(
      projectionsFingerprint(projections),
    );

    // version 2 counts only engagements: every stored document must be recomputed
    const engagements: Projection<LeadActivity> = {
      ...activity,
      version: 2,
      documentId: (event) => (event.type === 'LeadEngaged' ? leadIdOf(event) : null),
    };
    runner = new ProjectionRunner({
      readStore: reads,
      eventStore: events,
      projections: [engagements, openLeads],
    });
    await runner.start();

    expect(await counts(reads)).toEqual({ a: 2 });
    expect(await reads.checkpoint(versionsCheckpoint(projectionsCheckpoint))).toBe(
      projectionsFingerprint([engagements, openLeads]),
    );
  });

  // A projection that throws parks the event (retry-parked.spec.ts); a store that fails stops.
  it('stops at a batch the read store cannot commit, and reports the error', async () => {
    await appendHistory();
    const errors: unknown[] = [];
    // the projector's batches fail; everything else (the versions fingerprint) works
    const failing = Object.assign(Object.create(reads) as EmbeddedReadStore, {
      commit: (name: string, checkpoint: bigint, writes: DocumentWrite[]) =>
        name === projectionsCheckpoint
          ? Promise.reject(new Error('read store unavailable'))
          : reads.commit(name, checkpoint, writes),
    });
    runner = new ProjectionRunner({
      readStore: failing,
      eventStore: events,
      projections: [activity],
      onError: (error) => errors.push(error),
    });

    await expect(runner.start()).rejects.toThrow('read store unavailable');
    expect(errors).toHaveLength(1);
    expect(await reads.checkpoint(projectionsCheckpoint)).toBeNull();
    expect(await reads.collection(activity.collection).count()).toBe(0);
    expect(await runner.waitFor(1n, 0)).toBe(false);
  });

  // SQLITE_FULL & co.: the store cannot take the batch now but will later (issue 10 item 4)
  it('retries a batch the read store cannot store with capped backoff, reports it, and resumes by itself', async () => {
    const backlogEnd = await appendHistory();
    let refusals = 3;
    const diskFull = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const filling = Object.assign(Object.create(reads) as EmbeddedReadStore, {
      commit: (name: string, checkpoint: bigint, writes: DocumentWrite[]) => {
        if (name === projectionsCheckpoint && refusals > 0) {
          refusals -= 1;
          return Promise.reject(diskFull);
        }
        return reads.commit(name, checkpoint, writes);
      },
    });
    const delays: number[] = [];
    const seen: unknown[] = [];
    let tick = 0;
    runner = new ProjectionRunner({
      readStore: filling,
      eventStore: events,
      projections,
      now: () => new Date(Date.UTC(2026, 0, 5, 9, 0, tick++)),
      retry: { firstDelayMs: 100, maxDelayMs: 250 },
      wait: (ms) => {
        delays.push(ms);
        seen.push(runner.health());
        return Promise.resolve();
      },
      onError: () => {
        throw new Error('a storage failure must not stop the runner');
      },
    });

    await runner.start();
    expect(await runner.waitFor(backlogEnd, 10_000)).toBe(true);

    expect(delays).toEqual([100, 200, 250]);
    expect(seen.at(-1)).toEqual({
      failing: true,
      since: '2026-01-05T09:00:00.000Z',
      error: 'SQLITE_FULL: database or disk is full',
      attempts: 3,
    });
    expect(runner.health()).toEqual({ failing: false });
    expect(runner.writeFailures()).toBe(3);
    expect(runner.position()).toBe(backlogEnd);
    expect(await counts(reads)).toEqual({ a: 3, b: 2 });
  });

  it('a start that meets a full read store resolves, keeps retrying and stops cleanly', async () => {
    await appendHistory();
    const diskFull = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
    const full = Object.assign(Object.create(reads) as EmbeddedReadStore, {
      commit: (name: string, checkpoint: bigint, writes: DocumentWrite[]) =>
        name === projectionsCheckpoint
          ? Promise.reject(diskFull)
          : reads.commit(name, checkpoint, writes),
    });
    // the first backoff never ends by itself: only stop() may end it
    runner = new ProjectionRunner({
      readStore: full,
      eventStore: events,
      projections,
      wait: () => new Promise<void>(() => undefined),
    });

    await runner.start();

    expect(runner.health()).toMatchObject({ failing: true, attempts: 1 });
    expect(await runner.waitFor(1n, 0)).toBe(false);
    await runner.stop();
    expect(await reads.checkpoint(projectionsCheckpoint)).toBeNull();
  });

  it('refuses two projections writing one collection', () => {
    expect(
      () =>
        new ProjectionRunner({
          readStore: reads,
          eventStore: events,
          projections: [activity, { ...openLeads, collection: activity.collection }],
        }),
    ).toThrow('own collection');
  });
});
