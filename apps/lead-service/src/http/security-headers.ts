import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

// helmet's defaults (nosniff, frame-ancestors, HSTS, no referrer leaks, …) with a CSP that lets
// the /docs UI and the /dashboard page run: scripts, styles and fonts from this origin only (the
// Swagger UI page has one inline <style>), images also as data: URIs, fetch() to this origin.
// upgrade-insecure-requests is left out: it would break plain-HTTP local runs.
export const registerSecurityHeaders = async (app: NestFastifyApplication): Promise<void> => {
  await app.register(helmet, {
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
};
