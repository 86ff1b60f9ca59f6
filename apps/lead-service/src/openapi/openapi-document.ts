import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@lead/runtime';
import { bearerScheme } from './api-access.decorator';
import { registerDocsUi } from './docs-ui';
import { FieldErrorSchema, ProblemSchema } from './problem.schema';

export const docsPath = 'docs';
export const docsJsonPath = 'docs-json';
const title = 'Lead lifecycle API';

const description = (config: AppConfig): string =>
  [
    'Event-sourced system of record for the lead lifecycle between marketing and sales: commands append events to an immutable, hash-chained log; queries read projections of it, now or as of any past moment.',
    '',
    '**Auth.** `Authorization: Bearer <token>`; each token has one role (marketing, sales, analyst, auditor, admin; admin may do everything). `x-roles` on each operation lists who may call it.',
    config.devTokens
      ? 'Development tokens (API_KEYS unset): `dev-marketing`, `dev-marketing-manager`, `dev-sales`, `dev-sales-manager`, `dev-analyst`, `dev-auditor`, `dev-admin`.'
      : '',
    '',
    '**Errors** are RFC 9457 problem details (`application/problem+json`) with a stable `code` and, for invalid input, `errors[] {field, message}`.',
    '',
    '**Commands** accept `Idempotency-Key` (a retry returns the first result and appends nothing) and `If-Match: "<revision>"` (optimistic concurrency); responses carry `ETag`. Pass a response\'s `position` as `consistentWith` to read your own write.',
    '',
    `**Rate limit**: ${config.rateLimitPerMinute > 0 ? `${config.rateLimitPerMinute} requests per minute per token (per IP when anonymous)` : 'off'}; 429 carries Retry-After.`,
  ]
    .filter((line, index, lines) => line !== '' || lines[index - 1] !== '')
    .join('\n');

/** /docs (Swagger UI) and /docs-json, public; the document is built on first request */
export const setupOpenApi = (app: NestFastifyApplication, config: AppConfig): void => {
  const document = new DocumentBuilder()
    .setTitle(title)
    .setVersion('1')
    .setDescription(description(config))
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'an API key from API_KEYS' },
      bearerScheme,
    )
    .build();
  SwaggerModule.setup(
    docsPath,
    app,
    () =>
      SwaggerModule.createDocument(app, document, {
        extraModels: [ProblemSchema, FieldErrorSchema],
      }),
    { ui: false, raw: ['json'], jsonDocumentUrl: docsJsonPath },
  );
  registerDocsUi(app.getHttpAdapter().getInstance(), {
    docsPath: `/${docsPath}`,
    jsonPath: `/${docsJsonPath}`,
    title,
  });
};
