import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, readAllBatches } from '@lead/event-store';
import { type Comparison, measure } from '../lib/report';
import { interleave } from '../lib/stats';
import type { BenchContext } from '../lib/context';

const pageSize = 1_000;

/** events/s reading the whole log in order through SqliteEventStore.readAll, page by page. */
const storeRun = async (path: string): Promise<number> => {
  const store = new SqliteEventStore({ path });
  const began = performance.now();
  let read = 0;
  for await (const page of readAllBatches(store, { batchSize: pageSize })) read += page.length;
  const elapsed = (performance.now() - began) / 1000;
  await store.close();
  return read / elapsed;
};

type Row = { position: number; stream_id: string; revision: number; type: string; data: string; metadata: string };

/** The same pages with raw better-sqlite3, data and metadata JSON-parsed. */
const rawRun = (path: string): number => {
  const db = new Database(path, { readonly: true });
  const page = db.prepare<[number, number], Row>(
    'SELECT position, stream_id, revision, type, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT ?',
  );
  const began = performance.now();
  let read = 0;
  let after = 0;
  let sink = 0;
  for (;;) {
    const rows = page.all(after, pageSize);
    for (const row of rows) {
      const event = {
        ...row,
        data: JSON.parse(row.data) as object,
        metadata: JSON.parse(row.metadata) as object,
      };
      sink += event.revision;
    }
    read += rows.length;
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1].position;
  }
  const elapsed = (performance.now() - began) / 1000;
  db.close();
  if (sink < 0) throw new Error('unreachable');
  return read / elapsed;
};

export const readAllScenario = async (context: BenchContext): Promise<Comparison[]> => {
  const path = join(context.logDir, 'events.sqlite');
  rawRun(path); // warm the page cache
  // a full-size log takes seconds per pass: fewer runs there
  const runs = await interleave(context.quick ? context.runs : context.heavyRuns, {
    ours: () => storeRun(path),
    raw: async () => rawRun(path),
  });
  const ours = measure(runs.ours, 'events/s');
  return [
    {
      section: 'Event store: read $all in order',
      scenario: `${context.logEvents.toLocaleString('en')} events, pages of ${pageSize}`,
      ours,
      baseline: { label: 'raw better-sqlite3, JSON parsed', value: measure(runs.raw, 'events/s') },
      target: null,
      met: null,
    },
  ];
};
