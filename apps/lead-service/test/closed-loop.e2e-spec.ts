import type { AgreementTerms } from '@lead/domain';
import { type TestApp, type TestRole, bearer, captureBody, startTestApp } from './test-app';

// Issue 14 item 5 through HTTP: the quality report, the score bands and both scorecards, on a
// scenario whose figures are worked out by hand below. The founding agreement (version 1, from
// the environment) asks 2 leads a month and a response within an hour; version 2, in force from
// April, asks 1 lead a month, 50 % accepted and one outreach attempt within 24 hours.
const aprilTerms: AgreementTerms = {
  qualification: { mqlThreshold: 60 },
  scoring: { source: 'external' },
  salesResponse: { acceptWithinMinutes: 60 },
  salesFollowUp: { attempts: 1, withinHours: 24 },
  marketing: { mqlsPerMonth: 1, minAcceptanceRate: 0.5 },
};
const spring = { campaignId: 'spring-webinar', channel: 'webinar' };
const autumn = { campaignId: 'autumn-ads', channel: 'paid_search' };
// the dev tokens' actors: a handoff to them is accepted by them
const [ana, bob] = ['sales-dev', 'sales_manager-dev'];

type Problem = { code: string; status: number };

describe('closed-loop reports over HTTP (issue 14)', () => {
  let t: TestApp;
  let position = '';
  let marchPosition = '';
  const ok = async (role: TestRole, url: string, body: object = {}) => {
    const answer = await t.http.post(url).set(bearer(role)).send(body);
    expect(answer.status).toBeLessThan(300);
    position = answer.body.position as string;
    return answer.body as { leadId: string; position: string };
  };
  const get = (url: string, role: TestRole = 'analyst') => t.http.get(url).set(bearer(role));
  const body = async (url: string, role: TestRole = 'analyst') => {
    const answer = await get(url, role);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const live = (path: string) =>
    `${path}${path.includes('?') ? '&' : '?'}consistentWith=${position}`;
  const lead = async (source: object, score: number, toRep: string, override = false) => {
    const { leadId } = await ok(
      'marketing',
      '/leads',
      captureBody({ source, email: `${score}@example.com` }),
    );
    await ok('marketing', `/leads/${leadId}/score`, { score });
    await ok('marketing', `/leads/${leadId}/handoff`, {
      toRep,
      ...(override ? { override: { reason: 'trade show contact' } } : {}),
    });
    return `/leads/${leadId}`;
  };
  const rowOf = <R extends { key: string }>(rows: R[], key: string) =>
    rows.find((row) => row.key === key);

  beforeAll(async () => {
    t = await startTestApp({
      env: { MQL_TARGET_PER_MONTH: '2', SLA_ACCEPT_WITHIN_MINUTES: '60' },
    });
    await ok('marketing_manager', '/agreements', {
      effectiveFrom: '2026-04-01T00:00:00Z',
      terms: aprilTerms,
    });
    await ok('marketing_manager', '/agreements/2/sign');
    await ok('sales_manager', '/agreements/2/sign');

    // March. L1 (spring, 80): accepted in 10 minutes, called, qualified, won 1,200.00 USD.
    const l1 = await lead(spring, 80, ana);
    t.clock.advanceMinutes(10);
    await ok('sales', `${l1}/accept`);
    await ok('sales', `${l1}/activities`, { kind: 'call', outcome: 'connected' });
    await ok('sales', `${l1}/qualify`, { opportunityId: 'opp-1' });
    await ok('sales', `${l1}/convert`, { amount: 120_000, currency: 'USD' });
    // L2 (autumn, 45, handed off with an override): rejected not_icp, disputed, overturned.
    const l2 = await lead(autumn, 45, bob, true);
    await ok('sales_manager', `${l2}/reject`, { reason: 'not_icp' });
    const handoffs = await body(live('/sla/handoffs'));
    const l2Handoff = handoffs.items.find(
      (item: { leadId: string }) => `/leads/${item.leadId}` === l2,
    ).handoffId;
    await ok('marketing', `${l2}/rejections/${l2Handoff}/dispute`, {
      reason: 'they asked for a demo',
    });
    await ok('sales_manager', `${l2}/rejections/${l2Handoff}/resolve`, { outcome: 'overturned' });
    // L3 (spring, 65): never answered; an hour and a minute later it is breached.
    await lead(spring, 65, ana);
    t.clock.advanceMinutes(61);
    marchPosition = position;

    // April, under version 2. L4 (autumn, 90): accepted, emailed, won 800.00 EUR.
    t.clock.set('2026-04-02T09:00:00.000Z');
    const l4 = await lead(autumn, 90, bob);
    await ok('sales_manager', `${l4}/accept`);
    await ok('sales_manager', `${l4}/activities`, { kind: 'email' });
    await ok('sales_manager', `${l4}/convert`, { amount: 80_000, currency: 'EUR' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /quality by campaign: the overturned rejection leaves the acceptance denominator', async () => {
    const report = await body(live('/quality?groupBy=campaign'));
    expect(report.groupBy).toBe('campaign');
    expect(report.rows).toEqual([
      {
        key: 'autumn-ads',
        handoffs: 2,
        accepted: 1,
        rejected: 1,
        rejectedBy: { not_icp: 1 },
        overturned: 1,
        acceptanceRate: 1,
        converted: 1,
        conversionRate: 1,
        revenue: [{ currency: 'EUR', amount: 80_000 }],
        avgScoreAtHandoff: 67.5,
      },
      {
        key: 'spring-webinar',
        handoffs: 2,
        accepted: 1,
        rejected: 0,
        rejectedBy: {},
        overturned: 0,
        acceptanceRate: 1,
        converted: 1,
        conversionRate: 1,
        revenue: [{ currency: 'USD', amount: 120_000 }],
        avgScoreAtHandoff: 72.5,
      },
    ]);
    const bySource = await body(live('/quality?groupBy=sourcedBy'));
    expect(bySource.rows).toEqual([
      expect.objectContaining({
        key: 'marketing',
        handoffs: 4,
        revenue: [
          { currency: 'EUR', amount: 80_000 },
          { currency: 'USD', amount: 120_000 },
        ],
      }),
    ]);
  });

  it('GET /quality/score-bands: every band, rates null where nothing was decided', async () => {
    const { bands } = await body(live('/quality/score-bands'));
    const empty = {
      handoffs: 0,
      accepted: 0,
      converted: 0,
      acceptanceRate: null,
      conversionRate: null,
    };
    expect(bands).toEqual([
      { band: '0-19', ...empty },
      { band: '20-39', ...empty },
      // L2: rejected but overturned, so no decided handoff is left
      { band: '40-59', ...empty, handoffs: 1 },
      // L3: unanswered
      { band: '60-79', ...empty, handoffs: 1 },
      {
        band: '80-100',
        handoffs: 2,
        accepted: 2,
        converted: 2,
        acceptanceRate: 1,
        conversionRate: 1,
      },
    ]);
  });

  it('GET /scorecards/marketing: targets of the agreement in force at each month start', async () => {
    const { months } = await body(live('/scorecards/marketing'), 'marketing_manager');
    expect(months).toEqual([
      {
        month: '2026-03',
        mqls: 2,
        handoffs: 3,
        volumeTarget: 2,
        volumeMet: true,
        accepted: 1,
        rejected: 1,
        overturned: 1,
        acceptanceRate: 1,
        qualityTarget: null,
        qualityMet: null,
        sourcedRevenue: [{ currency: 'USD', amount: 120_000 }],
        agreementVersion: 1,
      },
      {
        month: '2026-04',
        mqls: 1,
        handoffs: 1,
        volumeTarget: 1,
        volumeMet: true,
        accepted: 1,
        rejected: 0,
        overturned: 0,
        acceptanceRate: 1,
        qualityTarget: 0.5,
        qualityMet: true,
        sourcedRevenue: [{ currency: 'EUR', amount: 80_000 }],
        agreementVersion: 2,
      },
    ]);
  });

  it('GET /scorecards/sales by rep and by month', async () => {
    const byRep = await body(live('/scorecards/sales?groupBy=rep'), 'sales_manager');
    expect(byRep).toMatchObject({ groupBy: 'rep', now: '2026-04-02T09:00:00.000Z' });
    expect(rowOf(byRep.rows, ana)).toEqual({
      key: ana,
      handoffs: 2,
      respondedOnTime: 1,
      respondedLate: 0,
      unanswered: 1,
      responseCompliance: 0.5,
      worked: 1,
      // L1 was handed off under version 1, which sets no follow-up
      followUpsMet: 0,
      followUpsBreached: 0,
      followUpCompliance: null,
      sql: 1,
      converted: 1,
      lost: 0,
      closeRate: 1,
      revenue: [{ currency: 'USD', amount: 120_000 }],
      rejectionsOverturned: 0,
    });
    expect(rowOf(byRep.rows, bob)).toEqual({
      key: bob,
      handoffs: 2,
      respondedOnTime: 2,
      respondedLate: 0,
      unanswered: 0,
      responseCompliance: 1,
      worked: 1,
      followUpsMet: 1,
      followUpsBreached: 0,
      followUpCompliance: 1,
      sql: 1,
      converted: 1,
      lost: 0,
      closeRate: 1,
      revenue: [{ currency: 'EUR', amount: 80_000 }],
      rejectionsOverturned: 1,
    });
    const byMonth = await body(live('/scorecards/sales?groupBy=month'));
    expect(
      byMonth.rows.map((row: { key: string; handoffs: number }) => [row.key, row.handoffs]),
    ).toEqual([
      ['2026-03', 3],
      ['2026-04', 1],
    ]);
  });

  it('as of a past point every report is byte-identical on re-run, and sees only what was known', async () => {
    for (const path of [
      '/quality?groupBy=month',
      '/quality/score-bands',
      '/scorecards/marketing',
      '/scorecards/sales?groupBy=rep',
    ]) {
      const url = `${path}${path.includes('?') ? '&' : '?'}asOf=position:${marchPosition}`;
      const first = await get(url).expect(200);
      const second = await get(url).expect(200);
      expect(second.text).toBe(first.text);
      expect(first.body.asOf.position).toBe(marchPosition);
    }
    // at the head, the as-of worker's replay answers exactly what the live read models do
    for (const path of ['/quality?groupBy=campaign', '/scorecards/marketing']) {
      const replayed = await body(
        `${path}${path.includes('?') ? '&' : '?'}asOf=position:${position}`,
      );
      expect(replayed).toEqual(await body(live(path)));
    }
    const { months } = await body(`/scorecards/marketing?asOf=position:${marchPosition}`);
    expect(months.map((month: { month: string }) => month.month)).toEqual(['2026-03']);
  });

  it('from/to select by handoff time', async () => {
    const { rows } = await body(live('/quality?groupBy=month&from=2026-04-01T00:00:00Z'));
    expect(rows.map((row: { key: string }) => row.key)).toEqual(['2026-04']);
  });

  it.each([
    ['/quality?groupBy=team', 'groupBy'],
    ['/scorecards/sales?groupBy=campaign', 'groupBy'],
    ['/quality/score-bands?asOf=yesterday', 'asOf'],
    ['/scorecards/marketing?from=2026-05-01T00:00:00Z&to=2026-04-01T00:00:00Z', 'from'],
  ])('%s is a 400 naming %s', async (url, field) => {
    const answer = await get(url).expect(400);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect((answer.body as Problem).code).toBe('validation_failed');
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('the scorecards are for analysts and the managers; quality for analysts', async () => {
    await get('/scorecards/sales', 'sales').expect(403);
    await get('/scorecards/marketing', 'marketing').expect(403);
    await get('/quality', 'marketing_manager').expect(403);
  });
});
