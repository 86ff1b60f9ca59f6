import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { type TestApp, type TestRole, bearer, captureBody, startTestApp } from './test-app';

type Schema = Record<string, unknown>;
type Operation = { responses: Record<string, { content?: Record<string, { schema?: Schema }> }> };
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

// The served document is OpenAPI 3.0: `nullable` becomes a null alternative, component refs point
// into `definitions`, and an object schema lists every field a response may have (an undeclared
// field is drift too).
const toJsonSchema = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const { nullable, example: _example, ...rest } = node as Schema;
  const converted: Schema = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [
      key,
      key === 'properties' || key === 'definitions'
        ? Object.fromEntries(
            Object.entries(value as Schema).map(([name, schema]) => [name, toJsonSchema(schema)]),
          )
        : key === '$ref'
          ? String(value).replace('#/components/schemas/', '#/definitions/')
          : toJsonSchema(value),
    ]),
  );
  if (converted.type === 'object' && converted.properties && !('additionalProperties' in rest))
    converted.additionalProperties = false;
  return nullable ? { anyOf: [{ type: 'null' }, converted] } : converted;
};

// Drives every route of the served OpenAPI document through the real app, a success and a
// problem each, and validates every body against the schema the document declares for that
// route and status: controllers and schema classes cannot drift apart unnoticed.
describe('responses match the served OpenAPI document', () => {
  let t: TestApp;
  let doc: Document;
  const validators = new Map<string, ValidateFunction>();
  const seen = new Map<string, Set<string>>();
  const lead = { a: '', b: '', handoff: '', position: '' };

  const validatorFor = (schema: Schema): ValidateFunction => {
    const key = JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) {
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      validate = ajv.compile({
        ...(toJsonSchema(schema) as Schema),
        definitions: toJsonSchema(doc.components.schemas),
      });
      validators.set(key, validate);
    }
    return validate;
  };

  const check = (method: string, route: string, response: Response): Response => {
    const operation = doc.paths[route]?.[method];
    if (!operation) throw new Error(`${method} ${route} is not in the document`);
    const status = String(response.status);
    const declared = operation.responses[status];
    if (!declared)
      throw new Error(
        `${method} ${route} answered ${status}, not declared: ${JSON.stringify(response.body)}`,
      );
    const [mediaType, { schema } = {}] = Object.entries(declared.content ?? {})[0] ?? [];
    if (mediaType) expect(response.headers['content-type']).toContain(mediaType);
    if (schema && mediaType?.includes('json')) {
      const validate = validatorFor(schema);
      if (!validate(response.body)) {
        throw new Error(
          `${method} ${route} ${status} does not match its schema: ${JSON.stringify(validate.errors, null, 1)}\nbody: ${JSON.stringify(response.body)}`,
        );
      }
    }
    const statuses = seen.get(`${method} ${route}`) ?? new Set<string>();
    seen.set(`${method} ${route}`, statuses.add(status));
    return response;
  };

  const call = async (
    method: 'get' | 'post',
    route: string,
    url: string,
    role: TestRole | null,
    body?: object | string,
  ): Promise<Response> => {
    let pending = t.http[method](url);
    if (role) pending = pending.set(bearer(role));
    if (typeof body === 'string') pending = pending.set('Content-Type', 'text/plain');
    return check(method, route, await (body === undefined ? pending : pending.send(body)));
  };
  const post = (route: string, url: string, role: TestRole | null, body?: object | string) =>
    call('post', route, url, role, body);
  const get = (route: string, url: string, role: TestRole | null = 'analyst') =>
    call('get', route, url, role);
  const unknownLead = '0192f7a0-0000-7000-8000-000000000000';

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/docs-json').expect(200)).body as Document;
  });
  afterAll(async () => {
    await t.close();
  });

  it('lead commands: their results and their problems', async () => {
    lead.a = (await post('/leads', '/leads', 'marketing', captureBody())).body.leadId;
    lead.b = (
      await post('/leads', '/leads', 'sales', captureBody({ email: 'grace@example.com' }))
    ).body.leadId;
    await post('/leads', '/leads', 'marketing', { email: 'not an address' });
    await post('/leads', '/leads', 'marketing', captureBody({ leadId: lead.a }));
    await post('/leads', '/leads', 'analyst', captureBody());
    await post('/leads', '/leads', null, captureBody());
    await post('/leads', '/leads', 'marketing', 'email=ada@example.com');

    const engage = '/leads/{id}/engagements';
    const engagement = { campaignId: 'newsletter', channel: 'email', kind: 'email_click' };
    await post(engage, `/leads/${lead.a}/engagements`, 'marketing', engagement);
    await post(engage, `/leads/${unknownLead}/engagements`, 'marketing', engagement);
    await post(engage, '/leads/not-a-uuid/engagements', 'marketing', engagement);

    const profile = '/leads/{id}/profile';
    const fields = { title: 'CTO', country: 'GB', employees: 40 };
    await post(profile, `/leads/${lead.a}/profile`, 'sales', fields);
    await post(profile, `/leads/${lead.a}/profile`, 'marketing', fields); // no change
    await post(profile, `/leads/${lead.a}/profile`, 'marketing', {});
    await post(profile, `/leads/${unknownLead}/profile`, 'marketing', fields);

    for (const id of [lead.a, lead.b])
      await post('/leads/{id}/score', `/leads/${id}/score`, 'marketing', { score: 80 });
    await post('/leads/{id}/score', `/leads/${lead.a}/score`, 'sales', { score: 80 });

    const handoff = '/leads/{id}/handoff';
    for (const id of [lead.a, lead.b])
      await post(handoff, `/leads/${id}/handoff`, 'marketing', { toRep: 'rep-ana' });
    await post(handoff, `/leads/${lead.a}/handoff`, 'marketing', { toRep: 'rep-ana' });

    await post('/leads/{id}/accept', `/leads/${lead.a}/accept`, 'sales');
    await post('/leads/{id}/accept', `/leads/${lead.a}/accept`, 'sales');
    await post('/leads/{id}/reject', `/leads/${lead.b}/reject`, 'sales', { reason: 'not_icp' });
    await post('/leads/{id}/reject', `/leads/${lead.b}/reject`, 'sales', { reason: 'not_icp' });

    const convert = '/leads/{id}/convert';
    const amount = { amount: 10_000, currency: 'USD' };
    await post(convert, `/leads/${lead.b}/convert`, 'sales', amount);
    lead.position = (
      await post(convert, `/leads/${lead.a}/convert`, 'sales', amount)
    ).body.position;

    await post('/leads/{id}/lose', `/leads/${lead.b}/lose`, 'marketing', { reason: 'no budget' });
    await post('/leads/{id}/lose', `/leads/${lead.b}/lose`, 'marketing', { reason: 'no budget' });

    const sla = await get('/sla/handoffs', `/sla/handoffs?consistentWith=${lead.position}`);
    lead.handoff = (sla.body.items as { leadId: string; handoffId: string }[]).find(
      (item) => item.leadId === lead.a,
    )!.handoffId;
    const correct = '/leads/{id}/handoffs/{handoffId}/sla-correction';
    const correction = { verdict: 'met', reason: 'answered by phone' };
    await post(
      correct,
      `/leads/${lead.a}/handoffs/${lead.handoff}/sla-correction`,
      'admin',
      correction,
    );
    await post(
      correct,
      `/leads/${lead.a}/handoffs/${unknownLead}/sla-correction`,
      'admin',
      correction,
    );

    // issue 14, on a third lead: accepted, an outreach attempt, qualified by sales; and the
    // rejection of lead b disputed and ruled on
    const c = (await post('/leads', '/leads', 'marketing', captureBody({ email: 'c@example.com' })))
      .body.leadId as string;
    await post('/leads/{id}/score', `/leads/${c}/score`, 'marketing', { score: 80 });
    await post(handoff, `/leads/${c}/handoff`, 'marketing', { toRep: 'rep-ana' });
    const activities = '/leads/{id}/activities';
    await post(activities, `/leads/${c}/activities`, 'sales', { kind: 'call' });
    await post('/leads/{id}/accept', `/leads/${c}/accept`, 'sales');
    await post(activities, `/leads/${c}/activities`, 'sales', { kind: 'call', outcome: 'replied' });
    await post(activities, `/leads/${c}/activities`, 'sales', { kind: 'fax' });
    const qualify = '/leads/{id}/qualify';
    const opportunity = { opportunityId: 'opp-1', estimatedAmount: 5000, currency: 'EUR' };
    await post(qualify, `/leads/${c}/qualify`, 'sales', opportunity);
    await post(qualify, `/leads/${c}/qualify`, 'sales', opportunity);
    await post(qualify, `/leads/${c}/qualify`, 'sales', {
      opportunityId: 'opp-1',
      currency: 'EUR',
    });
    const rejected = await get(
      '/sla/handoffs',
      `/sla/handoffs?consistentWith=${lead.position}&rep=rep-ana`,
    );
    const rejectedHandoff = (rejected.body.items as { leadId: string; handoffId: string }[]).find(
      (item) => item.leadId === lead.b,
    )!.handoffId;
    const dispute = '/leads/{id}/rejections/{handoffId}/dispute';
    const resolve = '/leads/{id}/rejections/{handoffId}/resolve';
    const rejection = `/leads/${lead.b}/rejections/${rejectedHandoff}`;
    await post(resolve, `${rejection}/resolve`, 'sales_manager', { outcome: 'upheld' });
    await post(dispute, `${rejection}/dispute`, 'marketing', { reason: 'fits the ICP' });
    await post(dispute, `${rejection}/dispute`, 'marketing', { reason: 'fits the ICP' });
    await post(dispute, `/leads/${lead.b}/rejections/${unknownLead}/dispute`, 'marketing', {
      reason: 'x',
    });
    await post(resolve, `${rejection}/resolve`, 'sales_manager', { outcome: 'overturned' });
    await post(resolve, `${rejection}/resolve`, 'sales_manager', { outcome: 'maybe' });

    const erase = '/leads/{id}/erase';
    await post(erase, `/leads/${lead.b}/erase`, 'admin');
    await post(erase, `/leads/${lead.b}/erase`, 'admin');
    await post(erase, `/leads/${unknownLead}/erase`, 'admin');
    const stale = await t.http
      .post(`/leads/${lead.a}/erase`)
      .set(bearer('admin'))
      .set('If-Match', '"1"');
    check('post', erase, stale);
  });

  it('lead queries and the audit history', async () => {
    const consistent = `consistentWith=${lead.position}`;
    await get('/leads/{id}', `/leads/${lead.a}?${consistent}`, 'marketing');
    await get('/leads/{id}', `/leads/${lead.b}`, 'analyst');
    await get('/leads/{id}', `/leads/${unknownLead}`);
    const score = '/leads/{id}/score';
    await get(score, `/leads/${lead.a}/score`, 'sales');
    await get(score, `/leads/${lead.a}/score?at=2026-03-02T09:00:00Z`);
    await get(score, `/leads/${lead.a}/score?at=noon`);
    await get(score, `/leads/${unknownLead}/score`);
    await get('/leads', `/leads?${consistent}`, 'sales');
    await get('/leads', '/leads?stage=converted&limit=1', 'analyst');
    await get('/leads', '/leads?limit=0');
    await get('/leads', '/leads?cursor=nonsense');

    const history = '/leads/{id}/history';
    for (const id of [lead.a, lead.b]) await get(history, `/leads/${id}/history`, 'auditor');
    await get(history, `/leads/${unknownLead}/history`, 'auditor');
    await get(history, `/leads/${lead.a}/history`, 'marketing');
  });

  it('analytics: reports and their problems', async () => {
    for (const groupBy of ['campaign', 'channel', 'sourcedBy'])
      await get('/attribution', `/attribution?model=w_shaped&groupBy=${groupBy}`);
    await get('/attribution', `/attribution?model=linear&asOf=position:${lead.position}`);
    await get('/attribution', '/attribution');
    await get('/attribution', '/attribution?model=linear', 'marketing');

    const leadAttribution = '/attribution/leads/{id}';
    await get(leadAttribution, `/attribution/leads/${lead.a}?model=time_decay`);
    await get(leadAttribution, `/attribution/leads/${lead.b}?model=linear`, 'auditor');
    await get(leadAttribution, `/attribution/leads/${unknownLead}?model=linear`);

    await get('/sla/handoffs', '/sla/handoffs?status=met&rep=rep-ana');
    await get('/sla/handoffs', '/sla/handoffs?status=late');
    await get('/sla/follow-ups', '/sla/follow-ups?status=open&rep=rep-ana');
    await get('/sla/follow-ups', '/sla/follow-ups?status=late');
    for (const groupBy of ['rep', 'month'])
      await get('/sla/summary', `/sla/summary?groupBy=${groupBy}`);
    await get('/sla/summary', '/sla/summary?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z');

    for (const groupBy of ['campaign', 'channel', 'sourcedBy', 'month'])
      await get('/quality', `/quality?groupBy=${groupBy}`);
    await get('/quality', '/quality?groupBy=rep');
    await get('/quality/score-bands', '/quality/score-bands');
    await get('/quality/score-bands', `/quality/score-bands?asOf=position:${lead.position}`);
    await get('/quality/score-bands', '/quality/score-bands', 'marketing');
    await get('/scorecards/marketing', '/scorecards/marketing', 'marketing_manager');
    await get('/scorecards/marketing', '/scorecards/marketing?asOf=yesterday');
    for (const groupBy of ['rep', 'month'])
      await get('/scorecards/sales', `/scorecards/sales?groupBy=${groupBy}`, 'sales_manager');
    await get('/scorecards/sales', '/scorecards/sales?groupBy=campaign');

    await get('/funnel', '/funnel');
    await get('/funnel', '/funnel?asOf=2026-03-02T09:00:00Z');
    await get('/funnel', '/funnel?consistentWith=99999999');
    await get('/funnel', '/funnel?asOf=yesterday');
  });

  it('the agreement: its commands, its queries and their problems', async () => {
    const terms = {
      qualification: { mqlThreshold: 60 },
      scoring: { source: 'external' },
      salesResponse: { acceptWithinMinutes: 1440 },
      marketing: { mqlsPerMonth: 100 },
    };
    const proposal = { effectiveFrom: '2026-06-01T00:00:00Z', terms, note: 'summer terms' };
    await post('/agreements', '/agreements', 'marketing_manager', proposal);
    await post('/agreements', '/agreements', 'marketing_manager', { ...proposal, terms: {} });
    await post('/agreements', '/agreements', 'marketing_manager', 'not json');
    await post('/agreements/{version}/sign', '/agreements/2/sign', 'sales_manager');
    await post('/agreements/{version}/sign', '/agreements/9/sign', 'sales_manager');
    await post('/agreements', '/agreements', 'sales_manager', proposal);
    await post('/agreements/{version}/withdraw', '/agreements/3/withdraw', 'sales_manager', {
      reason: 'duplicate',
    });
    await post('/agreements/{version}/sign', '/agreements/3/sign', 'marketing_manager');
    await post('/agreements/{version}/withdraw', '/agreements/1/withdraw', 'sales_manager', {
      reason: 'no',
    });
    await post('/agreements/{version}/withdraw', '/agreements/x/withdraw', 'sales_manager', {
      reason: 'no',
    });
    await post('/agreements/{version}/withdraw', '/agreements/1/withdraw', 'sales_manager', 'text');
    await post('/agreements/{version}/sign', '/agreements/1/sign', 'sales_manager', 'text');
    await get('/agreements', '/agreements', 'sales');
    await get('/agreements', '/agreements', null);
    await get('/agreements/{version}', '/agreements/2', 'marketing');
    await get('/agreements/{version}', '/agreements/0', 'marketing');
    await get('/agreements/{version}', '/agreements/8', 'marketing');
    await get('/agreements/in-force', '/agreements/in-force?at=2026-07-01T00:00:00Z');
    await get('/agreements/in-force', '/agreements/in-force?at=1960-01-01T00:00:00Z');
    await get('/agreements/in-force', '/agreements/in-force?at=soon');
  });

  it('what-if: both questions and their problems', async () => {
    const rules = {
      qualification: { mqlThreshold: 30 },
      scoring: {
        source: 'rules',
        fit: [],
        engagement: [{ rule: 'captured', kind: 'captured', points: 40 }],
      },
      salesResponse: { acceptWithinMinutes: 60 },
      marketing: { mqlsPerMonth: 10 },
    };
    const { version } = (
      await t.http
        .post('/agreements')
        .set(bearer('marketing_manager'))
        .send({ effectiveFrom: '2027-01-01T00:00:00Z', terms: rules })
        .expect(201)
    ).body as { version: number };
    await get('/what-if/sla', `/what-if/sla?version=${version}`);
    await get('/what-if/sla', '/what-if/sla?version=1&asOf=position:1');
    await get('/what-if/sla', '/what-if/sla?version=999');
    await get(
      '/what-if/sla',
      '/what-if/sla?version=1&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    );
    await get('/what-if/sla', '/what-if/sla?version=1', 'marketing');
    await get('/what-if/qualification', `/what-if/qualification?version=${version}`);
    await get('/what-if/qualification', '/what-if/qualification?version=1');
    await get('/what-if/qualification', '/what-if/qualification?version=999');
    await get('/what-if/qualification', '/what-if/qualification', 'admin');
  });

  it('imports: the answer, a refused line in it, and the problems', async () => {
    const ndjson = (role: TestRole, body: string) =>
      t.http
        .post('/imports')
        .set(bearer(role))
        .set('Content-Type', 'application/x-ndjson')
        .send(body);
    const capture = JSON.stringify({
      command: 'capture',
      leadId: '0192f7a0-0000-7000-8000-0000000000aa',
      idempotencyKey: 'openapi-1',
      onBehalfOf: { id: 'rep-ana', role: 'marketing' },
      body: captureBody(),
    });
    check('post', '/imports', await ndjson('admin', `${capture}\n{not json`));
    // an imported event's metadata names whom it was done for
    const imported = '/leads/0192f7a0-0000-7000-8000-0000000000aa/history';
    const { body } = await get('/leads/{id}/history', imported, 'auditor');
    expect(body.events[0].metadata.onBehalfOf).toEqual({ id: 'rep-ana', role: 'marketing' });
    check('post', '/imports', await ndjson('sales', capture));
    await post('/imports', '/imports', 'admin', { command: 'capture' });
  });

  it('operations', async () => {
    await get('/health', '/health', null);
    await get('/health/live', '/health/live', null);
    await get('/metrics', '/metrics', null);
  });

  it('the check itself refuses drift: a missing field, an undeclared one, an undeclared status', () => {
    const answer = (status: number, body: unknown) =>
      ({ status, body, headers: { 'content-type': 'application/json' } }) as unknown as Response;
    const result = { leadId: unknownLead, revision: 0, position: '1' };
    expect(() => check('post', '/leads/{id}/score', answer(200, result))).not.toThrow();
    const { position: _missing, ...withoutPosition } = result;
    expect(() => check('post', '/leads/{id}/score', answer(200, withoutPosition))).toThrow(
      /does not match/,
    );
    expect(() =>
      check('post', '/leads/{id}/score', answer(200, { ...result, extra: true })),
    ).toThrow(/does not match/);
    expect(() => check('post', '/leads/{id}/score', answer(201, result))).toThrow(/not declared/);
  });

  it('drove every documented route to a success, and to a problem where it has any', () => {
    for (const [route, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const statuses = [...(seen.get(`${method} ${route}`) ?? [])];
        const declaresProblems = Object.keys(operation.responses).some((s) => s.startsWith('4'));
        expect({ route, method, success: statuses.some((s) => s.startsWith('2')) }).toEqual({
          route,
          method,
          success: true,
        });
        if (declaresProblems)
          expect({ route, method, problem: statuses.some((s) => s.startsWith('4')) }).toEqual({
            route,
            method,
            problem: true,
          });
      }
    }
  });
});
