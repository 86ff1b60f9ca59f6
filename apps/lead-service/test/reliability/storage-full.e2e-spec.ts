import type Database from 'better-sqlite3';
import { EventStore } from '@lead/event-store';
import { ReadStore } from '@lead/read-models';
import { BackgroundWork } from '@lead/runtime';
import { type TestApp, bearer, captureBody, startTestApp } from '../test-app';

// "Disk full, then space returns" without root or a small mount: SQLite's max_page_count (a
// per-connection limit) set to the file's current size makes the next write that needs a new page
// fail with a real SQLITE_FULL; raising it is the space coming back.

const noLimit = 1_073_741_823;

// The stores keep their connection private; the test reaches it by the fields' names.
const connectionOf = (store: unknown, path: string[]): Database.Database =>
  path.reduce<unknown>(
    (owner, field) => (owner as Record<string, unknown>)[field],
    store,
  ) as Database.Database;

const fillUp = (db: Database.Database): void => {
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
};
const makeRoom = (db: Database.Database): void => {
  db.pragma(`max_page_count = ${noLimit}`);
};

/** polls `check` until it holds; bounded, never a fixed sleep */
const eventually = async (check: () => Promise<boolean>, attempts = 500): Promise<void> => {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the condition never held');
};

/** the value of one sample in Prometheus text, or undefined when the series is absent */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

const leadId = (n: number) => `0190f5a0-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const capture = (t: TestApp, n: number) =>
  t.http
    .post('/leads')
    .set(bearer('marketing'))
    .send(captureBody({ leadId: leadId(n), company: `${'Analytical Engines '.repeat(5)}${n}` }));

describe('storage full, then space returns', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('the event store answers 503 storage_unavailable, changes nothing, reports it in readiness, then takes writes again', async () => {
    t = await startTestApp();
    const log = connectionOf(t.app.get(EventStore), ['inner', 'db']);
    await capture(t, 0).expect(201);

    fillUp(log);
    let refused: Awaited<ReturnType<typeof capture>> | null = null;
    let n = 1;
    for (; n < 200 && !refused; n += 1) {
      const response = await capture(t, n);
      if (response.status !== 201) refused = response;
    }
    const refusedLead = leadId(n - 1);

    expect(refused?.status).toBe(503);
    expect(refused?.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused?.headers['retry-after']).toBe('5');
    expect(refused?.body).toMatchObject({ status: 503, code: 'storage_unavailable' });
    expect(await t.app.get(EventStore).readStream(`lead-${refusedLead}`)).toEqual([]);
    const down = await t.http.get('/health').expect(503);
    expect(down.body.error.eventStore).toMatchObject({
      status: 'down',
      message: 'event store write failed: SQLITE_FULL: database or disk is full',
    });
    const metrics = await t.http.get('/metrics').expect(200);
    expect(sample(metrics.text, 'lead_event_store_write_failures_total')).toBe(1);

    makeRoom(log);
    await capture(t, n - 1).expect(201);
    const up = await t.http.get('/health').expect(200);
    expect(up.body.details.eventStore).toEqual({ status: 'up', head: expect.any(String) });
  });

  it('the projector retries while the read store is full, readiness names the cause, and it catches up by itself', async () => {
    t = await startTestApp({ projectorRetry: { firstDelayMs: 5, maxDelayMs: 20 } });
    const projector = t.app.get(BackgroundWork).projector;
    const readModels = connectionOf(t.app.get(ReadStore), ['table', 'db']);
    await capture(t, 0).expect(201);

    fillUp(readModels);
    // commands still succeed: the log has room, only the read models are stuck
    let last = '0';
    for (let n = 1; n <= 200 && !projector.health().failing; n += 1) {
      last = (await capture(t, n).expect(201)).body.position as string;
    }
    expect(projector.health()).toMatchObject({ failing: true });

    const down = await t.http.get('/health').expect(503);
    expect(down.body.error.projections).toMatchObject({
      status: 'down',
      failing: true,
      error: 'SQLITE_FULL: database or disk is full',
      message: expect.stringMatching(
        /^read store write failed: SQLITE_FULL: database or disk is full/,
      ),
    });
    const failing = await t.http.get('/metrics').expect(200);
    expect(sample(failing.text, 'lead_projection_failing')).toBe(1);
    expect(sample(failing.text, 'lead_projection_write_failures_total')).toBeGreaterThan(0);

    makeRoom(readModels);
    expect(await projector.waitFor(BigInt(last), 10_000)).toBe(true);
    await eventually(async () => (await t.http.get('/health')).status === 200);
    const recovered = await t.http.get('/metrics').expect(200);
    expect(sample(recovered.text, 'lead_projection_failing')).toBe(0);
    const leads = await t.http
      .get(`/leads?consistentWith=${last}&limit=500`)
      .set(bearer('sales'))
      .expect(200);
    expect(leads.body.items.length).toBeGreaterThan(1);
  });
});
