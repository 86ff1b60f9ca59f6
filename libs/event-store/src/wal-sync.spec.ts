import { mkdtempSync, promises as fs, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalSync } from './wal-sync';

describe('WalSync', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wal-sync-'));
    path = join(dir, 'events.sqlite');
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  // the paths synced, in order
  const recordSyncs = (): string[] => {
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
    return synced;
  };

  it('syncs the directory once, then the -wal file on every call', async () => {
    writeFileSync(`${path}-wal`, 'frames');
    const synced = recordSyncs();
    const sync = new WalSync(path);

    await sync.durable();
    await sync.durable();
    await sync.close();

    expect(synced).toEqual([dir, `${path}-wal`, `${path}-wal`]);
  });

  it('shares syncs between concurrent callers: one running and one more after it', async () => {
    writeFileSync(`${path}-wal`, 'frames');
    const synced = recordSyncs();
    const sync = new WalSync(path);

    await Promise.all(Array.from({ length: 20 }, () => sync.durable()));
    await sync.close();

    expect(synced).toEqual([dir, `${path}-wal`, `${path}-wal`]);
  });

  it('has nothing to sync without a -wal file (checkpointed and removed) or in memory', async () => {
    await expect(new WalSync(path).durable()).resolves.toBeUndefined();
    await expect(new WalSync(null).durable()).resolves.toBeUndefined();
  });

  it('reports a failing sync to its callers', async () => {
    await expect(
      new WalSync(join(dir, 'missing-dir', 'events.sqlite')).durable(),
    ).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
