import type { AgreementTerms } from '@lead/domain';
import { type TestApp, type TestRole, bearer, captureBody, startTestApp } from './test-app';

// Issue 14 items 1, 2 and 4 through HTTP: the SQL stage, outreach attempts against the follow-up
// SLA stamped at the handoff, and rejection disputes. The clock starts 2026-03-02T09:00Z.
const followUpTerms: AgreementTerms = {
  qualification: { mqlThreshold: 60 },
  scoring: { source: 'external' },
  salesResponse: { acceptWithinMinutes: 1440 },
  salesFollowUp: { attempts: 2, withinHours: 48 },
  marketing: { mqlsPerMonth: 100 },
};

type Problem = { code: string; status: number };

describe('the sales side over HTTP (issue 14)', () => {
  let t: TestApp;
  const send = (role: TestRole, url: string, body: object = {}) =>
    t.http.post(url).set(bearer(role)).send(body);
  const ok = async (role: TestRole, url: string, body: object = {}) =>
    (await send(role, url, body).expect((r) => expect(r.status).toBeLessThan(300))).body as {
      leadId: string;
      position: string;
    };
  const get = async (url: string, role: TestRole = 'analyst') =>
    (await t.http.get(url).set(bearer(role)).expect(200)).body;
  const eventCount = async (leadId: string) =>
    (await get(`/leads/${leadId}/history`, 'auditor')).events.length as number;
  // A refusal with its status and code that appends nothing.
  const refused = async (
    role: TestRole,
    url: string,
    body: object,
    leadId: string,
    status: number,
    code: string,
  ) => {
    const before = await eventCount(leadId);
    const answer = await send(role, url, body);
    expect({ status: answer.status, code: (answer.body as Problem).code }).toEqual({
      status,
      code,
    });
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(await eventCount(leadId)).toBe(before);
  };
  const handedOffLead = async (email: string) => {
    const { leadId } = await ok('marketing', '/leads', captureBody({ email }));
    await ok('marketing', `/leads/${leadId}/score`, { score: 80 });
    const handoff = await ok('marketing', `/leads/${leadId}/handoff`, { toRep: 'sales-dev' });
    const { items } = await get(`/sla/handoffs?consistentWith=${handoff.position}`);
    const row = items.find((item: { leadId: string }) => item.leadId === leadId);
    return { leadId, handoffId: row.handoffId as string };
  };

  beforeAll(async () => {
    t = await startTestApp();
    await ok('marketing_manager', '/agreements', {
      effectiveFrom: '2026-03-02T09:00:00Z',
      terms: followUpTerms,
      note: 'two attempts within 48 hours',
    });
    await ok('marketing_manager', '/agreements/2/sign');
    await ok('sales_manager', '/agreements/2/sign');
  });
  afterAll(async () => {
    await t.close();
  });

  let won: { leadId: string; handoffId: string };
  let chased: { leadId: string; handoffId: string };

  it('handoff → accept → activities → qualify → convert, refusing every step out of order', async () => {
    won = await handedOffLead('won@example.com');
    const { leadId } = won;
    const lead = `/leads/${leadId}`;
    await refused(
      'sales',
      `${lead}/activities`,
      { kind: 'call' },
      leadId,
      409,
      'invalid_transition',
    );
    await refused(
      'sales',
      `${lead}/qualify`,
      { opportunityId: 'opp-1' },
      leadId,
      409,
      'invalid_transition',
    );

    await ok('sales', `${lead}/accept`);
    await refused('sales', `${lead}/activities`, { kind: 'fax' }, leadId, 400, 'validation_failed');
    await refused(
      'sales',
      `${lead}/activities`,
      { kind: 'call', outcome: 'maybe' },
      leadId,
      400,
      'validation_failed',
    );
    await refused('marketing', `${lead}/activities`, { kind: 'call' }, leadId, 403, 'forbidden');
    await refused(
      'sales',
      `${lead}/qualify`,
      { opportunityId: 'opp-1', estimatedAmount: 5000 },
      leadId,
      400,
      'validation_failed',
    );

    t.clock.advanceMinutes(60);
    const call = await send('sales', `${lead}/activities`, {
      kind: 'call',
      outcome: 'no_answer',
    }).expect(201);
    expect(call.headers.etag).toBe('"4"');
    t.clock.advanceMinutes(60);
    await send('sales', `${lead}/activities`, { kind: 'email', note: 'sent the deck' }).expect(201);

    await send('sales', `${lead}/qualify`, {
      opportunityId: 'opp-won',
      estimatedAmount: 900_000,
      currency: 'EUR',
    }).expect(200);
    await refused(
      'sales',
      `${lead}/qualify`,
      { opportunityId: 'opp-2' },
      leadId,
      409,
      'lead_already_sql',
    );
    await send('sales', `${lead}/activities`, { kind: 'meeting', outcome: 'connected' }).expect(
      201,
    );

    const converted = await ok('sales', `${lead}/convert`, {
      amount: 850_000,
      currency: 'EUR',
      opportunityId: 'opp-won',
    });
    await refused('sales', `${lead}/activities`, { kind: 'call' }, leadId, 409, 'lead_closed');
    await refused(
      'sales',
      `${lead}/qualify`,
      { opportunityId: 'opp-3' },
      leadId,
      409,
      'lead_closed',
    );

    const view = await get(`${lead}?consistentWith=${converted.position}`);
    expect(view).toMatchObject({
      stage: 'converted',
      opportunityId: 'opp-won',
      estimate: { amount: 900_000, currency: 'EUR' },
      activities: 3,
      timestamps: { acceptedAt: '2026-03-02T09:00:00.000Z', sqlAt: '2026-03-02T11:00:00.000Z' },
    });
  });

  it('shows stage sql and the opportunity while qualified', async () => {
    chased = await handedOffLead('chased@example.com');
    const lead = `/leads/${chased.leadId}`;
    await ok('sales', `${lead}/accept`);
    await send('sales', `${lead}/activities`, { kind: 'call' }).expect(201);
    const qualified = await ok('sales', `${lead}/qualify`, { opportunityId: 'opp-chased' });
    expect(await get(`${lead}?consistentWith=${qualified.position}`, 'sales')).toMatchObject({
      stage: 'sql',
      opportunityId: 'opp-chased',
      estimate: null,
    });
    const sqlLeads = await get(`/leads?stage=sql&consistentWith=${qualified.position}`, 'sales');
    expect(sqlLeads.items.map((item: { leadId: string }) => item.leadId)).toEqual([chased.leadId]);
  });

  it('one follow-up row per accepted handoff, and follow-up columns in the SLA summary', async () => {
    // the first lead made two attempts within 48 hours and converted; the second made one
    const open = await get('/sla/follow-ups');
    expect(open.items).toEqual([
      {
        handoffId: won.handoffId,
        leadId: won.leadId,
        rep: 'sales-dev',
        acceptedAt: '2026-03-02T09:00:00.000Z',
        deadline: '2026-03-04T09:00:00.000Z',
        required: 2,
        attempts: 3,
        attemptsByDeadline: 3,
        status: 'met',
      },
      expect.objectContaining({ handoffId: chased.handoffId, attempts: 1, status: 'open' }),
    ]);

    // the second lead was accepted at 11:00, due 2026-03-04T11:00: a minute past it
    t.clock.set('2026-03-04T11:01:00Z');
    const later = await get('/sla/follow-ups?status=breached&rep=sales-dev');
    expect(later.items.map((row: { leadId: string }) => row.leadId)).toEqual([chased.leadId]);
    expect((await get('/sla/follow-ups', 'auditor')).items).toHaveLength(2);

    const asOfBefore = await get('/sla/follow-ups?asOf=2026-03-03T09:00:00Z');
    expect(asOfBefore.items.map((row: { status: string }) => row.status)).toEqual(['met', 'open']);

    const summary = await get('/sla/summary?groupBy=rep');
    expect(summary.rows).toEqual([
      expect.objectContaining({
        key: 'sales-dev',
        handoffs: 2,
        followUps: 2,
        followUpsMet: 1,
        followUpsBreached: 1,
        followUpsOpen: 0,
        followUpCompliance: 0.5,
      }),
    ]);
  });

  it('reject → dispute → resolve overturned, refusing every wrong dispute and ruling', async () => {
    const { leadId, handoffId } = await handedOffLead('rejected@example.com');
    const rejection = `/leads/${leadId}/rejections/${handoffId}`;
    await refused(
      'marketing',
      `${rejection}/dispute`,
      { reason: 'fits' },
      leadId,
      409,
      'handoff_not_rejected',
    );
    await ok('sales', `/leads/${leadId}/reject`, { reason: 'not_icp' });

    await refused(
      'sales_manager',
      `${rejection}/resolve`,
      { outcome: 'upheld' },
      leadId,
      409,
      'rejection_not_disputed',
    );
    await refused('sales', `${rejection}/dispute`, { reason: 'fits' }, leadId, 403, 'forbidden');
    await refused('marketing', `${rejection}/dispute`, {}, leadId, 400, 'validation_failed');
    const unknown = `/leads/${leadId}/rejections/0192f7a0-0000-7000-8000-000000000000`;
    await refused(
      'marketing',
      `${unknown}/dispute`,
      { reason: 'fits' },
      leadId,
      404,
      'handoff_not_found',
    );
    await refused(
      'marketing',
      `/leads/${won.leadId}/rejections/${won.handoffId}/dispute`,
      { reason: 'x' },
      won.leadId,
      409,
      'handoff_not_rejected',
    );

    await send('marketing', `${rejection}/dispute`, {
      reason: 'fits the ICP: 400 employees',
    }).expect(200);
    await refused(
      'marketing_manager',
      `${rejection}/dispute`,
      { reason: 'again' },
      leadId,
      409,
      'rejection_already_disputed',
    );

    await refused(
      'marketing',
      `${rejection}/resolve`,
      { outcome: 'overturned' },
      leadId,
      403,
      'forbidden',
    );
    await refused(
      'sales',
      `${rejection}/resolve`,
      { outcome: 'overturned' },
      leadId,
      403,
      'forbidden',
    );
    await refused(
      'sales_manager',
      `${rejection}/resolve`,
      { outcome: 'maybe' },
      leadId,
      400,
      'validation_failed',
    );
    await refused(
      'sales_manager',
      `${unknown}/resolve`,
      { outcome: 'upheld' },
      leadId,
      404,
      'handoff_not_found',
    );
    const ruled = await ok('sales_manager', `${rejection}/resolve`, {
      outcome: 'overturned',
      note: 'heard the call',
    });
    await refused(
      'admin',
      `${rejection}/resolve`,
      { outcome: 'upheld' },
      leadId,
      409,
      'rejection_dispute_already_resolved',
    );

    const lead = await get(`/leads/${leadId}?consistentWith=${ruled.position}`);
    expect(lead.disputes).toEqual([
      {
        handoffId,
        status: 'overturned',
        reason: 'fits the ICP: 400 employees',
        disputedBy: 'marketing-dev',
        disputedAt: expect.any(String),
        ruledBy: 'sales_manager-dev',
        ruledAt: expect.any(String),
        note: 'heard the call',
      },
    ]);
    const { items } = await get('/sla/handoffs');
    expect(
      items.map((row: { leadId: string; dispute: string }) => [row.leadId, row.dispute]),
    ).toEqual([
      [won.leadId, 'none'],
      [chased.leadId, 'none'],
      [leadId, 'overturned'],
    ]);
    const overturned = await get('/sla/handoffs?dispute=overturned');
    expect(overturned.items.map((row: { leadId: string }) => row.leadId)).toEqual([leadId]);
    expect((await get('/sla/handoffs?dispute=open')).items).toEqual([]);
  });

  it('the funnel shows the SQL step and losses by the stage they were lost from', async () => {
    const lost = await ok('sales', `/leads/${chased.leadId}/lose`, { reason: 'no budget' });
    const funnel = await get(`/funnel?consistentWith=${lost.position}`);
    expect(funnel.steps).toEqual([
      { stage: 'captured', count: 3 },
      { stage: 'mql', count: 3 },
      { stage: 'handed_off', count: 3 },
      { stage: 'accepted', count: 2 },
      { stage: 'sql', count: 2 },
      { stage: 'converted', count: 1 },
    ]);
    expect(funnel.lostFrom).toEqual({ sql: 1 });
    // the other events of the lifecycle are on the lead's history for auditors and the relay
    const history = await get(`/leads/${won.leadId}/history`, 'auditor');
    expect(history.events.map((event: { type: string }) => event.type)).toEqual([
      'LeadCaptured',
      'LeadScored',
      'LeadHandedOff',
      'LeadAccepted',
      'SalesActivityLogged',
      'SalesActivityLogged',
      'LeadQualifiedBySales',
      'SalesActivityLogged',
      'LeadConverted',
    ]);
  });
});
