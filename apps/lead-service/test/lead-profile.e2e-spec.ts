import { type AgreementTerms, leadStream } from '@lead/domain';
import { EventStore } from '@lead/event-store';
import { type TestApp, type TestRole, bearer, captureBody, startTestApp } from './test-app';

// The lead's profile (DESIGN §10 "Profile"), scoring that reads it, and the score's evidence.
type HistoryEvent = {
  type: string;
  data: Record<string, unknown>;
  metadata: { eventId: string; causationId: string | null; actor: { id: string } };
};

const rulesTerms: AgreementTerms = {
  qualification: { mqlThreshold: 60 },
  scoring: {
    source: 'rules',
    fit: [
      { rule: 'cto', field: 'title', points: 30, containsAny: ['cto', 'chief technology'] },
      { rule: 'software', field: 'industry', points: 15, equals: 'Software' },
      { rule: 'dach', field: 'country', points: 10, in: ['DE', 'AT', 'CH'] },
      { rule: 'big', field: 'employees', points: 10, min: 500 },
    ],
    engagement: [
      { rule: 'captured', kind: 'captured', points: 10 },
      { rule: 'webinar', kind: 'webinar', points: 20 },
    ],
    decayHalfLifeDays: 1,
  },
  salesResponse: { acceptWithinMinutes: 1440 },
  marketing: { mqlsPerMonth: 100 },
};

const useApp = (setUp: (t: TestApp) => Promise<void> = async () => {}) => {
  const holder = {} as { t: TestApp };
  beforeAll(async () => {
    holder.t = await startTestApp();
    await setUp(holder.t);
  });
  afterAll(async () => {
    await holder.t.close();
  });
  const post = (url: string, role: TestRole, body: object = {}) =>
    holder.t.http.post(url).set(bearer(role)).send(body);
  const get = (url: string, role: TestRole = 'analyst') => holder.t.http.get(url).set(bearer(role));
  const capture = async (body: Record<string, unknown> = {}) =>
    ((await post('/leads', 'marketing', captureBody(body)).expect(201)).body as { leadId: string })
      .leadId;
  const history = async (leadId: string) =>
    (
      (await get(`/leads/${leadId}/history`, 'auditor').expect(200)).body as {
        events: HistoryEvent[];
      }
    ).events;
  return { holder, post, get, capture, history };
};

describe('the lead profile', () => {
  const { holder, post, get, capture, history } = useApp();

  it('is taken at capture and shown in the summary, the title only to roles that see name', async () => {
    const captured = await post(
      '/leads',
      'marketing',
      captureBody({ title: 'CTO', industry: 'Software', country: 'de', employees: 800 }),
    ).expect(201);
    const { leadId, position } = captured.body as { leadId: string; position: string };
    const profile = { title: 'CTO', company: 'Analytical Engines Ltd', industry: 'Software' };
    const url = `/leads/${leadId}?consistentWith=${position}`;
    const seen = await get(url, 'sales').expect(200);
    expect(seen.body.profile).toEqual({ ...profile, country: 'DE', employees: 800 });
    const analyst = await get(url, 'analyst').expect(200);
    expect(analyst.body.profile).toEqual({
      ...profile,
      title: null,
      country: 'DE',
      employees: 800,
    });
  });

  it.each([
    ['country', { country: 'XX' }],
    ['country', { country: 'DEU' }],
    ['employees', { employees: 0 }],
    ['employees', { employees: 2.5 }],
    ['title', { title: '' }],
  ])('refuses a capture with a bad %s: 400 naming the field', async (field, body) => {
    const response = await post('/leads', 'marketing', captureBody(body)).expect(400);
    expect(response.body).toMatchObject({ code: 'validation_failed' });
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('records the changed fields only, with ETag and If-Match like every lead command', async () => {
    const leadId = await capture({ industry: 'Software' });
    const updated = await holder.t.http
      .post(`/leads/${leadId}/profile`)
      .set(bearer('sales'))
      .set('If-Match', '"0"')
      .send({ industry: 'Software', title: 'VP Sales', employees: 120 })
      .expect(200);
    expect(updated.body).toMatchObject({ leadId, revision: 1 });
    expect(updated.headers.etag).toBe('"1"');
    const events = await history(leadId);
    expect(events.map(({ type, data }) => ({ type, data }))).toEqual([
      expect.objectContaining({ type: 'LeadCaptured' }),
      { type: 'LeadProfileUpdated', data: { leadId, title: 'VP Sales', employees: 120 } },
    ]);
    const stale = await holder.t.http
      .post(`/leads/${leadId}/profile`)
      .set(bearer('sales'))
      .set('If-Match', '"0"')
      .send({ country: 'FR' })
      .expect(409);
    expect(stale.body.code).toBe('revision_conflict');
  });

  it('appends nothing when nothing changes, and answers the current revision', async () => {
    const leadId = await capture({ country: 'DE' });
    const same = await post(`/leads/${leadId}/profile`, 'marketing', {
      country: 'de',
      company: 'Analytical Engines Ltd',
    }).expect(200);
    expect(same.body).toMatchObject({ leadId, revision: 0 });
    expect(same.headers.etag).toBe('"0"');
    expect(await history(leadId)).toHaveLength(1);
  });

  it('refuses an update without a field, a closed lead, an unknown lead and other roles', async () => {
    const leadId = await capture();
    const empty = await post(`/leads/${leadId}/profile`, 'marketing', {}).expect(400);
    expect(empty.body).toMatchObject({ code: 'validation_failed' });
    expect(empty.body.detail).toContain('at least one of title, company, industry');
    await post(`/leads/${leadId}/lose`, 'marketing', { reason: 'no_budget' }).expect(200);
    const closed = await post(`/leads/${leadId}/profile`, 'marketing', {
      industry: 'Retail',
    }).expect(409);
    expect(closed.body.code).toBe('lead_closed');
    await post('/leads/0195a7f2-6c1e-7b3a-9d4e-2f8a1c3b5d00/profile', 'sales', {
      industry: 'Retail',
    }).expect(404);
    await post(`/leads/${leadId}/profile`, 'analyst', { industry: 'Retail' }).expect(403);
    expect(await history(leadId)).toHaveLength(2);
  });
});

describe('scoring by rules reads the profile', () => {
  const { holder, post, get, capture, history } = useApp(async (t) => {
    const send = (url: string, role: TestRole, body: object = {}) =>
      t.http.post(url).set(bearer(role)).send(body);
    await send('/agreements', 'marketing_manager', {
      effectiveFrom: '2026-03-02T09:01:00Z',
      terms: rulesTerms,
    }).expect(201);
    await send('/agreements/2/sign', 'marketing_manager').expect(200);
    await send('/agreements/2/sign', 'sales_manager').expect(200);
    t.clock.advanceMinutes(5); // 09:05, version 2 in force
  });

  it('scores the captured title, and rescores after a profile update, caused by it', async () => {
    const leadId = await capture({ title: 'Chief Technology Officer', country: 'AT' });
    holder.t.clock.advanceMinutes(60);
    const updated = await post(`/leads/${leadId}/profile`, 'marketing', {
      industry: 'software',
      employees: 500,
    }).expect(200);
    // the answer is the lead's latest revision: the system's score included
    expect(updated.body).toMatchObject({ revision: 3 });
    const events = await history(leadId);
    expect(
      events.map(({ type, data, metadata }) => ({ type, data, actor: metadata.actor.id })),
    ).toMatchObject([
      { type: 'LeadCaptured' },
      {
        type: 'LeadScored',
        // cto 30 + dach 10 + captured 10
        data: {
          score: 50,
          qualified: false,
          reasons: [
            { rule: 'cto', points: 30 },
            { rule: 'dach', points: 10 },
            { rule: 'captured', points: 10 },
          ],
          model: 'agreement@2',
        },
        actor: 'system',
      },
      { type: 'LeadProfileUpdated', data: { industry: 'software', employees: 500 } },
      {
        type: 'LeadScored',
        // + software 15 + big 10; captured decayed by an hour: 10 × 2^(-1/24) = 9.72
        data: {
          score: 75,
          previousScore: 50,
          qualified: true,
          reasons: [
            { rule: 'cto', points: 30 },
            { rule: 'software', points: 15 },
            { rule: 'dach', points: 10 },
            { rule: 'big', points: 10 },
            { rule: 'captured', points: 9.72 },
          ],
        },
        actor: 'system',
      },
    ]);
    expect(events[3].metadata.causationId).toBe(events[2].metadata.eventId);
    expect(events[1].metadata.causationId).toBe(events[0].metadata.eventId);
  });

  it('rescores on the state the command kept: no read of the lead stream on the hot path', async () => {
    const leadId = await capture({ title: 'CTO' });
    const store = holder.t.app.get(EventStore);
    const reads = jest.spyOn(store, 'readStream');
    try {
      await post(`/leads/${leadId}/engagements`, 'marketing', {
        campaignId: 'spring-webinar',
        channel: 'webinar',
        kind: 'webinar',
      }).expect(201);
      await post(`/leads/${leadId}/profile`, 'sales', { country: 'DE' }).expect(200);
      expect(reads.mock.calls.filter(([stream]) => stream === leadStream(leadId))).toEqual([]);
    } finally {
      reads.mockRestore();
    }
    expect((await history(leadId)).map(({ type }) => type)).toEqual([
      'LeadCaptured',
      'LeadScored',
      'LeadEngaged',
      'LeadScored',
      'LeadProfileUpdated',
      'LeadScored',
    ]);
  });

  it('answers the evidence at any business time: the profile and decay as they stood then', async () => {
    const capturedAt = holder.t.clock.now().toISOString();
    const leadId = await capture({ title: 'CTO' });
    holder.t.clock.advanceMinutes(24 * 60);
    await post(`/leads/${leadId}/engagements`, 'marketing', {
      campaignId: 'spring-webinar',
      channel: 'webinar',
      kind: 'webinar',
    }).expect(201);
    await post(`/leads/${leadId}/profile`, 'sales', { country: 'CH' }).expect(200);

    const atCapture = await get(`/leads/${leadId}/score?at=${capturedAt}`).expect(200);
    expect(atCapture.body).toEqual({
      leadId,
      score: 40,
      qualified: false,
      agreementVersion: 2,
      at: capturedAt,
      reasons: [
        { rule: 'cto', kind: 'fit', points: 30 },
        { rule: 'captured', kind: 'engagement', points: 10 },
      ],
    });
    // now (a day later): the capture has decayed by one half-life, the webinar and CH count
    const now = await get(`/leads/${leadId}/score`, 'sales').expect(200);
    expect(now.body).toMatchObject({
      score: 65,
      qualified: true,
      at: holder.t.clock.now().toISOString(),
      reasons: [
        { rule: 'cto', kind: 'fit', points: 30 },
        { rule: 'dach', kind: 'fit', points: 10 },
        { rule: 'captured', kind: 'engagement', points: 5 },
        { rule: 'webinar', kind: 'engagement', points: 20 },
      ],
    });
  });

  it('is a 404 at a time before the capture, and names the version in force', async () => {
    const leadId = await capture();
    const before = await get(`/leads/${leadId}/score?at=2026-03-02T09:00:30Z`).expect(404);
    expect(before.body.code).toBe('lead_not_found');
    expect((await get(`/leads/${leadId}/score`).expect(200)).body.agreementVersion).toBe(2);
  });

  it('refuses a bad `at` and an unknown lead', async () => {
    const leadId = await capture();
    const bad = await get(`/leads/${leadId}/score?at=yesterday`).expect(400);
    expect(bad.body.code).toBe('validation_failed');
    await get('/leads/0195a7f2-6c1e-7b3a-9d4e-2f8a1c3b5d00/score').expect(404);
  });
});

describe('score evidence under external scoring', () => {
  const { post, get, capture } = useApp();

  it('is the latest score a client sent by `at`, its reasons of kind external', async () => {
    const leadId = await capture({ occurredAt: '2026-03-01T08:00:00Z' });
    await post(`/leads/${leadId}/score`, 'marketing', {
      score: 40,
      reasons: [{ rule: 'form', points: 40 }],
      occurredAt: '2026-03-01T09:00:00Z',
    }).expect(200);
    await post(`/leads/${leadId}/score`, 'marketing', {
      score: 75,
      reasons: [{ rule: 'demo', points: 75 }],
      occurredAt: '2026-03-01T12:00:00Z',
    }).expect(200);
    const then = await get(`/leads/${leadId}/score?at=2026-03-01T10:00:00Z`).expect(200);
    expect(then.body).toEqual({
      leadId,
      score: 40,
      qualified: false,
      agreementVersion: 1,
      at: '2026-03-01T10:00:00.000Z',
      reasons: [{ rule: 'form', kind: 'external', points: 40 }],
    });
    const now = await get(`/leads/${leadId}/score`).expect(200);
    expect(now.body).toMatchObject({ score: 75, qualified: true });
    const unscored = await get(`/leads/${leadId}/score?at=2026-03-01T08:30:00Z`).expect(200);
    expect(unscored.body).toMatchObject({ score: null, qualified: false, reasons: [] });
  });
});
