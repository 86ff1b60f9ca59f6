import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, promises as fs, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { personalDataVaultContract } from './personal-data-vault.contract';
import { SqlitePersonalDataVault } from './sqlite-personal-data-vault';

personalDataVaultContract('SqlitePersonalDataVault (:memory:)', () =>
  Promise.resolve(new SqlitePersonalDataVault({ path: ':memory:' })),
);

describe('SqlitePersonalDataVault on a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'personal-data-vault-'));
  const path = join(dir, 'nested', 'keys.sqlite');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => jest.restoreAllMocks());

  // Every test reopens the same file.
  personalDataVaultContract('SqlitePersonalDataVault (file, WAL)', () =>
    Promise.resolve(new SqlitePersonalDataVault({ path })),
  );

  const onDisk = (): Buffer =>
    Buffer.concat(
      [path, `${path}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file)),
    );
  const sql = <T>(query: string, ...params: unknown[]): T[] => {
    const raw = new Database(path);
    try {
      return raw.prepare(query).all(...params) as T[];
    } finally {
      raw.close();
    }
  };
  const run = (query: string, ...params: unknown[]): void => {
    const raw = new Database(path);
    try {
      raw.prepare(query).run(...params);
    } finally {
      raw.close();
    }
  };

  it('keeps keys and tombstones across a reopen, in an owner-only file', async () => {
    const vault = new SqlitePersonalDataVault({ path });
    const key = await vault.keyFor('lead-kept');
    const gone = await vault.keyFor('lead-gone');
    await vault.destroyKeys('lead-gone', []);
    await vault.close();

    const reopened = new SqlitePersonalDataVault({ path });
    expect(await reopened.keyFor('lead-kept')).toEqual(key);
    expect(await reopened.getKeysById([key.id, gone.id])).toEqual(
      new Map([
        [key.id, { status: 'active', key: key.key }],
        [gone.id, { status: 'destroyed' }],
      ]),
    );
    expect(await reopened.getSubjectKeys(['lead-gone'])).toEqual(
      new Map([['lead-gone', { status: 'destroyed' }]]),
    );
    await reopened.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('overwrites a destroyed key on disk, in the database file and its write-ahead log', async () => {
    const vault = new SqlitePersonalDataVault({ path });
    const { key } = await vault.keyFor('lead-shredded');
    expect(onDisk().includes(key)).toBe(true);

    await vault.destroyKeys('lead-shredded', []);

    expect(onDisk().includes(key)).toBe(false);
    await vault.close();
  });

  it('hands out keys only once they are on disk, created in batches ahead of need', async () => {
    const synced: string[] = [];
    const open = fs.open.bind(fs);
    jest.spyOn(fs, 'open').mockImplementation(async (file, ...rest) => {
      const handle = await open(file, ...rest);
      const datasync = handle.datasync.bind(handle);
      handle.datasync = async () => {
        await datasync();
        synced.push(String(file));
      };
      return handle;
    });
    const vault = new SqlitePersonalDataVault({ path, keyBatchSize: 8 });

    const first = await vault.keyFor('lead-pool-0');
    const syncsForFirst = synced.length;
    const rest = await Promise.all(
      Array.from({ length: 4 }, (_, index) => vault.keyFor(`lead-pool-${index + 1}`)),
    );

    expect(synced.filter((file) => file === `${path}-wal`)).toHaveLength(1);
    expect(synced).toHaveLength(syncsForFirst);
    const created = sql<{ key_id: string }>('SELECT key_id FROM data_keys').map(
      (row) => row.key_id,
    );
    for (const { id } of [first, ...rest]) expect(created).toContain(id);
    await vault.close();
  });

  it('binds each key to its subject; a clean close deletes the keys never handed out', async () => {
    const vault = new SqlitePersonalDataVault({ path, keyBatchSize: 8 });
    const keys = await Promise.all(
      ['lead-bound-1', 'lead-bound-2'].map((subject) => vault.keyFor(subject)),
    );
    expect(
      sql<{ n: number }>('SELECT count(*) AS n FROM data_keys WHERE subject_id IS NULL')[0].n,
    ).toBeGreaterThanOrEqual(6);

    await vault.close();

    expect(
      sql<{ key_id: string; subject_id: string }>(
        `SELECT key_id, subject_id FROM data_keys WHERE subject_id LIKE 'lead-bound-%' ORDER BY subject_id`,
      ),
    ).toEqual([
      { key_id: keys[0].id, subject_id: 'lead-bound-1' },
      { key_id: keys[1].id, subject_id: 'lead-bound-2' },
    ]);
    expect(sql('SELECT key_id FROM data_keys WHERE subject_id IS NULL')).toEqual([]);
  });

  it('never hands out a key another instance created (after a crash its binding may be lost)', async () => {
    const crashed = new SqlitePersonalDataVault({ path, keyBatchSize: 8 });
    const taken = await crashed.keyFor('lead-before-crash');
    // the binding did not reach the disk, and the rest of the batch was never handed out
    run('UPDATE data_keys SET subject_id = NULL WHERE key_id = ?', taken.id);
    const leftOver = sql<{ key_id: string }>(
      'SELECT key_id FROM data_keys WHERE subject_id IS NULL',
    ).map((row) => row.key_id);

    const next = new SqlitePersonalDataVault({ path, keyBatchSize: 8 });
    const handedOut = await Promise.all(
      Array.from({ length: 12 }, (_, index) => next.keyFor(`lead-after-crash-${index}`)),
    );

    for (const { id } of handedOut) expect(leftOver).not.toContain(id);
    // erasure finds the unbound key through the ciphertext that names it
    await next.destroyKeys('lead-before-crash', [taken.id]);
    expect((await next.getKeysById([taken.id])).get(taken.id)).toEqual({ status: 'destroyed' });
    await next.close();
    await crashed.close();
  });

  it('reads the keys of values sealed before key ids by subject, and erases them', async () => {
    const legacyKey = Buffer.alloc(32, 9);
    await new SqlitePersonalDataVault({ path }).close();
    run(
      'INSERT INTO personal_data_keys (subject_id, data_key, created_at) VALUES (?, ?, ?)',
      'lead-legacy',
      legacyKey,
      '2025-01-01T00:00:00.000Z',
    );
    const vault = new SqlitePersonalDataVault({ path });

    expect(await vault.getSubjectKeys(['lead-legacy'])).toEqual(
      new Map([['lead-legacy', { status: 'active', key: legacyKey }]]),
    );
    await vault.destroyKeys('lead-legacy', []);
    expect(await vault.getSubjectKeys(['lead-legacy'])).toEqual(
      new Map([['lead-legacy', { status: 'destroyed' }]]),
    );
    expect(onDisk().includes(legacyKey)).toBe(false);
    await vault.close();
  });

  it('refuses work once closed', async () => {
    const vault = new SqlitePersonalDataVault({ path });
    await vault.close();
    await expect(vault.keyFor('lead-late')).rejects.toThrow('closed');
    await expect(vault.getKeysById(['key-late'])).rejects.toThrow();
  });
});
