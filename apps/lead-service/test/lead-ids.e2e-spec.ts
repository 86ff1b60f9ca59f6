import { type TestApp, bearer, captureBody, startTestApp } from './test-app';

// A lead id is a UUID in one canonical form (lower case), whatever case a client sends.
describe('lead ids: one canonical form at every edge', () => {
  let t: TestApp;
  const upper = 'FEEDFACE-0000-4000-8000-0000000000AA';
  const lower = upper.toLowerCase();

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('a lead captured with an upper-case id is read, changed and erased with either case, and never doubled', async () => {
    const captured = await t.http
      .post('/leads')
      .set(bearer('marketing'))
      .send(captureBody({ leadId: upper }))
      .expect(201);
    expect(captured.body.leadId).toBe(lower);
    expect(captured.headers.location).toBe(`/leads/${lower}`);

    // the other case is the same lead, not a second one
    const again = await t.http
      .post('/leads')
      .set(bearer('marketing'))
      .send(captureBody({ leadId: lower }))
      .expect(409);
    expect(again.body.code).toBe('lead_already_exists');

    await t.http
      .post(`/leads/${upper}/score`)
      .set(bearer('marketing'))
      .send({ score: 80 })
      .expect(200);
    const scored = await t.http
      .post(`/leads/${lower}/engagements`)
      .set(bearer('marketing'))
      .send({ campaignId: 'newsletter', channel: 'email', kind: 'email_click' })
      .expect(201);
    for (const id of [upper, lower]) {
      const lead = await t.http
        .get(`/leads/${id}?consistentWith=${scored.body.position}`)
        .set(bearer('sales'))
        .expect(200);
      expect(lead.body).toMatchObject({ leadId: lower, score: 80, revision: 2 });
    }
    const history = await t.http.get(`/leads/${upper}/history`).set(bearer('auditor')).expect(200);
    expect(history.body.events).toHaveLength(3);

    const erased = await t.http.post(`/leads/${upper}/erase`).set(bearer('admin')).expect(200);
    expect(erased.body.leadId).toBe(lower);
    const page = await t.http
      .get(`/leads?consistentWith=${erased.body.position}`)
      .set(bearer('sales'))
      .expect(200);
    expect(page.body.items.map((item: { leadId: string }) => item.leadId)).toEqual([lower]);
    expect(page.body.items[0]).toMatchObject({ email: null, personalDataErased: true });
  });
});
