import { type Role, roles } from '@lead/runtime';
import { type TestApp, bearer, captureBody, startTestApp, tokens } from '../test-app';
import { type RegisteredRoute, concretePath, registeredRoutes } from './registered-routes';

// DESIGN §6 as a table: who may call what (admin may do everything, so it is never listed; a
// manager may do all that their team may, so only their own rights are listed).
// The routes come from the running app, so a route added without a row here fails this test.
const designRoles: Record<string, readonly Role[] | 'public'> = {
  'POST /leads': ['marketing', 'sales'],
  'POST /leads/:id/engagements': ['marketing'],
  'POST /leads/:id/score': ['marketing'],
  'POST /leads/:id/handoff': ['marketing'],
  'POST /leads/:id/accept': ['sales'],
  'POST /leads/:id/reject': ['sales'],
  'POST /leads/:id/convert': ['sales'],
  'POST /leads/:id/lose': ['marketing', 'sales'],
  'GET /leads/:id': roles,
  'GET /leads': roles,
  'GET /leads/:id/history': ['auditor'],
  'GET /attribution': ['analyst'],
  'GET /attribution/leads/:id': ['analyst', 'auditor'],
  'GET /sla/handoffs': ['analyst', 'auditor'],
  'GET /sla/summary': ['analyst'],
  'GET /funnel': ['analyst'],
  // issue 12: the managers propose, sign and withdraw the agreement; everyone may read it
  'POST /agreements': ['marketing_manager', 'sales_manager'],
  'POST /agreements/:version/sign': ['marketing_manager', 'sales_manager'],
  'POST /agreements/:version/withdraw': ['marketing_manager', 'sales_manager'],
  'GET /agreements': roles,
  'GET /agreements/in-force': roles,
  'GET /agreements/:version': roles,
  'POST /leads/:id/profile': ['marketing', 'sales'],
  'GET /leads/:id/score': roles,
  // issue 12 item 5: history judged under another agreement version
  'GET /what-if/sla': ['analyst'],
  'GET /what-if/qualification': ['analyst'],
  'GET /health': 'public',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /metrics': 'public',
  'GET /docs': 'public',
  'GET /docs-json': 'public',
  // issue 6 item 7: erasure of personal data is for admins only
  'POST /leads/:id/erase': [],
  // issue 10 item 1: only an admin may change a computed SLA verdict
  'POST /leads/:id/handoffs/:handoffId/sla-correction': [],
  // issue 13 item 5: bulk import replays another system's history, admins only
  'POST /imports': [],
  // issue 14: sales qualifies and logs outreach; marketing disputes a rejection, the sales
  // manager rules on it (a rep may not)
  'POST /leads/:id/qualify': ['sales'],
  'POST /leads/:id/activities': ['sales'],
  'POST /leads/:id/rejections/:handoffId/dispute': ['marketing'],
  'POST /leads/:id/rejections/:handoffId/resolve': ['sales_manager'],
  'GET /sla/follow-ups': ['analyst', 'auditor'],
  // issue 14 item 5: closed-loop quality for analysts; each team's scorecard for the managers too
  'GET /quality': ['analyst'],
  'GET /quality/score-bands': ['analyst'],
  'GET /scorecards/marketing': ['analyst', 'marketing_manager', 'sales_manager'],
  'GET /scorecards/sales': ['analyst', 'marketing_manager', 'sales_manager'],
};
// Rows for routes other work adds; they must be right once present, but need not exist yet.
const notYetRequired = new Set([
  'GET /health/ready',
  'GET /metrics',
  'GET /docs',
  'GET /docs-json',
  'POST /leads/:id/erase',
]);
// Swagger UI's assets and the dashboard's files live under these and are public.
const publicPrefixes = ['/docs', '/dashboard'];

type Identity = Role | 'anonymous' | 'unknown token' | 'malformed header';
const identities: Identity[] = [...roles, 'anonymous', 'unknown token', 'malformed header'];
const authorization = (identity: Identity): Record<string, string> => {
  switch (identity) {
    case 'anonymous':
      return {};
    case 'unknown token':
      return { Authorization: 'Bearer not-a-token-of-this-service' };
    case 'malformed header':
      return { Authorization: `Basic ${Buffer.from(`admin:${tokens.admin}`).toString('base64')}` };
    default:
      return bearer(identity);
  }
};

const policyOf = (route: RegisteredRoute): readonly Role[] | 'public' | undefined => {
  // HEAD is Fastify's automatic twin of GET and must be guarded exactly like it
  const method = route.method === 'HEAD' ? 'GET' : route.method;
  const row = designRoles[`${method} ${route.path}`];
  if (row !== undefined) return row;
  return publicPrefixes.some((prefix) => route.path.startsWith(prefix)) ? 'public' : undefined;
};

describe('roles: every endpoint x every role, anonymous and unknown tokens (DESIGN §6)', () => {
  let t: TestApp;
  let routes: RegisteredRoute[] = [];
  let leadId = '';
  let cells = 0;

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
    routes = registeredRoutes(t.app);
    leadId = (await t.http.post('/leads').set(bearer('marketing')).send(captureBody()).expect(201))
      .body.leadId;
  });
  afterAll(async () => {
    await t.close();
    console.log(
      `roles: ${cells} cells checked (${routes.length} routes incl. HEAD x ${identities.length} identities)`,
    );
  });

  it('has a row for every registered route, and every route DESIGN §6 names is registered', () => {
    const unlisted = routes.filter((route) => policyOf(route) === undefined);
    expect(
      unlisted.map((route) => `${route.method} ${route.path} has no row in designRoles`),
    ).toEqual([]);
    const registered = new Set(routes.map((route) => `${route.method} ${route.path}`));
    const missing = Object.keys(designRoles).filter(
      (row) => !registered.has(row) && !notYetRequired.has(row),
    );
    expect(missing).toEqual([]);
  });

  it('lets allowed roles in, answers 403 to other roles and 401 to anonymous or unknown callers', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const policy = policyOf(route);
      if (policy === undefined) continue;
      const path = concretePath(route, leadId);
      for (const identity of identities) {
        const method = route.method.toLowerCase() as
          'get' | 'post' | 'head' | 'put' | 'patch' | 'delete';
        let pending = t.http[method](path).set(authorization(identity));
        if (!['get', 'head'].includes(method)) pending = pending.send({});
        const response = await pending;
        cells += 1;
        const cell = `${route.method} ${path} as ${identity}`;
        const hasBody = route.method !== 'HEAD';
        const isProblem = (code: string): boolean =>
          !hasBody ||
          (String(response.headers['content-type']).startsWith('application/problem+json') &&
            response.body.code === code &&
            response.body.status === response.status);

        if (policy === 'public') {
          if ([401, 403].includes(response.status))
            failures.push(`${cell}: ${response.status} on a public route`);
          continue;
        }
        if (
          identity === 'anonymous' ||
          identity === 'unknown token' ||
          identity === 'malformed header'
        ) {
          if (
            response.status !== 401 ||
            response.headers['www-authenticate'] !== 'Bearer' ||
            !isProblem('unauthenticated')
          ) {
            failures.push(
              `${cell}: expected 401 with WWW-Authenticate: Bearer, got ${response.status} ${response.text}`,
            );
          }
          continue;
        }
        const allowed =
          identity === 'admin' ||
          policy.includes(identity) ||
          (identity === 'marketing_manager' && policy.includes('marketing')) ||
          (identity === 'sales_manager' && policy.includes('sales'));
        if (allowed && [401, 403].includes(response.status)) {
          failures.push(`${cell}: allowed by DESIGN §6, got ${response.status} ${response.text}`);
        }
        if (!allowed && (response.status !== 403 || !isProblem('forbidden'))) {
          failures.push(
            `${cell}: not allowed by DESIGN §6, expected a 403 problem, got ${response.status} ${response.text}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(cells).toBeGreaterThanOrEqual(
      Object.keys(designRoles).length * identities.length - 4 * identities.length,
    );
  });
});
