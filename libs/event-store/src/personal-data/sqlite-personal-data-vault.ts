import Database from 'better-sqlite3';
import { GroupCommit, type Outcome } from '../group-commit';
import { prepareOwnerOnlyFile } from '../owner-only-file';
import { WalSync } from '../wal-sync';
import { type WalCheckpointer, checkpointOffTheLoop, truncateWal } from '../wal-checkpointer';
import { type DataKey, newDataKey, newKeyId } from './personal-data-cipher';
import {
  type DataKeyState,
  PersonalDataErased,
  PersonalDataVault,
} from './personal-data-vault.port';

export type SqlitePersonalDataVaultOptions = {
  /** a file path (e.g. DATA_DIR/keys.sqlite), or ':memory:' */
  path: string;
  /** stamps created_at / destroyed_at */
  clock?: () => Date;
  busyTimeoutMs?: number;
  /** a reading handle on an existing vault (the as-of workers): key creation fails */
  readonly?: boolean;
  /** how many keys are created (and synced) together ahead of need */
  keyBatchSize?: number;
};

type KeyRow = { key_id: string; data_key: Buffer | null };
type SubjectKeyRow = { subject_id: string; data_key: Buffer | null };
type Binding = { subjectId: string; candidate: DataKey };

// personal_data_keys: one row per subject, the keys of values sealed before key ids (v1), and
// the tombstones of erased subjects (data_key NULL), which stop a key being bound to them again.
// data_keys: keys by the id their ciphertexts carry; subject_id is set when one is handed out.
const schema = `
  CREATE TABLE IF NOT EXISTS personal_data_keys (
    subject_id TEXT PRIMARY KEY,
    data_key BLOB,
    created_at TEXT NOT NULL,
    destroyed_at TEXT,
    CHECK ((data_key IS NULL) = (destroyed_at IS NOT NULL))
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS data_keys (
    key_id TEXT PRIMARY KEY,
    data_key BLOB,
    subject_id TEXT,
    created_at TEXT NOT NULL,
    destroyed_at TEXT,
    CHECK ((data_key IS NULL) = (destroyed_at IS NOT NULL))
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS data_keys_by_subject ON data_keys (subject_id)
    WHERE subject_id IS NOT NULL;
`;

const prepareStatements = (db: Database.Database) => ({
  erased: db
    .prepare<[string], number>(
      'SELECT 1 FROM personal_data_keys WHERE subject_id = ? AND data_key IS NULL',
    )
    .pluck(),
  bound: db.prepare<[string], KeyRow>(
    'SELECT key_id, data_key FROM data_keys WHERE subject_id = ? AND data_key IS NOT NULL ORDER BY created_at, key_id LIMIT 1',
  ),
  insertKey: db.prepare<[string, Buffer, string]>(
    'INSERT INTO data_keys (key_id, data_key, created_at) VALUES (?, ?, ?)',
  ),
  bind: db.prepare<[string, string]>(
    'UPDATE data_keys SET subject_id = ? WHERE key_id = ? AND subject_id IS NULL AND data_key IS NOT NULL',
  ),
  byId: db.prepare<[string], KeyRow>(
    'SELECT key_id, data_key FROM data_keys WHERE key_id IN (SELECT value FROM json_each(?))',
  ),
  bySubject: db.prepare<[string], SubjectKeyRow>(
    'SELECT subject_id, data_key FROM personal_data_keys WHERE subject_id IN (SELECT value FROM json_each(?))',
  ),
  tombstone: db.prepare<[string, string, string]>(
    `INSERT INTO personal_data_keys (subject_id, data_key, created_at, destroyed_at) VALUES (?, NULL, ?, ?)
       ON CONFLICT (subject_id) DO UPDATE SET data_key = NULL, destroyed_at = coalesce(destroyed_at, excluded.destroyed_at)`,
  ),
  // a key named in the subject's data but not bound (its binding was lost in a crash) is its too
  destroyKeys: db.prepare<{ subjectId: string; keyIds: string; now: string }>(
    `UPDATE data_keys SET data_key = NULL, destroyed_at = @now, subject_id = @subjectId
       WHERE data_key IS NOT NULL AND (subject_id = @subjectId
         OR (subject_id IS NULL AND key_id IN (SELECT value FROM json_each(@keyIds))))`,
  ),
  deleteUnused: db.prepare<[string]>(
    'DELETE FROM data_keys WHERE subject_id IS NULL AND key_id IN (SELECT value FROM json_each(?))',
  ),
});

const stateOf = (key: Buffer | null): DataKeyState =>
  key === null ? { status: 'destroyed' } : { status: 'active', key };

/**
 * Data keys in their own SQLite file, apart from the event log.
 *
 * A capture must not wait on this file's disk: keys are created in batches ahead of need, each
 * batch committed and fsync'd (off the event loop, see WalSync) before any of its keys is handed
 * out. Handing one out binds it to its subject with a commit that is NOT fsync'd: the ciphertext
 * names its key, so the event log, synced when the append is acknowledged, is the durable record
 * of which key sealed what, and erasure destroys the keys named in the subject's stream as well
 * as the bound ones. A key is only handed out by the instance that created it, so a binding lost
 * in a crash never lets a key serve a second subject; such keys (and the unused rest of a batch
 * after a crash) stay in the file, harmless. A clean close deletes the unused keys.
 *
 * Destroying a key overwrites it on disk: secure_delete zeroes the freed bytes and a WAL
 * checkpoint removes the old page copies from the write-ahead log.
 */
export class SqlitePersonalDataVault extends PersonalDataVault {
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly bindings: GroupCommit<Binding, DataKey>;
  private readonly sync: WalSync;
  private readonly checkpointer: WalCheckpointer | null = null;
  private readonly batchSize: number;
  private readonly readonly: boolean;
  private readonly ready: DataKey[] = [];
  private creating: Promise<void> | null = null;
  private closed = false;

  constructor(options: SqlitePersonalDataVaultOptions) {
    super();
    this.clock = options.clock ?? (() => new Date());
    this.batchSize = options.keyBatchSize ?? 256;
    this.readonly = options.readonly ?? false;
    if (!this.readonly) prepareOwnerOnlyFile(options.path);
    this.db = new Database(options.path, {
      timeout: options.busyTimeoutMs ?? 5_000,
      readonly: this.readonly,
      fileMustExist: this.readonly,
    });
    if (!this.readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('secure_delete = ON');
      this.db.exec(schema);
      // every capture binds a key here: its commits must not checkpoint (fsync) on the event loop
      if (options.path !== ':memory:')
        this.checkpointer = checkpointOffTheLoop(this.db, options.path);
    }
    this.statements = prepareStatements(this.db);
    this.sync = new WalSync(options.path === ':memory:' ? null : options.path);
    // Committed per tick, not synced (see above): a WalSync of nothing.
    this.bindings = new GroupCommit(
      this.db,
      (bindings: Binding[]) => bindings.map((binding) => this.bind(binding)),
      new WalSync(null),
    );
  }

  override async keyFor(subjectId: string): Promise<DataKey> {
    if (this.closed) throw new Error('the personal data vault is closed');
    // No look-up first: keys are asked for by captures, for leads that have none yet.
    const candidate = await this.takeReadyKey();
    return this.bindings.submit({ subjectId, candidate });
  }

  override getKeysById(keyIds: readonly string[]): Promise<Map<string, DataKeyState>> {
    return new Promise((resolve) => {
      const rows = this.statements.byId.all(JSON.stringify([...new Set(keyIds)]));
      resolve(new Map(rows.map((row) => [row.key_id, stateOf(row.data_key)])));
    });
  }

  override getSubjectKeys(subjectIds: readonly string[]): Promise<Map<string, DataKeyState>> {
    return new Promise((resolve) => {
      const rows = this.statements.bySubject.all(JSON.stringify([...new Set(subjectIds)]));
      resolve(new Map(rows.map((row) => [row.subject_id, stateOf(row.data_key)])));
    });
  }

  override async destroyKeys(subjectId: string, keyIds: readonly string[]): Promise<void> {
    const now = this.clock().toISOString();
    this.db.transaction(() => {
      this.statements.tombstone.run(subjectId, now, now);
      this.statements.destroyKeys.run({ subjectId, keyIds: JSON.stringify(keyIds), now });
    })();
    // the destroyed keys' old page copies leave the WAL; a reader in another process may hold it
    // longer than the retries last: durable all the same
    await truncateWal(this.db);
    await this.sync.durable();
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.creating?.catch(() => undefined);
    await this.bindings.drain();
    if (!this.readonly)
      this.statements.deleteUnused.run(JSON.stringify(this.ready.map((key) => key.id)));
    this.ready.length = 0;
    await this.checkpointer?.close();
    await this.sync.close();
    this.db.close();
  }

  // the subject's bound key; throws once it is erased
  private knownKey(subjectId: string): DataKey | null {
    if (this.statements.erased.get(subjectId)) throw new PersonalDataErased(subjectId);
    const row = this.statements.bound.get(subjectId);
    return row ? { id: row.key_id, key: row.data_key! } : null;
  }

  // Runs in the bindings' transaction, so an erasure in another process comes before or after it.
  private bind({ subjectId, candidate }: Binding): Outcome<DataKey> {
    let known: DataKey | null;
    try {
      known = this.knownKey(subjectId);
    } catch (error) {
      this.ready.unshift(candidate);
      return { ok: false, error };
    }
    if (known) {
      // bound in this batch or by another process: the candidate is still unused
      this.ready.unshift(candidate);
      return { ok: true, result: known };
    }
    if (this.statements.bind.run(subjectId, candidate.id).changes === 1) {
      return { ok: true, result: candidate };
    }
    // only if an erasure destroyed a key named in a forged stream: never hand that one out
    return { ok: false, error: new Error(`data key ${candidate.id} is no longer usable`) };
  }

  private async takeReadyKey(): Promise<DataKey> {
    for (;;) {
      // refill at a quarter left, so under steady load no capture waits for a batch
      if (this.ready.length <= this.batchSize / 4) void this.createKeys().catch(() => undefined);
      const key = this.ready.shift();
      if (key) return key;
      await this.createKeys();
      if (this.closed) throw new Error('the personal data vault is closed');
    }
  }

  private createKeys(): Promise<void> {
    this.creating ??= this.createBatch().finally(() => (this.creating = null));
    return this.creating;
  }

  private async createBatch(): Promise<void> {
    const createdAt = this.clock().toISOString();
    const batch = Array.from({ length: this.batchSize }, () => ({
      id: newKeyId(),
      key: newDataKey(),
    }));
    this.db.transaction(() => {
      for (const { id, key } of batch) this.statements.insertKey.run(id, key, createdAt);
    })();
    // a key is handed out only once it is on disk
    await this.sync.durable();
    // also when closing: close deletes the unused ones
    this.ready.push(...batch);
  }
}
