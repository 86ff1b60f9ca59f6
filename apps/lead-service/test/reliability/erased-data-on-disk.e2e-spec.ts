import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeClientSockets, sendJson } from './json-client';
import { type ServiceProcess, startServiceOnFreePort } from './service-process';

// Crypto-shredding only erases what the vault's key protects: after an erasure and a clean stop,
// no file under DATA_DIR (logs, read models, their -wal/-shm, keys) may hold the plaintext, and
// every file is the owner's alone.

const email = 'erin.erasable@example.org';
const name = 'Erin Erasable-Zyx';
// the title on capture, and the one a profile update sets
const title = 'Qux Erasure Officer';
const newTitle = 'Vice Quux of Forgetting';
const admin = { Authorization: 'Bearer dev-admin' };
const marketing = { Authorization: 'Bearer dev-marketing' };

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );

const hitsIn = (file: string): string[] => {
  const bytes = readFileSync(file);
  return [email, name, title, newTitle].flatMap((value) =>
    (['utf8', 'utf16le'] as const)
      .filter((encoding) => bytes.includes(Buffer.from(value, encoding)))
      .map((encoding) => `${file}: ${value} (${encoding})`),
  );
};

// the lead's data key, read beside the running service
const keyOf = (dataDir: string, leadId: string): Buffer => {
  const keys = new Database(join(dataDir, 'keys.sqlite'), { readonly: true });
  try {
    return keys
      .prepare<[string], Buffer>('SELECT data_key FROM data_keys WHERE subject_id = ?')
      .pluck()
      .get(leadId)!;
  } finally {
    keys.close();
  }
};

describe('erased personal data on disk (real service process)', () => {
  let dataDir = '';
  let service: ServiceProcess | null = null;

  beforeAll(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'lead-erased-')), 'data');
  });
  afterAll(async () => {
    await service?.stop();
    closeClientSockets();
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('leaves no plaintext name, email or title in any file under DATA_DIR, and every file owner-only', async () => {
    service = await startServiceOnFreePort({ dataDir });
    const captured = await sendJson(`${service.url}/leads`, {
      headers: marketing,
      body: {
        email,
        name,
        title,
        company: 'Zyx Ltd',
        source: { campaignId: 'c-1', channel: 'webinar' },
      },
    });
    expect(captured.status).toBe(201);
    const { leadId } = captured.body as { leadId: string };
    // every command rewrites the lead's summary: old copies pile up in the WAL and free space
    let position = '';
    for (const campaignId of ['c-2', 'c-3', 'c-4', 'c-5', 'c-6']) {
      const engaged = await sendJson(`${service.url}/leads/${leadId}/engagements`, {
        headers: marketing,
        body: { campaignId, channel: 'email', kind: 'email_click' },
      });
      expect(engaged.status).toBe(201);
      position = (engaged.body as { position: string }).position;
    }
    const updated = await sendJson(`${service.url}/leads/${leadId}/profile`, {
      headers: marketing,
      body: { title: newTitle },
    });
    expect(updated.status).toBe(200);
    position = (updated.body as { position: string }).position;
    const read = await sendJson(`${service.url}/leads/${leadId}?consistentWith=${position}`, {
      headers: marketing,
    });
    expect(read.body).toMatchObject({ email, name, profile: { title: newTitle } });
    const key = keyOf(dataDir, leadId);
    expect(key).toHaveLength(32);
    // an as-of replay is cached in the process: it must hold no plaintext either
    const asOf = await sendJson(`${service.url}/funnel?asOf=position:${position}`, {
      headers: admin,
    });
    expect(asOf.status).toBe(200);

    const erased = await sendJson(`${service.url}/leads/${leadId}/erase`, {
      headers: admin,
      body: {},
    });
    expect(erased.status).toBe(200);
    const after = await sendJson(
      `${service.url}/leads/${leadId}?consistentWith=${(erased.body as { position: string }).position}`,
      { headers: marketing },
    );
    expect(after.body).toMatchObject({
      email: null,
      name: null,
      profile: { title: null },
      personalDataErased: true,
    });
    expect(filesUnder(dataDir).flatMap(hitsIn)).toEqual([]);
    await service.stop();
    service = null;

    const files = filesUnder(dataDir);
    expect(files.map((file) => file.slice(dataDir.length + 1))).toEqual(
      expect.arrayContaining(['events.sqlite', 'read-models.sqlite', 'keys.sqlite']),
    );
    expect(files.flatMap(hitsIn)).toEqual([]);
    // and the key that sealed it is gone from every file, not only unreadable
    expect(files.filter((file) => readFileSync(file).includes(key))).toEqual([]);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(
      files.map((file) => [
        file.slice(dataDir.length + 1),
        (statSync(file).mode & 0o777).toString(8),
      ]),
    ).toEqual(files.map((file) => [file.slice(dataDir.length + 1), '600']));
  }, 120_000);
});
