import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequestSignal } from '../../http/request-signal';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { QualificationWhatIfSchema } from '../../openapi/what-if.schemas';
import { WhatIfQueryRequest } from '../what-if-query.request';
import { QualificationWhatIfQuery } from './qualification-what-if.query';

@ApiTags('what-if')
@Controller('what-if')
export class QualificationWhatIfController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('qualification')
  @Authorized('analyst')
  @ApiOperation({
    summary: 'MQLs under another agreement version',
    description:
      "Leads captured in the window (business time): how many became MQLs, and how many would have under the version's rules and threshold, re-scored after each capture, engagement and profile update at its business time; changed[] by lead id. 400 what_if_scoring_external unless the version scores by rules. Runs on the log as of asOf (default: the head when the request arrives), in an as-of worker.",
  })
  @ApiOkResponse({ type: QualificationWhatIfSchema })
  @ApiProblems(400, 404, 503)
  qualification(
    @Query() query: WhatIfQueryRequest,
    @RequestSignal() signal: AbortSignal,
  ): Promise<QualificationWhatIfSchema> {
    return this.queryBus.execute(new QualificationWhatIfQuery(query, signal));
  }
}
