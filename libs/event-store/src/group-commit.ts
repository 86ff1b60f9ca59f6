import type Database from 'better-sqlite3';
import type { WalSync } from './wal-sync';

export type Outcome<R> = { ok: true; result: R } | { ok: false; error: unknown };

type Pending<I, R> = { input: I; resolve: (result: R) => void; reject: (error: unknown) => void };

/**
 * Group commit on SQLite: the work submitted in one tick runs in ONE transaction. `work` returns
 * one outcome per input (it isolates failures itself, e.g. with savepoints), and every caller's
 * promise settles only after that COMMIT is on disk: the fsync runs off the event loop (WalSync),
 * so the next batch commits while this one syncs, and syncs are shared between batches. When the
 * transaction cannot begin or commit, or the sync fails, every caller of that batch is rejected.
 */
export class GroupCommit<I, R> {
  private readonly transaction: Database.Transaction<(inputs: I[]) => Outcome<R>[]>;
  private queue: Pending<I, R>[] = [];
  private scheduled: NodeJS.Immediate | null = null;
  private readonly syncing = new Set<Promise<void>>();

  constructor(
    db: Database.Database,
    work: (inputs: I[]) => Outcome<R>[],
    private readonly sync: WalSync,
    private readonly hooks: {
      /** the batch's COMMIT succeeded; it is not on disk yet */
      committed?: () => void;
      /** the batch is on disk (or its sync failed), just before its callers are settled */
      synced?: (outcomes: Outcome<R>[]) => void;
    } = {},
  ) {
    this.transaction = db.transaction(work);
  }

  submit(input: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** commits what is queued now (called on its own each tick, and on close) */
  flush(): void {
    if (this.scheduled !== null) clearImmediate(this.scheduled);
    this.scheduled = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let outcomes: Outcome<R>[];
    try {
      // IMMEDIATE takes the write lock up front, so another process waits on busy_timeout
      // instead of failing a read-to-write lock upgrade half way.
      outcomes = this.transaction.immediate(batch.map((pending) => pending.input));
    } catch (error) {
      // The transaction could not begin or commit: nothing of this batch is durable.
      for (const pending of batch) pending.reject(error);
      return;
    }
    this.hooks.committed?.();
    const settled = this.sync.durable().then(
      () => {
        this.hooks.synced?.(outcomes);
        batch.forEach((pending, index) => {
          const outcome = outcomes[index];
          if (outcome.ok) pending.resolve(outcome.result);
          else pending.reject(outcome.error);
        });
      },
      // Committed but not known to be on disk: the callers must not take it as acknowledged.
      (error: unknown) => {
        this.hooks.synced?.(outcomes);
        for (const pending of batch) pending.reject(error);
      },
    );
    this.syncing.add(settled);
    void settled.then(() => this.syncing.delete(settled));
  }

  /** commits what is queued, waits until every batch is settled, then releases the -wal file */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all(this.syncing);
    await this.sync.close();
  }
}
