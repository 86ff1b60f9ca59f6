import { randomUUID } from 'node:crypto';
import { EventStore } from '@lead/event-store';
import { SlaDeadlineWatcher } from '@lead/automations';
import { ReadStore, leadProjections, rebuild } from '@lead/read-models';
import { BackgroundWork } from '@lead/runtime';
import { type TestApp, bearer, captureBody, startTestApp } from './test-app';

// One multi-lead story, driven through HTTP with a fixed clock (business time = the clock unless
// a command says otherwise; knowledge time follows the same clock).
//   A: prior ad touch, webinar capture, newsletter click; handed off, accepted in 60 min; 10,000 USD
//   B: webinar capture sourced by sales; accepted late (breached); 5,000 EUR
//   C: handed off, never answered (breached); D: handed off just now (open); E: lost
// On the embedded read store, and also with MONGO_URL set (read models and personal-data keys on
// that server; FerretDB in `npm test`), in a database of its own per run.
const backends: [string, NodeJS.ProcessEnv][] = [
  ['embedded', {}],
  ...(process.env.MONGO_URL
    ? [
        [
          'MONGO_URL',
          {
            MONGO_URL: process.env.MONGO_URL,
            MONGO_DB: `analytics_e2e_${randomUUID().slice(0, 8)}`,
          },
        ] as [string, NodeJS.ProcessEnv],
      ]
    : []),
];

describe.each(backends)('analytics over HTTP (%s)', (_backend, env) => {
  let t: TestApp;
  const ids: Record<'A' | 'B' | 'C' | 'D' | 'E', string> = { A: '', B: '', C: '', D: '', E: '' };
  let afterAConverted = '';

  const at = (iso: string) => t.clock.set(`2026-03-${iso}:00.000Z`);
  const post = async (role: Parameters<typeof bearer>[0], url: string, body: object = {}) =>
    (
      await t.http
        .post(url)
        .set(bearer(role))
        .send(body)
        .expect((r) => expect(r.status).toBeLessThan(300))
    ).body;
  const get = async (url: string, role: Parameters<typeof bearer>[0] = 'analyst') =>
    (await t.http.get(url).set(bearer(role)).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp({ env });
    at('02T09:00');
    ids.A = (
      await post(
        'marketing',
        '/leads',
        captureBody({
          source: { campaignId: 'webinar-q1', channel: 'webinar' },
          priorTouches: [
            { campaignId: 'ads-q1', channel: 'paid_search', occurredAt: '2026-02-20T09:00:00Z' },
          ],
        }),
      )
    ).leadId;
    ids.B = (
      await post(
        'sales',
        '/leads',
        captureBody({
          source: { campaignId: 'webinar-q1', channel: 'webinar' },
          sourcedBy: 'sales',
        }),
      )
    ).leadId;
    ids.C = (
      await post(
        'marketing',
        '/leads',
        captureBody({ source: { campaignId: 'ebook', channel: 'content' } }),
      )
    ).leadId;
    ids.E = (
      await post(
        'marketing',
        '/leads',
        captureBody({ source: { campaignId: 'ebook', channel: 'content' } }),
      )
    ).leadId;
    at('02T10:00');
    await post('marketing', `/leads/${ids.A}/engagements`, {
      campaignId: 'newsletter',
      channel: 'email',
      kind: 'email_click',
    });
    at('02T10:30');
    for (const [lead, score] of [
      ['A', 80],
      ['B', 70],
      ['C', 90],
      ['E', 30],
    ] as const) {
      await post('marketing', `/leads/${ids[lead]}/score`, { score });
    }
    at('02T11:00');
    await post('marketing', `/leads/${ids.A}/handoff`, { toRep: 'rep-ana' });
    at('02T12:00');
    await post('sales', `/leads/${ids.A}/accept`);
    await post('marketing', `/leads/${ids.B}/handoff`, { toRep: 'rep-bo' });
    at('02T13:00');
    await post('marketing', `/leads/${ids.C}/handoff`, { toRep: 'rep-bo' });
    at('03T09:00');
    ids.D = (
      await post(
        'marketing',
        '/leads',
        captureBody({ source: { campaignId: 'ebook', channel: 'content' } }),
      )
    ).leadId;
    await post('marketing', `/leads/${ids.D}/score`, { score: 65 });
    at('04T09:00');
    await post('sales', `/leads/${ids.B}/accept`);
    at('05T09:00');
    afterAConverted = (
      await post('sales', `/leads/${ids.A}/convert`, { amount: 10_000, currency: 'USD' })
    ).position;
    at('05T12:00');
    await post('marketing', `/leads/${ids.E}/lose`, { reason: 'no_budget' });
    at('06T08:00');
    await post('sales', `/leads/${ids.B}/convert`, { amount: 5_000, currency: 'EUR' });
    at('06T09:00');
    const last = await post('marketing', `/leads/${ids.D}/handoff`, { toRep: 'rep-ana' });
    at('06T10:00');
    await get(`/funnel?consistentWith=${last.position}`);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('attribution', () => {
    it('linear by campaign: credits split exactly, currencies never summed', async () => {
      const report = await get('/attribution?model=linear&groupBy=campaign');
      expect(report.model).toBe('linear@1');
      expect(report.rows).toEqual([
        { key: 'webinar-q1', currency: 'EUR', amount: 5_000, conversions: 1 },
        { key: 'ads-q1', currency: 'USD', amount: 3_334, conversions: 1 },
        { key: 'newsletter', currency: 'USD', amount: 3_333, conversions: 1 },
        { key: 'webinar-q1', currency: 'USD', amount: 3_333, conversions: 1 },
      ]);
      expect(report.totals).toEqual([
        { currency: 'EUR', amount: 5_000, conversions: 1 },
        { currency: 'USD', amount: 10_000, conversions: 1 },
      ]);
      expect(report.asOf).toEqual({
        position: expect.stringMatching(/^\d+$/),
        recordedAt: '2026-03-06T09:00:00.000Z',
      });
    });

    it('first touch by channel, and sourced revenue by team', async () => {
      const byChannel = await get('/attribution?model=first_touch&groupBy=channel');
      expect(byChannel.rows).toEqual([
        { key: 'webinar', currency: 'EUR', amount: 5_000, conversions: 1 },
        { key: 'paid_search', currency: 'USD', amount: 10_000, conversions: 1 },
      ]);
      const byTeam = await get('/attribution?model=w_shaped&groupBy=sourcedBy');
      expect(byTeam.rows).toEqual([
        { key: 'sales', currency: 'EUR', amount: 5_000, conversions: 1 },
        { key: 'marketing', currency: 'USD', amount: 10_000, conversions: 1 },
      ]);
    });

    it('per-lead evidence names each touch, its roles, weight and amount', async () => {
      const evidence = await get(`/attribution/leads/${ids.A}?model=w_shaped`, 'auditor');
      expect(evidence).toMatchObject({
        leadId: ids.A,
        model: 'w_shaped@1',
        amount: 10_000,
        currency: 'USD',
      });
      expect(
        evidence.credits.map((c: { campaignId: string; roles: string[]; amount: number }) => [
          c.campaignId,
          c.roles,
          c.amount,
        ]),
      ).toEqual([
        ['ads-q1', ['FT'], 3_334],
        ['webinar-q1', ['LC'], 3_333],
        ['newsletter', ['OC', 'CW'], 3_333],
      ]);
      expect(evidence.credits[0].touchId).toEqual(expect.any(String));
    });

    it('from/to filter on conversion time (to exclusive)', async () => {
      const report = await get(
        '/attribution?model=last_touch&from=2026-03-05T00:00:00Z&to=2026-03-06T08:00:00Z',
      );
      expect(report.totals).toEqual([{ currency: 'USD', amount: 10_000, conversions: 1 }]);
    });
  });

  describe('SLA', () => {
    it('statuses: met, breached late, breached unanswered, open', async () => {
      const { items } = await get('/sla/handoffs', 'auditor');
      expect(
        items.map(
          (h: {
            leadId: string;
            toRep: string;
            status: string;
            responseMinutes: number | null;
          }) => [h.leadId, h.toRep, h.status, h.responseMinutes],
        ),
      ).toEqual([
        [ids.A, 'rep-ana', 'met', 60],
        [ids.B, 'rep-bo', 'breached', 2_700],
        [ids.C, 'rep-bo', 'breached', null],
        [ids.D, 'rep-ana', 'open', null],
      ]);
      const open = await get('/sla/handoffs?status=open');
      expect(open.items.map((h: { leadId: string }) => h.leadId)).toEqual([ids.D]);
      const bo = await get('/sla/handoffs?rep=rep-bo&status=breached');
      expect(bo.items).toHaveLength(2);
    });

    it('summary by rep and by month, with marketing volume vs target', async () => {
      const byRep = await get('/sla/summary?groupBy=rep');
      expect(byRep.rows).toEqual([
        expect.objectContaining({
          key: 'rep-ana',
          handoffs: 2,
          met: 1,
          breached: 0,
          open: 1,
          compliance: 1,
          responseMinutes: { median: 60, p90: 60 },
        }),
        expect.objectContaining({
          key: 'rep-bo',
          handoffs: 2,
          met: 0,
          breached: 2,
          open: 0,
          compliance: 0,
          responseMinutes: { median: 2_700, p90: 2_700 },
        }),
      ]);
      const byMonth = await get('/sla/summary?groupBy=month');
      expect(byMonth.rows).toEqual([
        expect.objectContaining({
          key: '2026-03',
          handoffs: 4,
          met: 1,
          breached: 2,
          open: 1,
          compliance: 0.33,
        }),
      ]);
      expect(byMonth.marketingVolume).toEqual([
        {
          month: '2026-03',
          handoffs: 4,
          target: 100,
          met: false,
          agreementVersion: 1,
          acceptanceRate: 1,
          minAcceptanceRate: null,
        },
      ]);
    });

    it('the deadline watcher alerts an unanswered handoff once, however many watchers run', async () => {
      const watcher = t.app.get(BackgroundWork).watcher;
      const rival = new SlaDeadlineWatcher({
        eventStore: t.app.get(EventStore),
        readStore: t.app.get(ReadStore),
        now: () => t.clock.now(),
        graceSeconds: 60,
      });
      // both may believe they appended it (the store absorbs the second append of the same id)
      const counts = await Promise.all([watcher.check(), rival.check()]);
      expect(Math.max(...counts)).toBe(1);
      const { events } = await get(`/leads/${ids.C}/history`, 'auditor');
      const breaches = events.filter((e: { type: string }) => e.type === 'LeadHandoffSlaBreached');
      expect(breaches).toHaveLength(1);
      expect(breaches[0].metadata.actor).toEqual({ id: 'system', role: 'system' });
      expect(await watcher.check()).toBe(0);
    });
  });

  it('funnel: counts per stage and step-to-step rates', async () => {
    const result = await get('/funnel');
    expect(result.steps).toEqual([
      { stage: 'captured', count: 5 },
      { stage: 'mql', count: 4 },
      { stage: 'handed_off', count: 4 },
      { stage: 'accepted', count: 2 },
      // issue 14: won deals count as opportunities (SQL) even when converted straight from SAL
      { stage: 'sql', count: 2 },
      { stage: 'converted', count: 2 },
    ]);
    expect(result.conversionRates.map((r: { rate: number }) => r.rate)).toEqual([
      0.8, 1, 0.5, 1, 1,
    ]);
    expect(result.lost).toBe(1);
    expect(Object.values(result.lostFrom as Record<string, number>)).toEqual([1]);
    expect(result.currentStages).toEqual({ converted: 2, handed_off: 2, lost: 1 });
  });

  describe('as of a past moment', () => {
    it('by position: what the log said right after A converted', async () => {
      const report = await get(`/attribution?model=linear&asOf=position:${afterAConverted}`);
      expect(report.asOf).toEqual({
        position: afterAConverted,
        recordedAt: '2026-03-05T09:00:00.000Z',
      });
      expect(report.totals).toEqual([{ currency: 'USD', amount: 10_000, conversions: 1 }]);
      const sla = await get(`/sla/handoffs?asOf=position:${afterAConverted}`);
      expect(sla.items.map((h: { status: string }) => h.status)).toEqual([
        'met',
        'breached',
        'breached',
      ]);
      const funnelThen = await get(`/funnel?asOf=position:${afterAConverted}`);
      expect(funnelThen.steps.at(-1)).toEqual({ stage: 'converted', count: 1 });
    });

    it('by time: before any conversion there is nothing to attribute; D was not yet handed off', async () => {
      const report = await get('/attribution?model=u_shaped&asOf=2026-03-04T00:00:00Z');
      expect(report.rows).toEqual([]);
      expect(report.asOf.recordedAt).toBe('2026-03-03T09:00:00.000Z');
      const sla = await get('/sla/handoffs?asOf=2026-03-04T00:00:00Z');
      expect(sla.items.map((h: { status: string }) => h.status)).toEqual([
        'met',
        'breached',
        'breached',
      ]);
    });

    it('the same as-of request returns byte-identical JSON every time', async () => {
      const url = `/attribution?model=time_decay&groupBy=channel&asOf=position:${afterAConverted}`;
      const first = await t.http.get(url).set(bearer('analyst')).expect(200);
      const again = await t.http.get(url).set(bearer('analyst')).expect(200);
      expect(again.text).toBe(first.text);
    });
  });

  describe('leads read model', () => {
    it('GET /leads/:id is the summary', async () => {
      const lead = await get(`/leads/${ids.A}`, 'marketing');
      expect(lead).toMatchObject({
        leadId: ids.A,
        stage: 'converted',
        score: 80,
        owner: 'sales-dev',
        sourcedBy: 'marketing',
        amount: { amount: 10_000, currency: 'USD' },
        revision: 5,
        timestamps: {
          capturedAt: '2026-03-02T09:00:00.000Z',
          acceptedAt: '2026-03-02T12:00:00.000Z',
        },
      });
      await t.http
        .get('/leads/0192f7a0-0000-7000-8000-000000000000')
        .set(bearer('sales'))
        .expect(404);
    });

    it('GET /leads filters and pages with a cursor', async () => {
      const first = await get('/leads?limit=2', 'sales');
      expect(first.items).toHaveLength(2);
      const second = await get(`/leads?limit=2&cursor=${first.nextCursor}`, 'sales');
      const third = await get(`/leads?limit=2&cursor=${second.nextCursor}`, 'sales');
      expect(third.nextCursor).toBeNull();
      const seen = [...first.items, ...second.items, ...third.items].map(
        (l: { leadId: string }) => l.leadId,
      );
      expect(new Set(seen)).toEqual(new Set(Object.values(ids)));
      const ebook = await get('/leads?campaignId=ebook&stage=handed_off', 'sales');
      expect(ebook.items.map((l: { leadId: string }) => l.leadId).sort()).toEqual(
        [ids.C, ids.D].sort(),
      );
    });
  });

  it('after a restart projections resume; after a rebuild they are equal', async () => {
    const urls = [
      '/attribution?model=full_path&groupBy=campaign',
      '/sla/summary?groupBy=rep',
      '/funnel',
      '/sla/handoffs',
    ];
    const before = await Promise.all(urls.map((url) => get(url)));
    t = await t.restart();
    expect(await Promise.all(urls.map((url) => get(url)))).toEqual(before);
    await rebuild(t.app.get(ReadStore), t.app.get(EventStore), leadProjections);
    expect(await Promise.all(urls.map((url) => get(url)))).toEqual(before);
  });

  describe('bad queries are 400s, wrong roles 403s', () => {
    it.each([
      ['/attribution?model=magic'],
      ['/attribution'],
      ['/attribution?model=linear&groupBy=planet'],
      ['/attribution?model=linear&asOf=yesterday'],
      ['/attribution?model=linear&asOf=position:99999999'],
      ['/attribution?model=linear&asOf=2030-01-01T00:00:00Z'],
      ['/attribution?model=linear&from=2026-03-05T00:00:00Z&to=2026-03-01T00:00:00Z'],
      ['/attribution?model=linear&from=March'],
      ['/funnel?consistentWith=99999999'],
      ['/funnel?consistentWith=abc'],
      ['/sla/summary?groupBy=week'],
      ['/sla/handoffs?status=late'],
      ['/sla/handoffs?dispute=pending'],
      ['/sla/follow-ups?dispute=open'],
      ['/leads?limit=0'],
      ['/leads?limit=501'],
      ['/leads?limit=ten'],
      ['/leads?cursor=garbage'],
      ['/leads?stage=won'],
      ['/funnel?unknown=1'],
    ])('%s', async (url) => {
      const response = await t.http.get(url).set(bearer('admin')).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toEqual(expect.any(String));
    });

    it.each([
      ['/attribution?model=linear', ['marketing', 'sales', 'auditor']],
      ['/sla/summary', ['marketing', 'sales', 'auditor']],
      ['/funnel', ['marketing', 'sales', 'auditor']],
      ['/sla/handoffs', ['marketing', 'sales']],
    ] as const)('%s is forbidden for %j', async (url, roles) => {
      for (const role of roles) await t.http.get(url).set(bearer(role)).expect(403);
    });
  });
});
