import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importLines } from '../import-throughput';
import { startChild } from '../lib/child';
import type { BenchContext } from '../lib/context';
import { type Comparison, measure } from '../lib/report';
import { interleave, median } from '../lib/stats';

type Imported = {
  type: 'imported';
  status: number;
  refused: number;
  events: number;
  eventsPerSecond: number;
  eventsPerCpuSecond: number;
};

const target = 20_000;
const rowsPerTransaction = 500;

/** POST /imports of the generated file in a child process (bench/import-throughput.ts). */
const importRun = async (context: BenchContext, leads: number, cpu: number[]): Promise<number> => {
  const child = startChild(join(__dirname, '..', 'import-throughput.ts'), [String(leads)], {
    verbose: context.verbose,
    cpuProfileDir: context.profileDir ?? undefined,
  });
  try {
    const figures = await child.next<Imported>('imported', 1_800_000);
    if (figures.status !== 200 || figures.refused > 0)
      throw new Error(
        `the import answered ${figures.status} with ${figures.refused} refused lines`,
      );
    cpu.push(figures.eventsPerCpuSecond);
    return figures.eventsPerSecond;
  } finally {
    await child.stop();
  }
};

/**
 * The same lines as rows of an events table, inserted with raw better-sqlite3 at the same
 * durability (WAL, synchronous=FULL), 500 rows a transaction: what storing them costs at least.
 */
const rawRun = (leads: number): number => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-raw-'));
  const db = new Database(join(dir, 'events.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL,
      revision INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
      data TEXT NOT NULL, metadata TEXT NOT NULL, UNIQUE (stream_id, revision))`);
    const insert = db.prepare(
      'INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertAll = db.transaction((rows: unknown[][]) => {
      for (const row of rows) insert.run(...row);
    });
    const decoder = new TextDecoder();
    const revisions = new Map<string, number>();
    const began = performance.now();
    let pending: unknown[][] = [];
    let count = 0;
    for (const bytes of importLines(leads)) {
      const line = JSON.parse(decoder.decode(bytes)) as {
        command: string;
        leadId: string;
        idempotencyKey: string;
        body: object;
      };
      const revision = (revisions.get(line.leadId) ?? -1) + 1;
      revisions.set(line.leadId, revision);
      const metadata = { eventId: line.idempotencyKey, actor: { id: 'admin', role: 'admin' } };
      pending.push([
        `lead-${line.leadId}`,
        revision,
        line.idempotencyKey,
        line.command,
        JSON.stringify(line.body),
        JSON.stringify(metadata),
      ]);
      if (pending.length === rowsPerTransaction) {
        insertAll(pending);
        pending = [];
      }
      count++;
    }
    insertAll(pending);
    return count / ((performance.now() - began) / 1000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * Bulk import (issue 13 item 5): events/s of POST /imports, every line through validation and
 * the decider, against the 20k events/s target and raw inserts of the same rows in the same run.
 */
export const importScenario = async (context: BenchContext): Promise<Comparison[]> => {
  const leads = context.quick ? 1_000 : 4_000;
  const cpu: number[] = [];
  const runs = await interleave(context.heavyRuns, {
    ours: () => importRun(context, leads, cpu),
    raw: () => Promise.resolve(rawRun(leads)),
  });
  const ours = measure(runs.ours, 'events/s');
  context.notes.push(
    `Import: bench/import-throughput.ts in a child process streams ${(leads * 5).toLocaleString('en')} NDJSON lines (${leads.toLocaleString('en')} leads × capture, score, handoff, accept, convert) to POST /imports of a fresh app (embedded stores, projector running); events/s = events in the log ÷ wall time of the request. Per CPU-second of the app's process: ${cpu.join(' / ')} events. Raw: the same lines as event rows, ${rowsPerTransaction} per transaction, WAL and synchronous=FULL.`,
  );
  return [
    {
      section: 'Bulk import',
      scenario: `POST /imports, ${(leads * 5).toLocaleString('en')} lines`,
      ours,
      baseline: {
        label: 'raw better-sqlite3 inserting the same rows',
        value: measure(runs.raw, 'rows/s'),
      },
      target: `≥ ${target / 1000}k events/s`,
      met: median(runs.ours) >= target,
    },
  ];
};
