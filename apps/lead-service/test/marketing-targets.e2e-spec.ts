import type { AgreementTerms } from '@lead/domain';
import { type TestApp, type TestRole, bearer, captureBody, startTestApp } from './test-app';

// Marketing's monthly MQL target and its acceptance-rate target come from the agreement in force
// at each month's start (issue 12 item 5); MQL_TARGET_PER_MONTH only seeds version 1.
const april: AgreementTerms = {
  qualification: { mqlThreshold: 60 },
  scoring: { source: 'external' },
  salesResponse: { acceptWithinMinutes: 1440 },
  marketing: { mqlsPerMonth: 7, minAcceptanceRate: 0.6 },
};

describe('marketing targets from the agreement', () => {
  let t: TestApp;
  const post = async (url: string, role: TestRole, body: object = {}) =>
    (
      await t.http
        .post(url)
        .set(bearer(role))
        .send(body)
        .expect((response) => expect(response.status).toBeLessThan(300))
    ).body as Record<string, unknown>;
  const handedOff = async (response: 'accept' | 'reject' | null) => {
    const { leadId } = (await post('/leads', 'marketing', captureBody())) as { leadId: string };
    await post(`/leads/${leadId}/score`, 'marketing', { score: 80 });
    await post(`/leads/${leadId}/handoff`, 'marketing', { toRep: 'rep-ana' });
    if (response === 'accept') await post(`/leads/${leadId}/accept`, 'sales');
    if (response === 'reject')
      await post(`/leads/${leadId}/reject`, 'sales', { reason: 'not_icp' });
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { MQL_TARGET_PER_MONTH: '3' } });
    await post('/agreements', 'marketing_manager', {
      effectiveFrom: '2026-04-01T00:00:00Z',
      terms: april,
    });
    await post('/agreements/2/sign', 'marketing_manager');
    await post('/agreements/2/sign', 'sales_manager');
    await handedOff('accept'); // March: version 1 (target 3, no acceptance target)
    t.clock.set('2026-04-02T09:00:00.000Z');
    await handedOff('accept');
    await handedOff('reject');
    await handedOff(null);
  });
  afterAll(() => t.close());

  it('reports each month against the version in force at its start', async () => {
    const { body } = await t.http
      .get('/sla/summary?groupBy=month')
      .set(bearer('analyst'))
      .expect(200);
    expect(body.marketingVolume).toEqual([
      {
        month: '2026-03',
        handoffs: 1,
        target: 3,
        met: false,
        agreementVersion: 1,
        acceptanceRate: 1,
        minAcceptanceRate: null,
      },
      {
        month: '2026-04',
        handoffs: 3,
        target: 7,
        met: false,
        agreementVersion: 2,
        acceptanceRate: 0.5,
        minAcceptanceRate: 0.6,
      },
    ]);
  });

  it('as of a past point, the same months and targets', async () => {
    const { body } = await t.http
      .get(`/sla/summary?groupBy=month&asOf=${encodeURIComponent('2026-04-02T09:00:00Z')}`)
      .set(bearer('analyst'))
      .expect(200);
    expect(body.marketingVolume.map(({ target }: { target: number }) => target)).toEqual([3, 7]);
  });
});
