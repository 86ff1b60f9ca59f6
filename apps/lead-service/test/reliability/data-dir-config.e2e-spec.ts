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

  it('an API replica (BACKGROUND_WORK=false) on the embedded read store refuses to start, naming what works', async () => {
    const failure = await startService({
      dataDir: join(root, 'replica'),
      port: await freePort(),
      env: { BACKGROUND_WORK: 'false' },
    }).then(
      () => new Error('expected the service to refuse to start'),
      (error: unknown) => error as Error,
    );
    expect(failure.message).toContain('exited (code 1)');
    expect(failure.message).toContain('configuration error: BACKGROUND_WORK=false needs');
    expect(failure.message).toContain('MONGO_URL');
    expect(failure.message).not.toMatch(/^\s+at /m);
  }, 120_000);
});
