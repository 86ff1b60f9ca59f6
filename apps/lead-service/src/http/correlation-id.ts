import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem } from './problem-details.filter';

export const correlationIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

// Accepts the caller's X-Correlation-Id or makes one; it is echoed back and stored in every
// event the request appends.
export const registerCorrelationId = (fastify: FastifyInstance): void => {
  fastify.decorateRequest('correlationId', '');
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const sent = request.headers['x-correlation-id'];
    const id = sent === undefined ? randomUUID() : Array.isArray(sent) ? null : sent;
    if (id === null || !correlationIdPattern.test(id)) {
      const body = problem(
        400,
        'invalid_header',
        'X-Correlation-Id must be 1-128 characters of A-Z a-z 0-9 . _ : -',
        [{ field: 'X-Correlation-Id', message: 'invalid value' }],
      );
      return reply.status(400).header('Content-Type', 'application/problem+json').send(body);
    }
    (request as FastifyRequest & { correlationId: string }).correlationId = id;
    reply.header('X-Correlation-Id', id);
  });
};
