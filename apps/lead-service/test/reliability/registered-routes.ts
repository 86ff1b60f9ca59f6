import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export type RegisteredRoute = { method: string; path: string };

const branch = /^([│├└─ ]*[├└]── )(.*)$/;
const withMethods = /^(.*) \(([A-Z, ]+)\)$/;

/**
 * Every route the app serves, from Fastify itself (Nest controllers, Swagger, static files alike),
 * so a test built on it covers routes added later. Fastify lists routes only as its printed radix
 * tree: each line is one node, indented four characters per level, and a route's path is the
 * concatenation of its nodes' labels from the root; the methods of a node that ends a route
 * follow in parentheses.
 */
export const registeredRoutes = (app: NestFastifyApplication): RegisteredRoute[] => {
  const tree = app.getHttpAdapter().getInstance().printRoutes();
  const labels: string[] = [];
  const routes: RegisteredRoute[] = [];
  for (const line of tree.split('\n')) {
    const node = branch.exec(line);
    if (!node) continue;
    const depth = node[1].length / 4 - 1;
    const methods = withMethods.exec(node[2]);
    labels.length = depth;
    labels.push(methods ? methods[1] : node[2]);
    if (!methods) continue;
    const path = labels.join('');
    for (const method of methods[2].split(',').map((name) => name.trim())) {
      if (!routes.some((route) => route.method === method && route.path === path)) {
        routes.push({ method, path });
      }
    }
  }
  if (routes.length === 0) throw new Error(`could not read Fastify's route tree:\n${tree}`);
  return routes;
};

/** A concrete URL for a route: `:id`-style parameters filled in, a wildcard given a file name. */
export const concretePath = (route: RegisteredRoute, id: string): string =>
  route.path.replace(/:[A-Za-z0-9_]+/g, id).replace(/\*$/, 'index.html');
