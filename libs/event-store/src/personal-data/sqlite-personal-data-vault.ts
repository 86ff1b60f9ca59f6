import Database from 'better-sqlite3';
import { GroupCommit, type Outcome } from '../group-commit';
import { prepareOwnerOnlyFile } from '../owner-only-file';
import { WalSync } from '../wal-sync';
import { newDataKey } from './personal-data-cipher';
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
};

type KeyRow = { subject_id: string; data_key: Buffer | null };

// A destroyed key is a row with data_key NULL: the tombstone that stops it being created again.
const schema = `
  CREATE TABLE IF NOT EXISTS personal_data_keys (
    subject_id TEXT PRIMARY KEY,
    data_key BLOB,
    created_at TEXT NOT NULL,
    destroyed_at TEXT,
    CHECK ((data_key IS NULL) = (destroyed_at IS NOT NULL))
  ) WITHOUT ROWID;
`;

const prepareStatements = (db: Database.Database) => ({
  get: db.prepare<[string], KeyRow>(
    'SELECT subject_id, data_key FROM personal_data_keys WHERE subject_id = ?',
  ),
  getMany: db.prepare<[string], KeyRow>(
    'SELECT subject_id, data_key FROM personal_data_keys WHERE subject_id IN (SELECT value FROM json_each(?))',
  ),
  insert: db.prepare<[string, Buffer, string]>(
    'INSERT INTO personal_data_keys (subject_id, data_key, created_at) VALUES (?, ?, ?) ON CONFLICT (subject_id) DO NOTHING',
  ),
  destroy: db.prepare<[string, string, string]>(
    `INSERT INTO personal_data_keys (subject_id, data_key, created_at, destroyed_at) VALUES (?, NULL, ?, ?)
       ON CONFLICT (subject_id) DO UPDATE SET data_key = NULL, destroyed_at = coalesce(destroyed_at, excluded.destroyed_at)`,
  ),
});

const stateOf = (row: KeyRow): DataKeyState =>
  row.data_key === null ? { status: 'destroyed' } : { status: 'active', key: row.data_key };

/**
 * Data keys in their own SQLite file, apart from the event log. A key is committed and fsync'd
 * (off the event loop, see WalSync) before the event it encrypts is appended, so a crash can never leave ciphertext without its key;
 * key creations issued in the same tick share one transaction, like the event store's appends.
 * Destroying a key overwrites it on disk: secure_delete zeroes the freed bytes and a WAL
 * checkpoint removes the old page copies from the write-ahead log.
 */
export class SqlitePersonalDataVault extends PersonalDataVault {
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly creations: GroupCommit<string, Buffer>;
  private readonly sync: WalSync;
  private closed = false;

  constructor(options: SqlitePersonalDataVaultOptions) {
    super();
    this.clock = options.clock ?? (() => new Date());
    const readonly = options.readonly ?? false;
    if (!readonly) prepareOwnerOnlyFile(options.path);
    this.db = new Database(options.path, {
      timeout: options.busyTimeoutMs ?? 5_000,
      readonly,
      fileMustExist: readonly,
    });
    if (!readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('secure_delete = ON');
      this.db.exec(schema);
    }
    this.statements = prepareStatements(this.db);
    this.sync = new WalSync(options.path === ':memory:' ? null : options.path);
    this.creations = new GroupCommit(
      this.db,
      (subjectIds: string[]) => {
        const createdAt = this.clock().toISOString();
        return subjectIds.map((subjectId): Outcome<Buffer> => {
          this.statements.insert.run(subjectId, newDataKey(), createdAt);
          const { data_key: key } = this.statements.get.get(subjectId)!;
          // destroyed between the check in createKey and this commit
          return key === null
            ? { ok: false, error: new PersonalDataErased(subjectId) }
            : { ok: true, result: key };
        });
      },
      this.sync,
    );
  }

  override createKey(subjectId: string): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('the personal data vault is closed'));
    const row = this.statements.get.get(subjectId);
    if (row) {
      return row.data_key === null
        ? Promise.reject(new PersonalDataErased(subjectId))
        : Promise.resolve(row.data_key);
    }
    return this.creations.submit(subjectId);
  }

  override getKeys(subjectIds: readonly string[]): Promise<Map<string, DataKeyState>> {
    return new Promise((resolve) => {
      const rows = this.statements.getMany.all(JSON.stringify([...new Set(subjectIds)]));
      resolve(new Map(rows.map((row) => [row.subject_id, stateOf(row)])));
    });
  }

  override async destroyKey(subjectId: string): Promise<void> {
    const now = this.clock().toISOString();
    this.statements.destroy.run(subjectId, now, now);
    // best effort: a reader in another process may hold the WAL for a moment
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    // durable even when the checkpoint could not finish
    await this.sync.durable();
  }

  override async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.creations.drain();
      this.db.close();
    }
  }
}
