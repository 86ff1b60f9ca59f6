import { type RemedyTerms, leadStream } from '@lead/domain';
import { EventStore } from '@lead/event-store';
import { toKafkaRecord } from '@lead/messaging';
import { BackgroundWork } from '@lead/runtime';
import { type TestApp, type TestRole, bearer, captureBody, startTestApp } from './test-app';

type Row = {
  handoffId: string;
  leadId: string;
  toRep: string;
  handedOffAt: string;
  dueAt: string;
  status: string;
  response: string | null;
  breachAlertedAt: string | null;
  remedy: { kind: string; at: string; eventId: string } | null;
  reassignedFrom: { handoffId: string; rep: string } | null;
};

// Issue 14 item 3 through HTTP: an agreement whose terms name a remedy, a handoff left unanswered
// past its deadline on the test clock, the deadline watcher's alert, then the remedy automation.
describe('remedies on a response breach (DESIGN §11)', () => {
  let t: TestApp;
  beforeEach(async () => {
    // the test clock starts at 2026-03-02T09:00Z; a short grace so the alert follows the deadline
    t = await startTestApp({ env: { SLA_BREACH_GRACE_SECONDS: '30' } });
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
  const log = (leadId: string) => t.app.get(EventStore).readStream(leadStream(leadId));
  // the read models once they have every event of the lead (the automations read them)
  const caughtUp = async (leadId: string) => {
    const position = (await log(leadId)).at(-1)!.position.toString();
    await get(`/leads/${leadId}?consistentWith=${position}`);
    return position;
  };
  const rowsOf = async (leadId: string): Promise<Row[]> => {
    const position = await caughtUp(leadId);
    const { items } = await get(`/sla/handoffs?consistentWith=${position}`);
    return (items as Row[]).filter((row) => row.leadId === leadId);
  };

  // Version 2 in force from 09:01: 30 minutes to accept, and `remedy` on a breach.
  const agreeOn = async (remedy: RemedyTerms) => {
    await ok('marketing_manager', '/agreements', {
      effectiveFrom: '2026-03-02T09:01:00Z',
      terms: {
        qualification: { mqlThreshold: 60 },
        scoring: { source: 'external' },
        salesResponse: { acceptWithinMinutes: 30 },
        marketing: { mqlsPerMonth: 100 },
        remedy,
      },
    });
    await ok('marketing_manager', '/agreements/2/sign');
    await ok('sales_manager', '/agreements/2/sign');
    t.clock.advanceMinutes(2);
  };

  // Handed off to rep-ana at 09:02 (due 09:32), then the clock passes the deadline and the grace;
  // the watcher and the remedy automation run one pass each, on caught-up read models.
  const breachedAndRemedied = async () => {
    const { leadId } = await ok('marketing', '/leads', captureBody());
    await ok('marketing', `/leads/${leadId}/score`, { score: 80 });
    await ok('marketing', `/leads/${leadId}/handoff`, { toRep: 'rep-ana' });
    t.clock.advanceMinutes(31);
    const background = t.app.get(BackgroundWork);
    await caughtUp(leadId);
    expect(await background.watcher.check()).toBe(1);
    await caughtUp(leadId);
    const remedied = await background.remedies.check();
    // a second pass, once the remedy is projected, finds nothing left to do
    await caughtUp(leadId);
    expect(await background.remedies.check()).toBe(0);
    return { leadId, remedied };
  };

  it('reassigns to the next rep of the pool: a new clock, a new SLA row, and the new rep can accept', async () => {
    await agreeOn({ onResponseBreach: 'reassign', repPool: ['rep-ana', 'rep-bo', 'rep-cy'] });
    const { leadId, remedied } = await breachedAndRemedied();
    expect(remedied).toBe(1);

    // what Kafka consumers get, in per-lead order
    const records = (await log(leadId)).map((event) => toKafkaRecord(event));
    expect(records.map(({ key, headers }) => [key, headers.ce_type])).toEqual(
      [
        'LeadCaptured',
        'LeadScored',
        'LeadHandedOff',
        'LeadHandoffSlaBreached',
        'LeadReassigned',
      ].map((type) => [leadId, type]),
    );
    const [handoff, breach, reassigned] = records.slice(2);
    expect(reassigned.headers).toMatchObject({
      ce_causationid: breach.headers.ce_id,
      ce_correlationid: handoff.headers.ce_id,
      ce_time: '2026-03-02T09:33:00.000Z',
    });
    expect(JSON.parse(reassigned.value)).toEqual({
      leadId,
      fromRep: 'rep-ana',
      toRep: 'rep-bo',
      previousHandoffEventId: handoff.headers.ce_id,
      breachEventId: breach.headers.ce_id,
      slaPolicy: {
        id: 'agreement@2',
        agreementVersion: 2,
        acceptWithinMinutes: 30,
        remedy: { onResponseBreach: 'reassign', repPool: ['rep-ana', 'rep-bo', 'rep-cy'] },
      },
      dueAt: '2026-03-02T10:03:00.000Z',
    });
    const history = await get(`/leads/${leadId}/history`, 'auditor');
    expect(history.events.at(-1).metadata.actor).toEqual({ id: 'system', role: 'system' });

    const reassignmentId = reassigned.headers.ce_id;
    expect(await rowsOf(leadId)).toEqual([
      expect.objectContaining({
        handoffId: handoff.headers.ce_id,
        toRep: 'rep-ana',
        status: 'breached',
        breachAlertedAt: '2026-03-02T09:33:00.000Z',
        remedy: { kind: 'reassign', at: '2026-03-02T09:33:00.000Z', eventId: reassignmentId },
        reassignedFrom: null,
      }),
      expect.objectContaining({
        handoffId: reassignmentId,
        toRep: 'rep-bo',
        handedOffAt: '2026-03-02T09:33:00.000Z',
        dueAt: '2026-03-02T10:03:00.000Z',
        status: 'open',
        remedy: null,
        reassignedFrom: { handoffId: handoff.headers.ce_id, rep: 'rep-ana' },
      }),
    ]);
    expect(await get(`/leads/${leadId}`, 'sales')).toMatchObject({
      stage: 'handed_off',
      owner: 'rep-bo',
    });

    t.clock.advanceMinutes(10);
    await ok('sales', `/leads/${leadId}/accept`);
    const accepted = (await log(leadId)).at(-1)!;
    expect(accepted).toMatchObject({
      type: 'LeadAccepted',
      data: { handoffEventId: reassignmentId },
    });
    expect((await rowsOf(leadId))[1]).toMatchObject({ status: 'met', response: 'accepted' });

    // the sales scorecard counts each clock for its rep: the breach against rep-ana, the on-time
    // answer for rep-bo
    const { rows } = await get(
      `/scorecards/sales?groupBy=rep&consistentWith=${await caughtUp(leadId)}`,
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'rep-ana',
          handoffs: 1,
          respondedOnTime: 0,
          unanswered: 1,
          responseCompliance: 0,
        }),
        expect.objectContaining({
          key: 'rep-bo',
          handoffs: 1,
          respondedOnTime: 1,
          unanswered: 0,
          responseCompliance: 1,
        }),
      ]),
    );
  });

  it('returns the lead to marketing, who may hand it off again', async () => {
    await agreeOn({ onResponseBreach: 'return_to_marketing' });
    const { leadId, remedied } = await breachedAndRemedied();
    expect(remedied).toBe(1);
    const [handoff, breach, returned] = (await log(leadId)).slice(2);
    expect(returned).toMatchObject({
      type: 'LeadReturnedToMarketing',
      data: { handoffEventId: handoff.metadata.eventId, breachEventId: breach.metadata.eventId },
      metadata: { causationId: breach.metadata.eventId, actor: { id: 'system' } },
    });
    expect(await get(`/leads/${leadId}`, 'marketing')).toMatchObject({
      stage: 'nurturing',
      owner: null,
    });
    expect((await rowsOf(leadId))[0].remedy).toMatchObject({ kind: 'return_to_marketing' });
    await ok('marketing', `/leads/${leadId}/handoff`, { toRep: 'rep-cy' });
  });

  it('escalates to whom the terms name, and the lead keeps waiting on its rep', async () => {
    await agreeOn({ onResponseBreach: 'escalate', escalateTo: 'vp-sales' });
    const { leadId, remedied } = await breachedAndRemedied();
    expect(remedied).toBe(1);
    const [handoff, breach, escalated] = (await log(leadId)).slice(2);
    expect(escalated).toMatchObject({
      type: 'LeadSlaEscalated',
      data: {
        handoffEventId: handoff.metadata.eventId,
        breachEventId: breach.metadata.eventId,
        to: 'vp-sales',
      },
    });
    expect(await get(`/leads/${leadId}`, 'sales')).toMatchObject({
      stage: 'handed_off',
      owner: 'rep-ana',
    });
    expect((await rowsOf(leadId))[0].remedy).toMatchObject({ kind: 'escalate' });
    await ok('sales', `/leads/${leadId}/accept`);
  });

  it('leaves imported history alone: a handoff backfilled after its deadline gets its alert, no remedy', async () => {
    await agreeOn({ onResponseBreach: 'reassign', repPool: ['rep-ana', 'rep-bo'] });
    t.clock.advanceMinutes(120);
    const occurredAt = '2026-03-02T09:02:00Z';
    const { leadId } = await ok('marketing', '/leads', captureBody({ occurredAt }));
    await ok('marketing', `/leads/${leadId}/score`, { score: 80, occurredAt });
    // handed off at 09:02 under version 2 (due 09:32), recorded at 11:02
    await ok('marketing', `/leads/${leadId}/handoff`, {
      toRep: 'rep-ana',
      occurredAt,
    });
    t.clock.advanceMinutes(1);
    const background = t.app.get(BackgroundWork);
    await caughtUp(leadId);
    expect(await background.watcher.check()).toBe(1);
    await caughtUp(leadId);
    expect(await background.remedies.check()).toBe(0);
    expect((await log(leadId)).at(-1)!.type).toBe('LeadHandoffSlaBreached');
  });
});
