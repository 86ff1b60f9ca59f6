import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { RequestSignal } from '../../http/request-signal';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { FunnelSchema } from '../../openapi/analytics.schemas';
import { AnalyticsQueryRequest } from '../analytics-query.request';
import { FunnelQuery } from './funnel.query';

@ApiTags('analytics')
@Controller('funnel')
export class FunnelController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @Authorized('analyst')
  @ApiOperation({
    summary: 'Lead funnel',
    description:
      'How many leads captured in the window reached each stage, the stage-to-stage conversion rates, and where they are now.',
  })
  @ApiOkResponse({ type: FunnelSchema })
  @ApiProblems(400, 503)
  funnel(
    @Query() query: AnalyticsQueryRequest,
    @RequestSignal() signal: AbortSignal,
  ): Promise<FunnelSchema> {
    return this.queryBus.execute(new FunnelQuery(query, signal));
  }
}
