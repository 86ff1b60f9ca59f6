import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@lead/event-store';
import type { FastifyRequest } from 'fastify';
import { ApplicationError } from '../../http/application-error';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiProblem } from '../../openapi/api-problems.decorator';
import { ImportAnswerSchema } from './import-answer.schema';
import { ImportLeadsCommand } from './import-leads.command';
import type { ImportAnswer } from './import-leads.command';
import { importsPath, ndjsonMediaType } from './ndjson-stream';

type ImportRequest = FastifyRequest & { actor: Actor; correlationId: string };

@ApiTags('imports')
@Controller()
export class ImportLeadsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(importsPath)
  @HttpCode(200)
  @Authorized('admin')
  @ApiOperation({
    summary: 'Import a history of lead commands (NDJSON, one command a line)',
    description:
      'Each line is {command, leadId, idempotencyKey, onBehalfOf?, body}; body is exactly the body of the matching HTTP command. ' +
      'Lines go through the same validation and decider as the HTTP commands; lines of one lead apply in file order. ' +
      'A refused line never stops the others: it is listed with its line number (from 1) and problem code. ' +
      'Re-sending a file appends nothing (alreadyPresent counts those lines). The body is streamed, up to IMPORT_MAX_BYTES (default 1 GiB).',
  })
  @ApiConsumes(ndjsonMediaType)
  @ApiBody({
    schema: {
      type: 'string',
      example:
        '{"command":"capture","leadId":"0195a7f2-6c1e-7b3a-9d4e-2f8a1c3b5d7e","idempotencyKey":"crm-1","body":{"email":"ada@example.com","source":{"campaignId":"spring-webinar","channel":"webinar"},"occurredAt":"2025-03-01T09:00:00Z"}}\n',
    },
  })
  @ApiOkResponse({ type: ImportAnswerSchema, description: 'what each line did' })
  @ApiProblem(400)
  @ApiProblem(
    413,
    'The body exceeds IMPORT_MAX_BYTES (code body_too_large); the lines before the limit were applied.',
    {
      code: 'body_too_large',
      description: '',
      detail: 'an import is at most 1073741824 bytes',
    },
  )
  @ApiProblem(415, `The body is not ${ndjsonMediaType} (code unsupported_media_type).`, {
    code: 'unsupported_media_type',
    description: '',
    detail: `send Content-Type: ${ndjsonMediaType}`,
  })
  async import(@Req() request: ImportRequest): Promise<ImportAnswer> {
    const mediaType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (
      mediaType !== ndjsonMediaType ||
      typeof (request.body as AsyncIterable<Buffer>)?.[Symbol.asyncIterator] !== 'function'
    ) {
      throw new ApplicationError('unsupported_media_type', `send Content-Type: ${ndjsonMediaType}`);
    }
    return this.commandBus.execute(
      new ImportLeadsCommand(request.body as AsyncIterable<Buffer>, {
        actor: request.actor,
        correlationId: request.correlationId,
      }),
    );
  }
}
