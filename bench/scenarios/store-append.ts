import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@lead/event-store';
import { type AppendWorkload, appendAt, runPool, streamCount } from '../lib/append-workloads';
import { startChild } from '../lib/child';
import { type Comparison, measure } from '../lib/report';
import { interleave, median } from '../lib/stats';
import type { BenchContext } from '../lib/context';

// The same table shape as SqliteEventStore's events table: the raw baseline pays for the same
// rows and indexes, but not for the stream heads, hash chain, savepoints or promises.
const rawSchema = `
  CREATE TABLE events (
    position INTEGER PRIMARY KEY,
    stream_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    UNIQUE (stream_id, revision)
  );
`;
// Same length as what the store adds to metadata, so rows are the same size.
const storeFacts = { recordedAt: new Date(0).toISOString(), prevHash: '0'.repeat(64), hash: 'f'.repeat(64) };

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'bench-append-'));

/** events/s through SqliteEventStore: sequential awaits, or `inFlight` concurrent writers. */
const storeRun = async ({ eventsPerAppend, inFlight, appends }: AppendWorkload): Promise<number> => {
  const dir = freshDir();
  const store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
  const revisions = new Array<number>(streamCount).fill(-1);
  const began = performance.now();
  await runPool(appends, inFlight, async (index) => {
    const { stream, streamId, events } = appendAt(index, eventsPerAppend);
    const expected = revisions[stream];
    revisions[stream] = expected + events.length;
    await store.append(streamId, events, expected < 0 ? 'no_stream' : expected);
  });
  const elapsed = (performance.now() - began) / 1000;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return (appends * eventsPerAppend) / elapsed;
};

/**
 * events/s of raw better-sqlite3 inserts at the store's durability (WAL, synchronous=FULL):
 * one transaction per append, or `appendsPerTransaction` appends per transaction.
 */
const rawRun = ({ eventsPerAppend, appends: requested }: AppendWorkload, appendsPerTransaction: number): number => {
  // one fsync per append: a rate is reached after a few thousand, more only costs time
  const appends = appendsPerTransaction === 1 ? Math.min(requested, 3_000) : requested;
  const dir = freshDir();
  const db = new Database(join(dir, 'events.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(rawSchema);
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const revisions = new Array<number>(streamCount).fill(-1);
  const commit = db.transaction((from: number, to: number) => {
    for (let index = from; index < to; index++) {
      const { stream, streamId, events } = appendAt(index, eventsPerAppend);
      for (const event of events) {
        revisions[stream] += 1;
        insert.run(
          streamId,
          revisions[stream],
          event.metadata.eventId,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify({ ...event.metadata, ...storeFacts }),
        );
      }
    }
  });
  const began = performance.now();
  for (let from = 0; from < appends; from += appendsPerTransaction) {
    commit.immediate(from, Math.min(appends, from + appendsPerTransaction));
  }
  const elapsed = (performance.now() - began) / 1000;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return (appends * eventsPerAppend) / elapsed;
};

type EmmettResult = { type: 'result'; eventsPerSecond: number[]; synchronous: string; error?: string };

export const appendWorkloads = (quick: boolean): AppendWorkload[] => {
  const scale = quick ? 0.5 : 2;
  return [
    { id: '1 event/append, sequential', eventsPerAppend: 1, inFlight: 1, appends: 1_500 * scale },
    { id: '10 events/append, sequential', eventsPerAppend: 10, inFlight: 1, appends: 600 * scale },
    { id: '1 event/append, 64 in flight', eventsPerAppend: 1, inFlight: 64, appends: 12_000 * scale },
    { id: '10 events/append, 64 in flight', eventsPerAppend: 10, inFlight: 64, appends: 3_000 * scale },
  ];
};

const emmettWorkloads = (quick: boolean, connection: 'default' | 'singleton'): AppendWorkload[] => {
  // the default pool opens a connection per append and is very slow: fewer appends
  const scale = (quick ? 1 : 3) * (connection === 'default' ? 1 : 4);
  return [
    { id: '1 event/append, sequential', eventsPerAppend: 1, inFlight: 1, appends: 150 * scale },
    { id: '10 events/append, sequential', eventsPerAppend: 10, inFlight: 1, appends: 60 * scale },
  ];
};

const runEmmett = async (
  context: BenchContext,
  connection: 'default' | 'singleton',
  workload: AppendWorkload,
): Promise<EmmettResult> => {
  const child = startChild(join(__dirname, '..', 'peers', 'emmett-append.child.ts'), [
    JSON.stringify({ connection, workload, runs: context.runs, peersDir: context.peersDir }),
  ], { verbose: context.verbose });
  try {
    return await child.next<EmmettResult>('result', 300_000);
  } catch (error) {
    return { type: 'result', eventsPerSecond: [], synchronous: '?', error: String(error).split('\n')[0] };
  } finally {
    await child.stop();
  }
};

export const storeAppendScenario = async (context: BenchContext): Promise<Comparison[]> => {
  const section = 'Event store: append (WAL, synchronous=FULL)';
  const comparisons: Comparison[] = [];
  // warm the JIT and the page cache so the first contender is not penalised
  await storeRun({ id: 'warm-up', eventsPerAppend: 1, inFlight: 64, appends: 2_000 });
  rawRun({ id: 'warm-up', eventsPerAppend: 1, inFlight: 1, appends: 500 }, 1);

  const emmett = context.emmettAvailable
    ? {
        default: new Map<string, EmmettResult>(),
        singleton: new Map<string, EmmettResult>(),
      }
    : null;
  if (emmett) {
    for (const connection of ['default', 'singleton'] as const) {
      for (const workload of emmettWorkloads(context.quick, connection)) {
        context.log(`  emmett ${connection}: ${workload.id}`);
        emmett[connection].set(workload.id, await runEmmett(context, connection, workload));
      }
    }
  }

  for (const workload of appendWorkloads(context.quick)) {
    context.log(`  ${workload.id} (${workload.appends} appends x ${context.runs} runs)`);
    const sequential = workload.inFlight === 1;
    const batch = workload.inFlight;
    const runs = await interleave(context.runs, {
      ours: () => storeRun(workload),
      rawPerAppend: async () => rawRun(workload, 1),
      ...(sequential ? {} : { rawBatched: async () => rawRun(workload, batch) }),
    } as Record<'ours' | 'rawPerAppend' | 'rawBatched', () => Promise<number>>);
    const ours = measure(runs.ours, 'events/s');
    const rawPerAppend = measure(runs.rawPerAppend, 'events/s');
    if (sequential) {
      const ratio = median(runs.ours) / median(runs.rawPerAppend);
      comparisons.push({
        section,
        scenario: workload.id,
        ours,
        baseline: { label: 'raw better-sqlite3, 1 transaction/append', value: rawPerAppend },
        target: '≥ 0.8×',
        met: ratio >= 0.8,
      });
    } else {
      const rawBatched = measure(runs.rawBatched, 'events/s');
      const ratio = median(runs.ours) / median(runs.rawBatched);
      comparisons.push(
        {
          section,
          scenario: workload.id,
          ours,
          baseline: { label: `raw better-sqlite3, ${batch} appends/transaction`, value: rawBatched },
          target: '≥ 0.8×',
          met: ratio >= 0.8,
        },
        {
          section,
          scenario: `${workload.id} (group commit gain)`,
          ours,
          baseline: { label: 'raw better-sqlite3, 1 transaction/append', value: rawPerAppend },
          target: null,
          met: null,
        },
      );
    }
    // Emmett's default pool cannot take concurrent appends (it crashes or stalls, see PEERS.md),
    // so under concurrency its best is its sequential rate for the same events per append.
    const sequentialId = workload.id.replace(/64 in flight/, 'sequential');
    const peer = emmett && emmett.default.get(sequentialId);
    const singleton = emmett && emmett.singleton.get(sequentialId);
    const peerLabel = sequential ? '' : ', sequential (its best; it cannot append concurrently)';
    if (peer) {
      comparisons.push({
        section,
        scenario: workload.id,
        ours,
        baseline: {
          label: `Emmett SQLite, defaults (synchronous=${peer.synchronous})${peerLabel}`,
          value: measure(peer.eventsPerSecond, 'events/s'),
        },
        target: '≥ 20×',
        met: peer.eventsPerSecond.length > 0 ? median(runs.ours) / median(peer.eventsPerSecond) >= 20 : null,
        note: peer.error,
      });
    }
    if (singleton) {
      comparisons.push({
        section,
        scenario: workload.id,
        ours,
        baseline: {
          label: `Emmett SQLite, singleton connection${sequential ? '' : ', sequential'}`,
          value: measure(singleton.eventsPerSecond, 'events/s'),
        },
        target: null,
        met: null,
        note: singleton.error,
      });
    }
  }
  return comparisons;
};
