import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '@lead/event-store';
import { BackgroundWork } from '@lead/runtime';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { type TestApp, type TestRole, bearer, captureBody, startTestApp } from './test-app';

// The dashboard in real headless Chromium against the real app on a real port, with a small
// demo history driven through HTTP (fixed clock; business time = the clock unless a command
// says otherwise):
//   A: prior ad touch, webinar capture, newsletter click; met; converts 12,500.00 USD on Mar 5
//   B: webinar capture sourced by sales; accepted late (breached); converts 8,300.00 EUR on Mar 6
//   C: ebook, handed off, never answered (breached); D: ebook, handed off on Mar 6 (open)
//   E: lost; F: trade show, met; converts 4,700.00 EUR on Mar 5
//   G: partner referral backfilled in February (recorded Mar 2): met; converts 3,000.00 USD
// As of Mar 4 only G's conversion had been recorded, so attribution shrinks to 3,000.00 USD.
// Before any lead, the managers negotiate the agreement: version 2 (rules-based scoring,
// Berlin business hours, a follow-up SLA, a pilot) signed by both and in force from Mar 6 09:30,
// so every lead above is decided under version 1; version 3 proposed and withdrawn; version 4
// signed by marketing only. Under version 2, on Mar 6 after 09:30 (all answered in minutes):
//   H: rejected, marketing disputes it (open); J: rejected, disputed, the rejection upheld
//   K: accepted by rep-bo, one call logged; L: handed off after K, accepted before it, no
//   attempt: both follow-ups due, L's deadline first.

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = join(__dirname, '../../../test-artifacts');
const browserTimeoutMs = 120_000;
const stepTimeoutMs = 60_000;

type ChartSeries = { label: string; data: (number | null)[] };
type ChartData = { labels: string[]; datasets: ChartSeries[] };
type AttributionRow = { key: string; currency: string; amount: number; conversions: number };
type AttributionReport = {
  model: string;
  asOf: { position: string; recordedAt: string | null };
  rows: AttributionRow[];
  totals: { currency: string; amount: number; conversions: number }[];
};
type SlaSummary = {
  asOf: { position: string };
  rows: {
    key: string;
    handoffs: number;
    met: number;
    breached: number;
    open: number;
    compliance: number | null;
  }[];
};
type Funnel = {
  asOf: { position: string };
  steps: { stage: string; count: number }[];
  lost: number;
  lostFrom: Record<string, number>;
};
type Handoffs = { items: { handoffId: string; leadId: string; status: string }[] };
type Agreement = {
  version: number;
  status: string;
  effectiveFrom: string;
  proposer: string | null;
  terms: Record<string, unknown>;
  signatures: { team: string; actor: string | null; at: string }[];
  inForce: boolean;
};
type Agreements = { items: Agreement[]; inForce: number | null };
type Tally = Record<string, number | null>;
type SlaWhatIf = {
  version: number;
  actual: Tally;
  hypothetical: Tally;
  changed: {
    handoffId: string;
    leadId: string;
    actual: string;
    hypothetical: string;
    hypotheticalDueAt: string;
  }[];
};
type QualificationWhatIf = {
  version: number;
  actual: Tally;
  hypothetical: Tally;
  changed: {
    leadId: string;
    actual: boolean;
    hypothetical: boolean;
    hypotheticalMaxScore: number | null;
  }[];
};
type ReportRow = Record<string, string | number | boolean | null | object>;
type MarketingScorecard = { asOf: { position: string }; months: ReportRow[] };
type RowsReport = { asOf: { position: string }; rows: ReportRow[] };
type ScoreBand = {
  band: string;
  handoffs: number;
  accepted: number;
  converted: number;
  acceptanceRate: number | null;
  conversionRate: number | null;
};
type ScoreBands = { asOf: { position: string }; bands: ScoreBand[] };
type FollowUps = {
  items: {
    handoffId: string;
    leadId: string;
    rep: string;
    deadline: string;
    attempts: number;
    required: number;
    status: string;
  }[];
};

const version2Terms = {
  qualification: { mqlThreshold: 70 },
  scoring: {
    source: 'rules',
    fit: [
      { rule: 'vp-title', field: 'title', containsAny: ['vp', 'head of'], points: 30 },
      { rule: 'mid-market', field: 'employees', min: 200, points: 15 },
    ],
    engagement: [
      { rule: 'captured', kind: 'captured', points: 10 },
      { rule: 'email-clicks', kind: 'email_click', points: 5, max: 20 },
    ],
    decayHalfLifeDays: 30,
  },
  salesResponse: {
    acceptWithinMinutes: 480,
    businessHours: { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' },
  },
  salesFollowUp: { attempts: 3, withinHours: 72 },
  marketing: { mqlsPerMonth: 120, minAcceptanceRate: 0.6 },
  remedy: { onResponseBreach: 'none' },
  pilot: { reps: ['rep-cy'], salesResponse: { acceptWithinMinutes: 120 } },
};

// What page.evaluate callbacks see in the browser; typed here because the project compiles
// without the DOM library.
type BrowserElement = { dataset: Record<string, string | undefined>; textContent: string | null };
type BrowserGlobals = {
  Chart: { getChart(canvas: unknown): { data: ChartData } | undefined };
  document: {
    getElementById(id: string): unknown;
    querySelectorAll(selector: string): Iterable<BrowserElement>;
  };
  sessionStorage: { getItem(key: string): string | null };
};

const chartIds = [
  'chart-sla-rep',
  'chart-sla-month',
  'chart-attribution-campaign',
  'chart-attribution-channel',
  'chart-funnel',
] as const;

// One series per currency, amounts in major units, aligned on the keys in report order.
const expectedAttributionChart = (report: AttributionReport): ChartData => {
  const keys = [...new Set(report.rows.map((row) => row.key))];
  const currencies = [...new Set(report.rows.map((row) => row.currency))].sort();
  return {
    labels: keys,
    datasets: currencies.map((currency) => ({
      label: currency,
      data: keys.map((key) => {
        const row = report.rows.find((r) => r.key === key && r.currency === currency);
        return row ? row.amount / 100 : null;
      }),
    })),
  };
};

// How the page copies a report row into data-* attributes: objects as JSON, null as ''.
const reportDataset = (row: ReportRow) =>
  Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : `${value}`,
    ]),
  );

const asDataset = (row: Record<string, string | number | boolean | null>) =>
  Object.fromEntries(Object.entries(row).map(([key, value]) => [key, String(value ?? '')]));

describe('dashboard in headless Chromium', () => {
  let t: TestApp;
  let baseUrl = '';
  let userDataDir = '';
  let context: BrowserContext | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  let beforeConversions = '';
  let story = { h: '', k: '', l: '' };

  const at = (iso: string) => t.clock.set(`2026-${iso}:00.000Z`);
  const post = async (role: TestRole, url: string, body: object = {}) =>
    (
      await t.http
        .post(url)
        .set(bearer(role))
        .send(body)
        .expect((r) => expect(r.status).toBeLessThan(300))
    ).body;
  const api = async <T>(url: string): Promise<T> =>
    (await t.http.get(url).set(bearer('analyst')).expect(200)).body as T;

  const seedAgreement = async (): Promise<void> => {
    at('03-02T08:00');
    await post('marketing_manager', '/agreements', {
      effectiveFrom: '2026-03-06T09:30:00Z',
      terms: version2Terms,
      note: 'computed scores, Berlin business hours, a pilot with rep-cy',
    });
    await post('marketing_manager', '/agreements/2/sign');
    at('03-02T08:30');
    await post('sales_manager', '/agreements/2/sign');
    await post('sales_manager', '/agreements', {
      effectiveFrom: '2026-03-20T00:00:00Z',
      terms: { ...version2Terms, marketing: { mqlsPerMonth: 200 } },
    });
    await post('marketing_manager', '/agreements/3/withdraw', { reason: 'target too high' });
    await post('marketing_manager', '/agreements', {
      effectiveFrom: '2026-04-01T00:00:00Z',
      terms: { ...version2Terms, marketing: { mqlsPerMonth: 140 } },
    });
    await post('marketing_manager', '/agreements/4/sign');
  };

  // Version 2 scores by rules, so these leads are handed off with an override.
  const seedSalesSide = async (): Promise<void> => {
    const handedOff = async (minute: string, email: string, toRep: string) => {
      at(`03-06T09:${minute}`);
      const { leadId } = (await post(
        'marketing',
        '/leads',
        captureBody({ email, source: { campaignId: 'expo-berlin', channel: 'event' } }),
      )) as { leadId: string };
      const { position } = (await post('marketing', `/leads/${leadId}/handoff`, {
        toRep,
        override: { reason: 'asked for a demo at the booth' },
      })) as { position: string };
      const { items } = await api<Handoffs>(
        `/sla/handoffs?rep=${toRep}&consistentWith=${position}`,
      );
      return { leadId, handoffId: items.find((item) => item.leadId === leadId)!.handoffId };
    };
    const h = await handedOff('40', 'h@example.com', 'rep-ana');
    const j = await handedOff('41', 'j@example.com', 'rep-bo');
    const k = await handedOff('42', 'k@example.com', 'rep-bo');
    const l = await handedOff('43', 'l@example.com', 'rep-ana');
    story = { h: h.leadId, k: k.leadId, l: l.leadId };
    at('03-06T09:45');
    await post('sales', `/leads/${l.leadId}/accept`);
    for (const { leadId, handoffId } of [h, j]) {
      await post('sales', `/leads/${leadId}/reject`, { reason: 'not_icp' });
      await post('marketing', `/leads/${leadId}/rejections/${handoffId}/dispute`, {
        reason: 'they match the ICP: 400 employees, VP buyer',
      });
    }
    await post('sales_manager', `/leads/${j.leadId}/rejections/${j.handoffId}/resolve`, {
      outcome: 'upheld',
    });
    at('03-06T09:50');
    await post('sales', `/leads/${k.leadId}/accept`);
    at('03-06T09:55');
    await post('sales', `/leads/${k.leadId}/activities`, { kind: 'call', outcome: 'no_answer' });
  };

  const seed = async (): Promise<void> => {
    const capture = async (role: TestRole, overrides: Record<string, unknown>) =>
      (await post(role, '/leads', captureBody(overrides))).leadId as string;
    await seedAgreement();
    at('03-02T09:00');
    const a = await capture('marketing', {
      source: { campaignId: 'webinar-q1', channel: 'webinar' },
      priorTouches: [
        { campaignId: 'ads-q1', channel: 'paid_search', occurredAt: '2026-02-20T09:00:00Z' },
      ],
    });
    const b = await capture('sales', {
      source: { campaignId: 'webinar-q1', channel: 'webinar' },
      sourcedBy: 'sales',
    });
    const c = await capture('marketing', { source: { campaignId: 'ebook', channel: 'content' } });
    const e = await capture('marketing', { source: { campaignId: 'ebook', channel: 'content' } });
    const f = await capture('marketing', {
      source: { campaignId: 'expo-berlin', channel: 'event' },
    });
    const g = await capture('marketing', {
      source: { campaignId: 'partner-referral', channel: 'partner' },
      occurredAt: '2026-02-10T09:00:00Z',
    });
    await post('marketing', `/leads/${g}/score`, {
      score: 85,
      occurredAt: '2026-02-10T09:30:00Z',
    });
    await post('marketing', `/leads/${g}/handoff`, {
      toRep: 'rep-cy',
      occurredAt: '2026-02-10T10:00:00Z',
    });
    await post('sales', `/leads/${g}/accept`, { occurredAt: '2026-02-10T16:00:00Z' });
    await post('sales', `/leads/${g}/convert`, {
      amount: 300_000,
      currency: 'USD',
      occurredAt: '2026-02-20T10:00:00Z',
    });
    at('03-02T10:00');
    await post('marketing', `/leads/${a}/engagements`, {
      campaignId: 'newsletter',
      channel: 'email',
      kind: 'email_click',
    });
    at('03-02T10:30');
    for (const [lead, score] of [
      [a, 80],
      [b, 70],
      [c, 90],
      [e, 30],
      [f, 75],
    ] as const) {
      await post('marketing', `/leads/${lead}/score`, { score });
    }
    at('03-02T11:00');
    await post('marketing', `/leads/${a}/handoff`, { toRep: 'rep-ana' });
    await post('marketing', `/leads/${f}/handoff`, { toRep: 'rep-cy' });
    at('03-02T12:00');
    await post('sales', `/leads/${a}/accept`);
    await post('sales', `/leads/${f}/accept`);
    await post('marketing', `/leads/${b}/handoff`, { toRep: 'rep-bo' });
    at('03-02T13:00');
    await post('marketing', `/leads/${c}/handoff`, { toRep: 'rep-bo' });
    at('03-03T09:00');
    const d = await capture('marketing', { source: { campaignId: 'ebook', channel: 'content' } });
    await post('marketing', `/leads/${d}/score`, { score: 65 });
    at('03-04T09:00');
    await post('sales', `/leads/${b}/accept`);
    at('03-05T09:00');
    await post('sales', `/leads/${a}/convert`, { amount: 1_250_000, currency: 'USD' });
    at('03-05T15:00');
    await post('sales', `/leads/${f}/convert`, { amount: 470_000, currency: 'EUR' });
    at('03-05T16:00');
    await post('marketing', `/leads/${e}/lose`, { reason: 'no_budget' });
    at('03-06T08:00');
    await post('sales', `/leads/${b}/convert`, { amount: 830_000, currency: 'EUR' });
    at('03-06T09:00');
    await post('marketing', `/leads/${d}/handoff`, { toRep: 'rep-ana' });
    await seedSalesSide();
    at('03-06T10:00');
    // C's breach alert is appended now rather than whenever the watcher's timer fires, so the
    // log head (and the position the page shows) stays put while the browser looks.
    await t.app.get(BackgroundWork).watcher.check();
    const head = await t.app.get(EventStore).headPosition();
    await api(`/funnel?consistentWith=${head}`);
  };

  const chartData = (id: string): Promise<ChartData | null> =>
    page.evaluate((canvasId) => {
      const { Chart, document } = globalThis as unknown as BrowserGlobals;
      const chart = Chart.getChart(document.getElementById(canvasId));
      if (!chart) return null;
      return {
        labels: [...chart.data.labels],
        datasets: chart.data.datasets.map((dataset) => ({
          label: dataset.label,
          data: [...dataset.data],
        })),
      };
    }, id);

  const rowData = (selector: string): Promise<Record<string, string | undefined>[]> =>
    page.evaluate((rowSelector) => {
      const { document } = globalThis as unknown as BrowserGlobals;
      return [...document.querySelectorAll(rowSelector)].map((row) => ({ ...row.dataset }));
    }, selector);

  const waitForLoad = (attributes: string) =>
    page.waitForSelector(`body[data-state="ready"]${attributes}`, { timeout: stepTimeoutMs });

  const expectAttributionPanel = async (
    grouping: 'campaign' | 'channel',
    report: AttributionReport,
  ) => {
    expect(await chartData(`chart-attribution-${grouping}`)).toEqual(
      expectedAttributionChart(report),
    );
    expect(await rowData(`#table-attribution-${grouping} tbody tr[data-key]`)).toEqual(
      report.rows.map(asDataset),
    );
    expect(await rowData(`#table-attribution-${grouping} tfoot tr`)).toEqual(
      report.totals.map((total) => asDataset({ total: 'true', ...total })),
    );
    await expect(
      page.locator(`#panel-attribution-${grouping} .model-name`).textContent(),
    ).resolves.toBe(`Model ${report.model}.`);
  };

  const expectSlaPanel = async (grouping: 'rep' | 'month', summary: SlaSummary) => {
    expect(await chartData(`chart-sla-${grouping}`)).toEqual({
      labels: summary.rows.map((row) => row.key),
      datasets: [
        {
          label: 'Compliance',
          data: summary.rows.map((row) => (row.compliance === null ? null : row.compliance * 100)),
        },
      ],
    });
    expect(await rowData(`#table-sla-${grouping} tbody tr[data-key]`)).toEqual(
      summary.rows.map((row) =>
        asDataset({
          key: row.key,
          handoffs: row.handoffs,
          met: row.met,
          breached: row.breached,
          open: row.open,
          compliance: row.compliance,
        }),
      ),
    );
  };

  const expectFunnelPanel = async (result: Funnel) => {
    expect(await chartData('chart-funnel')).toEqual({
      labels: ['Captured', 'MQL', 'Handed off', 'Accepted', 'SQL', 'Converted'],
      datasets: [{ label: 'Leads', data: result.steps.map((step) => step.count) }],
    });
    const rows = await rowData('#table-funnel tr[data-stage]');
    expect(rows.map((row) => [row.stage, Number(row.count)])).toEqual([
      ...result.steps.map((step) => [step.stage, step.count]),
      ['lost', result.lost],
    ]);
    const lostFrom = await rowData('#table-funnel tr[data-lost-from]');
    expect(lostFrom.map((row) => [row.lostFrom, Number(row.count)])).toEqual(
      Object.entries(result.lostFrom),
    );
  };

  const expectHandoffTable = async (status: 'open' | 'breached', { items }: Handoffs) => {
    expect(await rowData(`#table-handoffs-${status} tbody tr[data-handoff-id]`)).toEqual(
      items.map((item) =>
        asDataset({ handoffId: item.handoffId, leadId: item.leadId, status: item.status }),
      ),
    );
    await expect(page.locator(`#count-${status}`).textContent()).resolves.toBe(`(${items.length})`);
  };

  // The agreement panel against GET /agreements: the version in force, its terms, every version.
  const expectAgreementPanel = async () => {
    const list = await api<Agreements>('/agreements');
    const panel = page.locator('#panel-agreement');
    await expect(panel.getAttribute('data-in-force')).resolves.toBe(String(list.inForce));
    const inForce = list.items.find((item) => item.inForce)!;
    const terms = await rowData('#agreement-terms dd[data-term]');
    expect(
      Object.fromEntries(terms.map((term) => [term.term, JSON.parse(term.value!) as unknown])),
    ).toEqual(
      Object.fromEntries(
        [
          'qualification',
          'scoring',
          'salesResponse',
          'salesFollowUp',
          'marketing',
          'remedy',
          'pilot',
        ].map((section) => [section, inForce.terms[section] ?? null]),
      ),
    );
    const versions = await rowData('#table-agreement-versions tbody tr[data-version]');
    expect(
      versions.map((row) => ({
        ...row,
        signatures: JSON.parse(row.signatures!) as unknown,
      })),
    ).toEqual(
      [...list.items].reverse().map((item) => ({
        version: String(item.version),
        status: item.status,
        effectiveFrom: item.effectiveFrom,
        proposer: item.proposer ?? '',
        inForce: String(item.inForce),
        signatures: item.signatures,
      })),
    );
    return list;
  };

  // The closed-loop panels against the API's own reports at the same as-of point.
  const expectClosedLoopPanels = async (asOf?: string) => {
    const url = (path: string, params: Record<string, string> = {}) =>
      `${path}?${new URLSearchParams({ ...params, ...(asOf ? { asOf } : {}) }).toString()}`;
    const marketing = await api<MarketingScorecard>(url('/scorecards/marketing'));
    const sales = await api<RowsReport>(url('/scorecards/sales', { groupBy: 'rep' }));
    const quality = await api<RowsReport>(url('/quality', { groupBy: 'campaign' }));
    const bands = await api<ScoreBands>(url('/quality/score-bands'));
    expect(await rowData('#table-scorecard-marketing tbody tr[data-month]')).toEqual(
      marketing.months.map(reportDataset),
    );
    expect(await rowData('#table-scorecard-sales tbody tr[data-key]')).toEqual(
      sales.rows.map(reportDataset),
    );
    expect(await rowData('#table-quality tbody tr[data-key]')).toEqual(
      quality.rows.map(reportDataset),
    );
    expect(await rowData('#table-score-bands tbody tr[data-band]')).toEqual(
      bands.bands.map(reportDataset),
    );
    const percent = (rate: number | null) => (rate === null ? null : rate * 100);
    expect(await chartData('chart-score-bands')).toEqual({
      labels: bands.bands.map((band) => (band.band === 'none' ? 'No score (override)' : band.band)),
      datasets: [
        { label: 'Acceptance', data: bands.bands.map((band) => percent(band.acceptanceRate)) },
        { label: 'Conversion', data: bands.bands.map((band) => percent(band.conversionRate)) },
      ],
    });
    const positions = [marketing, sales, quality, bands].map((report) => report.asOf.position);
    expect(new Set(positions).size).toBe(1);
    return { marketing, sales, quality, bands };
  };

  // Every panel against the API's own answer for the same model and as-of point.
  const expectPageMatchesApi = async (model: string, asOf?: string) => {
    const url = (path: string, params: Record<string, string> = {}) =>
      `${path}?${new URLSearchParams({ ...params, ...(asOf ? { asOf } : {}) }).toString()}`;
    const campaign = await api<AttributionReport>(
      url('/attribution', { model, groupBy: 'campaign' }),
    );
    const channel = await api<AttributionReport>(
      url('/attribution', { model, groupBy: 'channel' }),
    );
    const byRep = await api<SlaSummary>(url('/sla/summary', { groupBy: 'rep' }));
    const byMonth = await api<SlaSummary>(url('/sla/summary', { groupBy: 'month' }));
    const funnel = await api<Funnel>(url('/funnel'));
    await expectAttributionPanel('campaign', campaign);
    await expectAttributionPanel('channel', channel);
    await expectSlaPanel('rep', byRep);
    await expectSlaPanel('month', byMonth);
    await expectFunnelPanel(funnel);
    for (const status of ['open', 'breached'] as const) {
      await expectHandoffTable(status, await api<Handoffs>(url('/sla/handoffs', { status })));
    }
    const positions = [campaign, channel, byRep, byMonth, funnel].map((r) => r.asOf.position);
    expect(new Set(positions).size).toBe(1);
    await expect(page.locator('#as-of-position').textContent()).resolves.toBe(positions[0]);
    return { campaign, channel, funnel };
  };

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(
        `Chromium not found at ${chromiumPath}: the dashboard test needs Debian's chromium ` +
          '(sudo apt-get install chromium; .ci/run installs it) or CHROMIUM_PATH pointing at one.',
      );
    }
    t = await startTestApp();
    await seed();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = await t.app.getUrl();
    userDataDir = mkdtempSync(join(tmpdir(), 'dashboard-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      locale: 'en-US',
      timezoneId: 'UTC',
      viewport: { width: 1440, height: 900 },
      deviceScaleFactor: 1,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    mkdirSync(artifacts, { recursive: true });
  }, browserTimeoutMs);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await t?.close();
  }, browserTimeoutMs);

  it('serves the page, its script, styles and Chart.js publicly with the right types', async () => {
    const html = await t.http.get('/dashboard').expect(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.headers['content-security-policy']).toContain("script-src 'self'");
    // 'self' scripts only: every script is a file from this origin, nothing inline, no CDN
    const scripts = [...html.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(
      scripts.map(([, attributes, body]) => [/src="([^"]+)"/.exec(attributes)?.[1], body]),
    ).toEqual([
      ['/dashboard/chart.umd.js', ''],
      ['/dashboard/dashboard.js', ''],
    ]);
    expect(html.text).not.toMatch(/\son[a-z]+=|\sstyle=|https?:\/\//);
    for (const [path, type] of [
      ['/dashboard/dashboard.js', 'text/javascript; charset=utf-8'],
      ['/dashboard/chart.umd.js', 'text/javascript; charset=utf-8'],
      ['/dashboard/dashboard.css', 'text/css; charset=utf-8'],
    ]) {
      const response = await t.http.get(path).expect(200);
      expect(response.headers['content-type']).toBe(type);
      expect(response.text.length).toBeGreaterThan(1_000);
    }
    const chartJs = await t.http.get('/dashboard/chart.umd.js');
    expect(chartJs.text).toContain('Chart.js v4');
  });

  it(
    'asks for a token and explains a 401 and a 403',
    async () => {
      await page.goto(`${baseUrl}/dashboard`);
      await page.waitForSelector('body[data-state="signed-out"]');
      await expect(page.getByLabel('API token').isVisible()).resolves.toBe(true);
      await expect(page.locator('#signed-out-note').isVisible()).resolves.toBe(true);

      await page.getByLabel('API token').fill('not-a-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor({ state: 'visible', timeout: stepTimeoutMs });
      await expect(alert.textContent()).resolves.toMatch(/401 Unauthorized.*unknown token/);
      await expect(page.locator('#content').isVisible()).resolves.toBe(false);
      expect(
        await page.evaluate(() =>
          (globalThis as unknown as BrowserGlobals).sessionStorage.getItem('lead-dashboard.token'),
        ),
      ).toBeNull();

      await page.getByLabel('API token').fill('dev-marketing');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForSelector('body[data-state="error"]', { timeout: stepTimeoutMs });
      await expect(alert.textContent()).resolves.toMatch(
        /403 Forbidden.*role marketing may not call this endpoint/,
      );
      await expect(page.locator('#panel-funnel .panel-error').textContent()).resolves.toContain(
        '403',
      );
      // the panels it may not read say so; the agreement, open to every role, still shows
      await expect(page.locator('#panel-follow-ups').getAttribute('data-state')).resolves.toBe(
        'forbidden',
      );
      await expect(page.locator('#panel-follow-ups .panel-error').textContent()).resolves.toMatch(
        /^Not available for this role \(403 Forbidden: role marketing may not/,
      );
      await expect(page.locator('#panel-agreement').getAttribute('data-state')).resolves.toBe(
        'ready',
      );
    },
    stepTimeoutMs,
  );

  it(
    'with an analyst token renders every chart with the API numbers, currencies apart',
    async () => {
      await page.getByLabel('API token').fill('dev-analyst');
      await page.getByRole('button', { name: 'Change token' }).click();
      await waitForLoad('[data-as-of="latest"][data-model="linear"]');
      await expect(page.getByRole('alert').isVisible()).resolves.toBe(false);
      expect(
        await page.evaluate(() =>
          (globalThis as unknown as BrowserGlobals).sessionStorage.getItem('lead-dashboard.token'),
        ),
      ).toBe('dev-analyst');

      for (const id of chartIds) {
        await expect(page.locator(`canvas#${id}`).isVisible()).resolves.toBe(true);
        expect(await chartData(id)).not.toBeNull();
      }
      const { campaign } = await expectPageMatchesApi('linear');

      // the story's own numbers, independent of the API: EUR and USD side by side, never summed
      expect(campaign.totals).toEqual([
        { currency: 'EUR', amount: 1_300_000, conversions: 2 },
        { currency: 'USD', amount: 1_550_000, conversions: 2 },
      ]);
      const chart = await chartData('chart-attribution-campaign');
      expect(chart?.datasets.map((dataset) => dataset.label)).toEqual(['EUR', 'USD']);
      const webinar = chart!.labels.indexOf('webinar-q1');
      expect(chart!.datasets.map((dataset) => dataset.data[webinar])).toEqual([8_300, 4_166.67]);
      const totals = await page.locator('#table-attribution-campaign tfoot').textContent();
      expect(totals).toContain('€13,000.00');
      expect(totals).toContain('$15,500.00');
      await expect(page.locator('#kpi-revenue').textContent()).resolves.toBe(
        '€13,000.00$15,500.00',
      );
      expect(await rowData('#table-handoffs-breached tbody tr[data-handoff-id]')).toHaveLength(2);
      expect(await rowData('#table-handoffs-open tbody tr[data-handoff-id]')).toHaveLength(1);

      await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });
    },
    browserTimeoutMs,
  );

  it(
    'shows the agreement in force, its key terms, and every version with who signed it when',
    async () => {
      const list = await expectAgreementPanel();

      // the story's own facts, independent of the API
      expect(list.inForce).toBe(2);
      await expect(page.locator('#agreement-in-force-version').textContent()).resolves.toBe(
        'version 2, effective from Mar 6, 2026, 9:30 AM UTC',
      );
      const text = (term: string) =>
        page.locator(`#agreement-terms dd[data-term="${term}"]`).textContent();
      await expect(text('qualification')).resolves.toBe('Score ≥ 70');
      await expect(text('scoring')).resolves.toBe(
        'Rules: 2 fit and 2 engagement rules, engagement halves every 30 days',
      );
      await expect(text('salesResponse')).resolves.toBe(
        'Within 8 h of business hours (Mon–Fri 09:00–17:00, Europe/Berlin)',
      );
      await expect(text('salesFollowUp')).resolves.toBe('3 attempts within 72 h');
      await expect(text('marketing')).resolves.toBe('120 MQLs a month, at least 60% accepted');
      await expect(text('remedy')).resolves.toBe('None, on a response breach');
      await expect(text('pilot')).resolves.toBe('rep-cy: respond within 2 h, around the clock');
      const versions = await rowData('#table-agreement-versions tbody tr[data-version]');
      expect(versions.map((row) => [row.version, row.status, row.inForce])).toEqual([
        ['4', 'proposed', 'false'],
        ['3', 'withdrawn', 'false'],
        ['2', 'approved', 'true'],
        ['1', 'approved', 'false'],
      ]);
      expect(JSON.parse(versions[2].signatures!)).toEqual([
        { team: 'marketing', actor: 'marketing_manager-dev', at: '2026-03-02T08:00:00.000Z' },
        { team: 'sales', actor: 'sales_manager-dev', at: '2026-03-02T08:30:00.000Z' },
      ]);
      await expect(
        page.locator('#table-agreement-versions tr[data-version="2"] td').last().textContent(),
      ).resolves.toBe(
        'Marketing: marketing_manager-dev, 2026-03-02 08:00Sales: sales_manager-dev, 2026-03-02 08:30',
      );
      await page.locator('#panel-agreement').screenshot({
        path: join(artifacts, 'dashboard-agreement.png'),
      });
    },
    stepTimeoutMs,
  );

  it(
    'keeps the token for the tab: a reload loads the data again without asking',
    async () => {
      await page.reload();
      await waitForLoad('[data-as-of="latest"]');
      await expect(page.locator('#content').isVisible()).resolves.toBe(true);
      await expectPageMatchesApi('linear');
    },
    stepTimeoutMs,
  );

  it(
    'an as-of date before the conversions re-fetches every panel and shrinks attribution',
    async () => {
      beforeConversions = '2026-03-04T00:00:00.000Z';
      await page.getByLabel('As of (UTC)').fill('2026-03-04T00:00');
      await waitForLoad(`[data-as-of="${beforeConversions}"]`);
      const { campaign, funnel } = await expectPageMatchesApi('linear', beforeConversions);

      // only G's backfilled conversion had been recorded by then
      expect(campaign.totals).toEqual([{ currency: 'USD', amount: 300_000, conversions: 1 }]);
      expect(await chartData('chart-attribution-campaign')).toEqual({
        labels: ['partner-referral'],
        datasets: [{ label: 'USD', data: [3_000] }],
      });
      expect(funnel.steps.at(-1)).toEqual({ stage: 'converted', count: 1 });
      await expect(page.locator('#basis-mode').textContent()).resolves.toBe(
        'As of Mar 4, 2026, 12:00 AM UTC',
      );
      expect(Number(await page.locator('#as-of-position').textContent())).toBeLessThan(
        Number((await api<Funnel>('/funnel')).asOf.position),
      );
      await expectClosedLoopPanels(beforeConversions);
      // the agreement has no as-of view: the panel still shows it as it stands now
      await expectAgreementPanel();
      await page.screenshot({ path: join(artifacts, 'dashboard-as-of.png'), fullPage: true });
    },
    stepTimeoutMs,
  );

  it(
    'the model picker re-fetches attribution for the chosen model at the same as-of point',
    async () => {
      await page.getByLabel('Attribution model').selectOption('first_touch');
      await waitForLoad(`[data-model="first_touch"][data-as-of="${beforeConversions}"]`);
      await expectPageMatchesApi('first_touch', beforeConversions);

      await page.getByRole('button', { name: 'Latest' }).click();
      await waitForLoad('[data-model="first_touch"][data-as-of="latest"]');
      const { channel } = await expectPageMatchesApi('first_touch');
      expect(channel.rows.find((row) => row.key === 'paid_search')).toEqual({
        key: 'paid_search',
        currency: 'USD',
        amount: 1_250_000,
        conversions: 1,
      });
    },
    stepTimeoutMs,
  );

  it(
    'shows the scorecards, quality by campaign with rejection reasons and the score-band chart',
    async () => {
      const { marketing, sales, quality, bands } = await expectClosedLoopPanels();

      // the story's own facts, independent of the API
      expect(marketing.months.map((month) => month.month)).toEqual(['2026-02', '2026-03']);
      // an accepted handoff's follow-up and outcome count for whoever accepted it: sales-dev
      expect(sales.rows.map((row) => row.key)).toEqual([
        'rep-ana',
        'rep-bo',
        'rep-cy',
        'sales-dev',
      ]);
      expect(quality.rows.find((row) => row.key === 'expo-berlin')?.rejectedBy).toEqual({
        not_icp: 2,
      });
      expect(bands.bands.map((band) => band.band).slice(0, 5)).toEqual([
        '0-19',
        '20-39',
        '40-59',
        '60-79',
        '80-100',
      ]);
      await expect(
        page.locator('#table-quality tr[data-key="expo-berlin"] td').nth(3).textContent(),
      ).resolves.toBe('not ICP 2');
      for (const panel of ['scorecard-marketing', 'scorecard-sales', 'quality', 'score-bands']) {
        await page.locator(`#panel-${panel}`).screenshot({
          path: join(artifacts, `dashboard-${panel}.png`),
        });
      }
    },
    stepTimeoutMs,
  );

  it(
    'lists the open disputes and the follow-ups due, soonest deadline first, as the API does',
    async () => {
      const disputes = await api<Handoffs>('/sla/handoffs?dispute=open');
      expect(await rowData('#table-disputes tbody tr[data-handoff-id]')).toEqual(
        disputes.items.map((item) =>
          asDataset({ handoffId: item.handoffId, leadId: item.leadId, dispute: 'open' }),
        ),
      );
      await expect(page.locator('#count-disputes').textContent()).resolves.toBe(
        `(${disputes.items.length})`,
      );
      const followUps = await api<FollowUps>('/sla/follow-ups?status=open');
      const byDeadline = [...followUps.items].sort((a, b) => a.deadline.localeCompare(b.deadline));
      expect(await rowData('#table-follow-ups tbody tr[data-handoff-id]')).toEqual(
        byDeadline.map(({ handoffId, leadId, rep, deadline, attempts, required, status }) =>
          asDataset({ handoffId, leadId, rep, deadline, attempts, required, status }),
        ),
      );

      // the story's own facts: J's dispute was ruled on; L is listed before K, unlike the API
      expect(disputes.items.map((item) => item.leadId)).toEqual([story.h]);
      expect(followUps.items.map((item) => item.leadId)).toEqual([story.k, story.l]);
      expect(byDeadline.map((item) => [item.leadId, item.attempts, item.deadline])).toEqual([
        [story.l, 0, '2026-03-09T09:45:00.000Z'],
        [story.k, 1, '2026-03-09T09:50:00.000Z'],
      ]);
      await page.locator('#panel-follow-ups').screenshot({
        path: join(artifacts, 'dashboard-follow-ups.png'),
      });
    },
    stepTimeoutMs,
  );

  it(
    'the what-if form judges history under a proposed version, figure for figure with the API',
    async () => {
      await post('marketing_manager', '/agreements', {
        effectiveFrom: '2026-03-07T00:00:00Z',
        terms: {
          ...version2Terms,
          qualification: { mqlThreshold: 10 },
          salesResponse: { acceptWithinMinutes: 30 },
          pilot: undefined,
        },
        note: 'what if sales answered within 30 minutes, and the capture alone made an MQL?',
      });
      await page.reload();
      await waitForLoad('[data-as-of="latest"]');
      const window = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-07T00:00:00.000Z' };
      const ask = async (version: number) => {
        await page.getByLabel('Version', { exact: true }).selectOption(String(version));
        await page.getByLabel('From (UTC)').fill(window.from.slice(0, 16));
        await page.getByLabel('To (UTC, exclusive)').fill(window.to.slice(0, 16));
        await page.getByRole('button', { name: 'Compare' }).click();
        const panel = `#panel-what-if[data-version="${version}"][data-from="${window.from}"][data-to="${window.to}"]`;
        await page.waitForSelector(`${panel}:is([data-state="ready"], [data-state="error"])`, {
          timeout: stepTimeoutMs,
        });
        return `?${new URLSearchParams({ version: String(version), ...window }).toString()}`;
      };
      const tallies = (selector: string, answer: { actual: Tally; hypothetical: Tally }) =>
        expect(rowData(`${selector} tbody tr[data-judged]`)).resolves.toEqual([
          asDataset({ judged: 'actual', ...answer.actual }),
          asDataset({ judged: 'hypothetical', ...answer.hypothetical }),
        ]);
      const expectSla = async (sla: SlaWhatIf) => {
        await tallies('#table-what-if-sla', sla);
        expect(await rowData('#table-what-if-sla-changes tbody tr[data-handoff-id]')).toEqual(
          sla.changed.map(({ handoffId, leadId, actual, hypothetical, hypotheticalDueAt }) =>
            asDataset({ handoffId, leadId, actual, hypothetical, hypotheticalDueAt }),
          ),
        );
        await expect(
          page.locator('#what-if-sla-changed').getAttribute('data-changed'),
        ).resolves.toBe(String(sla.changed.length));
      };

      // version 5, merely proposed, scores by rules: both questions are asked
      const query = await ask(5);
      const sla = await api<SlaWhatIf>(`/what-if/sla${query}`);
      const qualification = await api<QualificationWhatIf>(`/what-if/qualification${query}`);
      await expectSla(sla);
      await tallies('#table-what-if-qualification', qualification);
      expect(await rowData('#table-what-if-qualification-changes tbody tr[data-lead-id]')).toEqual(
        qualification.changed.map(asDataset),
      );
      await expect(
        page.locator('#what-if-qualification-changed').getAttribute('data-changed'),
      ).resolves.toBe(String(qualification.changed.length));
      await expect(page.locator('#what-if-qualification-note').isVisible()).resolves.toBe(false);
      // the story's own facts: A and F answered in an hour, D is still waiting after one
      expect(sla.changed.map((change) => `${change.actual} → ${change.hypothetical}`)).toEqual([
        'met → breached',
        'met → breached',
        'open → breached',
      ]);
      expect([qualification.actual.mqls, qualification.hypothetical.mqls]).toEqual([5, 10]);
      await page.locator('#panel-what-if').screenshot({
        path: join(artifacts, 'dashboard-what-if.png'),
      });

      // version 1 takes scores from outside: only the SLA is compared, and the page says why
      const founding = await ask(1);
      await expectSla(await api<SlaWhatIf>(`/what-if/sla${founding}`));
      await expect(page.locator('#what-if-qualification-note').textContent()).resolves.toContain(
        'Version 1 takes its scores from marketing’s own tools (scoring source external)',
      );
      await expect(page.locator('#table-what-if-qualification').isVisible()).resolves.toBe(false);

      // a window the wrong way round: the API's problem detail, and no stale figures
      window.from = '2026-03-07T00:00:00.000Z';
      window.to = '2026-03-01T00:00:00.000Z';
      const backwards = await ask(5);
      const problem = await t.http
        .get(`/what-if/sla${backwards}`)
        .set(bearer('analyst'))
        .expect(400);
      await expect(page.locator('#panel-what-if').getAttribute('data-state')).resolves.toBe(
        'error',
      );
      await expect(page.locator('#panel-what-if .panel-error').textContent()).resolves.toBe(
        (problem.body as { detail: string }).detail,
      );
      await expect(page.locator('#what-if-result').isVisible()).resolves.toBe(false);
    },
    browserTimeoutMs,
  );

  it(
    'a manager sees the agreement; the panels their role may not read say so, the page works on',
    async () => {
      await page.getByLabel('API token').fill('dev-sales-manager');
      await page.getByRole('button', { name: 'Change token' }).click();
      await page.waitForSelector('body[data-state="error"] #panel-agreement[data-state="ready"]', {
        timeout: stepTimeoutMs,
      });
      for (const panel of ['panel-disputes', 'panel-follow-ups', 'panel-sla-rep']) {
        await expect(page.locator(`#${panel}`).getAttribute('data-state')).resolves.toBe(
          'forbidden',
        );
        await expect(page.locator(`#${panel} .panel-error`).textContent()).resolves.toMatch(
          /^Not available for this role \(403 Forbidden: role sales_manager may not/,
        );
      }
      await expectAgreementPanel();
      // the managers read both scorecards, not the quality reports
      for (const panel of ['panel-scorecard-marketing', 'panel-scorecard-sales']) {
        await expect(page.locator(`#${panel}`).getAttribute('data-state')).resolves.toBe('ready');
      }
      expect(await rowData('#table-scorecard-sales tbody tr[data-key]')).toEqual(
        (await api<RowsReport>('/scorecards/sales?groupBy=rep')).rows.map(reportDataset),
      );
      await expect(page.locator('#panel-quality').getAttribute('data-state')).resolves.toBe(
        'forbidden',
      );
      await page.getByLabel('From (UTC)').fill('');
      await page.getByLabel('To (UTC, exclusive)').fill('');
      await page.getByRole('button', { name: 'Compare' }).click();
      await page.waitForSelector('#panel-what-if[data-state="forbidden"][data-from=""]', {
        timeout: stepTimeoutMs,
      });
      await expect(page.locator('#panel-what-if .panel-error').textContent()).resolves.toMatch(
        /^Not available for this role \(403 Forbidden/,
      );
    },
    stepTimeoutMs,
  );

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(pageErrors).toEqual([]);
    // the 401, the 403s and the backwards what-if window above are expected; nothing else may fail
    expect(consoleErrors.filter((text) => !/status of 40[013]/.test(text))).toEqual([]);
  });
});
