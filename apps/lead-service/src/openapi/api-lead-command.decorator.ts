import { type Type, applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import {
  type ProblemStatus,
  ApiProblem,
  ApiProblems,
  storageUnavailableDoc,
} from './api-problems.decorator';
import { correlationIdPattern } from '../http/correlation-id';
import { idempotencyKeyPattern, ifMatchPattern } from '../leads/shared/command-context';
import { LeadCommandResultSchema } from './lead.schemas';

export type LeadCommandDoc = {
  summary: string;
  description: string;
  body: Type;
  /** 201 when the command creates something, else 200 */
  status: 200 | 201;
  /** false for POST /leads, which has no lead id in the path */
  leadInPath?: boolean;
  /** the body may be omitted (e.g. accept) */
  optionalBody?: boolean;
  /** what a 409 means for this command */
  conflict: string;
};

export const ApiLeadIdParam = () =>
  ApiParam({
    name: 'id',
    description: 'the lead id',
    format: 'uuid',
    example: '0195a7f2-6c1e-7b3a-9d4e-2f8a1c3b5d7e',
  });

/** the request headers every command takes: Idempotency-Key, If-Match, X-Correlation-Id */
export const ApiCommandHeaders = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'retrying with the same key returns the first result and appends nothing (1-255 visible ASCII characters)',
      example: 'import-2026-03-01-row-17',
      schema: { type: 'string', pattern: idempotencyKeyPattern.source },
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'the revision you last saw, as an ETag: a stale one is a 409 revision_conflict',
      example: '"3"',
      schema: { type: 'string', pattern: ifMatchPattern.source },
    }),
    ApiHeader({
      name: 'X-Correlation-Id',
      required: false,
      description: 'stored in every event the request appends; one is made when absent',
      example: 'corr-42',
      schema: { type: 'string', pattern: correlationIdPattern.source },
    }),
  );

/** the shared contract of every lead command: headers, ETag, problems */
export const ApiLeadCommand = (doc: LeadCommandDoc) => {
  const leadInPath = doc.leadInPath ?? true;
  const problems: ProblemStatus[] = leadInPath ? [400, 404, 413, 415] : [400, 413, 415];
  return applyDecorators(
    ApiOperation({ summary: doc.summary, description: doc.description }),
    ...(leadInPath ? [ApiLeadIdParam()] : []),
    ApiBody({ type: doc.body, required: !doc.optionalBody }),
    ApiCommandHeaders(),
    ApiResponse({
      status: doc.status,
      description: 'the command was applied (or replayed for a repeated Idempotency-Key)',
      type: LeadCommandResultSchema,
      headers: {
        ETag: { description: 'the new stream revision, e.g. "3"', schema: { type: 'string' } },
        ...(leadInPath
          ? {}
          : { Location: { description: '/leads/{leadId}', schema: { type: 'string' } } }),
      },
    }),
    ApiProblems(...problems),
    ApiProblem(409, doc.conflict),
    ApiProblem(503, undefined, storageUnavailableDoc),
  );
};
