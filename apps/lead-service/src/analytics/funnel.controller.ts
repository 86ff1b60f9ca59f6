import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { funnel } from '@lead/read-models';
import { Authorized } from '../openapi/api-access.decorator';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { FunnelSchema } from '../openapi/analytics.schemas';
import { AnalyticsSource } from '../read-side/analytics-source';
import { AnalyticsQueryRequest, businessTimeRange } from './analytics-query.request';

@ApiTags('analytics')
@Controller('funnel')
export class FunnelController {
  constructor(private readonly source: AnalyticsSource) {}

  @Get()
  @Authorized('analyst')
  @ApiOperation({
    summary: 'Lead funnel',
    description:
      'How many leads captured in the window reached each stage, the stage-to-stage conversion rates, and where they are now.',
  })
  @ApiOkResponse({ type: FunnelSchema })
  @ApiProblems(400, 503)
  async funnel(@Query() query: AnalyticsQueryRequest) {
    const range = businessTimeRange(query);
    const { store, asOf } = await this.source.view(query, 'leads');
    return { asOf, ...(await funnel(store, range)) };
  }
}
