import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { DomainError, type DomainErrorCode } from '@lead/domain';
import { RevisionConflict, isStorageFailure } from '@lead/event-store';
import type { FastifyReply } from 'fastify';
import { ApplicationError, type ApplicationErrorCode, type FieldError } from './application-error';

export type { FieldError } from './application-error';
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  /** field errors beyond the ones listed */
  errorsOmitted?: number;
};

const domainStatus: Record<DomainErrorCode, number> = {
  lead_not_found: 404,
  lead_already_exists: 409,
  lead_closed: 409,
  invalid_transition: 409,
  lead_not_qualified: 409,
  handoff_not_pending: 409,
  handoff_not_found: 404,
  handoff_not_decided: 409,
  occurred_before_prerequisite: 409,
  occurred_at_in_future: 400,
  agreement_version_not_found: 404,
  agreement_terms_invalid: 400,
  agreement_retroactive: 400,
  agreement_withdrawn: 409,
  agreement_approved: 409,
  agreement_effective_from_passed: 409,
  score_is_computed: 409,
  personal_data_erased: 409,
  lead_already_sql: 409,
  handoff_not_rejected: 409,
  rejection_already_disputed: 409,
  rejection_not_disputed: 409,
  rejection_dispute_already_resolved: 409,
};

const applicationStatus: Record<ApplicationErrorCode, number> = {
  validation_failed: 400,
  invalid_header: 400,
  consistent_with_beyond_head: 400,
  as_of_beyond_head: 400,
  as_of_in_future: 400,
  unauthenticated: 401,
  forbidden: 403,
  body_too_large: 413,
  unsupported_media_type: 415,
  read_models_behind: 503,
  busy: 503,
  what_if_scoring_external: 400,
  // nginx's code: nobody reads it (the client is gone), but the logs should not call it a 500
  client_closed_request: 499,
};

/** seconds a client should wait before retrying after a storage failure */
export const storageRetryAfterSeconds = 5;
/** seconds a client should wait when every as-of worker and queue slot is taken */
export const busyRetryAfterSeconds = 5;

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  499: 'Client Closed Request',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

// Requests Fastify or Nest refuse before a handler runs (bad JSON, wrong content type, too large,
// the rate limit) reach us as HttpExceptions without a code; give them stable ones by status.
const codesByStatus: Record<number, string> = {
  400: 'malformed_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'body_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

export const problem = (
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
  errorsOmitted?: number,
): Problem => ({
  type: `urn:lead-lifecycle:problem:${code}`,
  title: titles[status] ?? 'Error',
  status,
  detail,
  code,
  ...(errors ? { errors } : {}),
  ...(errorsOmitted ? { errorsOmitted } : {}),
});

export const toProblem = (error: unknown): Problem => {
  if (error instanceof DomainError)
    return problem(domainStatus[error.code], error.code, error.message, error.errors);
  if (error instanceof ApplicationError)
    return problem(
      applicationStatus[error.code],
      error.code,
      error.detail,
      error.errors,
      error.errorsOmitted,
    );
  if (error instanceof RevisionConflict) return problem(409, error.code, error.message);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    if (typeof body === 'object' && body !== null && 'code' in body) {
      const { code, detail, errors, errorsOmitted } = body as {
        code: string;
        detail?: string;
        errors?: FieldError[];
        errorsOmitted?: number;
      };
      return problem(status, code, detail ?? error.message, errors, errorsOmitted);
    }
    return problem(status, codesByStatus[status] ?? `http_${status}`, error.message);
  }
  // a full disk or a store that does not answer: nothing was stored, retrying later may work
  if (isStorageFailure(error))
    return problem(
      503,
      'storage_unavailable',
      'the storage cannot take this request now (nothing was changed); retry later',
    );
  return problem(500, 'internal_error', 'an unexpected error occurred; it has been logged');
};

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(error: unknown, host: ArgumentsHost): void {
    const body = toProblem(error);
    if (body.status >= 500)
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (body.status === 401) reply.header('WWW-Authenticate', 'Bearer');
    if (body.code === 'storage_unavailable')
      reply.header('Retry-After', String(storageRetryAfterSeconds));
    if (body.code === 'busy') reply.header('Retry-After', String(busyRetryAfterSeconds));
    reply.status(body.status).header('Content-Type', 'application/problem+json').send(body);
  }
}
