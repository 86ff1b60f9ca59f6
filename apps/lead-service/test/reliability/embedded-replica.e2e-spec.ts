import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeClientSockets, sendJson } from './json-client';
import { type ServiceProcess, startServiceOnFreePort } from './service-process';

// Two real processes on one DATA_DIR: the default one projects, the replica (BACKGROUND_WORK=false)
// serves reads from the read-models file the other one writes.

const leadId = '0192c1a0-0000-7000-8000-00000000000a';
const marketing = { authorization: 'Bearer dev-marketing' };

type Acknowledged = { position: string };
type Lead = { leadId: string; stage: string; score: number | null };

describe('API replica on the embedded stores (BACKGROUND_WORK=false, real service processes)', () => {
  let dataDir = '';
  let projecting: ServiceProcess | null = null;
  let replica: ServiceProcess | null = null;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lead-replica-'));
    projecting = await startServiceOnFreePort({ dataDir });
    replica = await startServiceOnFreePort({ dataDir, env: { BACKGROUND_WORK: 'false' } });
  }, 180_000);

  afterAll(async () => {
    await replica?.stop();
    await projecting?.stop();
    closeClientSockets();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const readThroughReplica = (position: string) =>
    sendJson(`${replica!.url}/leads/${leadId}?consistentWith=${position}`, { headers: marketing });

  it('serves a lead the other process projected, and its next change', async () => {
    expect((await sendJson(`${replica!.url}/leads/${leadId}`, { headers: marketing })).status).toBe(
      404,
    );

    const captured = await sendJson(`${projecting!.url}/leads`, {
      headers: marketing,
      body: {
        leadId,
        email: 'ada@example.com',
        name: 'Ada',
        source: { campaignId: 'cmp-1', channel: 'email' },
      },
    });
    expect(captured.status).toBe(201);
    const first = await readThroughReplica((captured.body as Acknowledged).position);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject<Partial<Lead>>({ leadId, stage: 'captured', score: null });

    // the replica read this lead already; it must not answer from what it read then
    const scored = await sendJson(`${projecting!.url}/leads/${leadId}/score`, {
      headers: marketing,
      body: { score: 80, reasons: [{ rule: 'fit', points: 80 }] },
    });
    expect(scored.status).toBe(200);
    const second = await readThroughReplica((scored.body as Acknowledged).position);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject<Partial<Lead>>({ leadId, stage: 'mql', score: 80 });
  }, 60_000);
});
