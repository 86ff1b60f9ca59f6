import {
  type AgreementEvent,
  type AgreementTerms,
  agreementStream,
  leadStream,
} from '@lead/domain';
import { EventStore } from '@lead/event-store';
import { AgreementBook } from '../src/agreements/agreement-book';
import { type TestApp, type TestRole, bearer, captureBody, startTestApp } from './test-app';

// The test clock starts Monday 2026-03-02 09:00 UTC (10:00 in Berlin).
const berlinTerms: AgreementTerms = {
  qualification: { mqlThreshold: 70 },
  scoring: { source: 'external' },
  salesResponse: {
    acceptWithinMinutes: 480,
    businessHours: { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' },
  },
  marketing: { mqlsPerMonth: 120 },
  pilot: { reps: ['rep-pilot'], salesResponse: { acceptWithinMinutes: 60 } },
};

describe('the agreement (DESIGN §10)', () => {
  let t: TestApp;

  const agreementEvents = async () =>
    (await t.app.get(EventStore).readStream<AgreementEvent>(agreementStream)).map(
      ({ type, data, metadata }) => ({
        type,
        version: data.version,
        actor: metadata.actor.id,
      }),
    );
  const post = (url: string, role: TestRole, body: object = {}) =>
    t.http.post(url).set(bearer(role)).send(body);
  const handedOffLead = async (toRep: string, score = 80) => {
    const { leadId } = (await post('/leads', 'marketing', captureBody()).expect(201)).body as {
      leadId: string;
    };
    await post(`/leads/${leadId}/score`, 'marketing', { score }).expect(200);
    await post(`/leads/${leadId}/handoff`, 'marketing', { toRep }).expect(200);
    const history = await t.http.get(`/leads/${leadId}/history`).set(bearer('auditor')).expect(200);
    const events = (history.body as { events: { type: string; data: Record<string, unknown> }[] })
      .events;
    return events.find((event) => event.type === 'LeadHandedOff')?.data;
  };

  beforeAll(async () => {
    t = await startTestApp({
      env: { MQL_THRESHOLD: '55', SLA_ACCEPT_WITHIN_MINUTES: '720', MQL_TARGET_PER_MONTH: '40' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('version 1, founded from the configuration', () => {
    it('is approved by both teams, effective since 1970, scoring external, written by system', async () => {
      const { body } = await t.http.get('/agreements').set(bearer('sales')).expect(200);
      expect(body).toEqual({
        inForce: 1,
        items: [
          {
            version: 1,
            status: 'approved',
            effectiveFrom: '1970-01-01T00:00:00.000Z',
            terms: {
              qualification: { mqlThreshold: 55 },
              scoring: { source: 'external' },
              salesResponse: { acceptWithinMinutes: 720 },
              marketing: { mqlsPerMonth: 40 },
            },
            proposer: 'system',
            proposedAt: '2026-03-02T09:00:00.000Z',
            signatures: [
              { team: 'marketing', actor: 'system', at: '2026-03-02T09:00:00.000Z' },
              { team: 'sales', actor: 'system', at: '2026-03-02T09:00:00.000Z' },
            ],
            inForce: true,
          },
        ],
      });
    });

    it('is written once, across restarts and concurrent attempts', async () => {
      const book = t.app.get(AgreementBook);
      await Promise.all([book.found(), book.found(), book.found()]);
      t = await t.restart();
      expect(await agreementEvents()).toEqual([
        { type: 'AgreementProposed', version: 1, actor: 'system' },
        { type: 'AgreementSigned', version: 1, actor: 'system' },
        { type: 'AgreementSigned', version: 1, actor: 'system' },
      ]);
    });

    it('is stamped on a handoff: the same deadline as before, naming the agreement', async () => {
      expect(await handedOffLead('rep-1')).toMatchObject({
        slaPolicy: { id: 'agreement@1', agreementVersion: 1, acceptWithinMinutes: 720 },
        dueAt: '2026-03-02T21:00:00.000Z',
      });
    });
  });

  describe('a new version: propose, sign, in force', () => {
    it('is proposed by a manager, signed by each team once, and approved', async () => {
      const proposed = await post('/agreements', 'marketing_manager', {
        effectiveFrom: '2026-03-02T10:00:00Z',
        terms: berlinTerms,
        note: 'Berlin business hours',
      }).expect(201);
      expect(proposed.body).toEqual({ version: 2, status: 'proposed' });

      const first = await post('/agreements/2/sign', 'marketing_manager').expect(200);
      expect(first.body).toEqual({
        version: 2,
        status: 'proposed',
        signatures: [
          { team: 'marketing', actor: 'marketing_manager-dev', at: '2026-03-02T09:00:00.000Z' },
        ],
      });
      const before = (await agreementEvents()).length;
      await post('/agreements/2/sign', 'marketing_manager').expect(200);
      expect(await agreementEvents()).toHaveLength(before);

      const second = await post('/agreements/2/sign', 'sales_manager').expect(200);
      expect(second.body).toMatchObject({ version: 2, status: 'approved' });
    });

    it('counts as projected for consistentWith: read models follow lead streams only', async () => {
      // the head is the approval just appended to the agreement stream; no lead event follows it
      const head = await t.app.get(EventStore).headPosition();
      const [last] = await t.app.get(EventStore).readAll({ after: head - 1n });
      expect(last.streamId).toBe(agreementStream);
      await t.http.get(`/funnel?consistentWith=${head}`).set(bearer('analyst')).expect(200);
    });
    it('answers which version is in force at a business time', async () => {
      const at = (time: string) =>
        t.http.get(`/agreements/in-force?at=${time}`).set(bearer('analyst')).expect(200);
      expect((await at('2026-03-02T09:59:59Z')).body).toMatchObject({ version: 1 });
      expect((await at('2026-03-02T10:00:00Z')).body).toMatchObject({
        version: 2,
        status: 'approved',
      });
      const one = await t.http.get('/agreements/2').set(bearer('marketing')).expect(200);
      expect(one.body).toMatchObject({
        version: 2,
        note: 'Berlin business hours',
        proposer: 'marketing_manager-dev',
      });
    });

    it('stamps a handoff under it with business minutes, and pilot terms for a pilot rep', async () => {
      t.clock.advanceMinutes(120); // Monday 12:00 in Berlin
      // 300 minutes until 17:00 on Monday, 180 more from 09:00 on Tuesday → Tuesday 12:00 Berlin
      expect(await handedOffLead('rep-1')).toMatchObject({
        slaPolicy: {
          id: 'agreement@2',
          agreementVersion: 2,
          acceptWithinMinutes: 480,
          businessHours: berlinTerms.salesResponse.businessHours,
        },
        dueAt: '2026-03-03T11:00:00.000Z',
      });
      const pilot = await handedOffLead('rep-pilot');
      expect(pilot).toMatchObject({
        slaPolicy: { id: 'agreement@2', agreementVersion: 2, acceptWithinMinutes: 60 },
        dueAt: '2026-03-02T12:00:00.000Z',
      });
      expect(pilot?.slaPolicy).not.toHaveProperty('businessHours');
    });

    it('qualifies scores against the threshold in force', async () => {
      const { leadId } = (await post('/leads', 'marketing', captureBody()).expect(201)).body as {
        leadId: string;
      };
      await post(`/leads/${leadId}/score`, 'marketing', { score: 60 }).expect(200);
      // 60 met version 1's threshold of 55; version 2 asks for 70
      const refused = await post(`/leads/${leadId}/handoff`, 'marketing', {
        toRep: 'rep-1',
      }).expect(409);
      expect(refused.body).toMatchObject({ code: 'lead_not_qualified' });
    });
  });

  describe('refusals change nothing', () => {
    const refusals: [string, TestRole, string, object, number, string][] = [
      ['a sales rep signing', 'sales', '/agreements/2/sign', {}, 403, 'forbidden'],
      ['a marketer signing', 'marketing', '/agreements/2/sign', {}, 403, 'forbidden'],
      ['a marketer proposing', 'marketing', '/agreements', {}, 403, 'forbidden'],
      [
        'a manager signing for the other team',
        'sales_manager',
        '/agreements/2/sign',
        { team: 'marketing' },
        403,
        'forbidden',
      ],
      [
        'an admin signing without naming the team',
        'admin',
        '/agreements/2/sign',
        {},
        400,
        'validation_failed',
      ],
      [
        'an unknown version',
        'sales_manager',
        '/agreements/99/sign',
        {},
        404,
        'agreement_version_not_found',
      ],
      [
        'a version that is not a number',
        'sales_manager',
        '/agreements/two/sign',
        {},
        400,
        'validation_failed',
      ],
      [
        'withdrawing an approved version',
        'sales_manager',
        '/agreements/2/withdraw',
        { reason: 'oops' },
        409,
        'agreement_approved',
      ],
      [
        'an effectiveFrom before now',
        'marketing_manager',
        '/agreements',
        { effectiveFrom: '2026-03-01T00:00:00Z', terms: berlinTerms },
        400,
        'agreement_retroactive',
      ],
    ];

    it.each(refusals)('refuses %s', async (_name, role, url, body, status, code) => {
      const before = await agreementEvents();
      const response = await post(url, role, body).expect(status);
      expect(response.body).toMatchObject({ status, code });
      expect(await agreementEvents()).toEqual(before);
    });

    it('refuses signing a withdrawn version', async () => {
      const { version } = (
        await post('/agreements', 'sales_manager', {
          effectiveFrom: '2026-06-01T00:00:00Z',
          terms: berlinTerms,
        }).expect(201)
      ).body as { version: number };
      await post(`/agreements/${version}/withdraw`, 'sales_manager', { reason: 'not now' }).expect(
        200,
      );
      const before = await agreementEvents();
      const refused = await post(`/agreements/${version}/sign`, 'marketing_manager').expect(409);
      expect(refused.body).toMatchObject({ code: 'agreement_withdrawn' });
      expect(await agreementEvents()).toEqual(before);
    });

    it('refuses invalid terms with a field error for each problem', async () => {
      const before = await agreementEvents();
      const terms = {
        ...berlinTerms,
        qualification: { mqlThreshold: 70, pattern: '^CTO$' },
        scoring: {
          source: 'rules',
          fit: [{ rule: 'cto', field: 'title', points: 150, regex: 'C.O' }],
          engagement: [{ rule: 'cto', kind: 'webinar', points: 5 }],
        },
        salesResponse: {
          acceptWithinMinutes: 60,
          businessHours: { timeZone: 'Europe/Atlantis', days: [], from: '18:00', to: '09:00' },
        },
        remedy: { onResponseBreach: 'reassign', repPool: ['rep-1'] },
      };
      const response = await post('/agreements', 'marketing_manager', {
        effectiveFrom: '2026-04-01T00:00:00Z',
        terms,
      }).expect(400);
      expect(response.body).toMatchObject({ status: 400, code: 'agreement_terms_invalid' });
      const fields = (response.body as { errors: { field: string }[] }).errors.map(
        ({ field }) => field,
      );
      expect(fields).toEqual(
        expect.arrayContaining([
          'terms.qualification.pattern',
          'terms.scoring.fit[0].regex',
          'terms.scoring.fit[0].points',
          'terms.scoring',
          'terms.salesResponse.businessHours.timeZone',
          'terms.salesResponse.businessHours.days',
          'terms.salesResponse.businessHours.to',
          'terms.remedy.repPool',
        ]),
      );
      expect(await agreementEvents()).toEqual(before);
    });
  });

  describe('history written before the agreement', () => {
    it('keeps its stamped policy: SLA, funnel and attribution answers are unchanged', async () => {
      // A lead log as the service wrote it before issue 12: policy id accept-within-1440m, no version.
      const store = t.app.get(EventStore);
      const leadId = '0192f7a0-0000-7000-8000-0000000000aa';
      const actor = { id: 'marketing-dev', role: 'marketing' };
      const at = (iso: string, n: number) => ({
        eventId: `0192f7a0-0000-7000-8000-0000000001${n.toString().padStart(2, '0')}`,
        occurredAt: iso,
        actor,
        correlationId: 'fixture',
        causationId: null,
        schemaVersion: 1,
      });
      const handoff = at('2026-01-05T10:00:00.000Z', 3);
      await store.append(
        leadStream(leadId),
        [
          {
            type: 'LeadCaptured',
            data: {
              leadId,
              email: 'old@example.com',
              source: { campaignId: 'old-campaign', channel: 'email' },
              sourcedBy: 'marketing',
              priorTouches: [],
            },
            metadata: at('2026-01-05T09:00:00.000Z', 1),
          },
          {
            type: 'LeadScored',
            data: { leadId, score: 80, previousScore: null, qualified: true, reasons: [] },
            metadata: at('2026-01-05T09:30:00.000Z', 2),
          },
          {
            type: 'LeadHandedOff',
            data: {
              leadId,
              toRep: 'rep-old',
              fromTeam: 'marketing',
              slaPolicy: { id: 'accept-within-1440m', acceptWithinMinutes: 1440 },
              dueAt: '2026-01-06T10:00:00.000Z',
            },
            metadata: handoff,
          },
          {
            type: 'LeadAccepted',
            data: { leadId, acceptedBy: 'rep-old', handoffEventId: handoff.eventId },
            metadata: at('2026-01-06T12:00:00.000Z', 4),
          },
          {
            type: 'LeadConverted',
            data: { leadId, amount: 500000, currency: 'EUR' },
            metadata: at('2026-01-20T12:00:00.000Z', 5),
          },
        ],
        'no_stream',
      );
      const position = (await store.headPosition()).toString();
      const query = (url: string) =>
        t.http
          .get(`${url}${url.includes('?') ? '&' : '?'}consistentWith=${position}`)
          .set(bearer('analyst'))
          .expect(200);
      const window = 'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z';

      const sla = await query(`/sla/handoffs?rep=rep-old&${window}`);
      expect(sla.body).toMatchObject({
        items: [
          {
            leadId,
            toRep: 'rep-old',
            handedOffAt: '2026-01-05T10:00:00.000Z',
            dueAt: '2026-01-06T10:00:00.000Z',
            respondedAt: '2026-01-06T12:00:00.000Z',
            response: 'accepted',
            status: 'breached',
          },
        ],
      });
      const funnel = await query(`/funnel?${window}`);
      expect((funnel.body as { steps: unknown[] }).steps).toEqual(
        ['captured', 'mql', 'handed_off', 'accepted', 'sql', 'converted'].map((stage) => ({
          stage,
          count: 1,
        })),
      );
      // the reports above waited for the position, so the attribution read models have it too
      const attribution = await t.http
        .get(`/attribution/leads/${leadId}?model=first_touch`)
        .set(bearer('analyst'))
        .expect(200);
      expect(attribution.body).toMatchObject({ leadId, amount: 500000, currency: 'EUR' });
    });
  });

  describe('scoring by rules', () => {
    let r: TestApp;
    type HistoryEvent = {
      type: string;
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
    };
    const history = async (leadId: string) =>
      (
        (await r.http.get(`/leads/${leadId}/history`).set(bearer('auditor')).expect(200)).body as {
          events: HistoryEvent[];
        }
      ).events;

    beforeAll(async () => {
      r = await startTestApp();
      const terms: AgreementTerms = {
        qualification: { mqlThreshold: 60 },
        scoring: {
          source: 'rules',
          fit: [{ rule: 'acme', field: 'company', points: 30, containsAny: ['acme'] }],
          engagement: [
            { rule: 'captured', kind: 'captured', points: 10 },
            { rule: 'webinar', kind: 'webinar', points: 25, max: 40 },
          ],
        },
        salesResponse: { acceptWithinMinutes: 1440 },
        marketing: { mqlsPerMonth: 100 },
      };
      const send = (url: string, role: TestRole, body: object = {}) =>
        r.http.post(url).set(bearer(role)).send(body);
      await send('/agreements', 'marketing_manager', {
        effectiveFrom: '2026-03-02T09:01:00Z',
        terms,
      }).expect(201);
      await send('/agreements/2/sign', 'marketing_manager').expect(200);
      await send('/agreements/2/sign', 'sales_manager').expect(200);
      r.clock.advanceMinutes(5);
    });
    afterAll(async () => {
      await r.close();
    });

    it('scores after capture and engagement, as the system, caused by the fact', async () => {
      const captured = await r.http
        .post('/leads')
        .set(bearer('marketing'))
        .send(captureBody({ company: 'ACME Robotics' }))
        .expect(201);
      const { leadId } = captured.body as { leadId: string; revision: number };
      // the answer's revision is the lead's latest: the system's score included
      expect(captured.body).toMatchObject({ revision: 1 });
      await r.http
        .post(`/leads/${leadId}/engagements`)
        .set(bearer('marketing'))
        .send({ campaignId: 'spring-webinar', channel: 'webinar', kind: 'webinar' })
        .expect(201);
      const events = await history(leadId);
      expect(
        events.map(({ type, data, metadata }) => ({ type, data, actor: metadata.actor })),
      ).toMatchObject([
        { type: 'LeadCaptured' },
        {
          type: 'LeadScored',
          data: {
            score: 40,
            previousScore: null,
            qualified: false,
            reasons: [
              { rule: 'acme', points: 30 },
              { rule: 'captured', points: 10 },
            ],
            model: 'agreement@2',
          },
          actor: { id: 'system', role: 'system' },
        },
        { type: 'LeadEngaged' },
        {
          type: 'LeadScored',
          data: { score: 65, previousScore: 40, qualified: true, model: 'agreement@2' },
          actor: { id: 'system', role: 'system' },
        },
      ]);
      expect(events[1].metadata.causationId).toBe(events[0].metadata.eventId);
      expect(events[3].metadata.causationId).toBe(events[2].metadata.eventId);
    });

    it('refuses a score sent by a client, appending nothing', async () => {
      const { leadId } = (
        await r.http.post('/leads').set(bearer('marketing')).send(captureBody()).expect(201)
      ).body as { leadId: string };
      const before = (await history(leadId)).length;
      const refused = await r.http
        .post(`/leads/${leadId}/score`)
        .set(bearer('marketing'))
        .send({ score: 90 })
        .expect(409);
      expect(refused.body).toMatchObject({ code: 'score_is_computed' });
      expect(await history(leadId)).toHaveLength(before);
    });
  });
});
