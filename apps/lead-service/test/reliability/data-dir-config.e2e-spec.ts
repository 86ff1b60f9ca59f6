import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startService } from './service-process';

describe('configurations that cannot work stop the service (real service process)', () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'lead-data-dir-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a DATA_DIR that is a file stops the service with one line naming DATA_DIR, no stack trace', async () => {
    const file = join(root, 'not-a-folder');
    writeFileSync(file, '');
    const failure = await startService({ dataDir: file, port: await freePort() }).then(
      () => new Error('expected the service to refuse to start'),
      (error: unknown) => error as Error,
    );
    expect(failure.message).toContain('exited (code 1)');
    expect(failure.message).toContain(`configuration error: DATA_DIR ${file} is not a directory`);
    expect(failure.message).not.toMatch(/^\s+at /m);
  }, 120_000);
});
