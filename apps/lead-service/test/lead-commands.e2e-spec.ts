import { type TestApp, bearer, captureBody, startTestApp } from './test-app';

const json = { 'Content-Type': 'application/json' };

describe('lead commands over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const capture = async (overrides: Record<string, unknown> = {}) => {
    const response = await t.http
      .post('/leads')
      .set(bearer('marketing'))
      .send(captureBody(overrides))
      .expect(201);
    return response.body.leadId as string;
  };
  const history = async (leadId: string) =>
    (await t.http.get(`/leads/${leadId}/history`).set(bearer('auditor')).expect(200)).body;

  it('takes one lead from capture to conversion, with the actor from the token', async () => {
    const created = await t.http
      .post('/leads')
      .set(bearer('marketing'))
      .set('X-Correlation-Id', 'corr-42')
      .send(
        captureBody({
          priorTouches: [
            {
              campaignId: 'ads-q1',
              channel: 'paid_search',
              occurredAt: '2026-02-20T10:00:00+01:00',
            },
          ],
        }),
      )
      .expect(201);
    const leadId: string = created.body.leadId;
    expect(created.body).toEqual({ leadId, revision: 0, position: expect.stringMatching(/^\d+$/) });
    expect(created.headers.etag).toBe('"0"');
    expect(created.headers.location).toBe(`/leads/${leadId}`);
    expect(created.headers['x-correlation-id']).toBe('corr-42');

    await t.http
      .post(`/leads/${leadId}/engagements`)
      .set(bearer('marketing'))
      .send({ campaignId: 'spring-webinar', channel: 'email', kind: 'email_click' })
      .expect(201);
    await t.http
      .post(`/leads/${leadId}/score`)
      .set(bearer('marketing'))
      .send({ score: 75, reasons: [{ rule: 'title', points: 30 }] })
      .expect(200);
    const handoff = await t.http
      .post(`/leads/${leadId}/handoff`)
      .set(bearer('marketing'))
      .send({ toRep: 'rep-ana' })
      .expect(200);
    expect(handoff.body.revision).toBe(3);
    t.clock.advanceMinutes(30);
    await t.http.post(`/leads/${leadId}/accept`).set(bearer('sales')).expect(200);
    const converted = await t.http
      .post(`/leads/${leadId}/convert`)
      .set(bearer('sales'))
      .send({ amount: 1_250_000, currency: 'EUR', opportunityId: 'opp-7' })
      .expect(200);
    expect(converted.body.revision).toBe(5);
    expect(converted.headers.etag).toBe('"5"');

    const { events, chain } = await history(leadId);
    expect(chain).toEqual({ valid: true });
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'LeadCaptured',
      'LeadEngaged',
      'LeadScored',
      'LeadHandedOff',
      'LeadAccepted',
      'LeadConverted',
    ]);
    const [captured, , scored, handedOff, accepted] = events;
    expect(captured.metadata).toMatchObject({
      actor: { id: 'marketing-dev', role: 'marketing' },
      correlationId: 'corr-42',
      occurredAt: '2026-03-02T09:00:00.000Z',
      recordedAt: expect.any(String),
      schemaVersion: 1,
    });
    expect(captured.data.priorTouches).toEqual([
      { campaignId: 'ads-q1', channel: 'paid_search', occurredAt: '2026-02-20T09:00:00.000Z' },
    ]);
    expect(scored.data).toMatchObject({ score: 75, previousScore: null, qualified: true });
    expect(handedOff.data).toMatchObject({
      toRep: 'rep-ana',
      fromTeam: 'marketing',
      slaPolicy: { acceptWithinMinutes: 1440 },
      dueAt: '2026-03-03T09:00:00.000Z',
    });
    expect(accepted.data).toEqual({
      leadId,
      acceptedBy: 'sales-dev',
      handoffEventId: handedOff.metadata.eventId,
    });
    expect(accepted.metadata.actor).toEqual({ id: 'sales-dev', role: 'sales' });
    expect(accepted.metadata.occurredAt).toBe('2026-03-02T09:30:00.000Z');
  });

  it('rejects back to nurturing, hands off again, and loses the lead', async () => {
    const leadId = await capture();
    await t.http
      .post(`/leads/${leadId}/score`)
      .set(bearer('marketing'))
      .send({ score: 90 })
      .expect(200);
    await t.http
      .post(`/leads/${leadId}/handoff`)
      .set(bearer('marketing'))
      .send({ toRep: 'rep-1' })
      .expect(200);
    await t.http
      .post(`/leads/${leadId}/reject`)
      .set(bearer('sales'))
      .send({ reason: 'not_ready', note: 'call in Q3' })
      .expect(200);
    await t.http
      .post(`/leads/${leadId}/handoff`)
      .set(bearer('marketing'))
      .send({ toRep: 'rep-2' })
      .expect(200);
    await t.http
      .post(`/leads/${leadId}/lose`)
      .set(bearer('sales'))
      .send({ reason: 'went_with_competitor' })
      .expect(200);
    const { events } = await history(leadId);
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'LeadCaptured',
      'LeadScored',
      'LeadHandedOff',
      'LeadRejected',
      'LeadHandedOff',
      'LeadLost',
    ]);
  });

  it('hands off below the threshold only with an override reason', async () => {
    const leadId = await capture();
    await t.http
      .post(`/leads/${leadId}/score`)
      .set(bearer('marketing'))
      .send({ score: 40 })
      .expect(200);
    const refused = await t.http
      .post(`/leads/${leadId}/handoff`)
      .set(bearer('marketing'))
      .send({ toRep: 'rep-1' })
      .expect(409);
    expect(refused.body).toMatchObject({ code: 'lead_not_qualified', status: 409 });
    await t.http
      .post(`/leads/${leadId}/handoff`)
      .set(bearer('marketing'))
      .send({ toRep: 'rep-1', override: { reason: 'CEO asked for a call' } })
      .expect(200);
  });

  it('keeps data across a restart', async () => {
    const leadId = await capture();
    t = await t.restart();
    const { events } = await history(leadId);
    expect(events).toHaveLength(1);
    await t.http
      .post(`/leads/${leadId}/score`)
      .set(bearer('marketing'))
      .send({ score: 70 })
      .expect(200);
  });

  describe('Idempotency-Key', () => {
    it('a retried capture returns the first result and appends nothing', async () => {
      const send = () =>
        t.http
          .post('/leads')
          .set(bearer('marketing'))
          .set('Idempotency-Key', 'import-row-17')
          .send(captureBody());
      const first = await send().expect(201);
      const retry = await send().expect(201);
      expect(retry.body).toEqual(first.body);
      expect((await history(first.body.leadId)).events).toHaveLength(1);
    });

    it('a retried transition returns the first result even though the lead moved on', async () => {
      const leadId = await capture();
      await t.http
        .post(`/leads/${leadId}/score`)
        .set(bearer('marketing'))
        .send({ score: 80 })
        .expect(200);
      const handOff = () =>
        t.http
          .post(`/leads/${leadId}/handoff`)
          .set(bearer('marketing'))
          .set('Idempotency-Key', 'k-1')
          .send({ toRep: 'rep-1' });
      const first = await handOff().expect(200);
      await t.http.post(`/leads/${leadId}/accept`).set(bearer('sales')).expect(200);
      const retry = await handOff().expect(200);
      expect(retry.body).toEqual(first.body);
      expect((await history(leadId)).events).toHaveLength(4);
    });

    it('concurrent retries with one key append once', async () => {
      const leadId = await capture();
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          t.http
            .post(`/leads/${leadId}/engagements`)
            .set(bearer('marketing'))
            .set('Idempotency-Key', 'click-9')
            .send({ campaignId: 'c', channel: 'email', kind: 'email_click' }),
        ),
      );
      expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201]));
      expect(new Set(responses.map((r) => r.body.revision))).toEqual(new Set([1]));
      expect((await history(leadId)).events).toHaveLength(2);
    });
  });

  describe('If-Match and concurrency', () => {
    it('a stale If-Match is a 409 and appends nothing; the current one succeeds', async () => {
      const leadId = await capture();
      await t.http
        .post(`/leads/${leadId}/score`)
        .set(bearer('marketing'))
        .send({ score: 10 })
        .expect(200);
      const stale = await t.http
        .post(`/leads/${leadId}/score`)
        .set(bearer('marketing'))
        .set('If-Match', '"0"')
        .send({ score: 20 })
        .expect(409);
      expect(stale.body.code).toBe('revision_conflict');
      await t.http
        .post(`/leads/${leadId}/score`)
        .set(bearer('marketing'))
        .set('If-Match', '"1"')
        .send({ score: 20 })
        .expect(200);
      expect((await history(leadId)).events).toHaveLength(3);
    });

    it('concurrent commands with the same If-Match: exactly one wins', async () => {
      const leadId = await capture();
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          t.http
            .post(`/leads/${leadId}/score`)
            .set(bearer('marketing'))
            .set('If-Match', '"0"')
            .send({ score: i }),
        ),
      );
      expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 409)).toHaveLength(7);
      expect((await history(leadId)).events).toHaveLength(2);
    });

    it('concurrent valid commands without If-Match all succeed; an invalid one gets the domain 409', async () => {
      const leadId = await capture();
      await t.http
        .post(`/leads/${leadId}/score`)
        .set(bearer('marketing'))
        .send({ score: 80 })
        .expect(200);
      await t.http
        .post(`/leads/${leadId}/handoff`)
        .set(bearer('marketing'))
        .send({ toRep: 'rep-1' })
        .expect(200);
      const engagements = Array.from({ length: 6 }, () =>
        t.http
          .post(`/leads/${leadId}/engagements`)
          .set(bearer('marketing'))
          .send({ campaignId: 'c', channel: 'email', kind: 'email_open' }),
      );
      const [accept, reject, ...rest] = await Promise.all([
        t.http.post(`/leads/${leadId}/accept`).set(bearer('sales')),
        t.http.post(`/leads/${leadId}/reject`).set(bearer('sales')).send({ reason: 'duplicate' }),
        ...engagements,
      ]);
      expect(rest.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
      expect([accept.status, reject.status].sort()).toEqual([200, 409]);
      const { events, chain } = await history(leadId);
      expect(chain.valid).toBe(true);
      expect(events.map((e: { revision: number }) => e.revision)).toEqual(
        events.map((_: unknown, i: number) => i),
      );
      expect(events).toHaveLength(3 + 6 + 1);
    });
  });

  describe('wrong stage (409) and unknown lead (404)', () => {
    it.each([
      ['convert before accept', 'convert', { amount: 100, currency: 'USD' }, 'invalid_transition'],
      ['accept before handoff', 'accept', {}, 'invalid_transition'],
      ['reject before handoff', 'reject', { reason: 'other' }, 'invalid_transition'],
    ])('%s', async (_name, path, body, code) => {
      const leadId = await capture();
      const token = bearer('sales');
      const response = await t.http
        .post(`/leads/${leadId}/${path}`)
        .set(token)
        .send(body)
        .expect(409);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        status: 409,
        code,
        type: expect.any(String),
        title: 'Conflict',
        detail: expect.any(String),
      });
    });

    it('a capture of a lead id that exists (erased too) is a 409, also in a process that has not seen it', async () => {
      const leadId = '01a22fd3-f86a-70ac-b064-06c4cfb713f7';
      await capture({ leadId });
      await t.http.post(`/leads/${leadId}/erase`).set(bearer('admin')).expect(200);
      const again = () =>
        t.http
          .post('/leads')
          .set(bearer('admin'))
          .send(captureBody({ leadId, email: 'other@example.com' }));
      expect((await again()).status).toBe(409);
      // a restarted service remembers no state for the lead
      const dataDir = t.dataDir;
      await t.app.close();
      t = await startTestApp({ dataDir });
      const response = await again();
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ status: 409 });
      expect((await history(leadId)).events).toHaveLength(2);
    });

    it('anything after converted or lost is refused', async () => {
      const leadId = await capture();
      await t.http
        .post(`/leads/${leadId}/lose`)
        .set(bearer('marketing'))
        .send({ reason: 'unresponsive' })
        .expect(200);
      for (const [path, body] of [
        ['score', { score: 90 }],
        ['engagements', { campaignId: 'c', channel: 'email', kind: 'email_open' }],
        ['lose', { reason: 'again' }],
      ] as const) {
        const response = await t.http
          .post(`/leads/${leadId}/${path}`)
          .set(bearer('marketing'))
          .send(body)
          .expect(409);
        expect(response.body.code).toBe('lead_closed');
      }
    });

    it('capturing an existing lead id is a 409', async () => {
      const leadId = await capture();
      const response = await t.http
        .post('/leads')
        .set(bearer('marketing'))
        .send(captureBody({ leadId }))
        .expect(409);
      expect(response.body.code).toBe('lead_already_exists');
    });

    it('an unknown lead is a 404 for commands and history', async () => {
      const unknown = '0192f7a0-0000-7000-8000-000000000000';
      const score = await t.http
        .post(`/leads/${unknown}/score`)
        .set(bearer('marketing'))
        .send({ score: 1 })
        .expect(404);
      expect(score.body.code).toBe('lead_not_found');
      await t.http.get(`/leads/${unknown}/history`).set(bearer('auditor')).expect(404);
    });
  });

  describe('bad input gets a 400 problem and changes nothing', () => {
    const invalidCaptures: [string, Record<string, unknown>, string][] = [
      ['missing email', { email: undefined }, 'email'],
      ['invalid email', { email: 'not-an-email' }, 'email'],
      ['source missing', { source: undefined }, 'source'],
      ['source as a string', { source: 'webinar' }, 'source'],
      [
        'channel with spaces',
        { source: { campaignId: 'c', channel: 'Paid Search' } },
        'source.channel',
      ],
      [
        'unknown field in source',
        { source: { campaignId: 'c', channel: 'email', medium: 'x' } },
        'source.medium',
      ],
      ['unknown top-level field', { actor: { id: 'boss' } }, 'actor'],
      ['sourcedBy not a team', { sourcedBy: 'ceo' }, 'sourcedBy'],
      ['occurredAt not ISO', { occurredAt: '03/02/2026' }, 'occurredAt'],
      ['occurredAt without zone', { occurredAt: '2026-03-02T09:00:00' }, 'occurredAt'],
      [
        'prior touch without time',
        { priorTouches: [{ campaignId: 'c', channel: 'email' }] },
        'priorTouches.0.occurredAt',
      ],
      ['leadId not a UUID', { leadId: 'lead-1' }, 'leadId'],
    ];
    it.each(invalidCaptures)('capture: %s', async (_name, overrides, field) => {
      const before = (await t.http.get('/health').expect(200)).body.details.eventStore.head;
      const response = await t.http
        .post('/leads')
        .set(bearer('marketing'))
        .send(captureBody(overrides))
        .expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 400, code: 'validation_failed' });
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect((await t.http.get('/health').expect(200)).body.details.eventStore.head).toBe(before);
    });

    // issue 10: a 219 KiB body of unknown fields answered a 3.4 MiB problem
    it('a body with thousands of invalid fields answers a small problem listing the first 20', async () => {
      const unknown = Object.fromEntries(
        Array.from({ length: 4_000 }, (_, n) => [`unknown_field_${n}`, n]),
      );
      const longName = { ['y'.repeat(100_000)]: 1 };
      const response = await t.http
        .post('/leads')
        .set(bearer('marketing'))
        .send(captureBody({ ...unknown, ...longName }))
        .expect(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors).toHaveLength(20);
      expect(response.body.errorsOmitted).toBe(3_981);
      expect(response.text.length).toBeLessThan(16 * 1024);
    });

    it('occurredAt in the future is refused', async () => {
      const response = await t.http
        .post('/leads')
        .set(bearer('marketing'))
        .send(captureBody({ occurredAt: '2026-03-02T10:00:00Z' }))
        .expect(400);
      expect(response.body.code).toBe('occurred_at_in_future');
    });

    const invalidScores: [string, unknown][] = [
      ['above 100', 101],
      ['below 0', -1],
      ['fractional', 50.5],
      ['a string', '50'],
      ['missing', undefined],
    ];
    it.each(invalidScores)('score %s', async (_name, score) => {
      const leadId = await capture();
      const response = await t.http
        .post(`/leads/${leadId}/score`)
        .set(bearer('marketing'))
        .send({ score })
        .expect(400);
      expect(response.body.errors[0].field).toBe('score');
    });

    const invalidConversions: [string, Record<string, unknown>, string][] = [
      ['negative amount', { amount: -5, currency: 'EUR' }, 'amount'],
      ['zero amount', { amount: 0, currency: 'EUR' }, 'amount'],
      ['fractional amount', { amount: 10.5, currency: 'EUR' }, 'amount'],
      ['amount above 10^13 minor units', { amount: 10_000_000_000_001, currency: 'EUR' }, 'amount'],
      ['amount as a string', { amount: '100', currency: 'EUR' }, 'amount'],
      ['lower-case currency', { amount: 100, currency: 'eur' }, 'currency'],
      ['currency of 4 letters', { amount: 100, currency: 'EURO' }, 'currency'],
    ];
    it.each(invalidConversions)('convert: %s', async (_name, body, field) => {
      const leadId = await capture();
      const response = await t.http
        .post(`/leads/${leadId}/convert`)
        .set(bearer('sales'))
        .send(body)
        .expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('malformed JSON', async () => {
      const response = await t.http
        .post('/leads')
        .set(bearer('marketing'))
        .set(json)
        .send('{"email": ')
        .expect(400);
      expect(response.body).toMatchObject({ status: 400, code: 'malformed_request' });
    });

    it('a body that is not an object', async () => {
      const response = await t.http
        .post('/leads')
        .set(bearer('marketing'))
        .set(json)
        .send('[1,2]')
        .expect(400);
      expect(response.body.code).toBe('validation_failed');
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
      'content type %s is a 415',
      async (type) => {
        const response = await t.http
          .post('/leads')
          .set(bearer('marketing'))
          .set('Content-Type', type)
          .send('email=a@b.co')
          .expect(415);
        expect(response.body.code).toBe('unsupported_media_type');
      },
    );

    it('a __proto__ key is refused', async () => {
      await t.http
        .post('/leads')
        .set(bearer('marketing'))
        .set(json)
        .send('{"__proto__": {"admin": true}, "email": "a@b.co"}')
        .expect(400);
    });

    it('a body over the size limit is a 413', async () => {
      const response = await t.http
        .post('/leads')
        .set(bearer('marketing'))
        .send(captureBody({ name: 'x'.repeat(300_000) }))
        .expect(413);
      expect(response.body.code).toBe('body_too_large');
    });

    it.each([
      ['If-Match', 'abc'],
      ['Idempotency-Key', 'x'.repeat(300)],
      ['X-Correlation-Id', 'has spaces in it'],
    ])('invalid %s header', async (name, value) => {
      const response = await t.http
        .post('/leads')
        .set(bearer('marketing'))
        .set(name, value)
        .send(captureBody())
        .expect(400);
      expect(response.body.code).toBe('invalid_header');
    });

    it('a lead id in the path that is not a UUID', async () => {
      await t.http
        .post('/leads/not-a-uuid/score')
        .set(bearer('marketing'))
        .send({ score: 1 })
        .expect(400);
    });
  });

  describe('authentication and roles', () => {
    it('a missing or unknown token is a 401 with WWW-Authenticate', async () => {
      const missing = await t.http.post('/leads').send(captureBody()).expect(401);
      expect(missing.headers['www-authenticate']).toBe('Bearer');
      expect(missing.body.code).toBe('unauthenticated');
      await t.http
        .post('/leads')
        .set('Authorization', 'Bearer nope')
        .send(captureBody())
        .expect(401);
      await t.http
        .post('/leads')
        .set('Authorization', 'Basic Zm9vOmJhcg==')
        .send(captureBody())
        .expect(401);
    });

    // DESIGN §6: who may send each command (admin may do everything).
    const matrix: [string, string, Record<string, unknown>, string[]][] = [
      ['capture', '', captureBody(), ['marketing', 'sales', 'admin']],
      [
        'engage',
        'engagements',
        { campaignId: 'c', channel: 'email', kind: 'email_open' },
        ['marketing', 'admin'],
      ],
      ['score', 'score', { score: 10 }, ['marketing', 'admin']],
      ['handoff', 'handoff', { toRep: 'r', override: { reason: 'test' } }, ['marketing', 'admin']],
      ['accept', 'accept', {}, ['sales', 'admin']],
      ['reject', 'reject', { reason: 'other' }, ['sales', 'admin']],
      ['convert', 'convert', { amount: 1, currency: 'USD' }, ['sales', 'admin']],
      ['lose', 'lose', { reason: 'x' }, ['marketing', 'sales', 'admin']],
    ];
    const allRoles = ['marketing', 'sales', 'analyst', 'auditor', 'admin'] as const;
    it.each(matrix)('%s', async (_name, path, body, allowed) => {
      const leadId = await capture();
      for (const role of allRoles) {
        const url = path ? `/leads/${leadId}/${path}` : '/leads';
        const response = await t.http.post(url).set(bearer(role)).send(body);
        if (allowed.includes(role)) {
          expect([200, 201, 409]).toContain(response.status); // allowed: past auth (the stage may refuse)
        } else {
          expect({ role, status: response.status }).toEqual({ role, status: 403 });
          expect(response.body.code).toBe('forbidden');
        }
      }
    });

    it('history is for auditors and admins only', async () => {
      const leadId = await capture();
      for (const role of ['marketing', 'sales', 'analyst'] as const) {
        await t.http.get(`/leads/${leadId}/history`).set(bearer(role)).expect(403);
      }
      await t.http.get(`/leads/${leadId}/history`).set(bearer('admin')).expect(200);
    });
  });
});
