import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics';

// A Fastify hook rather than a Nest interceptor, so requests refused before routing (bad JSON,
// 413, 415, 404, rate limits) are measured too. Labelled by route pattern (/leads/:id), never by
// raw URL, to keep the number of series bounded.
export const registerHttpMetrics = (fastify: FastifyInstance, metrics: Metrics): void => {
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpRequestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_class: `${Math.floor(reply.statusCode / 100)}xx`,
      },
      reply.elapsedTime / 1000,
    );
  });
};
