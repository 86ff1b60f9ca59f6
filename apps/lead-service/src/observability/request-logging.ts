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
    // the status is what matters; response headers would repeat the same CSP on every line
    serializers: { res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
    // middie strips the mount path from req.url; originalUrl keeps it
    autoLogging: {
      ignore: (req: IncomingMessage & { originalUrl?: string }) =>
        quietPaths.test(req.originalUrl ?? req.url ?? ''),
    },
  };
  return { pinoHttp: destination ? [options, destination] : options };
};

type CorrelatedRequest = FastifyRequest & { correlationId?: string };

// pino-http makes the request's logger before Fastify's onRequest hooks run, so the correlation
// id (set by http/correlation-id.ts) is bound here, after it: the request line and every log
// line written while handling the request carry it. Register after registerCorrelationId.
// (request.raw.log is Fastify's own, disabled logger; pino-http's is the last of allLogs.)
export const bindCorrelationIdToLogs = (fastify: FastifyInstance): void => {
  fastify.addHook('onRequest', (request: CorrelatedRequest, _reply, done) => {
    const logger = request.raw.allLogs?.at(-1);
    if (logger && request.correlationId)
      logger.setBindings({ correlationId: request.correlationId });
    done();
  });
};
