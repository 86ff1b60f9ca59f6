import { BackgroundWork } from '@lead/runtime';
import { type TestApp, type TestRole, bearer, captureBody, startTestApp } from './test-app';

// Issue 10 items 1 and 5 through HTTP: business time is causally ordered per lead, a breach
// alert cannot be rewritten by a backdated response, and only an admin corrects a verdict.
describe('business time rules over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

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

  // Captured and scored now; handed off at handedOffAt (default now), due a day later.
  const handedOffLead = async (times: { capturedAt?: string; handedOffAt?: string } = {}) => {
    const at = (time?: string) => (time ? { occurredAt: time } : {});
    const { leadId } = await ok('marketing', '/leads', captureBody(at(times.capturedAt)));
    await ok('marketing', `/leads/${leadId}/score`, { score: 80, ...at(times.capturedAt) });
    const handoff = await ok('marketing', `/leads/${leadId}/handoff`, {
      toRep: 'rep-ana',
      ...at(times.handedOffAt),
    });
    const { items } = await get(`/sla/handoffs?consistentWith=${handoff.position}`);
    const row = items.find((item: { leadId: string }) => item.leadId === leadId);
    return { leadId, handoffId: row.handoffId as string };
  };
  const slaRow = async (handoffId: string, position: string) => {
    const { items } = await get(`/sla/handoffs?consistentWith=${position}`);
    return items.find((item: { handoffId: string }) => item.handoffId === handoffId);
  };

  it('a response dated before its handoff is refused with 409 occurred_before_prerequisite and appends nothing', async () => {
    const { leadId } = await handedOffLead({ capturedAt: '2026-03-01T08:00:00Z' });
    const before = await eventCount(leadId);
    const refused = await send('sales', `/leads/${leadId}/accept`, {
      occurredAt: '2026-03-01T09:00:00Z',
    }).expect(409);
    expect(refused.body).toMatchObject({
      code: 'occurred_before_prerequisite',
      detail:
        'accept at 2026-03-01T09:00:00.000Z is before its handoff at 2026-03-02T09:00:00.000Z',
    });
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(await eventCount(leadId)).toBe(before);
  });

  it('a business time before 1970 (before the founding agreement) is a 400, not a 500 (schemathesis case)', async () => {
    const { leadId } = await handedOffLead();
    const before = await eventCount(leadId);
    const refused = await send('sales', `/leads/${leadId}/accept`, {
      occurredAt: '0400-06-23T05:14:32Z',
    }).expect(400);
    expect(refused.body).toMatchObject({
      code: 'validation_failed',
      errors: [
        { field: 'occurredAt', message: 'occurredAt must not be before 1970-01-01T00:00:00Z' },
      ],
    });
    await send('marketing', '/leads', captureBody({ occurredAt: '1969-12-31T23:59:59Z' })).expect(
      400,
    );
    expect(await eventCount(leadId)).toBe(before);
  });

  it('after the breach alert, a backdated accept keeps the handoff breached; only an admin correction turns it met', async () => {
    const { leadId, handoffId } = await handedOffLead();
    t.clock.advanceMinutes(1440 + 5);
    await t.app.get(BackgroundWork).watcher.check();

    // the rep claims an answer 5 minutes after the handoff
    const accepted = await ok('sales', `/leads/${leadId}/accept`, {
      occurredAt: '2026-03-02T09:05:00Z',
    });
    const row = await slaRow(handoffId, accepted.position);
    expect(row).toMatchObject({
      status: 'breached',
      respondedAt: '2026-03-02T09:05:00.000Z',
      respondedRecordedAt: '2026-03-03T09:05:00.000Z',
      responseMinutes: 5,
      breachAlertedAt: '2026-03-03T09:05:00.000Z',
      correction: null,
    });

    const path = `/leads/${leadId}/handoffs/${handoffId}/sla-correction`;
    const correction = { verdict: 'met', reason: 'CRM outage: the rep called within minutes' };
    await send('sales', path, correction).expect(403);
    expect(
      (await send('admin', path, { verdict: 'fine', reason: 'x' }).expect(400)).body.code,
    ).toBe('validation_failed');
    const corrected = await ok('admin', path, correction);
    expect(await slaRow(handoffId, corrected.position)).toMatchObject({
      status: 'met',
      correction: { ...correction, by: expect.any(String), at: '2026-03-03T09:05:00.000Z' },
    });
    const { events } = await get(`/leads/${leadId}/history`, 'auditor');
    expect(events.at(-1)).toMatchObject({
      type: 'LeadHandoffSlaCorrected',
      data: { handoffEventId: handoffId, ...correction },
      metadata: { actor: { role: 'admin' } },
    });
  });

  it('a correction names a handoff the lead has, once it has a verdict', async () => {
    const { leadId, handoffId } = await handedOffLead();
    const body = { verdict: 'breached', reason: 'checking' };
    const unknown = '0195a7f2-6c1e-7b3a-9d4e-2f8a1c3b5d7e';
    expect(
      (await send('admin', `/leads/${leadId}/handoffs/${unknown}/sla-correction`, body).expect(404))
        .body.code,
    ).toBe('handoff_not_found');
    expect(
      (
        await send('admin', `/leads/${leadId}/handoffs/${handoffId}/sla-correction`, body).expect(
          409,
        )
      ).body.code,
    ).toBe('handoff_not_decided');
    expect(
      (await send('admin', `/leads/${leadId}/handoffs/not-a-uuid/sla-correction`, body).expect(400))
        .body.code,
    ).toBe('validation_failed');
  });

  it('a backfill sending a handoff and its response together is judged on business time', async () => {
    const { leadId, handoffId } = await handedOffLead({
      capturedAt: '2026-01-10T09:00:00Z',
      handedOffAt: '2026-01-10T10:00:00Z',
    });
    const accepted = await ok('sales', `/leads/${leadId}/accept`, {
      occurredAt: '2026-01-10T11:00:00Z',
    });
    await t.app.get(BackgroundWork).watcher.check();
    expect(await slaRow(handoffId, accepted.position)).toMatchObject({
      status: 'met',
      respondedAt: '2026-01-10T11:00:00.000Z',
      respondedRecordedAt: '2026-03-02T09:00:00.000Z',
      responseMinutes: 60,
      breachAlertedAt: null,
    });
  });

  it('a conversion dated 1971, before every touch, is refused (item 5)', async () => {
    const { leadId } = await handedOffLead();
    await ok('sales', `/leads/${leadId}/accept`);
    const before = await eventCount(leadId);
    const refused = await send('sales', `/leads/${leadId}/convert`, {
      amount: 100_000,
      currency: 'EUR',
      occurredAt: '1971-01-01T00:00:00Z',
    }).expect(409);
    expect(refused.body.code).toBe('occurred_before_prerequisite');
    expect(await eventCount(leadId)).toBe(before);
  });

  it('a touch sent after the conversion is refused and never moves its credit (item 1c)', async () => {
    const { leadId } = await handedOffLead();
    await ok('sales', `/leads/${leadId}/accept`);
    t.clock.advanceMinutes(60);
    const converted = await ok('sales', `/leads/${leadId}/convert`, {
      amount: 100_000,
      currency: 'EUR',
    });
    await get(`/attribution?model=linear&consistentWith=${converted.position}`);
    const url = `/attribution/leads/${leadId}?model=linear`;
    const credits = (await get(url)).credits;
    expect(
      credits.reduce((sum: number, credit: { amount: number }) => sum + credit.amount, 0),
    ).toBe(100_000);
    const refused = await send('marketing', `/leads/${leadId}/engagements`, {
      campaignId: 'late-campaign',
      channel: 'email',
      kind: 'email_click',
      occurredAt: '2026-03-02T09:30:00Z',
    }).expect(409);
    expect(refused.body.code).toBe('lead_closed');
    expect((await get(url)).credits).toEqual(credits);
  });
});
