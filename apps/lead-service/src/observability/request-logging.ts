import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { LogLevel } from '@lead/runtime';

export type LogOptions = { level: LogLevel; destination?: DestinationStream };

/** never written to a log: credentials */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

// Probes and scrapes every few seconds would drown the request log.
const quietPaths = /^\/(health|metrics)(\/|\?|$)/;

const levelFor = (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
  error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';

/** nestjs-pino: one JSON line per request, plus every Nest log line, as JSON on stdout */
export const loggerParams = ({ level, destination }: LogOptions): Params => {
  const options = {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    customLogLevel: levelFor,
    autoLogging: { ignore: (req: IncomingMessage) => quietPaths.test(req.url ?? '') },
  };
  return { pinoHttp: destination ? [options, destination] : options };
};

type CorrelatedRequest = FastifyRequest & { correlationId?: string };

// pino-http makes the request's logger before Fastify's onRequest hooks run, so the correlation
// id (set by http/correlation-id.ts) is bound here, after it: the request line and every log
// line written while handling the request carry it. Register after registerCorrelationId.
export const bindCorrelationIdToLogs = (fastify: FastifyInstance): void => {
  fastify.addHook('onRequest', async (request: CorrelatedRequest) => {
    if (request.correlationId) request.raw.log?.setBindings({ correlationId: request.correlationId });
  });
};
