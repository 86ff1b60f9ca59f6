import { type TestApp, bearer, startTestApp } from './test-app';

const leadId = '0190f5a0-0000-7000-8000-000000000001';
// every endpoint that reads query parameters, with the parameters it needs to answer 200
const queryEndpoints = [
  '/leads?',
  `/leads/${leadId}?`,
  '/attribution?model=linear&',
  `/attribution/leads/${leadId}?model=linear&`,
  '/sla/handoffs?',
  '/sla/summary?groupBy=rep&',
  '/funnel?',
];
// names every plain object inherits: they once passed the whitelist of known parameters
const inheritedNames = [
  'toString=1',
  'constructor=1',
  '__proto__=x',
  'hasOwnProperty=1',
  'valueOf=1',
];

describe('query parameters', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe.each(queryEndpoints)('%s', (endpoint) => {
    it.each(inheritedNames)('refuses %s as an unknown parameter', async (parameter) => {
      const response = await t.http.get(`${endpoint}${parameter}`).set(bearer('admin')).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        code: 'validation_failed',
        errors: [
          {
            field: parameter.split('=')[0],
            message: `property ${parameter.split('=')[0]} should not exist`,
          },
        ],
      });
    });
  });
});
