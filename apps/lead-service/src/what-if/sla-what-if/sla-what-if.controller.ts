import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequestSignal } from '../../http/request-signal';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { SlaWhatIfSchema } from '../../openapi/what-if.schemas';
import { WhatIfQueryRequest } from '../what-if-query.request';
import { SlaWhatIfQuery } from './sla-what-if.query';

@ApiTags('what-if')
@Controller('what-if')
export class SlaWhatIfController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('sla')
  @Authorized('analyst')
  @ApiOperation({
    summary: 'SLA compliance under another agreement version',
    description:
      "Every handoff made in the window (business time), judged as recorded and as if the version's response terms (its pilot's for pilot reps) had been stamped at it; changed[] lists the handoffs whose status differs, by handoff id. Runs on the log as of asOf (default: the head when the request arrives), in an as-of worker.",
  })
  @ApiOkResponse({ type: SlaWhatIfSchema })
  @ApiProblems(400, 404, 503)
  sla(
    @Query() query: WhatIfQueryRequest,
    @RequestSignal() signal: AbortSignal,
  ): Promise<SlaWhatIfSchema> {
    return this.queryBus.execute(new SlaWhatIfQuery(query, signal));
  }
}
