import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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

  // Every test reopens the same file.
  personalDataVaultContract('SqlitePersonalDataVault (file, WAL)', () =>
    Promise.resolve(new SqlitePersonalDataVault({ path })),
  );

  const onDisk = (): Buffer =>
    Buffer.concat(
      [path, `${path}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file)),
    );

  it('keeps keys and tombstones across a reopen, in an owner-only file', async () => {
    const vault = new SqlitePersonalDataVault({ path });
    const key = await vault.createKey('lead-kept');
    await vault.createKey('lead-gone');
    await vault.destroyKey('lead-gone');
    await vault.close();

    const reopened = new SqlitePersonalDataVault({ path });
    expect(await reopened.getKeys(['lead-kept', 'lead-gone'])).toEqual(
      new Map([
        ['lead-kept', { status: 'active', key }],
        ['lead-gone', { status: 'destroyed' }],
      ]),
    );
    await reopened.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('overwrites a destroyed key on disk, in the database file and its write-ahead log', async () => {
    const vault = new SqlitePersonalDataVault({ path });
    const key = await vault.createKey('lead-shredded');
    expect(onDisk().includes(key)).toBe(true);

    await vault.destroyKey('lead-shredded');

    expect(onDisk().includes(key)).toBe(false);
    await vault.close();
  });

  it('commits the key creations of one tick together and answers each', async () => {
    const vault = new SqlitePersonalDataVault({
      path,
      clock: () => new Date('2026-03-01T10:00:00.000Z'),
    });
    const subjects = Array.from({ length: 20 }, (_, index) => `lead-batch-${index}`);

    const keys = await Promise.all(subjects.map((subject) => vault.createKey(subject)));

    const stored = await vault.getKeys(subjects);
    subjects.forEach((subject, index) =>
      expect(stored.get(subject)).toEqual({ status: 'active', key: keys[index] }),
    );
    expect(new Set(keys.map((key) => key.toString('hex'))).size).toBe(subjects.length);
    await vault.close();
  });

  it('refuses work once closed', async () => {
    const vault = new SqlitePersonalDataVault({ path });
    await vault.close();
    await expect(vault.createKey('lead-late')).rejects.toThrow('closed');
    await expect(vault.getKeys(['lead-late'])).rejects.toThrow();
  });
});
