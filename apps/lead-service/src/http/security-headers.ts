import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

// helmet's defaults (nosniff, frame-ancestors, HSTS, no referrer leaks, …) with a CSP that lets
// the /docs UI and the /dashboard page run: scripts, styles and fonts from this origin only (the
// Swagger UI page has one inline <style>), images also as data: URIs, fetch() to this origin.
// upgrade-insecure-requests is left out: it would break plain-HTTP local runs.
// The middleware is built once: @fastify/helmet built it (and parsed the CSP) on every request.
const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
    },
  },
});

export const registerSecurityHeaders = (fastify: FastifyInstance): void => {
  fastify.addHook('onRequest', (request, reply, done) => {
    // helmet throws rather than passing an error on (since v8.1), and only for a bad configuration
    securityHeaders(request.raw, reply.raw, () => done());
  });
};
