import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { type AttributionModel, attributionModels } from '@lead/domain';
import {
  type AttributionGrouping,
  attributionGroupings,
  attributionReport,
  leadAttribution,
} from '@lead/read-models';
import { IsIn, IsOptional } from 'class-validator';
import { Roles } from '../auth/api-key.guard';
import { LeadIdPipe } from '../leads/shared/lead-id.pipe';
import { AnalyticsSource } from '../read-side/analytics-source';
import { AnalyticsQueryRequest, businessTimeRange } from './analytics-query.request';

export class AttributionReportRequest extends AnalyticsQueryRequest {
  @IsIn(attributionModels, { message: `model must be one of ${attributionModels.join(', ')}` })
  model!: AttributionModel;

  @IsOptional()
  @IsIn(attributionGroupings, {
    message: `groupBy must be one of ${attributionGroupings.join(', ')}`,
  })
  groupBy?: AttributionGrouping;
}

export class LeadAttributionRequest {
  @IsIn(attributionModels, { message: `model must be one of ${attributionModels.join(', ')}` })
  model!: AttributionModel;

  @IsOptional()
  asOf?: string;
}

@Controller('attribution')
export class AttributionController {
  constructor(private readonly source: AnalyticsSource) {}

  @Get()
  @Roles('analyst')
  async report(@Query() query: AttributionReportRequest) {
    const range = businessTimeRange(query);
    const { store, asOf } = await this.source.view(query);
    const report = await attributionReport(store, {
      model: query.model,
      groupBy: query.groupBy ?? 'campaign',
      ...range,
    });
    return {
      model: report.model,
      groupBy: report.groupBy,
      asOf,
      rows: report.rows,
      totals: report.totals,
    };
  }

  @Get('leads/:id')
  @Roles('analyst', 'auditor')
  async lead(@Param('id', LeadIdPipe) leadId: string, @Query() query: LeadAttributionRequest) {
    const { store, asOf } = await this.source.view(query);
    const view = await leadAttribution(store, leadId, query.model);
    if (!view)
      throw new NotFoundException({
        code: 'lead_not_found',
        detail: `lead ${leadId} does not exist`,
      });
    return { ...view, asOf };
  }
}
