import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

// The worker's own connection checkpoints the WAL every intervalMs; a PASSIVE checkpoint never
// waits for the writer or readers, it copies what it can. Plain JavaScript, so it needs no loader.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true, timeout: 0 });
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: next time */ } };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

const sqliteDefaultAutocheckpoint = 1000;

export type WalCheckpointer = { close(): Promise<void> };

/**
 * SQLite checkpoints a WAL database on the connection that commits (every 1000 pages by default),
 * and with synchronous=NORMAL a checkpoint fsyncs the WAL and the database file: a stall of the
 * event loop. Here the connection stops checkpointing and a worker thread does it on its own
 * connection, so commits on the event loop only write. The one sync left there is the WAL
 * header's, when the first commit after a complete checkpoint starts the WAL over: once per
 * interval at most. Should the worker stop on its own (it could not open the file), the
 * connection checkpoints as before rather than let the WAL grow.
 */
export const checkpointOffTheLoop = (
  db: Database.Database,
  path: string,
  { intervalMs = 5_000 }: { intervalMs?: number } = {},
): WalCheckpointer => {
  db.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: { path, intervalMs, driver: require.resolve('better-sqlite3') },
  });
  worker.unref();
  let closing = false;
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      if (!closing && db.open) db.pragma(`wal_autocheckpoint = ${sqliteDefaultAutocheckpoint}`);
      resolve();
    });
  });
  // the reason is not the caller's to handle: the connection checkpoints again (see exit)
  worker.on('error', () => undefined);
  return {
    close: async () => {
      if (!closing) {
        closing = true;
        // held open until the worker is gone: unref'd, a process could end while awaiting close()
        worker.ref();
        worker.postMessage('close');
      }
      await exited;
    },
  };
};

const briefly = () => new Promise<void>((resolve) => setTimeout(resolve, 10));

/**
 * Empties the write-ahead log into the database file (a TRUNCATE checkpoint), so the old copies
 * of overwritten pages (a destroyed key) leave the disk. While another connection checkpoints
 * (the worker above, every few seconds) SQLite answers busy at once, without its busy handler:
 * try again after a moment, a bounded number of times. Resolves to whether the log is empty.
 */
export const truncateWal = async (
  db: Database.Database,
  { attempts = 100, wait = briefly }: { attempts?: number; wait?: () => Promise<void> } = {},
): Promise<boolean> => {
  for (let attempt = 1; ; attempt++) {
    const [{ busy }] = db.pragma('wal_checkpoint(TRUNCATE)') as [{ busy: number }];
    if (busy === 0) return true;
    if (attempt >= attempts) return false;
    await wait();
  }
};
