import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, type AppOptions } from './app.module';
import { registerCorrelationId } from './http/correlation-id';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { JsonObjectBodyPipe, validationPipe } from './http/validation';

export const bodyLimitBytes = 256 * 1024;

export const createApp = async (options: AppOptions): Promise<NestFastifyApplication> => {
  const adapter = new FastifyAdapter({ bodyLimit: bodyLimitBytes });
  // Nest's body parsers would also accept url-encoded forms; commands are JSON only, anything
  // else is a 415. Fastify's own JSON parser refuses __proto__/constructor poisoning.
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(options),
    adapter,
    {
      bodyParser: false,
      logger: process.env.NODE_ENV === 'test' ? false : ['log', 'warn', 'error'],
    },
  );
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser(['text/plain']);
  registerCorrelationId(fastify);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(new JsonObjectBodyPipe(), validationPipe);
  app.enableShutdownHooks();
  await app.init();
  await fastify.ready();
  return app;
};
