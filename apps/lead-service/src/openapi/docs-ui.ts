import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

// Swagger UI served from swagger-ui-dist (pinned to the version @nestjs/swagger uses) by plain
// routes instead of SwaggerModule's UI, which needs @fastify/static: that plugin pulls in an
// ES-module-only dependency jest cannot load. The page has no inline script, so the CSP can stay
// at script-src 'self'.

const assetsDir = dirname(require.resolve('swagger-ui-dist/package.json'));

const assetTypes: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const page = (docsPath: string, title: string): string => `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <link rel="stylesheet" href="${docsPath}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${docsPath}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${docsPath}/swagger-ui-bundle.js"></script>
  <script src="${docsPath}/swagger-ui-init.js"></script>
</body>
</html>
`;

const initScript = (jsonPath: string): string => `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(jsonPath)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    showExtensions: true,
    displayRequestDuration: true,
  });
});
`;

export const registerDocsUi = (
  fastify: FastifyInstance,
  { docsPath, jsonPath, title }: { docsPath: string; jsonPath: string; title: string },
): void => {
  const html = page(docsPath, title);
  const cache = new Map<string, Buffer>();
  for (const url of [docsPath, `${docsPath}/`]) {
    fastify.get(url, async (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
  }
  fastify.get(`${docsPath}/swagger-ui-init.js`, async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').send(initScript(jsonPath)),
  );
  fastify.get<{ Params: { asset: string } }>(`${docsPath}/:asset`, async (request, reply) => {
    const { asset } = request.params;
    const type = Object.hasOwn(assetTypes, asset) ? assetTypes[asset] : undefined;
    if (!type) return reply.callNotFound();
    let body = cache.get(asset);
    if (!body) {
      body = await readFile(join(assetsDir, asset));
      cache.set(asset, body);
    }
    return reply.type(type).header('Cache-Control', 'public, max-age=3600').send(body);
  });
};
