import { type TestApp, bearer, startTestApp } from './test-app';

// POST /imports (DESIGN §12): NDJSON lines through the same validation and decider as the HTTP
// commands, refused lines listed by number, re-sending appends nothing.
const ada = '0195a7f2-6c1e-7b3a-9d4e-2f8a1c3b5d7e';
const grace = '0195a7f2-6c1e-7b3a-9d4e-2f8a1c3b5d7f';
const source = { campaignId: 'spring-webinar', channel: 'webinar' };

const line = (
  command: string,
  leadId: string,
  key: string,
  body: object,
  extra: object = {},
): string => JSON.stringify({ command, leadId, idempotencyKey: key, body, ...extra });

const file = [
  line('capture', ada.toUpperCase(), 'crm-1', {
    email: 'ada@example.com',
    source,
    occurredAt: '2025-11-03T09:00:00Z',
  }),
  line('capture', grace, 'crm-2', {
    email: 'grace@example.com',
    source,
    occurredAt: '2025-11-04T09:00:00Z',
  }),
  line('score', ada, 'crm-3', { score: 85, occurredAt: '2025-11-05T09:00:00Z' }),
  '{"command": "score", "leadId": ', // 4: malformed JSON
  line('handoff', ada, 'crm-5', { toRep: 'rep-ana', occurredAt: '2025-11-05T10:00:00Z' }),
  line('engage', grace, 'crm-6', {
    campaignId: 'newsletter',
    channel: 'email',
    kind: 'email_click',
    occurredAt: '2025-11-06T09:00:00Z',
  }),
  line('merge', grace, 'crm-7', {}), // 7: unknown command
  line('profile', grace, 'crm-8', { industry: 'software', occurredAt: '2025-11-06T10:00:00Z' }),
  line(
    'accept',
    ada,
    'crm-9',
    { occurredAt: '2025-11-05T11:00:00Z' },
    {
      onBehalfOf: { id: 'rep-ana', role: 'sales' },
    },
  ),
  '',
  line('convert', ada, 'crm-11', { amount: -5, currency: 'EUR' }), // 11: invalid body
  line('convert', ada, 'crm-12', {
    amount: 1250000,
    currency: 'EUR',
    occurredAt: '2025-12-01T09:00:00Z',
  }),
  line('accept', grace, 'crm-13', { occurredAt: '2025-11-07T09:00:00Z' }), // 13: not handed off
  line('lose', grace, 'crm-14', { reason: 'no_budget', occurredAt: '2025-11-08T09:00:00Z' }),
  line('profile', ada, 'crm-15', {}), // 15: a profile update without a field
  line('qualify', ada, 'crm-16', {}), // 16: a qualification without its opportunity
].join('\n');

describe('POST /imports', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { IMPORT_MAX_BYTES: String(64 * 1024) } });
  });
  afterAll(async () => {
    await t.close();
  });

  const sendImport = (body: string, role: 'admin' | 'sales' = 'admin') =>
    t.http
      .post('/imports')
      .set(bearer(role))
      .set('Content-Type', 'application/x-ndjson')
      .send(body);

  it('applies every valid line and lists each refused one by line number and code', async () => {
    const response = await sendImport(file).expect(200);
    expect(response.body).toEqual({
      lines: 15,
      appended: 9,
      alreadyPresent: 0,
      refused: 6,
      errors: [
        { line: 4, code: 'malformed_line', detail: expect.stringContaining('not a JSON object') },
        { line: 7, code: 'unknown_command', detail: expect.stringContaining('capture, engage') },
        { line: 11, code: 'validation_failed', detail: expect.stringContaining('amount') },
        { line: 13, code: 'invalid_transition', detail: expect.any(String) },
        { line: 15, code: 'validation_failed', detail: expect.stringContaining('at least one') },
        { line: 16, code: 'validation_failed', detail: expect.stringContaining('opportunityId') },
      ],
    });
    const history = async (leadId: string) =>
      (await t.http.get(`/leads/${leadId}/history`).set(bearer('auditor')).expect(200)).body as {
        events: {
          type: string;
          data: Record<string, unknown>;
          metadata: Record<string, unknown>;
        }[];
        chain: { valid: boolean };
      };
    const adaLog = await history(ada);
    expect(adaLog.chain.valid).toBe(true);
    expect(adaLog.events.map((e) => e.type)).toEqual([
      'LeadCaptured',
      'LeadScored',
      'LeadHandedOff',
      'LeadAccepted',
      'LeadConverted',
    ]);
    const accepted = adaLog.events[3];
    // the admin imported it; the rep of the old system accepted it
    expect(accepted.data.acceptedBy).toBe('rep-ana');
    expect(accepted.metadata).toMatchObject({
      actor: { id: 'admin-dev', role: 'admin' },
      onBehalfOf: { id: 'rep-ana', role: 'sales' },
      occurredAt: '2025-11-05T11:00:00.000Z',
    });
    expect(adaLog.events[0].metadata).not.toHaveProperty('onBehalfOf');
    expect((await history(grace)).events.map((e) => e.type)).toEqual([
      'LeadCaptured',
      'LeadEngaged',
      'LeadProfileUpdated',
      'LeadLost',
    ]);
  });

  it('appends nothing when the same file is sent again', async () => {
    const response = await sendImport(file).expect(200);
    expect(response.body).toMatchObject({ lines: 15, appended: 0, alreadyPresent: 9, refused: 6 });
    expect(response.body.errors.map((e: { line: number }) => e.line)).toEqual([
      4, 7, 11, 13, 15, 16,
    ]);
  });

  it('refuses a bad body with the very answer POST /leads gives it: code, field paths, messages', async () => {
    const leadId = '0195a7f2-6c1e-7b3a-9d4e-2f8a1c3b5d81';
    const body = {
      email: 'not-an-email',
      source: { campaignId: 'spring webinar', channel: 'Webinar' },
      priorTouches: [{ campaignId: 'ads', channel: 'paid_search', occurredAt: 'yesterday' }],
      employees: -3,
      nickname: 'Ada',
      occurredAt: '2025-11-03T09:00:00Z',
    };
    const http = await t.http
      .post('/leads')
      .set(bearer('admin'))
      .send({ ...body, leadId })
      .expect(400);
    const imported = await sendImport(line('capture', leadId, 'same-answer', body)).expect(200);
    expect(imported.body).toMatchObject({ appended: 0, refused: 1 });
    const [refusal] = imported.body.errors as { line: number; code: string; detail: string }[];
    expect(http.body.code).toBe('validation_failed');
    expect(refusal).toEqual({ line: 1, code: http.body.code, detail: http.body.detail });
    for (const field of [
      'email',
      'source.campaignId',
      'source.channel',
      'priorTouches.0.occurredAt',
      'employees',
      'nickname',
    ])
      expect(refusal.detail).toContain(`${field}: `);
  });

  it('is for admins only', async () => {
    const response = await sendImport(file, 'sales').expect(403);
    expect(response.body.code).toBe('forbidden');
  });

  it('takes NDJSON only: a JSON body is a 415, and NDJSON elsewhere too', async () => {
    const json = await t.http
      .post('/imports')
      .set(bearer('admin'))
      .send({ command: 'capture' })
      .expect(415);
    expect(json.body.code).toBe('unsupported_media_type');
    const elsewhere = await t.http
      .post('/leads')
      .set(bearer('admin'))
      .set('Content-Type', 'application/x-ndjson')
      .send('{}');
    expect(elsewhere.status).toBe(415);
    expect(elsewhere.body.code).toBe('unsupported_media_type');
  });

  it('refuses a body over the maximum with a 413', async () => {
    const filler = line('capture', grace, 'x', { email: 'grace@example.com', source });
    const response = await sendImport(Array(2000).fill(filler).join('\n')).expect(413);
    expect(response.body).toMatchObject({ status: 413, code: 'body_too_large' });
  });

  it('resumes after a stop part-way: the whole file again appends only what was missing', async () => {
    let fresh = await startTestApp();
    try {
      const part = file.split('\n').slice(0, 6).join('\n');
      const first = await fresh.http
        .post('/imports')
        .set(bearer('admin'))
        .set('Content-Type', 'application/x-ndjson')
        .send(part)
        .expect(200);
      expect(first.body).toMatchObject({ lines: 6, appended: 5, refused: 1 });
      fresh = await fresh.restart();
      const rest = await fresh.http
        .post('/imports')
        .set(bearer('admin'))
        .set('Content-Type', 'application/x-ndjson')
        .send(file)
        .expect(200);
      expect(rest.body).toMatchObject({ lines: 15, appended: 4, alreadyPresent: 5, refused: 6 });
    } finally {
      await fresh.close();
    }
  });

  it('refuses an over-long line and goes on with the next', async () => {
    const long = line('capture', grace, 'long', {
      email: 'grace@example.com',
      note: 'x'.repeat(300_000),
    });
    const t2 = await startTestApp();
    try {
      const response = await t2.http
        .post('/imports')
        .set(bearer('admin'))
        .set('Content-Type', 'application/x-ndjson')
        .send([long, line('capture', ada, 'k', { email: 'ada@example.com', source })].join('\n'))
        .expect(200);
      expect(response.body).toMatchObject({
        lines: 2,
        appended: 1,
        refused: 1,
        errors: [{ line: 1, code: 'line_too_long' }],
      });
    } finally {
      await t2.close();
    }
  });

  it('imports the sales side: qualify and activity lines (issue 14)', async () => {
    const lin = '0195a7f2-6c1e-7b3a-9d4e-2f8a1c3b5d80';
    const rep = { onBehalfOf: { id: 'rep-ana', role: 'sales' } };
    const sales = [
      line('capture', lin, 's-1', {
        email: 'lin@example.com',
        source,
        occurredAt: '2025-10-01T09:00:00Z',
      }),
      line('score', lin, 's-2', { score: 90, occurredAt: '2025-10-01T10:00:00Z' }),
      line('handoff', lin, 's-3', { toRep: 'rep-ana', occurredAt: '2025-10-01T11:00:00Z' }),
      line('activity', lin, 's-4', { kind: 'call', occurredAt: '2025-10-01T11:30:00Z' }, rep), // 4: before acceptance
      line('accept', lin, 's-5', { occurredAt: '2025-10-01T12:00:00Z' }, rep),
      line(
        'activity',
        lin,
        's-6',
        { kind: 'call', outcome: 'no_answer', occurredAt: '2025-10-01T13:00:00Z' },
        rep,
      ),
      line('activity', lin, 's-7', { kind: 'pigeon', occurredAt: '2025-10-01T14:00:00Z' }, rep), // 7: unknown kind
      line(
        'qualify',
        lin,
        's-8',
        {
          opportunityId: 'opp-lin',
          estimatedAmount: 40000,
          currency: 'USD',
          occurredAt: '2025-10-02T09:00:00Z',
        },
        rep,
      ),
      line(
        'qualify',
        lin,
        's-9',
        { opportunityId: 'opp-lin', occurredAt: '2025-10-02T10:00:00Z' },
        rep,
      ), // 9: twice
      line(
        'convert',
        lin,
        's-10',
        { amount: 42000, currency: 'USD', occurredAt: '2025-10-03T09:00:00Z' },
        rep,
      ),
    ].join('\n');
    expect((await sendImport(sales).expect(200)).body).toEqual({
      lines: 10,
      appended: 7,
      alreadyPresent: 0,
      refused: 3,
      errors: [
        { line: 4, code: 'invalid_transition', detail: expect.any(String) },
        { line: 7, code: 'validation_failed', detail: expect.stringContaining('kind') },
        { line: 9, code: 'lead_already_sql', detail: expect.any(String) },
      ],
    });
    const { body } = await t.http.get(`/leads/${lin}/history`).set(bearer('auditor')).expect(200);
    const events = (body as { events: { type: string; metadata: { onBehalfOf?: object } }[] })
      .events;
    expect(events.map((event) => event.type)).toEqual([
      'LeadCaptured',
      'LeadScored',
      'LeadHandedOff',
      'LeadAccepted',
      'SalesActivityLogged',
      'LeadQualifiedBySales',
      'LeadConverted',
    ]);
    expect(events[4].metadata.onBehalfOf).toEqual({ id: 'rep-ana', role: 'sales' });
    expect((await sendImport(sales).expect(200)).body).toMatchObject({
      appended: 0,
      alreadyPresent: 7,
    });
  });
});
