import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates (or tightens) a SQLite file as owner-only (0600) before SQLite opens it, in an
 * owner-only folder (0700). SQLite gives its -wal and -shm files the main file's mode, so the
 * main file must be private before the first write; existing -wal/-shm files are tightened too.
 * ':memory:' is left alone.
 */
export const prepareOwnerOnlyFile = (path: string): void => {
  if (path === ':memory:') return;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`])
    if (existsSync(file)) chmodSync(file, 0o600);
};
