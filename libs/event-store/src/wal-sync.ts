import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * fsync without blocking the event loop. The connection runs WAL with synchronous=NORMAL: a
 * COMMIT writes its frames to the -wal file but does not fsync it, and a checkpoint syncs the WAL
 * before and the database after copying (SQLite's own rule). `durable()` then fdatasyncs the -wal
 * file on libuv's thread pool: everything committed before the call is on disk when it resolves,
 * exactly what synchronous=FULL gives at COMMIT. WAL recovery keeps a prefix of the commits, so one
 * sync also covers every earlier commit, and concurrent callers share syncs: at most one runs and
 * one waits, whatever the load.
 */
export class WalSync {
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private directorySynced = false;
  // Kept open: SQLite removes the -wal file only when the last connection closes, i.e. after ours.
  private wal: Promise<FileHandle | null> | null = null;

  /** `path` of the database file; null (':memory:') has nothing to sync */
  constructor(private readonly path: string | null) {}

  durable(): Promise<void> {
    if (this.path === null) return Promise.resolve();
    if (this.running === null) return this.start();
    // The running sync may have begun before the caller's commit: one more after it covers it.
    this.queued ??= this.running.then(ignore, ignore).then(() => {
      this.queued = null;
      return this.start();
    });
    return this.queued;
  }

  /** after the connection's last commit was made durable */
  async close(): Promise<void> {
    const wal = await this.wal?.catch(() => null);
    this.wal = null;
    await wal?.close();
  }

  private start(): Promise<void> {
    const run = this.syncOnce(this.path!);
    this.running = run;
    void run.then(ignore, ignore).then(() => {
      if (this.running === run) this.running = null;
    });
    return run;
  }

  private async syncOnce(path: string): Promise<void> {
    // A new -wal file is only durable once its directory entry is (SQLite FULL syncs it once too).
    if (!this.directorySynced) {
      const directory = await fs.open(dirname(path), 'r');
      try {
        await directory.datasync();
      } finally {
        await directory.close();
      }
      this.directorySynced = true;
    }
    this.wal ??= openIfPresent(`${path}-wal`);
    const wal = await this.wal;
    // No -wal file: nothing was committed through it, or it was checkpointed (synced) and removed.
    if (wal === null) {
      this.wal = null;
      return;
    }
    await wal.datasync();
  }
}

const ignore = (): void => undefined;

const openIfPresent = async (path: string): Promise<FileHandle | null> => {
  try {
    return await fs.open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
};
