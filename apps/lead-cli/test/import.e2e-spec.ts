import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../src/cli-program';
import type { ImportAnswer } from '../src/import/import.command';
import { type Service, startService } from './lead-service-process';

// `import` against the real service: the README's HubSpot example converted by its own script,
// streamed to POST /imports, and sent again.
const root = join(__dirname, '..', '..', '..');
const examples = join(root, 'docs', 'examples');

const cli = async (args: string[], env: NodeJS.ProcessEnv) => {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const code = await runCli(args, {
    env,
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    now: () => new Date(),
  });
  return { code, stdout, stderr };
};

describe('lead-cli import', () => {
  let dataDir: string;
  let service: Service;
  let ndjson: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lead-cli-import-'));
    service = await startService(dataDir);
    ndjson = join(dataDir, 'hubspot-leads.ndjson');
    writeFileSync(
      ndjson,
      execFileSync(process.execPath, [
        join(examples, 'hubspot-to-ndjson.mjs'),
        join(examples, 'hubspot-contacts.csv'),
      ]),
    );
  }, 90_000);
  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('streams the converted HubSpot example to the service: every line applied', async () => {
    const run = await cli(['import', ndjson, '--url', service.url, '--format', 'json'], {});
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout) as ImportAnswer).toEqual({
      lines: 17,
      appended: 17,
      alreadyPresent: 0,
      refused: 0,
      errors: [],
    });
    const converted = await fetch(`${service.url}/leads?stage=converted`, {
      headers: { authorization: 'Bearer dev-analyst' },
    });
    expect(converted.status).toBe(200);
  });

  it('the converted file in docs/examples is what the script writes', () => {
    expect(readFileSync(join(examples, 'hubspot-leads.ndjson'), 'utf8')).toBe(
      readFileSync(ndjson, 'utf8'),
    );
  });

  it('appends nothing when the same file is imported again, and says so', async () => {
    const run = await cli(['import', ndjson, '--url', service.url], {});
    expect(run).toEqual({
      code: 0,
      stdout: '17 lines: 0 appended, 17 already present, 0 refused\n',
      stderr: '',
    });
  });

  it('lists refused lines by number and exits 1', async () => {
    const bad = join(dataDir, 'bad.ndjson');
    writeFileSync(bad, '{"command":"profile"}\nnot json\n');
    const run = await cli(['import', bad, '--url', service.url], {});
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      '2 lines: 0 appended, 0 already present, 2 refused',
      expect.stringMatching(/^line 1: validation_failed: leadId: /),
      expect.stringMatching(/^line 2: malformed_line: /),
    ]);
  });

  it('says why when the token may not import, or the file is missing', async () => {
    const refused = await cli(['import', ndjson, '--url', service.url, '--token', 'dev-sales'], {});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: the import was refused: HTTP 403 forbidden/);
    const missing = await cli(['import', join(dataDir, 'nope.ndjson'), '--url', service.url], {});
    expect(missing).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error: cannot read/),
    });
  });
});
