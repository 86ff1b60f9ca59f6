import { Controller, Get, Query } from '@nestjs/common';
import { funnel } from '@lead/read-models';
import { Roles } from '../auth/api-key.guard';
import { AnalyticsSource } from '../read-side/analytics-source';
import { AnalyticsQueryRequest, businessTimeRange } from './analytics-query.request';

@Controller('funnel')
export class FunnelController {
  constructor(private readonly source: AnalyticsSource) {}

  @Get()
  @Roles('analyst')
  async funnel(@Query() query: AnalyticsQueryRequest) {
    const range = businessTimeRange(query);
    const { store, asOf } = await this.source.view(query);
    return { asOf, ...(await funnel(store, range)) };
  }
}
