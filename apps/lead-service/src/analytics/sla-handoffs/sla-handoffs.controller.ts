import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { RequestSignal } from '../../http/request-signal';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { SlaHandoffsSchema } from '../../openapi/analytics.schemas';
import { SlaHandoffsQuery } from './sla-handoffs.query';
import { SlaHandoffsRequest } from './sla-handoffs.request';

@ApiTags('analytics')
@Controller('sla')
export class SlaHandoffsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('handoffs')
  @Authorized('analyst', 'auditor')
  @ApiOperation({
    summary: 'SLA handoffs',
    description:
      'Each handoff with its deadline, response and status (met, breached, open); from/to filter by handoff time.',
  })
  @ApiOkResponse({ type: SlaHandoffsSchema })
  @ApiProblems(400, 503)
  handoffs(
    @Query() query: SlaHandoffsRequest,
    @RequestSignal() signal: AbortSignal,
  ): Promise<SlaHandoffsSchema> {
    return this.queryBus.execute(new SlaHandoffsQuery(query, signal));
  }
}
