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

// A token pasted into a URL (a form submitted before its script ran, a hand-written link) must
// not reach the log either: query values under these names are replaced, whatever their case.
const tokenLikeNames = new Set([
  'token',
  'access_token',
  'api_key',
  'apikey',
  'key',
  'authorization',
]);
const isTokenLike = (name: string): boolean => tokenLikeNames.has(name.toLowerCase());

export const redactUrl = (url: string): string => {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const query = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=')[0];
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a malformed name is logged as sent
      }
      return isTokenLike(decoded) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, start)}?${query.join('&')}`;
};

type SerialisedRequest = { url?: string; query?: Record<string, unknown> };

export const redactRequest = <R extends SerialisedRequest>(req: R): R => ({
  ...req,
  ...(typeof req.url === 'string' ? { url: redactUrl(req.url) } : {}),
  ...(req.query
    ? {
        query: Object.fromEntries(
          Object.entries(req.query).map(([name, value]) => [
            name,
            isTokenLike(name) ? '[redacted]' : value,
          ]),
        ),
      }
    : {}),
});

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
    serializers: {
      req: redactRequest,
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
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
