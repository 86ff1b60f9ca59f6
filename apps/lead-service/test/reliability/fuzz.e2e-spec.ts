import fc from 'fast-check';
import { EventStore } from '@lead/event-store';
import { BackgroundWork } from '@lead/runtime';
import { type TestApp, bearer, captureBody, startTestApp, tokens } from '../test-app';
import { type RegisteredRoute, concretePath, registeredRoutes } from './registered-routes';

// fast-check drives HTTP at every registered route with hostile bodies, paths, query strings and
// headers. Whatever arrives: never a 5xx, every 4xx is a problem document with a code, a 4xx
// changes nothing in the log, and the process keeps serving.

const seed = 6_006;
const bodyLimit = 256 * 1024;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';
type Body =
  | { kind: 'none' }
  | { kind: 'text'; text: string; contentType: string }
  | { kind: 'bytes'; bytes: Buffer; contentType: string }
  | { kind: 'oversized'; text: string };
type FuzzRequest = {
  /** the registered route (or 'any') the request was made for, to group findings */
  label: string;
  method: Method;
  path: string;
  headers: [string, string][];
  body: Body;
};

const edgeStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\u202egnp.exe',
  'مرحبا بالعالم',
  'שלום',
  '\u200b\u200d\ufeff',
  '😀👩‍👩‍👧🏳️‍🌈',
  'e\u0301\u0301\u0301',
  '𝕏𝕐',
  '\u2028\u2029\u0085',
  '\r\n\t',
  '%00%ff',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'NaN',
  '-0',
  '1e400',
  'x'.repeat(5_000),
];
const hostileKeys = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  '\u0000',
  '$where',
  'a.b',
];

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...edgeStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  {
    weight: 2,
    arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER),
  },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom(...hostileKeys, 'a', 'b'), hostileString, {
      maxKeys: 3,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.array(fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }), {
      maxLength: 3,
    }),
  },
);

// Valid bodies per route; the fuzzer mutates them so requests reach deep validation and the domain.
const templates: Record<string, Record<string, unknown>> = {
  '/leads': {
    ...captureBody(),
    sourcedBy: 'partner',
    priorTouches: [
      { campaignId: 'ads-q1', channel: 'paid_search', occurredAt: '2026-02-20T09:00:00Z' },
    ],
  },
  '/leads/:id/engagements': { campaignId: 'newsletter', channel: 'email', kind: 'email_click' },
  '/leads/:id/score': { score: 70, reasons: [{ rule: 'title', points: 30 }], model: 'rules-v1' },
  '/leads/:id/handoff': { toRep: 'rep-ana', note: 'hot', override: { reason: 'ceo asked' } },
  '/leads/:id/accept': {},
  '/leads/:id/reject': { reason: 'not_icp', note: 'too small' },
  '/leads/:id/convert': { amount: 125_000, currency: 'EUR', opportunityId: 'opp-1' },
  '/leads/:id/lose': { reason: 'no_budget', note: 'next year' },
  '/leads/:id/erase': {},
};

const mutate = (template: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> => {
  const fields = Object.keys(template);
  return fc.oneof(
    fc.constant(template),
    fields.length === 0
      ? fc.constant(template)
      : fc
          .record({ field: fc.constantFrom(...fields), value: hostileValue })
          .map(({ field, value }) => ({ ...template, [field]: value })),
    fields.length === 0
      ? fc.constant(template)
      : fc.constantFrom(...fields).map((field) => {
          const copy = { ...template };
          delete copy[field];
          return copy;
        }),
    fc
      .record({ key: fc.constantFrom(...hostileKeys, 'unknownField'), value: hostileValue })
      .map(({ key, value }) => {
        const copy = { ...template };
        // defineProperty, so "__proto__" becomes an own key that JSON.stringify writes out
        Object.defineProperty(copy, key, {
          value,
          enumerable: true,
          configurable: true,
          writable: true,
        });
        return copy;
      }),
  );
};

const malformedJson = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '{"email":',
    '{"email": "a@b.c",}',
    "{'email': 'a@b.c'}",
    '{"a":1,"a":2}',
    'nul',
    'NaN',
    '[]',
    '"a string"',
    '1',
    'null',
    'true',
    '\ufeff{}',
    '{"score": 1e400}',
    '{"score": 0x10}',
    '{"__proto__": {"isAdmin": true}}',
    '{"constructor": {"prototype": {"isAdmin": true}}}',
    '{"source": {"__proto__": {"campaignId": "x"}, "campaignId": "c", "channel": "email"}}',
    '{"email": "a\\ud800@example.com", "source": {"campaignId": "c", "channel": "email"}}',
    '{"email": "\\u0000@example.com", "source": {"campaignId": "c", "channel": "email"}}',
  ),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

// Deep nesting, under the body limit, at the top or inside a field that is validated as nested.
const deepNesting = fc
  .record({
    depth: fc.integer({ min: 50, max: 40_000 }),
    shape: fc.constantFrom('array', 'object', 'in-field', 'in-nested-field'),
  })
  .map(({ depth, shape }) => {
    const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    if (shape === 'array') return arrays;
    if (shape === 'object') return objects;
    if (shape === 'in-field') return `{"email":${objects},"note":${arrays}}`;
    return `{"source":{"campaignId":${objects},"channel":"email"},"override":{"reason":${arrays}}}`;
  });

const jsonTypes = ['application/json', 'application/json; charset=utf-8'];
const otherTypes = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/json; charset=utf-16',
  'application/json; charset=iso-8859-1',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/problem+json',
  'application/json, text/plain',
  'application/json; boundary=--x',
  'text/html; charset=utf-8',
  ';;;',
  'application/',
];

const bodyFor = (path: string): fc.Arbitrary<Body> => {
  const template = templates[path] ?? {};
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .record({ value: mutate(template), contentType: fc.constantFrom(...jsonTypes) })
        .map(({ value, contentType }): Body => ({
          kind: 'text',
          text: JSON.stringify(value),
          contentType,
        })),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({ text: malformedJson, contentType: fc.constantFrom(...jsonTypes) })
        .map(({ text, contentType }): Body => ({ kind: 'text', text, contentType })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ text: deepNesting, contentType: fc.constant('application/json') })
        .map(({ text, contentType }): Body => ({ kind: 'text', text, contentType })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ value: mutate(template), contentType: fc.constantFrom(...otherTypes) })
        .map(({ value, contentType }): Body => ({
          kind: 'text',
          text: JSON.stringify(value),
          contentType,
        })),
    },
    // invalid UTF-8: overlong, lone continuation bytes, a truncated sequence, UTF-16 BOM
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          [0xc0, 0xaf],
          [0x80, 0x80],
          [0xe2, 0x82],
          [0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00],
          [0xed, 0xa0, 0x80],
        )
        .map((bytes): Body => ({
          kind: 'bytes',
          bytes: Buffer.from([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, ...bytes, 0x22, 0x7d]),
          contentType: 'application/json',
        })),
    },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) },
  );
};

// Header values Node can send (no control characters besides tab; Latin-1 is sent as bytes).
const headerText = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((code) => code < 0x7f || code >= 0xa0)
    .map((code) => String.fromCharCode(code)),
  maxLength: 40,
});
const authorizationHeader = fc.oneof(
  { weight: 12, arbitrary: fc.constant(`Bearer ${tokens.admin}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...Object.values(tokens).map((token) => `Bearer ${token}`)),
  },
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.constantFrom(
        '',
        'Bearer',
        'Bearer ',
        `Bearer  ${tokens.admin}`,
        `bearer ${tokens.admin}`,
        `Bearer ${tokens.admin} `,
        `Bearer ${tokens.admin}\t`,
        `Bearer ${tokens.admin.toUpperCase()}`,
        `Bearer ${tokens.admin}, Bearer ${tokens.sales}`,
        `Token ${tokens.admin}`,
        `Basic ${Buffer.from(`x:${tokens.admin}`).toString('base64')}`,
        `Bearer ${'a'.repeat(600)}`,
        `Bearer ${'\u00e9'.repeat(10)}`,
      ),
      headerText.map((text) => `Bearer ${text}`),
      headerText,
    ),
  },
);
const optionalHeader = (
  name: string,
  values: fc.Arbitrary<string>,
): fc.Arbitrary<[string, string][]> =>
  fc.option(values, { freq: 3 }).map((value) => (value === null ? [] : [[name, value]]));
const headers = fc
  .tuple(
    authorizationHeader.map((value): [string, string][] =>
      value === '' ? [] : [['Authorization', value]],
    ),
    optionalHeader(
      'If-Match',
      fc.oneof(
        fc.constantFrom(
          '"0"',
          '"1"',
          'W/"2"',
          '7',
          '*',
          '"-1"',
          '"1e3"',
          '"99999999999999999999"',
          '""',
          '"0", "1"',
          'W/',
          '"\u00ff"',
        ),
        headerText,
      ),
    ),
    optionalHeader(
      'Idempotency-Key',
      fc.oneof(
        fc.constantFrom(
          '',
          ' ',
          'key-1',
          'key 1',
          'k'.repeat(256),
          'k'.repeat(255),
          '\u00e9t\u00e9',
          '\tkey',
        ),
        headerText,
      ),
    ),
    optionalHeader(
      'X-Correlation-Id',
      fc.oneof(
        fc.constantFrom('', 'corr-1', 'c'.repeat(129), '<script>', 'a b', '\u00e9'),
        headerText,
      ),
    ),
    optionalHeader(
      'Accept',
      fc.constantFrom('application/xml', 'text/html', '*/*', 'application/json;q=0', ''),
    ),
  )
  .map((groups) => groups.flat());

const queryKeys = [
  'model',
  'groupBy',
  'from',
  'to',
  'asOf',
  'consistentWith',
  'limit',
  'cursor',
  'stage',
  'owner',
  'campaignId',
  'status',
  'rep',
  'unknown',
  '__proto__',
  'constructor',
  'constructor[prototype][x]',
  '__proto__[isAdmin]',
  'limit[]',
];
const queryValues = fc.oneof(
  fc.constantFrom(
    'linear',
    'w_shaped',
    'nope',
    'campaign',
    'channel',
    'sourcedBy',
    'rep',
    'month',
    'open',
    'met',
    'breached',
    'converted',
    '2026-03-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2030-01-01T00:00:00Z',
    '2026-03-01',
    '1999-12-31T23:59:60Z',
    'position:1',
    'position:0',
    'position:-1',
    'position:99999999999999999999',
    'position:',
    '0',
    '1',
    '-1',
    '500',
    '501',
    '1e3',
    '99999999999999999999999',
    'eyJhZnRlciI6e319',
    'eyJhZnRlciI6InoifQ',
    '!!!',
    '',
  ),
  hostileString,
);
// encodeURIComponent throws on a lone surrogate; those are sent percent-encoded by hand instead
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const encode = (text: string): string =>
  text.split(loneSurrogate).map(encodeURIComponent).join('%ED%A0%80');
const queryString = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom(...queryKeys), queryValues), { maxLength: 4 })
      .map((pairs) =>
        pairs.length === 0
          ? ''
          : `?${pairs.map(([key, value]) => `${encode(key)}=${encode(value)}`).join('&')}`,
      ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '?model=%ED%A0%80',
      '?asOf=%ZZ',
      '?limit=%00',
      '?cursor=%F0%9F%98%80&cursor=x',
      '?model=linear&model=w_shaped',
      '?&&&=&=',
      '?limit=1&limit=2',
      `?consistentWith=${'9'.repeat(25)}`,
    ),
  },
);

const pathSegment = (leadIds: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...leadIds) },
    { weight: 1, arbitrary: fc.constantFrom(...leadIds).map((id) => id.toUpperCase()) },
    { weight: 2, arbitrary: fc.uuid() },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constantFrom(
          '%00',
          '%E0%A4%A',
          '%ZZ',
          '..',
          '%2e%2e',
          'NaN',
          '{00000000-0000-0000-0000-000000000000}',
          'x'.repeat(2_000),
          '%F0%9F%98%80',
          '%ED%A0%80',
        ),
        hostileString.map(encode),
      ),
    },
  );

const requestFor = (routes: RegisteredRoute[], leadIds: string[]): fc.Arbitrary<FuzzRequest> =>
  fc.constantFrom(...routes).chain((route) =>
    fc.record({
      label: fc.constant(`${route.method} ${route.path}`),
      method: fc.constant(route.method.toLowerCase() as Method),
      path: fc
        .tuple(pathSegment(leadIds), queryString)
        .map(([id, query]) => `${concretePath(route, id)}${query}`),
      headers,
      body: route.method === 'POST' ? bodyFor(route.path) : fc.constant<Body>({ kind: 'none' }),
    }),
  );

const oversized = (routes: RegisteredRoute[], leadIds: string[]): fc.Arbitrary<FuzzRequest> =>
  fc
    .record({
      route: fc.constantFrom(...routes.filter((route) => route.method === 'POST')),
      id: fc.constantFrom(...leadIds),
      size: fc.integer({ min: bodyLimit + 1, max: bodyLimit * 2 }),
      shape: fc.constantFrom('field', 'array', 'garbage'),
    })
    .map(({ route, id, size, shape }): FuzzRequest => {
      const filler = 'x'.repeat(size);
      const text =
        shape === 'field'
          ? JSON.stringify({ ...(templates[route.path] ?? {}), note: filler })
          : shape === 'array'
            ? `[${'1,'.repeat(Math.ceil(size / 2))}1]`
            : filler;
      return {
        label: `POST ${route.path}`,
        method: 'post',
        path: concretePath(route, id),
        headers: [['Authorization', `Bearer ${tokens.admin}`]],
        body: { kind: 'oversized', text },
      };
    });

const anyMethodAnywhere = (leadIds: string[]): fc.Arbitrary<FuzzRequest> =>
  fc.record({
    label: fc.constant('any method, any path'),
    method: fc.constantFrom<Method>('get', 'post', 'put', 'patch', 'delete', 'options', 'head'),
    path: fc.oneof(
      fc.constantFrom(
        '/',
        '/leads/',
        '//leads',
        '/leads/x/y/z',
        '/LEADS',
        '/leads;x=1',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/leads/%00/history',
        '/attribution/leads',
        '/sla',
        '/admin',
        '/.env',
        '/leads?__proto__[x]=1',
      ),
      fc.constantFrom(...leadIds).map((id) => `/leads/${id}/score/extra`),
      fc.constantFrom(...leadIds).map((id) => `/leads/${id}`),
    ),
    headers,
    body: bodyFor('/leads'),
  });

type Invariant = 'no 5xx' | 'problem documents' | 'no state change' | '413' | 'transport';
const invariants: Invariant[] = [
  'no 5xx',
  'problem documents',
  'no state change',
  '413',
  'transport',
];

const excerpt = (request: FuzzRequest): string => {
  const body =
    request.body.kind === 'none'
      ? 'no body'
      : request.body.kind === 'bytes'
        ? `bytes ${request.body.bytes.toString('hex')}`
        : `${request.body.kind === 'text' ? request.body.contentType : 'oversized'} ${request.body.text.slice(0, 120)}${request.body.text.length > 120 ? `... (${request.body.text.length} chars)` : ''}`;
  return `${request.method.toUpperCase()} ${request.path.slice(0, 150)} [${request.headers.map(([name, value]) => `${name}: ${value.slice(0, 40)}`).join('; ')}] ${body}`;
};

describe('fuzz: hostile input over HTTP at every endpoint', () => {
  let t: TestApp;
  let store: EventStore;
  let routes: RegisteredRoute[] = [];
  const leadIds: string[] = [];
  const statuses = new Map<number, number>();
  // one example per invariant and kind of finding, with how often it happened
  const findings = new Map<Invariant, Map<string, { count: number; example: string }>>(
    invariants.map((invariant) => [invariant, new Map()]),
  );
  let sent = 0;
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  const find = (invariant: Invariant, kind: string, request: FuzzRequest, detail: string): void => {
    const kinds = findings.get(invariant)!;
    const known = kinds.get(kind);
    if (known) known.count += 1;
    else
      kinds.set(kind, {
        count: 1,
        example: `${detail.slice(0, 300)}\n    for ${excerpt(request)}`,
      });
  };
  const report = (invariant: Invariant): string[] =>
    [...findings.get(invariant)!].map(
      ([kind, { count, example }]) => `${kind} (${count}x): ${example}`,
    );

  const expectNone = (invariant: Invariant, promise: string): void => {
    const found = report(invariant);
    if (found.length > 0) {
      throw new Error(
        `${promise}, but ${found.length} kind(s) of request break it:\n${found.join('\n')}`,
      );
    }
  };

  const exchange = async (request: FuzzRequest): Promise<void> => {
    const before = await store.headPosition();
    let pending = t.http[request.method](request.path);
    for (const [name, value] of request.headers) pending = pending.set(name, value);
    const { body } = request;
    if (body.kind === 'text')
      pending = pending.set('Content-Type', body.contentType).send(body.text);
    if (body.kind === 'bytes')
      pending = pending.set('Content-Type', body.contentType).send(body.bytes);
    if (body.kind === 'oversized')
      pending = pending.set('Content-Type', 'application/json').send(body.text);
    let response: Awaited<typeof pending>;
    try {
      response = await pending.ok(() => true);
    } catch (error) {
      find('transport', String(error).slice(0, 80), request, String(error));
      return;
    }
    const after = await store.headPosition();
    sent += 1;
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const problem = (response.body ?? {}) as { code?: unknown; status?: unknown };

    if (response.status >= 500) {
      find('no 5xx', `${response.status} at ${request.label}`, request, response.text);
    }
    if (body.kind === 'oversized' && response.status !== 413) {
      find('413', `${response.status} at ${request.label}`, request, response.text);
    }
    if (response.status >= 400 && request.method !== 'head') {
      const contentType = String(response.headers['content-type']);
      if (
        !contentType.startsWith('application/problem+json') ||
        typeof problem.code !== 'string' ||
        problem.code === '' ||
        problem.status !== response.status
      ) {
        find(
          'problem documents',
          `${response.status} ${contentType.split(';')[0]} ${String(problem.code)}`,
          request,
          response.text,
        );
      }
    }
    if (response.status >= 400 && response.status < 500 && after !== before) {
      find(
        'no state change',
        `${response.status} at ${request.label}`,
        request,
        `log head moved from ${before} to ${after}`,
      );
    }
  };

  const run = (arbitrary: fc.Arbitrary<FuzzRequest>, numRuns: number, offset: number) =>
    fc.assert(
      fc.asyncProperty(arbitrary, (request) => exchange(request)),
      { seed: seed + offset, numRuns },
    );

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
    // The deadline watcher and the remedies append on their own timers; stopped so only requests
    // change the log.
    await t.app.get(BackgroundWork).watcher.stop();
    await t.app.get(BackgroundWork).remedies.stop();
    store = t.app.get(EventStore);
    routes = registeredRoutes(t.app);
    const post = async (url: string, role: Parameters<typeof bearer>[0], body: object = {}) =>
      (
        await t.http
          .post(url)
          .set(bearer(role))
          .send(body)
          .expect((r) => expect(r.status).toBeLessThan(300))
      ).body;
    // leads in several stages, so fuzzed commands meet every state
    for (const stage of ['captured', 'mql', 'handed_off', 'accepted', 'converted']) {
      const { leadId } = await post('/leads', 'marketing', captureBody());
      leadIds.push(leadId);
      if (stage === 'captured') continue;
      await post(`/leads/${leadId}/score`, 'marketing', { score: 80 });
      if (stage === 'mql') continue;
      await post(`/leads/${leadId}/handoff`, 'marketing', { toRep: 'rep-ana' });
      if (stage === 'handed_off') continue;
      await post(`/leads/${leadId}/accept`, 'sales');
      if (stage === 'accepted') continue;
      await post(`/leads/${leadId}/convert`, 'sales', { amount: 5_000, currency: 'EUR' });
    }

    // 3,000 requests: commands, queries, stray methods and paths, oversized bodies
    await run(
      requestFor(
        routes.filter((route) => route.method === 'POST'),
        leadIds,
      ),
      1_400,
      1,
    );
    await run(
      requestFor(
        routes.filter((route) => route.method !== 'POST'),
        leadIds,
      ),
      1_000,
      2,
    );
    await run(anyMethodAnywhere(leadIds), 480, 3);
    await run(oversized(routes, leadIds), 120, 4);
  }, 240_000);

  afterAll(async () => {
    await t.close();
    const classes: Record<string, number> = {};
    for (const [status, count] of statuses) {
      const name = `${Math.floor(status / 100)}xx`;
      classes[name] = (classes[name] ?? 0) + count;
    }
    const byStatus = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
    console.log(
      `fuzz: ${sent} requests; status classes ${JSON.stringify(classes)}; statuses ${JSON.stringify(byStatus)}`,
    );
  });

  it('sent thousands of requests, every one answered', () => {
    expectNone('transport', 'every request gets an HTTP answer');
    expect(sent).toBeGreaterThanOrEqual(3_000);
  });

  it('never answers 5xx, whatever the input', () => {
    expectNone('no 5xx', 'DESIGN §6: never a 500 for bad input');
  });

  it('answers every 4xx with an application/problem+json document that has a code', () => {
    expectNone('problem documents', 'DESIGN §6: errors are application/problem+json with a code');
  });

  it('changes nothing in the log when it answers 4xx', () => {
    expectNone('no state change', 'a refused request appends nothing');
  });

  it('answers 413 to every body over 256 KiB', () => {
    expectNone('413', 'a body over 256 KiB is a 413');
  });

  it('stays up and unpolluted: health answers, seeded leads intact, Object.prototype untouched', async () => {
    await t.http.get('/health').expect(200);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    for (const leadId of leadIds) {
      const history = await t.http
        .get(`/leads/${leadId}/history`)
        .set(bearer('auditor'))
        .expect(200);
      expect(history.body.chain).toEqual({ valid: true });
    }
  });
});
