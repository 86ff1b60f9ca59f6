import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './app-config';
import { prepareDataDir } from './data-dir';

describe('prepareDataDir', () => {
  let root = '';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'data-dir-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates DATA_DIR owner-only (0700), parents included', () => {
    const dataDir = join(root, 'a', 'data');
    expect(prepareDataDir(dataDir)).toEqual({ warning: null });
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('warns about an existing DATA_DIR others may read, and leaves its mode alone', () => {
    const dataDir = join(root, 'shared');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    expect(prepareDataDir(dataDir).warning).toMatch(
      /^DATA_DIR .*shared may be read by others \(mode 755\)/,
    );
    expect(statSync(dataDir).mode & 0o777).toBe(0o755);
  });

  it('refuses a DATA_DIR that is a file, or below a file, with a message naming DATA_DIR', () => {
    const file = join(root, 'file');
    writeFileSync(file, '');
    for (const dataDir of [file, join(file, 'data')]) {
      expect(() => prepareDataDir(dataDir)).toThrow(ConfigError);
      expect(() => prepareDataDir(dataDir)).toThrow(`DATA_DIR ${dataDir} is not a directory`);
    }
  });
});
