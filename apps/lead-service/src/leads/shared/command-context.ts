import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Actor } from '@lead/event-store';
import type { FastifyRequest } from 'fastify';
import { ApplicationError } from '../../http/application-error';

export type CommandContext = {
  actor: Actor;
  correlationId: string;
  idempotencyKey?: string;
  expectedRevision?: number;
  /** who did it in the old system (bulk import): recorded, and named where an event names a person */
  onBehalfOf?: Actor;
};

// The person an event names (acceptedBy): the caller, or whom an import line acts for.
export const effectiveActor = ({ actor, onBehalfOf }: CommandContext): Actor => onBehalfOf ?? actor;

export const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;
export const ifMatchPattern = /^(?:W\/)?"(\d{1,15})"$|^(\d{1,15})$/;

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

const invalidHeader = (name: string, detail: string) =>
  new ApplicationError('invalid_header', `${name}: ${detail}`, [{ field: name, message: detail }]);

// Everything a command takes from the request besides its body: who (from the token, never the
// body), correlation, Idempotency-Key and If-Match.
export const CommandMeta = createParamDecorator(
  (_: unknown, context: ExecutionContext): CommandContext => {
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest & { actor: Actor; correlationId: string }>();
    const idempotencyKey = header(request, 'idempotency-key');
    if (idempotencyKey !== undefined && !idempotencyKeyPattern.test(idempotencyKey)) {
      throw invalidHeader('Idempotency-Key', 'must be 1-255 visible ASCII characters');
    }
    const ifMatch = header(request, 'if-match');
    let expectedRevision: number | undefined;
    if (ifMatch !== undefined) {
      const match = ifMatchPattern.exec(ifMatch.trim());
      if (!match) throw invalidHeader('If-Match', 'must be a revision ETag such as "3"');
      expectedRevision = Number(match[1] ?? match[2]);
    }
    return {
      actor: request.actor,
      correlationId: request.correlationId,
      idempotencyKey,
      expectedRevision,
    };
  },
);
