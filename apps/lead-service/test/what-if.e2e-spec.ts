import type { AgreementTerms } from '@lead/domain';
import { type TestApp, type TestRole, bearer, captureBody, startTestApp } from './test-app';

// The test clock starts Monday 2026-03-02 09:00 UTC. Version 2 (signed, in force from 10:00):
// rules (Acme 30, captured 20, webinar 20), MQL at 50, 60 business minutes (Mon–Fri 09–17 UTC).
// Version 3 (only proposed): Acme 10, captured 20, webinar 20, MQL at 40, 120 minutes around the
// clock, but 20 for the pilot rep-ana.
const v2: AgreementTerms = {
  qualification: { mqlThreshold: 50 },
  scoring: {
    source: 'rules',
    fit: [{ rule: 'acme', field: 'company', points: 30, containsAny: ['acme'] }],
    engagement: [
      { rule: 'captured', kind: 'captured', points: 20 },
      { rule: 'webinar', kind: 'webinar', points: 20 },
    ],
  },
  salesResponse: {
    acceptWithinMinutes: 60,
    businessHours: { timeZone: 'UTC', days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' },
  },
  marketing: { mqlsPerMonth: 50 },
};
const v3: AgreementTerms = {
  qualification: { mqlThreshold: 40 },
  scoring: {
    source: 'rules',
    fit: [{ rule: 'acme', field: 'company', points: 10, containsAny: ['acme'] }],
    engagement: [
      { rule: 'captured', kind: 'captured', points: 20 },
      { rule: 'webinar', kind: 'webinar', points: 20 },
    ],
  },
  salesResponse: { acceptWithinMinutes: 120 },
  marketing: { mqlsPerMonth: 50 },
  pilot: { reps: ['rep-ana'], salesResponse: { acceptWithinMinutes: 20 } },
};

type Tally = { handoffs: number; met: number; breached: number; open: number; compliance: number };

describe('what-if under another agreement version (DESIGN §10)', () => {
  let t: TestApp;
  const lead: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };
  const handoff: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };

  const at = (hhmm: string) => t.clock.set(`2026-03-02T${hhmm}:00.000Z`);
  const post = async (url: string, role: TestRole, body: object = {}) =>
    (
      await t.http
        .post(url)
        .set(bearer(role))
        .send(body)
        .expect((response) => expect(response.status).toBeLessThan(300))
    ).body as Record<string, unknown>;
  const capture = async (company: string) =>
    (await post('/leads', 'marketing', captureBody({ company }))).leadId as string;
  const handOff = async (leadId: string, toRep: string, override = false) => {
    await post(`/leads/${leadId}/handoff`, 'marketing', {
      toRep,
      ...(override ? { override: { reason: 'asked for a demo' } } : {}),
    });
    const { body } = await t.http.get(`/leads/${leadId}/history`).set(bearer('auditor'));
    const events = (body as { events: { type: string; metadata: { eventId: string } }[] }).events;
    return events.find(({ type }) => type === 'LeadHandedOff')!.metadata.eventId;
  };
  const whatIf = (question: 'sla' | 'qualification', query: string, role: TestRole = 'analyst') =>
    t.http.get(`/what-if/${question}?${query}`).set(bearer(role));

  beforeAll(async () => {
    t = await startTestApp();
    await post('/agreements', 'marketing_manager', {
      effectiveFrom: '2026-03-02T10:00:00Z',
      terms: v2,
    });
    await post('/agreements/2/sign', 'marketing_manager');
    await post('/agreements/2/sign', 'sales_manager');

    at('11:00');
    lead.A = await capture('Acme Corp'); // 30 + 20 = 50: an MQL under v2, 30 under v3
    handoff.A = await handOff(lead.A, 'rep-ana'); // due 12:00
    at('11:10');
    lead.B = await capture('Other Ltd'); // 20
    await post(`/leads/${lead.B}/engagements`, 'marketing', {
      campaignId: 'spring-webinar',
      channel: 'webinar',
      kind: 'webinar',
    }); // 40: below v2's 50, v3's threshold exactly
    handoff.B = await handOff(lead.B, 'rep-bo', true); // due 12:10
    at('11:30');
    await post(`/leads/${lead.A}/accept`, 'sales'); // met; under v3 (pilot, due 11:20) breached
    at('12:40');
    await post(`/leads/${lead.B}/accept`, 'sales'); // breached; under v3 (due 13:10) met
    at('16:30');
    lead.C = await capture('ACME GmbH');
    handoff.C = await handOff(lead.C, 'rep-ana'); // due Tue 09:30; under v3 16:50
    at('17:00');
    lead.D = await capture('Nobody Inc'); // 20 under both: no MQL
    // the last event (17:00) is the instant open handoffs are judged at

    t.clock.set('2026-03-03T08:00:00.000Z');
    await post('/agreements', 'sales_manager', {
      effectiveFrom: '2026-04-01T00:00:00Z',
      terms: v3,
    });
  });
  afterAll(() => t.close());

  it('judges every handoff of the window under the proposed version 3', async () => {
    const { body } = await whatIf(
      'sla',
      'version=3&from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z',
    ).expect(200);

    expect(body.version).toBe(3);
    expect(body.now).toBe('2026-03-02T17:00:00.000Z');
    expect(body.actual).toEqual<Tally>({
      handoffs: 3,
      met: 1,
      breached: 1,
      open: 1,
      compliance: 0.5,
    });
    expect(body.hypothetical).toEqual<Tally>({
      handoffs: 3,
      met: 1,
      breached: 2,
      open: 0,
      compliance: 1 / 3,
    });
    const expected = [
      {
        handoffId: handoff.A,
        leadId: lead.A,
        toRep: 'rep-ana',
        actual: 'met',
        hypothetical: 'breached',
        hypotheticalDueAt: '2026-03-02T11:20:00.000Z',
      },
      {
        handoffId: handoff.B,
        leadId: lead.B,
        toRep: 'rep-bo',
        actual: 'breached',
        hypothetical: 'met',
        hypotheticalDueAt: '2026-03-02T13:10:00.000Z',
      },
      {
        handoffId: handoff.C,
        leadId: lead.C,
        toRep: 'rep-ana',
        actual: 'open',
        hypothetical: 'breached',
        hypotheticalDueAt: '2026-03-02T16:50:00.000Z',
      },
    ].sort((a, b) => (a.handoffId < b.handoffId ? -1 : 1));
    expect(body.changed).toEqual(expected);
  });

  it('under the version in force, nothing changes', async () => {
    const { body } = await whatIf('sla', 'version=2').expect(200);
    expect(body.hypothetical).toEqual(body.actual);
    expect(body.changed).toEqual([]);
  });

  it('re-scores the leads captured in the window under version 3', async () => {
    const { body } = await whatIf('qualification', 'version=3&from=2026-03-02T00:00:00Z').expect(
      200,
    );

    expect(body.actual).toEqual({ leads: 4, mqls: 2 });
    expect(body.hypothetical).toEqual({ leads: 4, mqls: 1 });
    const expected = [
      { leadId: lead.A, actual: true, hypothetical: false, hypotheticalMaxScore: 30 },
      { leadId: lead.B, actual: false, hypothetical: true, hypotheticalMaxScore: 40 },
      { leadId: lead.C, actual: true, hypothetical: false, hypotheticalMaxScore: 30 },
    ].sort((a, b) => (a.leadId < b.leadId ? -1 : 1));
    expect(body.changed).toEqual(expected);
  });

  it('answers as of the log head by default, and byte for byte the same when re-run at it', async () => {
    const first = await whatIf('qualification', 'version=3').expect(200);
    const { asOf } = first.body as { asOf: { position: string } };
    await t.http
      .post('/leads')
      .set(bearer('marketing'))
      .send(captureBody({ company: 'Acme Later' }))
      .expect(201);

    const again = await whatIf('qualification', `version=3&asOf=position:${asOf.position}`).expect(
      200,
    );
    expect(again.text).toBe(first.text);
    const sla = await whatIf('sla', `version=3&asOf=position:${asOf.position}`).expect(200);
    const slaAgain = await whatIf('sla', `version=3&asOf=position:${asOf.position}`).expect(200);
    expect(slaAgain.text).toBe(sla.text);
    // the head has moved on: without asOf the new lead is counted
    const now = await whatIf('qualification', 'version=3').expect(200);
    expect(now.body.actual.leads).toBe(5);
  });

  it.each([
    ['an unknown version', 'sla', 'version=99', 404, 'agreement_version_not_found'],
    ['no version', 'sla', 'from=2026-03-02T00:00:00Z', 400, 'validation_failed'],
    ['a version that is no number', 'qualification', 'version=two', 400, 'validation_failed'],
    [
      'from after to',
      'sla',
      'version=3&from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z',
      400,
      'validation_failed',
    ],
    [
      'a qualification what-if under external scoring',
      'qualification',
      'version=1',
      400,
      'what_if_scoring_external',
    ],
    ['an asOf in the future', 'sla', 'version=3&asOf=2030-01-01T00:00:00Z', 400, 'as_of_in_future'],
  ] as const)('refuses %s', async (_case, question, query, status, code) => {
    const { body } = await whatIf(question, query).expect(status);
    expect(body).toMatchObject({ status, code });
  });

  it.each([
    ['analyst', 200],
    ['admin', 200],
    ['marketing', 403],
    ['sales_manager', 403],
  ] as const)('is open to %s: %i', async (role, status) => {
    await whatIf('sla', 'version=3', role).expect(status);
  });
});
