import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppendWorkload, appendAt, runPool, streamCount } from '../lib/append-workloads';
import { exitOnRequest, failChild, reportToParent } from '../lib/child';

// Emmett's SQLite event store as the peer, in its own process: with appends in flight its default
// pool has crashed the process before (an un-awaited PRAGMA failing with SQLITE_BUSY).
// Loaded from bench/peers/node_modules by path, so the project's type-check never needs it.

type EmmettConnection = { query<T>(sql: string, values?: unknown[]): Promise<T[]>; close(): void };
type EmmettStore = {
  appendToStream(
    streamName: string,
    events: { type: string; data: Record<string, unknown>; metadata?: Record<string, unknown> }[],
    options?: { expectedStreamVersion?: bigint | 'STREAM_DOES_NOT_EXIST' },
  ): Promise<unknown>;
};
type EmmettSqlite = {
  getSQLiteEventStore(options: {
    fileName: string;
    connectionOptions?: { singleton: true; connection: EmmettConnection };
  }): EmmettStore;
  sqliteConnection(options: { fileName: string }): EmmettConnection;
};

type Options = { connection: 'default' | 'singleton'; workload: AppendWorkload; runs: number; peersDir: string };

const options = JSON.parse(process.argv[2]) as Options;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const emmett = require(join(options.peersDir, 'node_modules', '@event-driven-io', 'emmett-sqlite')) as EmmettSqlite;

let lastError: string | null = null;
// Each default-pool connection runs `PRAGMA journal_mode = WAL` without awaiting it; when that
// statement fails (SQLITE_BUSY, or "cannot change into wal mode from within a transaction") the
// error is thrown on an EventEmitter nobody listens to and would kill the process. Counted here so
// the peer can still be measured.
let uncaught = 0;
process.on('uncaughtException', (error) => {
  uncaught++;
  lastError = `uncaught: ${error.message}`;
});

const run = async (): Promise<{ eventsPerSecond: number; failed: number; synchronous: string }> => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-emmett-'));
  const fileName = join(dir, 'emmett.sqlite');
  const singleton = options.connection === 'singleton' ? emmett.sqliteConnection({ fileName }) : null;
  const store = singleton
    ? emmett.getSQLiteEventStore({ fileName, connectionOptions: { singleton: true, connection: singleton } })
    : emmett.getSQLiteEventStore({ fileName });
  const { eventsPerAppend, inFlight, appends } = options.workload;
  const versions = new Array<number>(streamCount).fill(-1);
  let failed = 0;
  const began = performance.now();
  await runPool(appends, inFlight, async (index) => {
    const { stream, streamId, events } = appendAt(index, eventsPerAppend);
    try {
      // Emmett counts stream versions from 1; 0n is "no events yet"
      await store.appendToStream(
        streamId,
        events.map(({ type, data, metadata }) => ({ type, data, metadata })),
        { expectedStreamVersion: BigInt(versions[stream] + 1) },
      );
      versions[stream] += events.length;
    } catch (error) {
      // its default pool fails some appends outright (SQLITE_BUSY); count them, keep going
      failed++;
      lastError = String(error instanceof Error ? error.message : error);
    }
  });
  const elapsed = (performance.now() - began) / 1000;
  // the durability it ran at: its connections never change SQLite's default
  const connection = singleton ?? emmett.sqliteConnection({ fileName });
  const [mode] = await connection.query<{ synchronous: number }>('PRAGMA synchronous');
  connection.close();
  rmSync(dir, { recursive: true, force: true });
  const names = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
  return { eventsPerSecond: ((appends - failed) * eventsPerAppend) / elapsed, failed, synchronous: names[mode?.synchronous ?? -1] ?? '?' };
};

const main = async (): Promise<void> => {
  exitOnRequest();
  const results: number[] = [];
  let synchronous = '?';
  let failed = 0;
  for (let i = 0; i < options.runs; i++) {
    const result = await run();
    results.push(result.eventsPerSecond);
    synchronous = result.synchronous;
    failed += result.failed;
  }
  const attempted = options.runs * options.workload.appends;
  reportToParent({
    type: 'result',
    eventsPerSecond: results,
    synchronous,
    error:
      failed + uncaught > 0
        ? `${failed} of ${attempted} appends failed, ${uncaught} uncaught exceptions that would have crashed the process (last: ${lastError})`
        : undefined,
  });
};

main().catch(failChild);
