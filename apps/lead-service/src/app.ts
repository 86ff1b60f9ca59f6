import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppOptions } from './app.module';
import { bodyLimitBytes } from './http/body-limit';
import { registerCorrelationId } from './http/correlation-id';
import { ProblemDetailsFilter, problem } from './http/problem-details.filter';
import { registerSecurityHeaders } from './http/security-headers';
import { JsonObjectBodyPipe, QueryNamesPipe, validationPipe } from './http/validation';
import { registerHttpMetrics } from './observability/http-metrics';
import { Metrics } from './observability/metrics';
import { bindCorrelationIdToLogs } from './observability/request-logging';
import { registerNdjsonStream } from './imports/import-leads/ndjson-stream';
import { setupOpenApi } from './openapi/openapi-document';

export { bodyLimitBytes };

export const createApp = async (options: AppOptions): Promise<NestFastifyApplication> => {
  const adapter = new FastifyAdapter({
    bodyLimit: bodyLimitBytes,
    // the router refuses some URLs (bad percent-encoding, an over-long parameter) before Nest
    // sees the request: answer those as problem documents too
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      void reply
        .status(status)
        .header('Content-Type', 'application/problem+json')
        .send(problem(status, 'malformed_request', error.message));
    },
  });
  // Nest's body parsers would also accept url-encoded forms; commands are JSON only, anything
  // else is a 415. Fastify's own JSON parser refuses __proto__/constructor poisoning.
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(options),
    adapter,
    { bodyParser: false, bufferLogs: true },
  );
  // JSON logs from here on, including what Nest buffered while starting (Nest 11 does not flush
  // that buffer by itself when useLogger follows NestFactory.create)
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser(['text/plain']);
  registerNdjsonStream(fastify);
  registerCorrelationId(fastify);
  bindCorrelationIdToLogs(fastify);
  registerHttpMetrics(fastify, app.get(Metrics));
  registerSecurityHeaders(fastify);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(new JsonObjectBodyPipe(), new QueryNamesPipe(), validationPipe);
  setupOpenApi(app, options.config);
  app.enableShutdownHooks();
  await app.init();
  await fastify.ready();
  return app;
};
