import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  EventStore,
  PersonalDataEventStore,
  type RecordedEvent,
  verifyChain,
} from '@lead/event-store';
import { ReadStore, findLead, leadProjections, rebuild, replayUpTo } from '@lead/read-models';
import { type TestApp, bearer, captureBody, startTestApp } from './test-app';

// GDPR erasure by crypto-shredding, end to end through HTTP: the personal fields of a lead are
// never stored in plaintext; after POST /leads/:id/erase they read as erased everywhere (history,
// read models, as-of replays, every read of the log) while every figure stays exactly the same.
describe('erasure of personal data (crypto-shredding)', () => {
  let t: TestApp;
  let ada = '';
  let grace = '';
  let beforeErasure = '';
  // Ada's title on capture, then her title after a profile update
  const personal = [
    'ada@example.com',
    'Ada Lovelace',
    'Chief Engine Analyst',
    'Head of Computation',
    'grace@example.com',
    'Grace Hopper',
  ];

  const at = (iso: string) => t.clock.set(`2026-03-${iso}:00.000Z`);
  const post = async (role: Parameters<typeof bearer>[0], url: string, body: object = {}) =>
    (
      await t.http
        .post(url)
        .set(bearer(role))
        .send(body)
        .expect((r) => expect(r.status).toBeLessThan(300))
    ).body;
  const get = async (url: string, role: Parameters<typeof bearer>[0] = 'admin') =>
    (await t.http.get(url).set(bearer(role)).expect(200)).body;

  // The log as stored on disk, read beside the running service.
  const rawLog = (): string => {
    const raw = new Database(join(t.dataDir, 'events.sqlite'), { readonly: true });
    try {
      return (
        raw.prepare('SELECT data FROM events ORDER BY position').pluck().all() as string[]
      ).join('\n');
    } finally {
      raw.close();
    }
  };
  const expectNoPlaintext = (): void => {
    const log = rawLog();
    for (const value of personal) expect(log).not.toContain(value);
  };

  const models = [
    'first_touch',
    'last_touch',
    'linear',
    'u_shaped',
    'w_shaped',
    'full_path',
    'time_decay',
  ];
  const figureUrls = (): string[] => [
    ...models.flatMap((model) => [
      ...['campaign', 'channel', 'sourcedBy'].map(
        (by) => `/attribution?model=${model}&groupBy=${by}`,
      ),
      `/attribution/leads/${ada}?model=${model}`,
    ]),
    '/sla/handoffs',
    '/sla/summary?groupBy=rep',
    '/sla/summary?groupBy=month',
    '/funnel',
  ];
  const asOfUrls = (): string[] => [
    `/attribution?model=w_shaped&groupBy=campaign&asOf=position:${beforeErasure}`,
    `/sla/summary?groupBy=rep&asOf=position:${beforeErasure}`,
    `/funnel?asOf=position:${beforeErasure}`,
  ];
  // Live answers name the log position they are based on, which the erasure event moves on.
  const figures = async (): Promise<unknown[]> =>
    Promise.all(
      figureUrls().map(async (url) => {
        const { asOf: _basedOn, ...answer } = await get(url);
        return answer;
      }),
    );
  const asOfFigures = async (): Promise<string[]> =>
    Promise.all(
      asOfUrls().map(async (url) => (await t.http.get(url).set(bearer('admin')).expect(200)).text),
    );

  beforeAll(async () => {
    t = await startTestApp();
    at('02T09:00');
    ada = (
      await post(
        'marketing',
        '/leads',
        captureBody({
          email: 'ada@example.com',
          name: 'Ada Lovelace',
          title: 'Chief Engine Analyst',
          source: { campaignId: 'webinar-q1', channel: 'webinar' },
          priorTouches: [
            { campaignId: 'ads-q1', channel: 'paid_search', occurredAt: '2026-02-20T09:00:00Z' },
          ],
        }),
      )
    ).leadId;
    grace = (
      await post(
        'sales',
        '/leads',
        captureBody({
          email: 'grace@example.com',
          name: 'Grace Hopper',
          source: { campaignId: 'ebook', channel: 'content' },
          sourcedBy: 'sales',
        }),
      )
    ).leadId;
    expectNoPlaintext();
    at('02T10:00');
    await post('marketing', `/leads/${ada}/engagements`, {
      campaignId: 'newsletter',
      channel: 'email',
      kind: 'email_click',
    });
    await post('marketing', `/leads/${ada}/profile`, { title: 'Head of Computation' });
    await post('marketing', `/leads/${ada}/score`, { score: 80 });
    await post('marketing', `/leads/${grace}/score`, { score: 75 });
    at('02T11:00');
    await post('marketing', `/leads/${ada}/handoff`, { toRep: 'rep-ana' });
    await post('marketing', `/leads/${grace}/handoff`, { toRep: 'rep-bo' });
    at('02T12:30');
    await post('sales', `/leads/${ada}/accept`);
    at('04T09:00');
    await post('sales', `/leads/${grace}/accept`);
    at('05T09:00');
    await post('sales', `/leads/${ada}/convert`, { amount: 10_000, currency: 'USD' });
    const last = await post('sales', `/leads/${grace}/convert`, { amount: 4_999, currency: 'EUR' });
    beforeErasure = last.position;
    await get(`/funnel?consistentWith=${last.position}`);
    expectNoPlaintext();
  });
  afterAll(async () => {
    await t.close();
  });

  it('erases: personal fields gone from history and read models, every figure exactly the same', async () => {
    // SLA answers are judged at the clock's now: keep it still across the comparison
    at('06T09:00');
    const lead = await get(`/leads/${ada}`, 'marketing');
    expect(lead).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      profile: { title: 'Head of Computation' },
      personalDataErased: false,
    });
    const before = { figures: await figures(), asOf: await asOfFigures() };
    expect((before.figures[0] as { rows: unknown[] }).rows.length).toBeGreaterThan(0);

    const erased = await t.http.post(`/leads/${ada}/erase`).set(bearer('admin')).expect(200);
    expect(erased.body).toEqual({
      leadId: ada,
      revision: 7,
      position: expect.stringMatching(/^\d+$/),
    });
    expect(erased.headers.etag).toBe('"7"');
    expectNoPlaintext();

    // erasing again is fine: nothing new is appended, the first erasure is the answer
    const again = await t.http.post(`/leads/${ada}/erase`).set(bearer('admin')).expect(200);
    expect(again.body).toEqual(erased.body);

    const history = await get(`/leads/${ada}/history`, 'auditor');
    expect(history.chain).toEqual({ valid: true });
    expect(history.events.map((event: RecordedEvent) => event.type).slice(-2)).toEqual([
      'LeadConverted',
      'LeadPersonalDataErased',
    ]);
    expect(history.events[7].metadata.actor).toEqual({ id: 'admin-dev', role: 'admin' });
    expect(history.events[0].data).toMatchObject({
      leadId: ada,
      email: null,
      name: null,
      title: null,
      personalDataErased: true,
      company: 'Analytical Engines Ltd',
      source: { campaignId: 'webinar-q1', channel: 'webinar' },
    });
    expect(history.events[2]).toMatchObject({
      type: 'LeadProfileUpdated',
      data: { leadId: ada, title: null, personalDataErased: true },
    });
    expect(history.events[0]).not.toHaveProperty('storedData');
    for (const value of personal.slice(0, 4)) expect(JSON.stringify(history)).not.toContain(value);

    const summary = await get(`/leads/${ada}?consistentWith=${erased.body.position}`, 'sales');
    expect(summary).toEqual({
      ...lead,
      email: null,
      name: null,
      profile: { ...lead.profile, title: null },
      personalDataErased: true,
      revision: 7,
      updatedAt: '2026-03-06T09:00:00.000Z',
    });
    // the other lead keeps its data
    expect(await get(`/leads/${grace}`, 'sales')).toMatchObject({
      email: 'grace@example.com',
      personalDataErased: false,
    });

    expect(await figures()).toEqual(before.figures);
    // a new process has no cached replays: the as-of answers are replayed over erased events
    t = await t.restart();
    expect(await figures()).toEqual(before.figures);
    expect(await asOfFigures()).toEqual(before.asOf);
    await rebuild(t.app.get(ReadStore), t.app.get(EventStore), leadProjections);
    expect(await figures()).toEqual(before.figures);
    expect(await get(`/leads/${ada}`, 'analyst')).toMatchObject({ email: null, name: null });
  });

  it('an as-of replay from before the erasure shows the fields erased too, and every read of the log does', async () => {
    const store = t.app.get(PersonalDataEventStore);
    const then = await replayUpTo(store, { kind: 'position', position: BigInt(beforeErasure) });
    try {
      expect(await findLead(then.store, ada, store.vault)).toMatchObject({
        stage: 'converted',
        amount: { amount: 10_000, currency: 'USD' },
        email: null,
        name: null,
        profile: { title: null },
        personalDataErased: true,
        revision: 6,
      });
      expect(await findLead(then.store, grace, store.vault)).toMatchObject({
        email: 'grace@example.com',
      });
    } finally {
      await then.store.close();
    }

    const stream = await store.readStream(`lead-${ada}`);
    expect(verifyChain(stream)).toEqual({ valid: true });
    const captured = (await store.readAll()).filter((event) => event.type === 'LeadCaptured');
    expect(captured.map((event) => [event.data.leadId, event.data.email])).toEqual([
      [ada, null],
      [grace, 'grace@example.com'],
    ]);
    expectNoPlaintext();
  });

  it("destroys the key itself: keys.sqlite keeps the erased lead's key destroyed and a tombstone", () => {
    const keys = new Database(join(t.dataDir, 'keys.sqlite'), { readonly: true });
    try {
      const bound = keys
        .prepare(
          'SELECT subject_id, data_key IS NULL AS destroyed FROM data_keys WHERE subject_id IS NOT NULL ORDER BY subject_id',
        )
        .all() as { subject_id: string; destroyed: number }[];
      expect(Object.fromEntries(bound.map((row) => [row.subject_id, row.destroyed === 1]))).toEqual(
        {
          [ada]: true,
          [grace]: false,
        },
      );
      const tombstones = keys
        .prepare('SELECT subject_id FROM personal_data_keys WHERE data_key IS NULL')
        .pluck()
        .all();
      expect(tombstones).toEqual([ada]);
    } finally {
      keys.close();
    }
  });

  it('only admin may erase; unknown leads are 404; the request takes no fields', async () => {
    for (const role of ['marketing', 'sales', 'analyst', 'auditor'] as const) {
      await t.http.post(`/leads/${grace}/erase`).set(bearer(role)).expect(403);
    }
    await t.http.post(`/leads/${grace}/erase`).expect(401);
    const unknown = await t.http
      .post('/leads/0192f7a0-0000-7000-8000-000000000000/erase')
      .set(bearer('admin'))
      .expect(404);
    expect(unknown.body.code).toBe('lead_not_found');
    // an unknown lead stays unknown whatever If-Match says
    await t.http
      .post('/leads/0192f7a0-0000-7000-8000-000000000000/erase')
      .set(bearer('admin'))
      .set('If-Match', '"0"')
      .expect(404);
    await t.http.post('/leads/not-a-uuid/erase').set(bearer('admin')).expect(400);
    await t.http
      .post(`/leads/${grace}/erase`)
      .set(bearer('admin'))
      .send({ email: 'x@example.com' })
      .expect(400);
    const stale = await t.http
      .post(`/leads/${grace}/erase`)
      .set(bearer('admin'))
      .set('If-Match', '"1"')
      .expect(409);
    expect(stale.body.code).toBe('revision_conflict');
    // none of the refused requests erased anything
    expect(await get(`/leads/${grace}`, 'sales')).toMatchObject({
      email: 'grace@example.com',
      personalDataErased: false,
    });
  });
});
