import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkpointOffTheLoop, truncateWal } from './wal-checkpointer';

describe('checkpointOffTheLoop', () => {
  let dir: string;
  let path: string;
  let db: Database.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'));
    path = join(dir, 'store.sqlite');
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE docs (id TEXT PRIMARY KEY, doc TEXT NOT NULL)');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const until = async (condition: () => boolean): Promise<boolean> => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      if (condition()) return true;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return condition();
  };

  it('commits on the connection never checkpoint (and fsync) there: the worker copies them into the file', async () => {
    const checkpointer = checkpointOffTheLoop(db, path, { intervalMs: 10 });
    try {
      db.prepare('INSERT INTO docs VALUES (?, ?)').run('a', 'marker-7f3e9c');

      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      // long before the thousand pages at which SQLite would checkpoint on the connection
      expect(await until(() => readFileSync(path).includes('marker-7f3e9c'))).toBe(true);
    } finally {
      await checkpointer.close();
    }
  });

  it('close() is awaited to the end even when nothing else keeps the process alive', () => {
    const root = join(__dirname, '..', '..', '..');
    const script = `
      const Database = require('better-sqlite3');
      const { checkpointOffTheLoop } = require('./libs/event-store/src/wal-checkpointer.ts');
      const db = new Database(${JSON.stringify(path)});
      const checkpointer = checkpointOffTheLoop(db, ${JSON.stringify(path)});
      setTimeout(async () => {
        await checkpointer.close();
        db.close();
        process.exitCode = 3;
      }, 50);
    `;
    const run = spawnSync(process.execPath, ['-r', './scripts/swc-register.js', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });

    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 3, stderr: '' });
  });

  it('hands checkpoints back to the connection when the worker stops for another reason', async () => {
    const checkpointer = checkpointOffTheLoop(db, join(dir, 'missing', 'store.sqlite'), {
      intervalMs: 10,
    });

    expect(await until(() => db.pragma('wal_autocheckpoint', { simple: true }) === 1000)).toBe(
      true,
    );
    await checkpointer.close();
  });

  describe('truncateWal', () => {
    // another connection in the log: a TRUNCATE checkpoint cannot finish until it lets go
    const heldByReader = () => {
      db.pragma('busy_timeout = 0');
      db.prepare('INSERT INTO docs VALUES (?, ?)').run('a', 'old-copy-5d1b');
      const reader = new Database(path);
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM docs').get();
      return reader;
    };

    it('tries again while the log is held, until it is empty', async () => {
      const reader = heldByReader();
      let waits = 0;
      const emptied = await truncateWal(db, {
        wait: () => {
          waits++;
          reader.exec('COMMIT');
          reader.close();
          return Promise.resolve();
        },
      });
      expect(emptied).toBe(true);
      expect(waits).toBe(1);
      expect(statSync(`${path}-wal`).size).toBe(0);
    });

    it('gives up after its attempts and says so', async () => {
      const reader = heldByReader();
      let waits = 0;
      const emptied = await truncateWal(db, {
        attempts: 3,
        wait: () => Promise.resolve(void waits++),
      });
      reader.close();
      expect(emptied).toBe(false);
      expect(waits).toBe(2);
    });
  });
});
