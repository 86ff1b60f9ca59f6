import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { RequestSignal } from '../../http/request-signal';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { SlaSummarySchema } from '../../openapi/analytics.schemas';
import { SlaSummaryQuery } from './sla-summary.query';
import { SlaSummaryRequest } from './sla-summary.request';

@ApiTags('analytics')
@Controller('sla')
export class SlaSummaryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('summary')
  @Authorized('analyst')
  @ApiOperation({
    summary: 'SLA summary',
    description:
      'Per rep or per month: handoffs, met, breached, open, compliance = met / (met + breached), median and p90 response and speed-to-lead minutes; plus marketing volume against the monthly target.',
  })
  @ApiOkResponse({ type: SlaSummarySchema })
  @ApiProblems(400, 503)
  summary(
    @Query() query: SlaSummaryRequest,
    @RequestSignal() signal: AbortSignal,
  ): Promise<SlaSummarySchema> {
    return this.queryBus.execute(new SlaSummaryQuery(query, signal));
  }
}
