import { type TestApp, type TestRole, bearer, captureBody, startTestApp } from './test-app';

// Email and name are for the roles that work leads; analysts and auditors see none, and no log
// line ever holds them.
describe('who sees personal data', () => {
  let t: TestApp;
  let leadId = '';
  let position = '';
  const lines: string[] = [];
  const email = 'lin.private@example.com';
  const name = 'Lin Private-Qy';

  beforeAll(async () => {
    t = await startTestApp({
      env: { LOG_LEVEL: 'trace' },
      logDestination: { write: (line: string) => void lines.push(line) },
    });
    const captured = await t.http
      .post('/leads')
      .set(bearer('marketing'))
      .send(captureBody({ email, name }))
      .expect(201);
    ({ leadId, position } = captured.body);
  });
  afterAll(async () => {
    await t.close();
  });

  const views = async (role: TestRole) => {
    const one = await t.http
      .get(`/leads/${leadId}?consistentWith=${position}`)
      .set(bearer(role))
      .expect(200);
    const page = await t.http.get('/leads').set(bearer(role)).expect(200);
    return [one.body, page.body.items[0]] as { email: unknown; name: unknown; company: unknown }[];
  };

  it.each<TestRole>(['marketing', 'sales', 'admin'])('%s sees email and name', async (role) => {
    for (const view of await views(role)) expect(view).toMatchObject({ email, name });
  });

  it.each<TestRole>(['analyst', 'auditor'])(
    '%s gets email and name as null (company is not personal)',
    async (role) => {
      for (const view of await views(role)) {
        expect(view).toMatchObject({ email: null, name: null, company: 'Analytical Engines Ltd' });
      }
    },
  );

  it('logs no request body and no personal field, refused requests included', async () => {
    await t.http
      .post('/leads')
      .set(bearer('marketing'))
      .send(captureBody({ email: 'not an email lin.private@example', name }))
      .expect(400);
    await t.http
      .post('/leads')
      .set(bearer('analyst'))
      .send(captureBody({ email, name }))
      .expect(403);
    const log = lines.join('\n');
    expect(log).toContain(leadId);
    expect(log).not.toContain('lin.private');
    expect(log).not.toContain(name);
  });
});
