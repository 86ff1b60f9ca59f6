import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { type FieldError, problem } from '../http/problem-details.filter';
import { ProblemSchema } from './problem.schema';

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

type ProblemDoc = { description: string; code: string; detail: string; errors?: FieldError[] };

const problemDocs: Record<ProblemStatus, ProblemDoc> = {
  400: {
    description:
      'Invalid input. Codes: validation_failed (with errors[]), malformed_request, invalid_header, occurred_at_in_future, as_of_beyond_head, as_of_in_future, consistent_with_beyond_head.',
    code: 'validation_failed',
    detail: 'email: email must be a valid e-mail address',
    errors: [{ field: 'email', message: 'email must be a valid e-mail address' }],
  },
  401: {
    description: 'Missing or unknown bearer token (code unauthenticated).',
    code: 'unauthenticated',
    detail: 'send Authorization: Bearer <token>',
  },
  403: {
    description: 'The token is valid but its role may not call this endpoint (code forbidden).',
    code: 'forbidden',
    detail: 'role analyst may not call this endpoint (allowed: sales, admin)',
  },
  404: {
    description: 'No lead with this id (code lead_not_found).',
    code: 'lead_not_found',
    detail: 'lead 0195a7f2-6c1e-7b3a-9d4e-2f8a1c3b5d7e does not exist',
  },
  409: {
    description:
      "The command is not allowed in the lead's current state, or If-Match named a stale revision. Codes: invalid_transition, lead_already_exists, lead_closed, lead_not_qualified, handoff_not_pending, revision_conflict.",
    code: 'invalid_transition',
    detail: 'cannot accept a lead in stage captured (allowed in: handed_off)',
  },
  413: {
    description: 'The body exceeds 256 KiB (code body_too_large).',
    code: 'body_too_large',
    detail: 'Request body is too large',
  },
  415: {
    description: 'The body is not application/json (code unsupported_media_type).',
    code: 'unsupported_media_type',
    detail: 'Unsupported Media Type',
  },
  429: {
    description:
      'Rate limit exceeded for this token (or this IP when anonymous); Retry-After says when to try again (code rate_limited).',
    code: 'rate_limited',
    detail: 'rate limit of 30000 requests per minute exceeded; retry in 42 s',
  },
  503: {
    description:
      'consistentWith named a position the read models have not reached within 2 s; retry (code read_models_behind). Or the storage cannot answer now: retry after Retry-After seconds (code storage_unavailable).',
    code: 'read_models_behind',
    detail: 'read models have not reached position 42 yet; retry shortly',
  },
};

/** what a command answers when its storage cannot take writes (full disk, I/O error, server gone) */
export const storageUnavailableDoc: ProblemDoc = {
  description:
    'The storage cannot take the command now (full disk, I/O error, server unreachable); nothing was changed. Retry after Retry-After seconds (code storage_unavailable).',
  code: 'storage_unavailable',
  detail: 'the storage cannot take this request now (nothing was changed); retry later',
};

const retryAfter = {
  'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer' } },
};

export const ApiProblem = (status: ProblemStatus, description?: string, given?: ProblemDoc) => {
  const doc = given ?? problemDocs[status];
  return ApiResponse({
    status,
    description: description ?? doc.description,
    ...(status === 429 || doc.code === 'storage_unavailable' ? { headers: retryAfter } : {}),
    content: {
      'application/problem+json': {
        schema: { $ref: getSchemaPath(ProblemSchema) },
        example: problem(status, doc.code, doc.detail, doc.errors),
      },
    },
  });
};

/** documents the RFC 9457 problem responses an endpoint can answer */
export const ApiProblems = (...statuses: ProblemStatus[]) =>
  applyDecorators(...statuses.map((status) => ApiProblem(status)));
