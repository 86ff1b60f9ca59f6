import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { type Role, mayCall, roles } from '@lead/runtime';
import { type TestApp, startTestApp } from './test-app';
import { registeredRoutes } from './reliability/registered-routes';

type Route = {
  method: string;
  path: string;
  isPublic: boolean;
  excluded: boolean;
  rateLimited: boolean;
  roles: string[] | undefined;
};

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
};
type Response = {
  content?: Record<string, { schema?: Schema }>;
  headers?: Record<string, unknown>;
};
type Operation = {
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema?: { pattern?: string } }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, Response>;
  'x-roles'?: string[];
};
type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> };
};

const metadata = <T>(key: string, ...targets: object[]): T | undefined =>
  targets
    .map((target) => Reflect.getMetadata(key, target) as T | undefined)
    .find((v) => v !== undefined);

const joinPath = (prefix: string, path: string): string =>
  `/${[prefix, path]
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;

// Every route Nest registered, read from the controllers' own metadata (what the router
// explorer reads), with what the guards will enforce on it. Not a hand-written list: a
// controller added later is covered without touching this test.
const nestRoutes = (t: TestApp): Route[] => {
  const scanner = new MetadataScanner();
  const routes: Route[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, object>;
      const prefixes = [metadata<string | string[]>(PATH_METADATA, metatype) ?? ''].flat();
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        const paths = metadata<string | string[]>(PATH_METADATA, handler);
        const method = metadata<RequestMethod>(METHOD_METADATA, handler);
        if (paths === undefined || method === undefined) continue;
        for (const prefix of prefixes) {
          for (const path of [paths].flat()) {
            routes.push({
              method: RequestMethod[method],
              path: joinPath(prefix, path),
              isPublic: metadata<boolean>('public', handler, metatype) === true,
              excluded:
                metadata<boolean[]>('swagger/apiExcludeController', metatype)?.[0] === true ||
                metadata<boolean>('swagger/apiExcludeEndpoint', handler) !== undefined,
              rateLimited: metadata<boolean>('THROTTLER:SKIPdefault', handler, metatype) !== true,
              roles: metadata<string[]>('roles', handler, metatype),
            });
          }
        }
      }
    }
  }
  return routes;
};

const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const problemRef = '#/components/schemas/Problem';
// the one POST that is not a lead command: NDJSON in, a report out (DESIGN §12)
const importRoute = '/imports';
const docsRoutes = /^\/docs(-json|\/.*)?$/;

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let routes: Route[];
  let documented: Route[];

  beforeAll(async () => {
    t = await startTestApp();
    // public: no token
    doc = (await t.http.get('/docs-json').expect(200).expect('Content-Type', /json/)).body;
    routes = nestRoutes(t);
    documented = routes.filter((route) => !route.excluded);
  });
  afterAll(() => t.close());

  const operationOf = (route: Route): Operation | undefined =>
    doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
  const label = (route: Route) => `${route.method} ${route.path}`;

  it('sees the whole API (sanity check of the route enumeration)', () => {
    const labels = documented.map(label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'POST /leads',
        'POST /leads/:id/handoff',
        'GET /leads/:id/history',
        'GET /attribution',
        'GET /health',
        'GET /metrics',
      ]),
    );
    expect(documented.length).toBeGreaterThanOrEqual(19);
  });

  it('every Nest route is really served by Fastify, and Fastify serves nothing else undeclared', () => {
    const fastify = t.app.getHttpAdapter().getInstance();
    for (const route of routes) {
      expect({
        route: label(route),
        served: fastify.hasRoute({ method: route.method, url: route.path }),
      }).toEqual({
        route: label(route),
        served: true,
      });
    }
    const known = new Set(routes.map(label));
    const unexplained = registeredRoutes(t.app)
      .filter((route) => route.method !== 'HEAD' && route.method !== 'OPTIONS')
      .filter(
        (route) => !known.has(`${route.method} ${route.path}`) && !docsRoutes.test(route.path),
      );
    expect(unexplained).toEqual([]);
  });

  it('routes left out of the document are public pages, never API endpoints behind a token', () => {
    for (const route of routes.filter((r) => r.excluded)) {
      expect({ route: label(route), isPublic: route.isPublic }).toEqual({
        route: label(route),
        isPublic: true,
      });
    }
  });

  it('documents every route with its method, a summary and a 2xx response with a schema', () => {
    const missing = documented.filter((route) => !operationOf(route)).map(label);
    expect(missing).toEqual([]);
    for (const route of documented) {
      const operation = operationOf(route)!;
      const success = Object.entries(operation.responses).filter(([status]) =>
        /^2\d\d$/.test(status),
      );
      expect({
        route: label(route),
        summary: Boolean(operation.summary),
        success: success.length > 0,
      }).toEqual({
        route: label(route),
        summary: true,
        success: true,
      });
      for (const [, response] of success) {
        const schemas = Object.values(response.content ?? {}).map((media) => media.schema);
        expect({
          route: label(route),
          schemas: schemas.length > 0 && schemas.every(Boolean),
        }).toEqual({
          route: label(route),
          schemas: true,
        });
      }
    }
  });

  it('documents nothing that is not served', () => {
    const served = new Set(documented.map((route) => `${route.method} ${openApiPath(route.path)}`));
    const phantoms = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .map((method) => `${method.toUpperCase()} ${path}`)
        .filter((operation) => !served.has(operation)),
    );
    expect(phantoms).toEqual([]);
  });

  it('puts bearer auth and the role list on every non-public route, and none on public ones', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const route of documented) {
      const operation = operationOf(route)!;
      if (route.isPublic) {
        expect({ route: label(route), security: operation.security ?? [] }).toEqual({
          route: label(route),
          security: [],
        });
        continue;
      }
      expect({ route: label(route), security: operation.security }).toEqual({
        route: label(route),
        security: [{ bearer: [] }],
      });
      // a manager may do all that their team may (DESIGN §6)
      const allowed = roles.filter((role) => mayCall(role, (route.roles ?? []) as Role[]));
      expect({ route: label(route), roles: operation['x-roles'] }).toEqual({
        route: label(route),
        roles: allowed,
      });
    }
  });

  it('documents the problem responses that apply to each route, as application/problem+json', () => {
    for (const route of documented) {
      const operation = operationOf(route)!;
      const expected = new Set<string>();
      if (!route.isPublic) {
        expected.add('400').add('401');
        if (route.roles && !roles.every((role) => role === 'admin' || route.roles!.includes(role)))
          expected.add('403');
      }
      if (route.rateLimited) expected.add('429');
      if (route.path.includes(':id')) expected.add('404');
      if (route.method === 'POST') expected.add('413').add('415');
      // a bulk import reports refused lines in its answer, never as a 409
      if (route.method === 'POST' && route.path !== importRoute) expected.add('409');
      const documentedStatuses = Object.keys(operation.responses);
      expect({
        route: label(route),
        missing: [...expected].filter((s) => !documentedStatuses.includes(s)),
      }).toEqual({
        route: label(route),
        missing: [],
      });
      const problems = Object.entries(operation.responses).filter(
        ([status]) => /^4\d\d$/.test(status) || (status === '503' && !route.isPublic),
      );
      for (const [status, response] of problems) {
        expect({
          route: label(route),
          status,
          schema: response.content?.['application/problem+json']?.schema,
        }).toEqual({
          route: label(route),
          status,
          schema: { $ref: problemRef },
        });
      }
      if (route.rateLimited)
        expect(operation.responses['429'].headers).toHaveProperty('Retry-After');
    }
  });

  it('the Problem schema carries code and errors[] {field, message}', () => {
    const problem = doc.components.schemas.Problem;
    expect(problem.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']),
    );
    expect(problem.properties?.code).toMatchObject({ type: 'string' });
    const errors = problem.properties?.errors;
    expect(errors?.type).toBe('array');
    const fieldError = doc.components.schemas[errors!.items!.$ref!.split('/').pop()!];
    expect(fieldError.required).toEqual(['field', 'message']);
  });

  it('documents request bodies, path ids and the command headers', () => {
    const commands = documented.filter((r) => r.method === 'POST' && r.path !== importRoute);
    for (const route of commands) {
      const operation = operationOf(route)!;
      const ref = operation.requestBody?.content['application/json']?.schema.$ref;
      expect({ route: label(route), ref: typeof ref }).toEqual({
        route: label(route),
        ref: 'string',
      });
      const body = doc.components.schemas[ref!.split('/').pop()!];
      expect(body).toMatchObject({ type: 'object' });
      const headers = (operation.parameters ?? [])
        .filter((p) => p.in === 'header')
        .map((p) => p.name);
      expect({ route: label(route), headers }).toEqual({
        route: label(route),
        headers: expect.arrayContaining(['Idempotency-Key', 'If-Match']),
      });
    }
    for (const route of documented.filter((r) => r.path.includes(':id'))) {
      const ids = (operationOf(route)!.parameters ?? []).filter(
        (p) => p.in === 'path' && p.name === 'id',
      );
      expect({ route: label(route), ids: ids.length }).toEqual({ route: label(route), ids: 1 });
    }
    const importBody = operationOf(documented.find((r) => r.path === importRoute)!)!.requestBody;
    expect(Object.keys(importBody?.content ?? {})).toEqual(['application/x-ndjson']);
    const capture = doc.components.schemas.CaptureLeadRequest;
    expect(capture.required).toEqual(expect.arrayContaining(['email', 'source']));
    expect(capture.properties?.priorTouches).toMatchObject({ type: 'array' });
  });

  // schemathesis sends any string the document allows: a header constraint the service enforces
  // but the document omits turns most generated commands into 400s (found by `npm run infra -- fuzz`)
  it('documents the command headers with the constraints the service enforces', () => {
    const capture = operationOf(
      documented.find((r) => r.method === 'POST' && r.path === '/leads')!,
    )!;
    const schemaOf = (name: string) =>
      (capture.parameters ?? []).find((p) => p.in === 'header' && p.name === name)?.schema;
    const accepts = (name: string, value: string) =>
      new RegExp(schemaOf(name)?.pattern ?? '(?!)').test(value);

    expect(accepts('Idempotency-Key', 'import-2026-03-01-row-17')).toBe(true);
    expect(accepts('Idempotency-Key', 'has space')).toBe(false);
    expect(accepts('Idempotency-Key', 'x'.repeat(256))).toBe(false);
    expect(accepts('If-Match', '"3"')).toBe(true);
    expect(accepts('If-Match', 'W/"3"')).toBe(true);
    expect(accepts('If-Match', 'three')).toBe(false);
    expect(accepts('X-Correlation-Id', 'corr-42')).toBe(true);
    expect(accepts('X-Correlation-Id', 'corr 42')).toBe(false);
  });

  it('serves the Swagger UI at /docs without a token, with every asset it loads', async () => {
    const page = await t.http
      .get('/docs')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    // a CSP that lets the page run: its scripts come from this origin, none inline
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/);
    const assets = [...page.text.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map(
      (match) => match[1],
    );
    expect(assets).toEqual(
      expect.arrayContaining([
        '/docs/swagger-ui.css',
        '/docs/swagger-ui-bundle.js',
        '/docs/swagger-ui-init.js',
      ]),
    );
    for (const asset of assets) await t.http.get(asset).expect(200);
    const init = await t.http.get('/docs/swagger-ui-init.js').expect('Content-Type', /javascript/);
    expect(init.text).toContain('"/docs-json"');
    await t.http.get('/docs/package.json').expect(404);
  });
});
