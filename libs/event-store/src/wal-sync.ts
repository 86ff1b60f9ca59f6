import { promises as fs } from 'node:fs';
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
      await syncFile(dirname(path), 'required');
      this.directorySynced = true;
    }
    // No -wal file: the last connection checkpointed (and synced) it into the database and removed it.
    await syncFile(`${path}-wal`, 'if present');
  }
}

const ignore = (): void => undefined;

const syncFile = async (path: string, presence: 'required' | 'if present'): Promise<void> => {
  let file;
  try {
    file = await fs.open(path, 'r');
  } catch (error) {
    if (presence === 'if present' && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    await file.datasync();
  } finally {
    await file.close();
  }
};
